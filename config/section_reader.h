#pragma once
// The typed section reader that plugins parse their own keys through (STYLE.md practice 7; the
// model is fluent-bit's `config_map[]`). A transport declares its keys in one table beside its
// code — name, the field of its settings struct that the value goes into, whether it is
// required, the rule its value must follow and a line of help — and reads a TOML table with
// ReadKeys(). Every problem becomes a ConfigError "FILE:LINE:COLUMN: KEY: message" at the value's
// position (toml++ source regions); reading goes on after an error so that `liitos check` lists
// them all. Keys a table does not declare are reported as unknown by the loader of the section.
//
// config/ knows no transport: it calls the parser that the caller's kind table (config/kinds.h)
// names for each [[source]] and [[destination]] entry.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "base/time/clock.h"
#include "config/toml_reader.h"

namespace liitos {

// One TOML table being read: typed getters that record errors, plus Error() for checks that span
// keys. Not thread-safe; lives for one load.
using SectionReader = config_detail::TableReader;

// One key that a plugin declares. The type of `field` decides what the value must be:
//   std::string                 a string; non-empty unless `allow_empty`
//   std::optional<std::string>  a non-empty string, absent = nullopt
//   bool                        true or false
//   int                         an integer in min..max
//   Millis                      a duration ("500ms", "5s", "15m", "2h", "1d"); > 0 unless `allow_empty`
//   uint64_t                    a positive size ("10MiB" or a byte count)
//   std::vector<std::string>    an array of non-empty strings; not empty unless `allow_empty`
// `check` (strings only) returns what is wrong with a value that has the right type, or "".
template <class S>
struct ConfigKey {
  using Field = std::variant<std::string S::*, std::optional<std::string> S::*, bool S::*, int S::*, Millis S::*,
                             uint64_t S::*, std::vector<std::string> S::*>;
  std::string_view name = {};
  Field field = {};
  bool required = false;
  std::string_view help = {};  // what the key is for, for whoever reads or edits the table
  int64_t min = std::numeric_limits<int>::min();
  int64_t max = std::numeric_limits<int>::max();
  bool allow_empty = false;
  std::string (*check)(const std::string& value) = nullptr;
};

template <class S>
using ConfigKeys = std::vector<ConfigKey<S>>;

// The names of `keys`, in table order (for the kind table: which keys belong to which kind).
template <class S>
std::vector<std::string_view> KeyNames(const ConfigKeys<S>& keys) {
  std::vector<std::string_view> names;
  names.reserve(keys.size());
  for (const auto& k : keys) names.push_back(k.name);
  return names;
}

// Reads every key of `keys` from `t` into `out`. An absent key leaves its field at the struct's
// default (an error when `required`); a present one that is wrong is recorded and leaves the
// field unchanged. Returns whether no key of the table had a problem.
template <class S>
bool ReadKeys(SectionReader& t, const ConfigKeys<S>& keys, S* out) {
  const size_t errors_before = t.sink()->count();
  for (const ConfigKey<S>& k : keys) {
    if (k.required && !t.Has(k.name)) {
      t.Get(k.name);  // known, and reported once as missing
      t.Missing(k.name);
      continue;
    }
    std::visit(
        [&](auto member) {
          auto& field = out->*member;
          using T = std::remove_reference_t<decltype(field)>;
          if constexpr (std::is_same_v<T, std::string>) {
            std::string v;
            bool ok = k.allow_empty ? t.String(k.name, &v) : t.NonEmptyString(k.name, &v);
            if (!ok) return;
            if (std::string problem = k.check ? k.check(v) : ""; !problem.empty()) return t.Error(k.name, problem);
            field = std::move(v);
          } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
            std::optional<std::string> v;
            if (!t.OptString(k.name, &v)) return;
            if (std::string problem = k.check ? k.check(*v) : ""; !problem.empty()) return t.Error(k.name, problem);
            field = std::move(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            t.Bool(k.name, &field);
          } else if constexpr (std::is_same_v<T, int>) {
            int64_t v = field;
            if (t.Int(k.name, k.min, k.max, &v)) field = static_cast<int>(v);
          } else if constexpr (std::is_same_v<T, Millis>) {
            t.Duration(k.name, &field, k.allow_empty);
          } else if constexpr (std::is_same_v<T, uint64_t>) {
            t.Size(k.name, &field);
          } else {
            static_assert(std::is_same_v<T, std::vector<std::string>>, "a ConfigKey field of an unknown type");
            t.StringList(k.name, &field, k.allow_empty);
          }
        },
        k.field);
  }
  return t.sink()->count() == errors_before;
}

}  // namespace liitos
