// [service], [journal], [interface], and the helpers that every [[table]] loader shares.

#include <fmt/format.h>

#include <algorithm>

#include "base/text/finnish_ids.h"
#include "config/sections.h"

namespace liitos::config_detail {

void ForEachTable(TableReader& root, std::string_view key,
                  const std::function<void(const toml::table&, const std::string&)>& fn) {
  ErrorSink* sink = root.sink();
  const toml::node* n = root.Get(key);
  if (!n) return;
  if (!n->is_array()) {
    sink->Add(n->source(), std::string(key),
              fmt::format("expected an array of tables ([[{}]]), found {}", key, DescribeType(*n)));
    return;
  }
  const toml::array& arr = *n->as_array();
  for (size_t i = 0; i < arr.size(); ++i) {
    const toml::node& item = *arr.get(i);
    std::string label = fmt::format("{}[{}]", key, i + 1);
    if (!item.is_table()) {
      sink->Add(item.source(), label, fmt::format("expected a table, found {}", DescribeType(item)));
      continue;
    }
    const toml::table& t = *item.as_table();
    if (const toml::node* name = t.get("name"); name && name->is_string() && !name->as_string()->get().empty())
      label = fmt::format("{}[{}]", key, name->as_string()->get());
    fn(t, label);
  }
}

void CheckUnique(TableReader& t, std::vector<std::string>* seen, const std::string& name, const char* what) {
  if (std::find(seen->begin(), seen->end(), name) != seen->end()) {
    t.Error("name", fmt::format("another {} is already named '{}'", what, name));
    return;
  }
  seen->push_back(name);
}

namespace {
// checkpoint_key, checkpoint_dir, checkpoint_interval (SPEC §7).
void LoadCheckpointKeys(TableReader& t, ServiceConfig* out) {
  if (t.OptString("checkpoint_key", &out->checkpoint_key)) {
    const std::string& key = *out->checkpoint_key;
    bool credential_name = key.find('/') == std::string::npos && key != "." && key != "..";
    if (key.front() != '/' && !credential_name)
      t.Error("checkpoint_key", fmt::format("'{}' is neither an absolute path nor a systemd credential name", key));
  }
  t.OptString("checkpoint_dir", &out->checkpoint_dir);
  t.Duration("checkpoint_interval", &out->checkpoint_interval);
  if (t.Has("checkpoint_key") && !t.Has("checkpoint_dir"))
    t.ErrorAtTable("checkpoint_dir", "is required when checkpoint_key is set");
  if (t.Has("checkpoint_dir") && !t.Has("checkpoint_key"))
    t.ErrorAtTable("checkpoint_key", "is required when checkpoint_dir is set");
}
}  // namespace

void LoadService(TableReader& root, ServiceConfig* out) {
  const toml::table* table = root.Table("service");
  if (!table) return;
  TableReader t(*table, "service", root.sink());
  t.NonEmptyString("state_dir", &out->state_dir);
  static const char* const kLevels[] = {"error", "warn", "info", "debug"};
  int level = 0;
  if (t.Choice("log_level", {"error", "warn", "info", "debug"}, &level)) out->log_level = kLevels[level];
  t.OptString("metrics_file", &out->metrics_file);
  LoadCheckpointKeys(t, out);
  t.ReportUnknown();
}

void LoadJournal(TableReader& root, JournalConfig* out) {
  const toml::table* table = root.Table("journal");
  if (!table) return;
  TableReader t(*table, "journal", root.sink());
  t.Duration("payload_retention", &out->payload_retention, /*allow_zero=*/true);
  t.ReportUnknown();
}

namespace {
// INSTANCE/CLASS/MEMBER/SUBSYSTEM with a Y-tunnus as MEMBER. Returns the problem, or "".
std::string CheckXroadClient(const std::string& id) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = id.find('/', start);
    parts.push_back(id.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 4 || std::any_of(parts.begin(), parts.end(), [](const auto& p) { return p.empty(); }))
    return fmt::format("'{}' is not INSTANCE/CLASS/MEMBER/SUBSYSTEM (e.g. FI/MUN/0204819-8/liitos)", id);
  if (!IsValidBusinessId(parts[2]))
    return fmt::format("member code '{}' is not a valid Y-tunnus (NNNNNNN-C with a correct check digit)",
                       parts[2]);
  return "";
}
}  // namespace

void LoadInterface(TableReader& root, InterfaceConfig* out) {
  const toml::table* table = root.Table("interface");
  if (!table) {
    if (!root.Has("interface")) root.sink()->AddAt(1, 1, "interface.xroad_client", "is required");
    return;
  }
  TableReader t(*table, "interface", root.sink());
  if (t.NonEmptyString("xroad_client", &out->xroad_client, true)) {
    if (std::string problem = CheckXroadClient(out->xroad_client); !problem.empty())
      t.Error("xroad_client", problem);
  }
  std::vector<std::string> codes;
  if (t.StringList("status_codes", &codes)) {
    std::vector<std::string> seen;
    for (const std::string& code : codes) {
      if (std::find(seen.begin(), seen.end(), code) != seen.end())
        t.Error("status_codes", fmt::format("'{}' is listed twice", code));
      seen.push_back(code);
    }
    out->status_codes = std::move(codes);
  }
  t.ReportUnknown();
}

}  // namespace liitos::config_detail
