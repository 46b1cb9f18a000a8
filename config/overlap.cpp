// Folders do not overlap (SPEC §3): no folder that liitos writes into equals or lies inside an
// inbox, and no inbox lies inside (or equals) another. Otherwise liitos would take its own receipts,
// archive copies or batches as new exports, or two sources would race for the same files.
//
// Local paths are compared as they will be reached (base/paths.h LocalPath: absolute, symlinks of
// the existing part resolved); SFTP paths lexically, among the sources and destinations of one
// host, port and user.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>

#include "base/paths.h"
#include "config/sections.h"

namespace liitos::config_detail {
namespace {

// One configured folder: its dotted key, the path as written and in comparable form, and the
// TOML node that errors point at (the key's value; for a default, the entry's `path`, else the table).
struct Folder {
  std::string key;
  std::string written;
  std::string resolved;
  const toml::node* where = nullptr;
  size_t owner;  // index of the source it belongs to, or kNoSource
};

constexpr size_t kNoSource = SIZE_MAX;

// The i-th table entry of the array of tables `key`, in the order the loaders filled the config,
// with the label ForEachTable gives it ("source[rakval]", else "source[3]").
struct Entry {
  const toml::table* table = nullptr;
  std::string label;
};

std::vector<Entry> Entries(const toml::table& root, std::string_view key) {
  std::vector<Entry> out;
  const toml::array* arr = root.get_as<toml::array>(key);
  if (!arr) return out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table* t = arr->get(i)->as_table();
    if (!t) continue;
    std::string label = fmt::format("{}[{}]", key, i + 1);
    if (const toml::node* name = t->get("name"); name && name->is_string() && !name->as_string()->get().empty())
      label = fmt::format("{}[{}]", key, name->as_string()->get());
    out.push_back({t, std::move(label)});
  }
  return out;
}

// The node of `key` in `entry`, else of its `path` (from which defaults derive), else the table.
const toml::node* Where(const Entry& entry, std::string_view key) {
  if (const toml::node* n = entry.table->get(key)) return n;
  if (const toml::node* n = entry.table->get("path")) return n;
  return entry.table;
}

Folder MakeFolder(const Entry& e, std::string_view key, const std::string& path, size_t owner, bool local) {
  return Folder{JoinKey(e.label, key), path, local ? LocalPath(path) : LexicalPath(path), Where(e, key), owner};
}

// '/srv/x/in', or '/srv/x/in' (that is /data/x/in) when a symlink or a relative path was resolved.
std::string Shown(const Folder& f) {
  if (f.resolved == LexicalPath(f.written)) return fmt::format("'{}'", f.written);
  return fmt::format("'{}' (that is {})", f.written, f.resolved);
}

void Report(ErrorSink* sink, const Folder& f, const Folder& inbox, const char* what) {
  std::string relation = f.resolved == inbox.resolved ? "is the same folder as" : "lies inside";
  sink->Add(f.where->source(), f.key,
            fmt::format("{} {} {} {}, {}: the folders liitos reads from and writes into must not overlap",
                        Shown(f), relation, inbox.key, Shown(inbox), what));
}

// Checks writers against inboxes and inboxes against each other. `own_subfolders_ok`: a writer
// strictly inside its own source's inbox is allowed (SFTP sources list only their inbox's files,
// and keep archive/, error/ and receipts/ under it by default).
void CheckGroup(const std::vector<Folder>& inboxes, const std::vector<Folder>& writers, bool own_subfolders_ok,
                ErrorSink* sink) {
  for (const Folder& w : writers) {
    for (const Folder& in : inboxes) {
      if (!PathWithin(w.resolved, in.resolved)) continue;
      if (own_subfolders_ok && w.owner == in.owner && w.resolved != in.resolved) continue;
      Report(sink, w, in, "an inbox");
      break;  // one error per folder
    }
  }
  for (size_t i = 0; i < inboxes.size(); ++i) {
    for (size_t j = 0; j < inboxes.size(); ++j) {
      if (i == j || !PathWithin(inboxes[i].resolved, inboxes[j].resolved)) continue;
      if (inboxes[i].resolved == inboxes[j].resolved && i < j) continue;  // the same pair once, at the later one
      Report(sink, inboxes[i], inboxes[j], "another inbox");
      break;
    }
  }
}

// The folders of one group: inboxes, and the folders liitos writes into.
struct Group {
  std::vector<Folder> inboxes, writers;
};

// Adds the folders of the i-th entry (`entry` gives positions) to the group of its server.
// Destinations (`owner` kNoSource) only write, and only where some source reads.
void AddPlan(const FolderPlan& plan, const Entry& entry, size_t owner, std::map<std::string, Group>* groups) {
  const bool local = plan.server.empty();
  if (owner == kNoSource && !groups->count(plan.server)) return;
  Group& g = (*groups)[plan.server];
  for (const FolderUse& f : plan.inboxes)
    if (!f.path.empty()) g.inboxes.push_back(MakeFolder(entry, f.key, f.path, owner, local));
  for (const FolderUse& f : plan.writes)
    if (!f.path.empty()) g.writers.push_back(MakeFolder(entry, f.key, f.path, owner, local));
}

// The local folders of the service itself: state_dir and the metrics file's folder.
void AddServiceFolders(const toml::table& root, const Config& config, Group* local) {
  const toml::table* service = root.get_as<toml::table>("service");
  auto service_folder = [&](std::string_view key, const std::string& path) {
    const toml::node* n = service ? service->get(key) : nullptr;
    local->writers.push_back(Folder{JoinKey("service", key), path, LocalPath(path), n ? n : service, kNoSource});
  };
  service_folder("state_dir", config.service.state_dir);
  if (config.service.metrics_file) {
    std::string dir = std::string(std::filesystem::path(*config.service.metrics_file).parent_path());
    if (!dir.empty()) service_folder("metrics_file", dir);
  }
  for (Folder& w : local->writers)
    if (!w.where) w.where = &root;
}

}  // namespace

// Local folders are compared as they will be reached; an SFTP source's archive and receipts
// under its own inbox are fine (it lists only the inbox's files).
void CheckFolderOverlaps(const toml::table& root, const Config& config, ErrorSink* sink) {
  std::vector<Entry> sources = Entries(root, "source"), destinations = Entries(root, "destination");
  std::map<std::string, Group> groups;  // by server; "" = local
  for (size_t i = 0; i < config.sources.size() && i < sources.size(); ++i)
    if (!config.sources[i].path.empty()) AddPlan(config.sources[i].folders, sources[i], i, &groups);
  for (size_t i = 0; i < config.destinations.size() && i < destinations.size(); ++i)
    AddPlan(config.destinations[i].folders, destinations[i], kNoSource, &groups);
  for (auto& [server, group] : groups) {
    if (server.empty()) {
      if (group.inboxes.empty()) continue;
      AddServiceFolders(root, config, &group);
    }
    CheckGroup(group.inboxes, group.writers, /*own_subfolders_ok=*/!server.empty(), sink);
  }
}

}  // namespace liitos::config_detail
