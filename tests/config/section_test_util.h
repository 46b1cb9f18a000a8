#pragma once
// Reading one TOML table the way the config loader reads a [[source]] or [[destination]] entry,
// without the rest of a config file: the tests of config/section_reader.h and of each transport's
// key table parse a snippet with it.

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "config/section_reader.h"

namespace liitos::testing {

// Parses `toml_text` as one table labelled `label` ("source[s]") of the file "t.toml", calls
// `read(reader)`, then reports the keys that `read` left untouched as unknown. Returns every
// error, in the order they were found.
template <class Fn>
std::vector<ConfigError> ReadSection(const std::string& toml_text, const std::string& label, Fn read) {
  std::vector<ConfigError> errors;
  config_detail::ErrorSink sink("t.toml", &errors);
  const std::string file = "t.toml";
  auto parsed = toml::parse(toml_text, file);
  const toml::table& table = parsed;
  SectionReader reader(table, label, &sink);
  read(reader);
  reader.ReportUnknown();
  return errors;
}

// "t.toml:1:10: source[s].rescan: expected …" for each error, one a line.
inline std::string Lines(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

// `errors` are exactly `lines` ("t.toml:1:10: source[s].rescan: …"), in order.
inline ::testing::AssertionResult ErrorsAre(const std::vector<ConfigError>& errors,
                                            const std::vector<std::string>& lines) {
  std::string want;
  for (const auto& l : lines) want += l + "\n";
  if (Lines(errors) == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected:\n" << want << "got:\n" << Lines(errors);
}

}  // namespace liitos::testing
