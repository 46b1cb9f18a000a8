// The metrics file after a run over the samples, read with a strict parser of the Prometheus text
// exposition format; and the logs of that run hold no henkilötunnus (G6).

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses the text format strictly: every family has HELP and TYPE before its samples, families are
// contiguous and not repeated, names and label names are valid, label values are properly quoted
// and escaped, values are numbers, and the text ends with a newline. Fails the test otherwise.
std::vector<Sample> ParseExposition(const std::string& text) {
  static const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex kLabel("[a-zA-Z_][a-zA-Z0-9_]*");
  EXPECT_TRUE(!text.empty() && text.back() == '\n');
  std::vector<Sample> out;
  std::map<std::string, std::string> types;
  std::set<std::string> finished;
  std::string current;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      std::istringstream ls(line.substr(7));
      std::string name, rest;
      ls >> name;
      std::getline(ls, rest);
      EXPECT_TRUE(std::regex_match(name, kName)) << line;
      if (name != current) {
        EXPECT_EQ(finished.count(name), 0u) << "family repeated: " << name;
        if (!current.empty()) finished.insert(current);
        current = name;
      }
      if (line[2] == 'T') {
        std::string type = rest.substr(rest.find_first_not_of(' '));
        EXPECT_TRUE(type == "counter" || type == "gauge") << line;
        EXPECT_EQ(types.count(name), 0u) << "TYPE twice: " << name;
        types[name] = type;
      }
      continue;
    }
    EXPECT_FALSE(line.empty() || line[0] == '#') << "unexpected line: '" << line << "'";
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    EXPECT_TRUE(std::regex_match(s.name, kName)) << line;
    EXPECT_EQ(s.name, current) << "sample outside its family: " << line;
    EXPECT_TRUE(types.count(s.name)) << "sample before TYPE: " << line;
    if (s.name.ends_with("_total")) {
      EXPECT_EQ(types[s.name], "counter") << line;
    }
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t eq = line.find('=', i);
        std::string lname = line.substr(i, eq - i);
        EXPECT_TRUE(std::regex_match(lname, kLabel)) << line;
        EXPECT_EQ(line[eq + 1], '"') << line;
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            ++j;
            EXPECT_TRUE(line[j] == '\\' || line[j] == '"' || line[j] == 'n') << line;
          }
          value += line[j];
        }
        EXPECT_TRUE(s.labels.emplace(lname, value).second) << "label twice: " << line;
        i = j + 1;
        if (line[i] == ',') ++i;
      }
      ++i;
    }
    EXPECT_EQ(line[i], ' ') << line;
    std::string num = line.substr(i + 1);
    size_t used = 0;
    s.value = std::stod(num, &used);
    EXPECT_EQ(used, num.size()) << line;
    out.push_back(s);
  }
  return out;
}

double Value(const std::vector<Sample>& samples, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  for (const auto& s : samples)
    if (s.name == name && s.labels == labels) return s.value;
  ADD_FAILURE() << "no sample " << name;
  return -1;
}

TEST(MetricsTest, RunOverSamplesWritesAStrictExpositionAndLogsNoPersonId) {
  ScratchDir dir;
  fs::path cfg = WriteServiceConfig(dir.path());
  std::string text = ReadAll(cfg);
  ReplaceAll(&text, "log_level = \"info\"",
             "log_level = \"debug\"\nmetrics_file = \"" + (dir.path() / "state/liitos.prom").string() + "\"");
  WriteAll(cfg, text);
  fs::copy_file(TestData() + "/samples/tilat_20261120.csv", dir.path() / "rakval/in/tilat_20261120.csv");
  fs::copy_file(TestData() + "/samples/vienti_20261121.xml", dir.path() / "ymparisto/in/vienti_20261121.xml");
  fs::copy_file(TestData() + "/samples/truncated.xml", dir.path() / "ymparisto/in/truncated.xml");
  auto r = RunLiitos({"run", "--once", "--config", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto samples = ParseExposition(ReadAll(dir.path() / "state/liitos.prom"));
  EXPECT_EQ(Value(samples, "liitos_files_received_total", {{"source", "rakval"}}), 1);
  EXPECT_EQ(Value(samples, "liitos_files_received_total", {{"source", "ymparisto"}}), 2);
  EXPECT_EQ(Value(samples, "liitos_files_quarantined_total", {{"source", "ymparisto"}}), 1);
  EXPECT_EQ(Value(samples, "liitos_records_total", {{"source", "rakval"}, {"outcome", "accepted"}}), 7);
  EXPECT_EQ(Value(samples, "liitos_records_total", {{"source", "rakval"}, {"outcome", "rejected"}}), 4);
  EXPECT_EQ(Value(samples, "liitos_records_total", {{"source", "ymparisto"}, {"outcome", "accepted"}}), 4);
  EXPECT_EQ(Value(samples, "liitos_outbox_pending", {{"destination", "outbound"}}), 0);
  EXPECT_EQ(Value(samples, "liitos_batches_total", {{"destination", "outbound"}, {"outcome", "delivered"}}), 1);
  EXPECT_GT(Value(samples, "liitos_last_delivery_timestamp_seconds", {{"destination", "outbound"}}), 1.7e9);

  // G6: the run's logs (debug level) never show the samples' henkilötunnukset.
  EXPECT_EQ(r.err.find("131052-308T"), std::string::npos);
  EXPECT_EQ(r.err.find("010203A987V"), std::string::npos);
  EXPECT_NE(r.err.find("tilat_20261120.csv"), std::string::npos);  // the logs do name the file
}

}  // namespace
}  // namespace liitos::e2e
