#pragma once
// Loading the configuration for a subcommand: errors go to stderr, one per line.

#include <optional>
#include <string>

#include "config/config.h"

namespace liitos {

// LoadConfig() with the kinds of sources and destinations of transports/registry.cpp, whose
// transports parse their own keys.
LoadResult LoadConfigWithTransports(const std::string& path);

// Loads `path`; on errors prints every one to stderr and returns nullopt (exit code 2).
std::optional<Config> LoadConfigOrReport(const std::string& path);

// {state_dir}/journal.db
std::string JournalPath(const Config& cfg);

}  // namespace liitos
