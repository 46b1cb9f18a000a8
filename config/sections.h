#pragma once
// Internal to config/: the loaders of each part of the file. Each reads its table(s) from the
// root reader, fills the typed struct, and records every problem in the sink. They run in the
// order interface → profiles → destinations → sources → import profiles → feeds, because later
// parts check references to earlier ones.

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/toml_reader.h"

namespace liitos::config_detail {

void LoadService(TableReader& root, ServiceConfig* out);
void LoadJournal(TableReader& root, JournalConfig* out);
void LoadInterface(TableReader& root, InterfaceConfig* out);

// `status_codes` are the interface codes that status_map targets must name.
void LoadProfiles(TableReader& root, const std::vector<std::string>& status_codes,
                  std::vector<ProfileConfig>* out);
// [[destination]] and [[source]] (config/load_endpoints.cpp): the common keys here, each kind's
// own keys through its parser in `kinds`. `config` already holds the profiles and destinations
// that sources refer to.
void LoadDestinations(TableReader& root, const KindSpecs& kinds, std::vector<DestinationConfig>* out);
void LoadSources(TableReader& root, const Config& config, const KindSpecs& kinds, std::vector<SourceConfig>* out);

// Folders do not overlap (SPEC §3): reports every folder liitos writes into (what each source's
// and destination's FolderPlan lists, the state_dir, the metrics file's folder) that equals or
// lies inside an inbox, and every inbox inside another. Runs on the loaded `config`; `root` only
// gives the positions. Resolves symlinks of local paths (reads the
// filesystem, writes nothing).
void CheckFolderOverlaps(const toml::table& root, const Config& config, ErrorSink* sink);
// [[import_profile]] and [[feed]] (SPEC §11), after sources: a feed names its orders' source,
// its output destination and its import profile.
void LoadImportProfiles(TableReader& root, std::vector<ImportProfileConfig>* out);
// `kinds` says which kinds of destination may take import files.
void LoadFeeds(TableReader& root, const Config& config, const KindSpecs& kinds, std::vector<FeedConfig>* out);
// The `output` of every [[feed]] table, read from the raw file (before feeds are loaded): the
// destinations that take import files rather than status batches.
std::vector<std::string> FeedOutputNames(const toml::table& root);

// Calls `fn` for each table of the array of tables `key` ("source", "profile", "destination")
// with the dotted name of the entry: "source[rakval]" when it has a string name, otherwise
// "source[3]" (1-based position). Reports a non-array or non-table entries.
void ForEachTable(TableReader& root, std::string_view key,
                  const std::function<void(const toml::table&, const std::string&)>& fn);

// Reports a name already in `seen` as a duplicate; adds it otherwise.
void CheckUnique(TableReader& t, std::vector<std::string>* seen, const std::string& name, const char* what);

}  // namespace liitos::config_detail
