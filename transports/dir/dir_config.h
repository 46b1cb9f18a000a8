#pragma once
// The keys of kind = "dir" sources and destinations (SPEC §3, §5.5), declared beside the dir
// transport and parsed through config/'s section reader. transports/registry.cpp lists the kind.

#include <string>

#include "base/time/clock.h"
#include "config/config.h"
#include "config/section_reader.h"
#include "transports/folder_config.h"

namespace liitos {

// A dir source's own keys; `path` and the rest are common to every source (SourceConfig).
struct DirSourceSettings {
  std::string archive;  // default: the inbox's sibling "archive"
  std::string error;    // default: the inbox's sibling "error"
  Millis rescan = std::chrono::seconds(60);
};

const ConfigKeys<DirSourceSettings>& DirSourceKeys();
// Reads the keys of a dir source into cfg->settings, with the defaults of archive, error and
// receipts beside the inbox, and lists its folders for the overlap check.
void ParseDirSource(SectionReader& t, SourceConfig* cfg);
SourceKindSpec DirSourceSpec();
inline const DirSourceSettings& DirSourceSettingsOf(const SourceConfig& cfg) {
  return KindSettings<DirSourceSettings>(cfg.settings);
}

// A dir destination's keys are those of every folder destination.
void ParseDirDestination(SectionReader& t, DestinationConfig* cfg);
DestinationKindSpec DirDestinationSpec();
inline const FolderSettings& DirDestinationSettingsOf(const DestinationConfig& cfg) {
  return KindSettings<FolderSettings>(cfg.settings);
}

}  // namespace liitos
