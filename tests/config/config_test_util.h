#pragma once
// Helpers for the config tests: a small valid config whose parts a test changes one at a time,
// and assertions over the collected errors.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "transports/registry.h"

namespace liitos::testing {

// A minimal valid config. The `#…` marker lines are where With() adds keys to each table; the
// destination's kind is written 'dir' (a literal string) so that it differs from the source's.
inline const char* const kMinimalConfig = R"(
[interface]
xroad_client = "FI/MUN/0204819-8/liitos"
#INTERFACE

[[source]]
name = "s"
kind = "dir"
path = "/srv/x/in"
profile = "p"
#SOURCE

[[profile]]
name = "p"
#PROFILE

[profile.fields]
lvCaseId = "A"
status = "B"
statusChangedAt = "C"
#FIELDS

[[destination]]
name = "d"
kind = 'dir'
path = "/out"
interval = "10m"
#DEST
)";

// Replaces the single occurrence of `from` in `text` with `to` (fails the test if not exactly one).
inline std::string ReplaceOnce(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    ADD_FAILURE() << "'" << from << "' does not occur exactly once in the test config";
    return text;
  }
  return text.replace(at, from.size(), to);
}

// kMinimalConfig with each (from, to) applied: With({{"#SOURCE", "settle = \"x\""}}).
inline std::string With(const std::vector<std::pair<std::string, std::string>>& edits,
                        std::string base = kMinimalConfig) {
  for (const auto& [from, to] : edits) base = ReplaceOnce(base, from, to);
  return base;
}

inline LoadResult Load(const std::string& text) { return LoadConfigFromString(text, "test.toml", TransportKinds()); }

inline std::string Dump(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e.ToString() + "\n";
  return out.empty() ? "  (no errors)\n" : out;
}

// True when some error has this key and its message contains `text`.
inline ::testing::AssertionResult HasError(const LoadResult& r, const std::string& key, const std::string& text) {
  for (const auto& e : r.errors)
    if (e.key == key && e.message.find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no error '" << key << ": …" << text << "…' among:\n" << Dump(r.errors);
}

// The config is refused with exactly this one error.
inline ::testing::AssertionResult OnlyError(const LoadResult& r, const std::string& key, const std::string& text) {
  if (r.errors.size() != 1 || r.config.has_value())
    return ::testing::AssertionFailure() << "expected exactly one error, got:\n" << Dump(r.errors);
  return HasError(r, key, text);
}

inline ::testing::AssertionResult LoadsCleanly(const LoadResult& r) {
  if (r.errors.empty() && r.config.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected no errors, got:\n" << Dump(r.errors);
}

}  // namespace liitos::testing
