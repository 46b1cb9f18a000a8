// The CLI through the real binary: convert reproduces the sample outcomes (golden files), check
// accepts the normative example and lists every error of a bad config.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { cfg_ = WriteServiceConfig(dir_.path()); }
  std::string Sample(const std::string& name) { return TestData() + "/samples/" + name; }
  ScratchDir dir_;
  fs::path cfg_;
};

TEST_F(CliTest, ConvertCsvSampleMatchesExpectedOutcomes) {
  auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "rakval-csv", Sample("tilat_20261120.csv")});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  auto accepted = JsonLines(r.out);
  std::vector<std::string> ids;
  for (const auto& j : accepted) ids.push_back(j["lvCaseId"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"LV-2026-000101", "LV-2026-000102", "LV-2026-000103", "LV-2026-000104",
                                           "LV-2026-000105", "LV-2026-000106", "LV-2026-000110"}));
  auto rejected = JsonLines(r.err);
  ASSERT_EQ(rejected.size(), 4u) << r.err;
  std::vector<int> rows;
  for (const auto& j : rejected) {
    rows.push_back(j["record"]);
    EXPECT_EQ(j["file"], "tilat_20261120.csv");
  }
  EXPECT_EQ(rows, (std::vector<int>{7, 8, 9, 11}));
  EXPECT_NE(rejected[0]["reason"].get<std::string>().find("unknown status '99'"), std::string::npos);
  EXPECT_NE(rejected[1]["reason"].get<std::string>().find("'31.02.2026' is not a date"), std::string::npos);
  EXPECT_EQ(rejected[2]["field"], "customer.businessId");
  EXPECT_EQ(rejected[3]["field"], "decision.date");
  // The € and the multi-line quoted field survive windows-1252 decoding.
  EXPECT_EQ(accepted[3]["message"]["fi"], "Lupa myönnetty.\r\nLupamaksu 350 € laskutetaan erikseen.");
  EXPECT_EQ(accepted[3]["statusChangedAt"], "2026-11-20T14:05:00+02:00");
  EXPECT_EQ(accepted[3]["decision"]["date"], "2026-11-20");
  EXPECT_EQ(accepted[5]["message"]["fi"], "Lausuntopyyntö lähetetty \"ELY-keskukselle\".");
  // A henkilötunnus may travel in the payload, never in a rejection.
  EXPECT_EQ(accepted[1]["customer"]["personId"], "131052-308T");
  EXPECT_EQ(r.err.find("131052-308T"), std::string::npos);
  EXPECT_EQ(r.err.find("010203A987V"), std::string::npos);
}

TEST_F(CliTest, ConvertOutputsMatchGoldenFiles) {
  for (const auto& [profile, file] : std::vector<std::pair<std::string, std::string>>{
           {"rakval-csv", "tilat_20261120.csv"}, {"ymparisto-xml", "vienti_20261121.xml"}}) {
    auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", profile, Sample(file)});
    EXPECT_EQ(r.exit_code, 3);
    std::string golden = TestData() + "/golden/" + file;
    if (std::getenv("LIITOS_UPDATE_GOLDEN")) {
      WriteAll(golden + ".out.jsonl", r.out);
      WriteAll(golden + ".err.jsonl", r.err);
    }
    EXPECT_EQ(r.out, ReadAll(golden + ".out.jsonl")) << file;
    EXPECT_EQ(r.err, ReadAll(golden + ".err.jsonl")) << file;
  }
}

TEST_F(CliTest, ConvertXmlSample) {
  auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "ymparisto-xml", Sample("vienti_20261121.xml")});
  EXPECT_EQ(r.exit_code, 3);
  auto accepted = JsonLines(r.out);
  ASSERT_EQ(accepted.size(), 4u);
  EXPECT_EQ(accepted[2]["lvCaseId"], "LV-2026-000203");
  EXPECT_EQ(accepted[2]["decision"]["code"], "myönteinen");
  EXPECT_EQ(accepted[2]["message"]["sv"], "Ärendet har behandlats.");
  EXPECT_EQ(accepted[0]["municipalityCode"], "091");
  auto rejected = JsonLines(r.err);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["record"], 4);
  EXPECT_EQ(rejected[0]["field"], "lvCaseId");
}

TEST_F(CliTest, ConvertRefusesDoctypeAndTruncatedFilesAsAWhole) {
  for (const char* f : {"doctype_refused.xml", "truncated.xml"}) {
    auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "ymparisto-xml", Sample(f)});
    EXPECT_EQ(r.exit_code, 3) << f;
    EXPECT_EQ(r.out, "") << f;
    auto rejected = JsonLines(r.err);
    ASSERT_EQ(rejected.size(), 1u) << f;
    EXPECT_EQ(rejected[0]["record"], 0);
  }
}

TEST_F(CliTest, ConvertAllAcceptedExitsZeroAndUnknownProfileIsUsageError) {
  WriteAll(dir_.path() / "ok.csv", RakvalCsv({{"LV-1", "10", "02.11.2026 09:15"}, {"LV-2", "20", "03.11.2026"}}));
  auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "rakval-csv", (dir_.path() / "ok.csv").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonLines(r.out).size(), 2u);
  auto bad = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "nope", (dir_.path() / "ok.csv").string()});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(CliTest, ConvertGivenADirectoryOrAMissingFileIsAUsageError) {
  WriteAll(dir_.path() / "ok.csv", RakvalCsv({{"LV-1", "10", "02.11.2026 09:15"}}));
  fs::create_directories(dir_.path() / "exports");
  const std::string ok = (dir_.path() / "ok.csv").string();
  for (const fs::path& bad : {dir_.path() / "exports", dir_.path() / "missing.csv", dir_.path() / "ok.csv" / "x"}) {
    auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "rakval-csv", ok, bad.string()});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_EQ(r.out, "") << bad;  // checked before anything is converted
    EXPECT_NE(r.err.find(bad.string()), std::string::npos) << r.err;
  }
}

TEST_F(CliTest, ConvertGivenAFifoOrADeviceIsAUsageErrorAtOnce) {
  // A FIFO without a writer would hold a plain open forever; /dev/zero never ends.
  const fs::path fifo = dir_.path() / "pipe.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& bad : {fifo.string(), std::string("/dev/zero")}) {
    auto r = RunLiitos({"convert", "--config", cfg_.string(), "--profile", "rakval-csv", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_EQ(r.out, "") << bad;
    EXPECT_NE(r.err.find(bad + ": a "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  }
}

TEST_F(CliTest, CheckAcceptsTheNormativeExample) {
  fs::path example = fs::path(SourceDir()) / "tests/data/config/liitos.example.toml";
  if (!fs::exists(example)) example = fs::path(SourceDir()) / "../shared/spec/liitos.example.toml";
  auto r = RunLiitos({"check", "--config", example.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CliTest, CheckListsEveryErrorWithPosition) {
  WriteAll(dir_.path() / "bad.toml",
           "[service]\nstate_dir = \"/tmp/x\"\nlog_level = \"loud\"\nbogus = 1\n\n"
           "[interface]\nxroad_client = \"FI/MUN/0204819-9/liitos\"\n\n"
           "[[destination]]\nname = \"d\"\nkind = \"dir\"\npath = \"/tmp/out\"\nschedule = \"61 * * * *\"\n");
  auto r = RunLiitos({"check", "--config", (dir_.path() / "bad.toml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:3:"), std::string::npos) << r.err;  // log_level
  EXPECT_NE(r.err.find("bad.toml:4:"), std::string::npos) << r.err;  // unknown key
  EXPECT_NE(r.err.find("bad.toml:7:"), std::string::npos) << r.err;  // check digit
  EXPECT_NE(r.err.find("bad.toml:13:"), std::string::npos) << r.err;  // cron
}

TEST_F(CliTest, VersionAndUsage) {
  EXPECT_EQ(RunLiitos({"--version"}).exit_code, 0);
  EXPECT_EQ(RunLiitos({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunLiitos({}).exit_code, 2);
}

}  // namespace
}  // namespace liitos::e2e
