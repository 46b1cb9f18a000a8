#pragma once
// The keys of a destination that writes files into a folder (kind "dir" and "sftp", SPEC §5.5 and
// §5.6): path, prefix, done_marker. Declared once here and read by both kinds' parsers.

#include <optional>
#include <string>

#include "config/section_reader.h"

namespace liitos {

struct FolderSettings {
  std::string path;                        // required
  std::string prefix = "lv_status_";       // of batch file names; may be empty, no '/'
  std::optional<std::string> done_marker;  // e.g. ".done": an empty file written after each file
};

const ConfigKeys<FolderSettings>& FolderKeys();

}  // namespace liitos
