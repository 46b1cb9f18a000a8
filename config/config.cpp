#include "config/config.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/fs.h"
#include "config/sections.h"
#include "config/toml_reader.h"

namespace liitos {
namespace {

template <class T>
const T* FindNamed(const std::vector<T>& list, const std::string& name) {
  auto it = std::find_if(list.begin(), list.end(), [&](const T& item) { return item.name == name; });
  return it == list.end() ? nullptr : &*it;
}

// Parses the text; on a syntax error records it (toml++ stops at the first) and returns nullopt.
std::optional<toml::table> ParseToml(const std::string& text, const std::string& label,
                                     config_detail::ErrorSink* sink) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    sink->Add(e.source(), "", fmt::format("TOML syntax error: {}", e.description()));
    return std::nullopt;
  }
#else
  toml::parse_result result = toml::parse(text, label);
  if (!result) {
    sink->Add(result.error().source(), "", fmt::format("TOML syntax error: {}", result.error().description()));
    return std::nullopt;
  }
  return std::move(result).table();
#endif
}

void LoadAll(const toml::table& root_table, const KindSpecs& kinds, config_detail::ErrorSink* sink, Config* config) {
  using namespace config_detail;
  TableReader root(root_table, "", sink);
  LoadService(root, &config->service);
  LoadJournal(root, &config->journal);
  LoadInterface(root, &config->interface);
  LoadProfiles(root, config->interface.status_codes, &config->profiles);
  LoadDestinations(root, kinds, &config->destinations);
  LoadSources(root, *config, kinds, &config->sources);
  LoadImportProfiles(root, &config->import_profiles);
  LoadFeeds(root, *config, kinds, &config->feeds);
  CheckFolderOverlaps(root_table, *config, sink);
  root.ReportUnknown();
}

}  // namespace

std::string ConfigError::ToString() const {
  if (key.empty()) return fmt::format("{}:{}:{}: {}", file, line, column, message);
  return fmt::format("{}:{}:{}: {}: {}", file, line, column, key, message);
}

const ProfileConfig* Config::FindProfile(const std::string& name) const { return FindNamed(profiles, name); }
const SourceConfig* Config::FindSource(const std::string& name) const { return FindNamed(sources, name); }
const DestinationConfig* Config::FindDestination(const std::string& name) const {
  return FindNamed(destinations, name);
}

const FeedConfig* Config::FindFeed(const std::string& name) const { return FindNamed(feeds, name); }
const ImportProfileConfig* Config::FindImportProfile(const std::string& name) const {
  return FindNamed(import_profiles, name);
}
const FeedConfig* Config::FeedOfOrders(const std::string& source) const {
  auto it = std::find_if(feeds.begin(), feeds.end(), [&](const FeedConfig& f) { return f.orders == source; });
  return it == feeds.end() ? nullptr : &*it;
}

bool Config::IsFeedOutput(const std::string& destination) const {
  return std::any_of(feeds.begin(), feeds.end(), [&](const FeedConfig& f) { return f.output == destination; });
}

LoadResult LoadConfigFromString(const std::string& toml_text, const std::string& file_label,
                                const KindSpecs& kinds) {
  LoadResult result;
  config_detail::ErrorSink sink(file_label, &result.errors);
  std::optional<toml::table> table = ParseToml(toml_text, file_label, &sink);
  if (!table) return result;
  Config config;
  config.file = file_label;
  LoadAll(*table, kinds, &sink, &config);
  // Report in file order, whichever check found the problem.
  std::stable_sort(result.errors.begin(), result.errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

LoadResult LoadConfig(const std::string& path, const KindSpecs& kinds) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    LoadResult result;
    config_detail::ErrorSink(path, &result.errors)
        .AddAt(1, 1, "", fmt::format("cannot read the config file: {}", text.status().message()));
    return result;
  }
  return LoadConfigFromString(*text, path, kinds);
}

}  // namespace liitos
