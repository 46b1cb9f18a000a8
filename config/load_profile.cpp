// [[profile]]: how a legacy export maps onto the interface fields (SPEC §4).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "config/interface_fields.h"
#include "config/sections.h"

namespace liitos {

const std::vector<std::string>& InterfaceFieldNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& row : InterfaceFields::kTable) v.emplace_back(row.name);
    return v;
  }();
  return names;
}

namespace config_detail {
namespace {

using Entries = std::vector<std::pair<std::string, const toml::node*>>;

bool IsInterfaceField(const std::string& name) { return InterfaceFields::SlotOf(name) != InterfaceFields::kCount; }

bool IsColumnNumber(const std::string& text) {
  if (text.empty() || text.size() > 6 || text[0] == '0') return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// One byte other than a quote or a line break; "\t" (a real tab, or backslash-t) is a tab.
void LoadDelimiter(TableReader& t, ProfileConfig* p) {
  std::string text;
  if (!t.String("delimiter", &text)) return;
  if (text == "\\t") text = "\t";
  if (text.size() != 1) {
    t.Error("delimiter", fmt::format("'{}' is not a single one-byte character (use e.g. \";\", \",\" or \"\\t\")",
                                     text));
  } else if (text[0] == '"' || text[0] == '\n' || text[0] == '\r') {
    t.Error("delimiter", "cannot be a quote or a line break");
  } else {
    p->delimiter = text[0];
  }
}

// Interface field keys of `fields` or `constants`: known names, each once.
void CheckFieldKeys(TableReader& t, const char* table, const Entries& entries) {
  std::vector<std::string> seen;
  for (const auto& [name, node] : entries) {
    std::string key = JoinKey(t.Key(table), name);
    if (!IsInterfaceField(name)) {
      t.sink()->Add(node->source(), key, fmt::format("'{}' is not an interface field", name));
    } else if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      t.sink()->Add(node->source(), key, "is mapped twice");
    }
    seen.push_back(name);
  }
}

void LoadFields(TableReader& t, ProfileConfig* p) {
  Entries entries = t.StringEntries("fields", /*allow_integers=*/true);
  CheckFieldKeys(t, "fields", entries);
  for (const auto& [name, node] : entries) {
    std::string value = EntryText(*node);
    std::string key = JoinKey(t.Key("fields"), name);
    if (value.empty()) {
      t.sink()->Add(node->source(), key, "must not be empty");
    } else if (p->format == RecordFormat::kCsv && !p->header && !IsColumnNumber(value)) {
      t.sink()->Add(node->source(), key,
                    fmt::format("'{}' is not a column number (1, 2, …), as header = false requires", value));
    } else if (node->is_integer() && (p->format != RecordFormat::kCsv || p->header)) {
      t.sink()->Add(node->source(), key,
                    p->format == RecordFormat::kCsv ? "expected a column name (a string), as header = true"
                                                    : "expected an XPath (a string)");
    }
    p->fields.emplace_back(name, value);
  }
}

void LoadStatusMap(TableReader& t, const std::vector<std::string>& codes, ProfileConfig* p) {
  const toml::table* table = t.Table("status_map");
  if (!table) return;
  for (auto&& [k, v] : *table) {
    std::string key = JoinKey(t.Key("status_map"), k.str());
    if (!v.is_string()) {
      t.sink()->Add(v.source(), key, fmt::format("expected a string, found {}", DescribeType(v)));
      continue;
    }
    const std::string& code = v.as_string()->get();
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) {
      t.sink()->Add(v.source(), key, fmt::format("'{}' is not an interface status code", code));
      continue;
    }
    p->status_map[std::string(k.str())] = code;
  }
}

void LoadConstants(TableReader& t, ProfileConfig* p) {
  Entries entries = t.StringEntries("constants");
  CheckFieldKeys(t, "constants", entries);
  for (const auto& [name, node] : entries) {
    // An init-capture: clang before 16 cannot capture a structured binding.
    auto mapped = std::find_if(p->fields.begin(), p->fields.end(),
                               [&name = name](const auto& f) { return f.first == name; });
    if (mapped != p->fields.end())
      t.sink()->Add(node->source(), JoinKey(t.Key("constants"), name), "is also mapped in fields");
    p->constants.emplace_back(name, EntryText(*node));
  }
}

void LoadNamespaces(TableReader& t, ProfileConfig* p) {
  for (const auto& [prefix, node] : t.StringEntries("namespaces")) {
    std::string uri = EntryText(*node);
    bool name_ok = !prefix.empty() && prefix.find('.') == std::string::npos && prefix.find(':') == std::string::npos;
    if (!name_ok) {
      t.sink()->Add(node->source(), JoinKey(t.Key("namespaces"), prefix), "is not a namespace prefix");
    } else if (uri.empty()) {
      t.sink()->Add(node->source(), JoinKey(t.Key("namespaces"), prefix), "must not be empty");
    }
    p->namespaces.emplace_back(prefix, uri);
  }
}

// lvCaseId, status and statusChangedAt must come from the export or from constants.
void CheckRequiredFields(TableReader& t, const ProfileConfig& p) {
  for (const char* required : {"lvCaseId", "status", "statusChangedAt"}) {
    auto has = [&](const auto& list) {
      return std::any_of(list.begin(), list.end(), [&](const auto& e) { return e.first == required; });
    };
    if (!has(p.fields) && !has(p.constants)) {
      const toml::node* fields = t.table().get("fields");
      toml::source_region where = fields ? fields->source() : t.table().source();
      t.sink()->Add(where, JoinKey(t.Key("fields"), required), "is required (map it in fields or set it in constants)");
    }
  }
}

void LoadCsvKeys(TableReader& t, ProfileConfig* p) {
  static const char* const kEncodings[] = {"utf-8", "iso-8859-1", "windows-1252"};
  int enc = 0;
  if (t.Choice("encoding", {"utf-8", "iso-8859-1", "windows-1252"}, &enc)) p->encoding = kEncodings[enc];
  LoadDelimiter(t, p);
  t.Bool("header", &p->header);
}

// format = "fetch-order" (SPEC §11): one external id a line, or a CSV with id_column.
void LoadFetchOrderProfile(TableReader& t, ProfileConfig* p) {
  if (!t.Has("id_column")) t.Forbid({"delimiter", "header"}, "applies only to a CSV order (set id_column)");
  LoadCsvKeys(t, p);
  if (const toml::node* n = t.Get("id_column")) {
    std::string column = EntryText(*n);
    if (!n->is_string() && !n->is_integer()) {
      t.Error("id_column", fmt::format("expected a column name or number, found {}", DescribeType(*n)));
    } else if (column.empty()) {
      t.Error("id_column", "must not be empty");
    } else if (!p->header && !IsColumnNumber(column)) {
      t.Error("id_column", fmt::format("'{}' is not a column number (1, 2, …), as header = false requires", column));
    } else if (p->header && n->is_integer()) {
      t.Error("id_column", "expected a column name (a string), as header = true");
    } else {
      p->id_column = column;
    }
  }
  t.Forbid({"record", "namespaces", "date_formats", "on_invalid_record", "fields", "status_map", "constants"},
           "does not apply to format = \"fetch-order\" (an order names applications to fetch)");
  t.ReportUnknown();
}

void LoadProfile(TableReader& t, const std::vector<std::string>& codes, ProfileConfig* p) {
  t.NonEmptyString("name", &p->name, true);
  int format = 0;
  if (t.Choice("format", {"csv", "xml", "fetch-order"}, &format)) p->format = static_cast<RecordFormat>(format);
  if (p->format == RecordFormat::kFetchOrder) {
    LoadFetchOrderProfile(t, p);
    return;
  }
  t.Forbid({"id_column"}, "applies only to format = \"fetch-order\"");
  if (p->format == RecordFormat::kCsv) {
    LoadCsvKeys(t, p);
    t.Forbid({"record", "namespaces"}, "applies only to format = \"xml\"");
  } else {
    t.Forbid({"encoding", "delimiter", "header"},
             "applies only to format = \"csv\"");
    if (!t.NonEmptyString("record", &p->record) && !t.Has("record")) t.Missing("record");
    LoadNamespaces(t, p);
  }
  t.StringList("date_formats", &p->date_formats);
  int on_invalid = 0;
  if (t.Choice("on_invalid_record", {"skip-record", "reject-file"}, &on_invalid))
    p->on_invalid_record = static_cast<OnInvalidRecord>(on_invalid);
  LoadFields(t, p);
  LoadStatusMap(t, codes, p);
  LoadConstants(t, p);
  CheckRequiredFields(t, *p);
  t.ReportUnknown();
}

}  // namespace

void LoadProfiles(TableReader& root, const std::vector<std::string>& status_codes,
                  std::vector<ProfileConfig>* out) {
  std::vector<std::string> names;
  ForEachTable(root, "profile", [&](const toml::table& table, const std::string& label) {
    TableReader t(table, label, root.sink());
    ProfileConfig p;
    LoadProfile(t, status_codes, &p);
    if (!p.name.empty()) CheckUnique(t, &names, p.name, "profile");
    out->push_back(std::move(p));
  });
}

}  // namespace config_detail
}  // namespace liitos
