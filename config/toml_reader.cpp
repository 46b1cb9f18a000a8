#include "config/toml_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/time/units.h"

namespace liitos::config_detail {

void ErrorSink::Add(const toml::source_region& where, std::string key, std::string message) {
  AddAt(static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), std::move(key),
        std::move(message));
}

void ErrorSink::AddAt(int line, int column, std::string key, std::string message) {
  ConfigError e;
  e.file = file_;
  e.line = line > 0 ? line : 1;
  e.column = column > 0 ? column : 1;
  e.key = std::move(key);
  e.message = std::move(message);
  errors_->push_back(std::move(e));
}

std::string DescribeType(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

std::string EntryText(const toml::node& node) {
  if (node.is_integer()) return std::to_string(node.as_integer()->get());
  if (node.is_string()) return node.as_string()->get();
  return "";
}

std::string JoinKey(const std::string& prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  return prefix + "." + std::string(key);
}

const toml::node* TableReader::Get(std::string_view key) {
  known_.emplace(key);
  return table_.get(key);
}

void TableReader::Allow(const std::vector<std::string_view>& keys) {
  for (std::string_view k : keys) known_.emplace(k);
}

void TableReader::Forbid(const std::vector<std::string_view>& keys, const std::string& why) {
  for (std::string_view k : keys) {
    if (known_.count(k)) continue;
    known_.emplace(k);
    if (const toml::node* n = table_.get(k)) sink_->Add(n->source(), Key(k), why);
  }
}

bool TableReader::Expect(const toml::node& node, std::string_view key, toml::node_type type, const char* what) {
  if (node.type() == type) return true;
  sink_->Add(node.source(), Key(key), fmt::format("expected {}, found {}", what, DescribeType(node)));
  return false;
}

bool TableReader::String(std::string_view key, std::string* out, bool required) {
  const toml::node* n = Get(key);
  if (!n) {
    if (required) Missing(key);
    return false;
  }
  if (!Expect(*n, key, toml::node_type::string, "a string")) return false;
  *out = n->as_string()->get();
  return true;
}

bool TableReader::OptString(std::string_view key, std::optional<std::string>* out) {
  std::string s;
  if (!NonEmptyString(key, &s)) return false;
  *out = std::move(s);
  return true;
}

bool TableReader::NonEmptyString(std::string_view key, std::string* out, bool required) {
  std::string s;
  if (!String(key, &s, required)) return false;
  if (s.empty()) {
    Error(key, "must not be empty");
    return false;
  }
  *out = std::move(s);
  return true;
}

bool TableReader::Bool(std::string_view key, bool* out) {
  const toml::node* n = Get(key);
  if (!n || !Expect(*n, key, toml::node_type::boolean, "true or false")) return false;
  *out = n->as_boolean()->get();
  return true;
}

bool TableReader::Int(std::string_view key, int64_t min, int64_t max, int64_t* out) {
  const toml::node* n = Get(key);
  if (!n || !Expect(*n, key, toml::node_type::integer, "an integer")) return false;
  int64_t v = n->as_integer()->get();
  if (v < min || v > max) {
    Error(key, fmt::format("{} is out of range {}..{}", v, min, max));
    return false;
  }
  *out = v;
  return true;
}

bool TableReader::Duration(std::string_view key, Millis* out, bool allow_zero) {
  const toml::node* n = Get(key);
  if (!n || !Expect(*n, key, toml::node_type::string, "a duration string such as \"5s\" or \"15m\""))
    return false;
  const std::string& text = n->as_string()->get();
  std::optional<Millis> d = ParseDuration(text);
  if (!d) {
    Error(key, fmt::format("'{}' is not a duration (use e.g. 500ms, 5s, 15m, 2h, 1d)", text));
    return false;
  }
  if (!allow_zero && d->count() == 0) {
    Error(key, "must be longer than zero");
    return false;
  }
  *out = *d;
  return true;
}

bool TableReader::Size(std::string_view key, uint64_t* out) {
  const toml::node* n = Get(key);
  if (!n) return false;
  std::optional<uint64_t> size;
  if (n->is_integer()) {
    int64_t v = n->as_integer()->get();
    if (v >= 0) size = static_cast<uint64_t>(v);
  } else if (n->is_string()) {
    size = ParseSize(n->as_string()->get());
  } else {
    return Expect(*n, key, toml::node_type::string, "a size such as \"10MiB\"");
  }
  if (!size || *size == 0) {
    Error(key, "is not a positive size (use e.g. 512KiB, 10MiB, 1GiB, or a byte count)");
    return false;
  }
  *out = *size;
  return true;
}

bool TableReader::StringList(std::string_view key, std::vector<std::string>* out, bool allow_empty_list) {
  const toml::node* n = Get(key);
  if (!n || !Expect(*n, key, toml::node_type::array, "an array of strings")) return false;
  const toml::array& arr = *n->as_array();
  std::vector<std::string> values;
  bool ok = true;
  for (size_t i = 0; i < arr.size(); ++i) {
    const toml::node& item = *arr.get(i);
    std::string item_key = fmt::format("{}[{}]", key, i);
    if (!item.is_string()) {
      sink_->Add(item.source(), Key(item_key), fmt::format("expected a string, found {}", DescribeType(item)));
      ok = false;
    } else if (item.as_string()->get().empty()) {
      sink_->Add(item.source(), Key(item_key), "must not be empty");
      ok = false;
    } else {
      values.push_back(item.as_string()->get());
    }
  }
  if (ok && values.empty() && !allow_empty_list) {
    Error(key, "must not be an empty list");
    return false;
  }
  if (ok) *out = std::move(values);
  return ok;
}

bool TableReader::Choice(std::string_view key, const std::vector<std::string_view>& choices, int* out,
                         bool required) {
  std::string s;
  if (!String(key, &s, required)) return false;
  int i = 0;
  for (std::string_view c : choices) {
    if (s == c) {
      *out = i;
      return true;
    }
    ++i;
  }
  std::string list;
  for (std::string_view c : choices) list += (list.empty() ? "" : " | ") + std::string(c);
  Error(key, fmt::format("'{}' is not one of {}", s, list));
  return false;
}

const toml::table* TableReader::Table(std::string_view key) {
  const toml::node* n = Get(key);
  if (!n || !Expect(*n, key, toml::node_type::table, "a table")) return nullptr;
  return n->as_table();
}

namespace {
void Flatten(const toml::table& t, const std::string& prefix, const std::string& path, bool allow_integers,
             ErrorSink* sink, std::vector<std::pair<std::string, const toml::node*>>* out) {
  for (auto&& [k, v] : t) {
    std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (v.is_table()) {
      Flatten(*v.as_table(), name, path, allow_integers, sink, out);
    } else if (!v.is_string() && !(allow_integers && v.is_integer())) {
      sink->Add(v.source(), JoinKey(path, name), fmt::format("expected a string, found {}", DescribeType(v)));
    } else {
      out->emplace_back(name, &v);
    }
  }
}
}  // namespace

std::vector<std::pair<std::string, const toml::node*>> TableReader::StringEntries(std::string_view key,
                                                                                  bool allow_integers) {
  std::vector<std::pair<std::string, const toml::node*>> entries;
  const toml::table* t = Table(key);
  if (!t) return entries;
  Flatten(*t, "", Key(key), allow_integers, sink_, &entries);
  // toml++ keeps keys sorted; the file order is the order of their positions.
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.second->source().begin;
    const auto& pb = b.second->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

void TableReader::Error(std::string_view key, std::string message) {
  if (const toml::node* n = table_.get(key)) {
    sink_->Add(n->source(), Key(key), std::move(message));
  } else {
    ErrorAtTable(key, std::move(message));
  }
}

void TableReader::ErrorAtTable(std::string_view key, std::string message) {
  sink_->Add(table_.source(), Key(key), std::move(message));
}

void TableReader::ReportUnknown() {
  for (auto&& [k, v] : table_) {
    if (known_.count(k.str())) continue;
    const toml::source_region& where = k.source().begin.line > 0 ? k.source() : v.source();
    sink_->Add(where, Key(k.str()), "unknown key");
  }
}

}  // namespace liitos::config_detail
