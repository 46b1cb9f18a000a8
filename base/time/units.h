#pragma once
// Durations ("500ms", "5s", "15m", "2h", "1d") and sizes ("10MiB", "1GiB", "512KiB", "100") as
// the configuration writes them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time/clock.h"

namespace liitos {

std::optional<Millis> ParseDuration(std::string_view text);
std::optional<uint64_t> ParseSize(std::string_view text);
std::string FormatDuration(Millis d);  // "5s", "1m30s", "250ms"

}  // namespace liitos
