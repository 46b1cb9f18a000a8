// G1/G2 under kill -9: the service is killed at random moments while a few hundred files arrive
// and batches go out; after a final restart every record is delivered exactly once across all
// batch files, every file has its receipts, and the journal verifies.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <set>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

TEST(CrashTest, KillNineAtRandomMomentsLosesAndDoublesNothing) {
  ScratchDir dir;
  const fs::path root = dir.path();
  fs::path cfg = WriteServiceConfig(root, "100ms", "300ms");
  constexpr int kFiles = 300, kRecordsPerFile = 3, kKills = 24;
  for (int i = 0; i < kFiles; ++i) {
    std::vector<CsvRow> rows;
    for (int r = 0; r < kRecordsPerFile; ++r)
      rows.push_back({"LV-C-" + std::to_string(i) + "-" + std::to_string(r), "20", "0" + std::to_string(1 + r) + ".11.2026"});
    WriteAll(root / "staging" / ("c" + std::to_string(i) + ".csv"), RakvalCsv(rows));
  }
  std::mt19937 rng(20261127);
  int next = 0;
  for (size_t k = 0; k < static_cast<size_t>(kKills); ++k) {
    // Drop the next slice of files, start the service, kill it at a random moment.
    for (int n = 0; n < kFiles / kKills + 1 && next < kFiles; ++n, ++next) {
      std::string name = "c" + std::to_string(next) + ".csv";
      fs::rename(root / "staging" / name, root / "rakval/in" / name);
    }
    Daemon d({"run", "--config", cfg.string()}, root / "daemon.log");
    // Kill at a random moment after the service has started working (start-up itself takes
    // longer on a slow or sanitized build, and killing before it would test nothing).
    ASSERT_TRUE(WaitUntil([&] { return Count(ReadAll(root / "daemon.log"), "started:") > k; }, 60s));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1500)(rng)));
    d.Kill9();
  }
  // How far the killed runs got depends on the build's speed (a sanitized build may not finish a
  // round before its kill); the final run below must complete whatever they left.
  while (next < kFiles) {
    std::string name = "c" + std::to_string(next++) + ".csv";
    fs::rename(root / "staging" / name, root / "rakval/in" / name);
  }
  auto r = RunLiitos({"run", "--once", "--config", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 3000);

  std::map<std::string, int> seen;  // lvCaseId -> deliveries
  std::set<std::string> batch_ids;
  for (const auto& f : FilesUnder(root / "outbound")) {
    if (f.filename().string()[0] == '.') continue;  // a temporary name left by a kill
    auto doc = nlohmann::json::parse(ReadAll(f));
    EXPECT_TRUE(batch_ids.insert(doc["batchId"].get<std::string>()).second) << "batch written twice: " << f;
    for (const auto& item : doc["items"]) seen[item["lvCaseId"].get<std::string>()]++;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kFiles * kRecordsPerFile));
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id << " delivered " << n << " times";
  EXPECT_TRUE(FilesUnder(root / "rakval/in").empty());
  for (int i = 0; i < kFiles; ++i) {
    std::string name = "c" + std::to_string(i) + ".csv";
    EXPECT_TRUE(fs::exists(root / "rakval/receipts" / (name + ".receipt.csv"))) << name;
    EXPECT_TRUE(fs::exists(root / "rakval/receipts" / (name + ".delivery.csv"))) << name;
  }
  auto v = RunLiitos({"journal", "verify", "--config", cfg.string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

}  // namespace
}  // namespace liitos::e2e
