#pragma once
// What config/ needs to know about the kinds of [[source]] and [[destination]]: their names, the
// keys each kind owns, and the function that parses them. config/ knows no transport; the caller
// of LoadConfig passes the table (transports/registry.cpp builds it from its one table of
// transports), so adding a transport touches its own folder and the registry, not config/.

#include <any>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace liitos {

namespace config_detail {
class TableReader;
}
using SectionReader = config_detail::TableReader;  // config/section_reader.h

struct SourceConfig;
struct DestinationConfig;

struct SourceKindSpec {
  std::string_view kind;               // the value of `kind`: "dir"
  std::vector<std::string_view> keys;  // the keys only this kind has (another kind's source refuses them)
  // Reads the kind's keys from the entry's table into cfg->settings, sets the defaults of common
  // keys that depend on the kind (receipts), and fills cfg->folders. Runs after the common keys
  // are read; records problems in `t` and does not report unknown keys (the caller does).
  std::function<void(SectionReader& t, SourceConfig* cfg)> parse;
};

struct DestinationKindSpec {
  std::string_view kind;
  std::vector<std::string_view> keys;
  std::function<void(SectionReader& t, DestinationConfig* cfg)> parse;
  bool takes_import_files = false;  // may be a [[feed]]'s output (SPEC §11)
};

struct KindSpecs {
  std::vector<SourceKindSpec> sources;            // in the order messages list them
  std::vector<DestinationKindSpec> destinations;
};

// The settings a kind's parser stored in SourceConfig::settings or DestinationConfig::settings;
// the defaults of T when none of that type are there (a config built in code, not parsed).
template <class T>
const T& KindSettings(const std::any& settings) {
  static const T kDefaults{};
  const T* s = std::any_cast<T>(&settings);
  return s ? *s : kDefaults;
}

// The same, to fill in: a config built in code (tests) sets a kind's keys through it. Stores the
// defaults of T first when `settings` holds no T.
template <class T>
T& MutableKindSettings(std::any& settings) {
  if (!std::any_cast<T>(&settings)) settings = T{};
  return *std::any_cast<T>(&settings);
}

}  // namespace liitos
