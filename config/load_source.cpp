// [[source]]: where legacy exports are picked up (SPEC §3).

#include <fmt/format.h>

#include <algorithm>

#include "config/sections.h"

namespace liitos::config_detail {
namespace {

const std::vector<std::string_view> kDirKeys = {"archive", "error", "rescan"};
const std::vector<std::string_view> kSftpKeys = {"remote_archive", "poll"};

bool IsSourceName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "/srv/x/in/" -> "/srv/x/in"; the root stays "/".
std::string TrimSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// The sibling `name` of the directory `path`: ("/srv/x/in", "archive") -> "/srv/x/archive".
std::string Sibling(const std::string& path, const std::string& name) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return name;
  if (slash == 0) return "/" + name;
  return path.substr(0, slash) + "/" + name;
}

void LoadCommon(TableReader& t, SourceConfig* s) {
  if (t.NonEmptyString("name", &s->name, true) && !IsSourceName(s->name))
    t.Error("name", fmt::format("'{}' may use only a-z, 0-9, '_' and '-'", s->name));
  t.StringList("include", &s->include);
  t.NonEmptyString("receipts", &s->receipts);
  int format = 0;
  static const char* const kFormats[] = {"csv", "xml"};
  if (t.Choice("receipt_format", {"csv", "xml"}, &format)) s->receipt_format = kFormats[format];
  int after = 0;
  if (t.Choice("after", {"archive", "delete"}, &after)) s->after = static_cast<AfterTake>(after);
  t.OptString("done_marker", &s->done_marker);
  t.Duration("settle", &s->settle, /*allow_zero=*/true);
  t.Size("max_file_size", &s->max_file_size);
  if (t.NonEmptyString("path", &s->path, true)) s->path = TrimSlashes(s->path);
}

void LoadDirKeys(TableReader& t, SourceConfig* s) {
  t.NonEmptyString("archive", &s->archive);
  t.NonEmptyString("error", &s->error);
  t.Duration("rescan", &s->rescan);
  if (!s->path.empty()) {
    if (s->archive.empty()) s->archive = Sibling(s->path, "archive");
    if (s->error.empty()) s->error = Sibling(s->path, "error");
    if (s->receipts.empty()) s->receipts = Sibling(s->path, "receipts");
  }
}

void LoadSftpKeys(TableReader& t, SourceConfig* s) {
  LoadSftpEndpoint(t, &s->sftp);
  t.NonEmptyString("remote_archive", &s->remote_archive);
  t.Duration("poll", &s->poll);
  if (!s->path.empty()) {
    std::string base = s->path == "/" ? "" : s->path;
    if (s->remote_archive.empty()) s->remote_archive = base + "/archive";
    if (s->receipts.empty()) s->receipts = base + "/receipts";
  }
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// profile and destination must name tables of this file; a lone destination is the default. A
// destination that is a feed's output (`feed_outputs`) takes import files, not status batches;
// a source of fetch orders names no destination (its feed's output says where files go).
void LoadReferences(TableReader& t, const Config& config, const std::vector<std::string>& feed_outputs,
                    SourceConfig* s) {
  const ProfileConfig* profile = nullptr;
  if (t.NonEmptyString("profile", &s->profile, true) && !(profile = config.FindProfile(s->profile)))
    t.Error("profile", fmt::format("no [[profile]] is named '{}'", s->profile));
  if (profile && profile->format == RecordFormat::kFetchOrder) {
    t.Forbid({"destination"}, "does not apply to a source of fetch orders: its [[feed]]'s output says where "
                              "import files go");
    if (!t.Has("include")) s->include = {"*.txt", "*.csv"};
    return;
  }
  std::vector<std::string> status_destinations;
  for (const auto& d : config.destinations)
    if (!Contains(feed_outputs, d.name)) status_destinations.push_back(d.name);
  if (t.NonEmptyString("destination", &s->destination)) {
    if (!config.FindDestination(s->destination))
      t.Error("destination", fmt::format("no [[destination]] is named '{}'", s->destination));
    else if (Contains(feed_outputs, s->destination))
      t.Error("destination", fmt::format("'{}' is a [[feed]]'s output (import files), not a destination for "
                                         "status updates", s->destination));
  } else if (!t.Has("destination")) {
    if (status_destinations.size() == 1) {
      s->destination = status_destinations[0];
    } else if (status_destinations.empty()) {
      t.ErrorAtTable("destination", "is required, and no [[destination]] is configured");
    } else {
      t.ErrorAtTable("destination", "is required when there is more than one [[destination]]");
    }
  }
}

void LoadSource(TableReader& t, const Config& config, const std::vector<std::string>& feed_outputs,
                SourceConfig* s) {
  LoadCommon(t, s);
  LoadReferences(t, config, feed_outputs, s);
  int kind = -1;
  t.Choice("kind", {"dir", "sftp"}, &kind, true);
  if (kind >= 0) s->kind = static_cast<SourceKind>(kind);
  switch (kind) {
    case 0:
      LoadDirKeys(t, s);
      t.Forbid(kSftpKeys, "is not a key of kind = \"dir\" sources");
      t.Forbid(kSftpEndpointKeys, "is not a key of kind = \"dir\" sources");
      break;
    case 1:
      LoadSftpKeys(t, s);
      t.Forbid(kDirKeys, "is not a key of kind = \"sftp\" sources");
      break;
    default:  // kind is missing or wrong: that is the error, not every key of the kinds
      t.Allow(kDirKeys);
      t.Allow(kSftpKeys);
      t.Allow(kSftpEndpointKeys);
  }
  t.ReportUnknown();
}

}  // namespace

void LoadSources(TableReader& root, const Config& config, std::vector<SourceConfig>* out) {
  const std::vector<std::string> feed_outputs = FeedOutputNames(root.table());
  std::vector<std::string> names;
  ForEachTable(root, "source", [&](const toml::table& table, const std::string& label) {
    TableReader t(table, label, root.sink());
    SourceConfig s;
    LoadSource(t, config, feed_outputs, &s);
    if (!s.name.empty()) CheckUnique(t, &names, s.name, "source");
    out->push_back(std::move(s));
  });
}

}  // namespace liitos::config_detail
