#include "transports/folder_config.h"

namespace liitos {
namespace {

std::string CheckPrefix(const std::string& prefix) {
  return prefix.find('/') == std::string::npos ? "" : "must not contain '/'";
}

}  // namespace

const ConfigKeys<FolderSettings>& FolderKeys() {
  static const ConfigKeys<FolderSettings> kKeys = {
      {.name = "path", .field = &FolderSettings::path, .required = true, .help = "the folder files are written into"},
      {.name = "prefix",
       .field = &FolderSettings::prefix,
       .help = "the start of each batch file's name",
       .allow_empty = true,
       .check = CheckPrefix},
      {.name = "done_marker",
       .field = &FolderSettings::done_marker,
       .help = "suffix of an empty file written after each file, for readers that wait for it"},
  };
  return kKeys;
}

}  // namespace liitos
