#include "daemon/load.h"

#include <iostream>

#include "transports/registry.h"

namespace liitos {

LoadResult LoadConfigWithTransports(const std::string& path) { return LoadConfig(path, TransportKinds()); }

std::optional<Config> LoadConfigOrReport(const std::string& path) {
  LoadResult r = LoadConfigWithTransports(path);
  if (!r.errors.empty()) {
    for (const auto& e : r.errors) std::cerr << e.ToString() << "\n";
    std::cerr << path << ": " << r.errors.size() << (r.errors.size() == 1 ? " error" : " errors") << "\n";
    return std::nullopt;
  }
  return std::move(r.config);
}

std::string JournalPath(const Config& cfg) { return cfg.service.state_dir + "/journal.db"; }

}  // namespace liitos
