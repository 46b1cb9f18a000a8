#pragma once
// Internal to config/: typed access to one TOML table that records every problem as a
// ConfigError (with the node's line and column and the dotted key) instead of stopping at the
// first one, and remembers which keys were read so that the rest can be reported as unknown.

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"

namespace liitos::config_detail {

// Collects the errors of one load.
class ErrorSink {
 public:
  ErrorSink(std::string file, std::vector<ConfigError>* errors) : file_(std::move(file)), errors_(errors) {}
  void Add(const toml::source_region& where, std::string key, std::string message);
  void AddAt(int line, int column, std::string key, std::string message);
  size_t count() const { return errors_->size(); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<ConfigError>* errors_;
};

// The TOML type name of a node for messages: "a string", "an integer", …
std::string DescribeType(const toml::node& node);

// The text of a string node, or the decimal digits of an integer node.
std::string EntryText(const toml::node& node);

// Joins a dotted key path: Join("source[rakval]", "settle") == "source[rakval].settle".
std::string JoinKey(const std::string& prefix, std::string_view key);

class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, ErrorSink* sink)
      : table_(table), path_(std::move(path)), sink_(sink) {}
  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;

  const std::string& path() const { return path_; }
  const toml::table& table() const { return table_; }
  ErrorSink* sink() const { return sink_; }
  std::string Key(std::string_view key) const { return JoinKey(path_, key); }

  // The node at `key` (marking the key as known), or nullptr when absent.
  const toml::node* Get(std::string_view key);
  bool Has(std::string_view key) const { return table_.contains(key); }
  // Marks keys as known without reading them.
  void Allow(const std::vector<std::string_view>& keys);
  // Reports each present key of `keys` as not applying here (e.g. a dir key on an sftp source).
  void Forbid(const std::vector<std::string_view>& keys, const std::string& why);

  // Each getter leaves *out unchanged when the key is absent (the default stays) and returns
  // whether a valid value was read; type and value problems are recorded.
  bool String(std::string_view key, std::string* out, bool required = false);
  bool OptString(std::string_view key, std::optional<std::string>* out);
  bool NonEmptyString(std::string_view key, std::string* out, bool required = false);
  bool Bool(std::string_view key, bool* out);
  bool Int(std::string_view key, int64_t min, int64_t max, int64_t* out);
  bool Duration(std::string_view key, Millis* out, bool allow_zero = false);
  bool Size(std::string_view key, uint64_t* out);
  bool StringList(std::string_view key, std::vector<std::string>* out, bool allow_empty_list = false);
  // A string that must be one of `choices`; *out gets its index.
  bool Choice(std::string_view key, const std::vector<std::string_view>& choices, int* out,
              bool required = false);
  // A sub-table; nullptr (with an error if it is something else) when absent.
  const toml::table* Table(std::string_view key);
  // The string entries of a sub-table in file order (nested tables are flattened with dotted
  // keys, so `decision.date = "x"` and `"decision.date" = "x"` mean the same). Non-strings are
  // errors (integers too, unless `allow_integers`; see EntryText). Each entry carries the value
  // node for positions.
  std::vector<std::pair<std::string, const toml::node*>> StringEntries(std::string_view key,
                                                                       bool allow_integers = false);

  // Errors about this table.
  void Error(std::string_view key, std::string message);           // at the value, else the table
  void ErrorAtTable(std::string_view key, std::string message);    // at the table
  void Missing(std::string_view key) { ErrorAtTable(key, "is required"); }
  // Reports every key that no getter, Allow or Forbid touched.
  void ReportUnknown();

 private:
  bool Expect(const toml::node& node, std::string_view key, toml::node_type type, const char* what);

  const toml::table& table_;
  std::string path_;
  ErrorSink* sink_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace liitos::config_detail
