#include "transports/dir/dir_config.h"

namespace liitos {
namespace {

// The sibling `name` of the directory `path`: ("/srv/x/in", "archive") -> "/srv/x/archive".
std::string Sibling(const std::string& path, const std::string& name) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return name;
  if (slash == 0) return "/" + name;
  return path.substr(0, slash) + "/" + name;
}

}  // namespace

// Every key of a dir source beyond the common ones, one a line.
const ConfigKeys<DirSourceSettings>& DirSourceKeys() {
  using S = DirSourceSettings;
  static const ConfigKeys<S> kKeys = {
      {.name = "archive", .field = &S::archive, .help = "where taken files are moved"},
      {.name = "error", .field = &S::error, .help = "where refused files are moved"},
      {.name = "rescan", .field = &S::rescan, .help = "how often the inbox is listed even without an inotify event"},
  };
  return kKeys;
}

void ParseDirSource(SectionReader& t, SourceConfig* cfg) {
  DirSourceSettings s;
  ReadKeys(t, DirSourceKeys(), &s);
  if (!cfg->path.empty()) {
    if (s.archive.empty()) s.archive = Sibling(cfg->path, "archive");
    if (s.error.empty()) s.error = Sibling(cfg->path, "error");
    if (cfg->receipts.empty()) cfg->receipts = Sibling(cfg->path, "receipts");
  }
  FolderPlan& plan = cfg->folders;
  plan.inboxes = {{"path", cfg->path}};
  if (cfg->after == AfterTake::kArchive) plan.writes.push_back({"archive", s.archive});
  plan.writes.push_back({"error", s.error});
  if (cfg->receipts_enabled()) plan.writes.push_back({"receipts", cfg->receipts});
  cfg->settings = std::move(s);
}

SourceKindSpec DirSourceSpec() { return {"dir", KeyNames(DirSourceKeys()), ParseDirSource}; }

void ParseDirDestination(SectionReader& t, DestinationConfig* cfg) {
  FolderSettings s;
  ReadKeys(t, FolderKeys(), &s);
  cfg->folders.writes = {{"path", s.path}};
  cfg->settings = std::move(s);
}

DestinationKindSpec DirDestinationSpec() {
  return {"dir", KeyNames(FolderKeys()), ParseDirDestination, /*takes_import_files=*/true};
}

}  // namespace liitos
