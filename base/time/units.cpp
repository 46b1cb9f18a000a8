#include "base/time/units.h"

#include <cctype>

namespace liitos {
namespace {
// Splits "15m" into 15 and "m". Returns false if there is no leading number.
bool SplitNumber(std::string_view text, uint64_t* number, std::string_view* unit) {
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > (UINT64_MAX - 9) / 10) return false;
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return false;
  *number = n;
  *unit = text.substr(i);
  return true;
}
}  // namespace

std::optional<Millis> ParseDuration(std::string_view text) {
  // A sequence of number+unit parts: "1h30m", "500ms".
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  while (!text.empty()) {
    uint64_t n;
    std::string_view rest;
    if (!SplitNumber(text, &n, &rest)) return std::nullopt;
    size_t ulen = 0;
    while (ulen < rest.size() && std::isalpha(static_cast<unsigned char>(rest[ulen]))) ++ulen;
    std::string_view unit = rest.substr(0, ulen);
    int64_t mult;
    if (unit == "ms") mult = 1;
    else if (unit == "s") mult = 1000;
    else if (unit == "m" || unit == "min") mult = 60'000;
    else if (unit == "h") mult = 3'600'000;
    else if (unit == "d") mult = 86'400'000;
    else return std::nullopt;
    if (n > static_cast<uint64_t>(INT64_MAX / mult / 2)) return std::nullopt;
    int64_t part = static_cast<int64_t>(n) * mult;
    if (total > INT64_MAX / 2 - part) return std::nullopt;  // the sum of the parts must fit too
    total += part;
    text = rest.substr(ulen);
  }
  return Millis(total);
}

std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t n;
  std::string_view unit;
  if (!SplitNumber(text, &n, &unit)) return std::nullopt;
  uint64_t mult;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB" || unit == "K") mult = 1ull << 10;
  else if (unit == "MiB" || unit == "M") mult = 1ull << 20;
  else if (unit == "GiB" || unit == "G") mult = 1ull << 30;
  else if (unit == "TiB" || unit == "T") mult = 1ull << 40;
  else if (unit == "kB" || unit == "KB") mult = 1000;
  else if (unit == "MB") mult = 1000'000;
  else if (unit == "GB") mult = 1000'000'000;
  else return std::nullopt;
  if (n > UINT64_MAX / mult) return std::nullopt;
  return n * mult;
}

std::string FormatDuration(Millis d) {
  int64_t ms = d.count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  int64_t s = ms / 1000;
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h", s %= 3600;
  if (s >= 60) out += std::to_string(s / 60) + "m", s %= 60;
  if (s > 0 || out.empty()) out += std::to_string(s) + "s";
  return out;
}

}  // namespace liitos
