// liitos run end to end on local drop folders: the samples give the expected archive, receipts,
// batch files and journal; a slow writer is not taken early; a renamed-in file is taken; many files
// at once all arrive; SIGTERM and SIGHUP behave.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;

// Every status update in every batch file under `dir`, as messageId -> count.
std::map<std::string, int> DeliveredMessages(const fs::path& dir, size_t* batches = nullptr) {
  std::map<std::string, int> out;
  size_t n = 0;
  for (const auto& f : FilesUnder(dir)) {
    if (f.extension() != ".json" || f.filename().string()[0] == '.') continue;
    auto doc = nlohmann::json::parse(ReadAll(f));
    ++n;
    for (const auto& item : doc["items"]) out[item["messageId"].get<std::string>()]++;
  }
  if (batches) *batches = n;
  return out;
}

class ServiceTest : public ::testing::Test {
 protected:
  fs::path root() const { return dir_.path(); }
  ScratchDir dir_;
};

TEST_F(ServiceTest, OnceTakesTheSamplesAndDeliversThem) {
  fs::path cfg = WriteServiceConfig(root());
  fs::copy_file(TestData() + "/samples/tilat_20261120.csv", root() / "rakval/in/tilat_20261120.csv");
  fs::copy_file(TestData() + "/samples/vienti_20261121.xml", root() / "ymparisto/in/vienti_20261121.xml");
  fs::copy_file(TestData() + "/samples/doctype_refused.xml", root() / "ymparisto/in/doctype_refused.xml");
  auto r = RunLiitos({"run", "--once", "--config", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The drops are empty; originals archived under archive/YYYY/MM/DD/.
  EXPECT_TRUE(FilesUnder(root() / "rakval/in").empty());
  EXPECT_TRUE(FilesUnder(root() / "ymparisto/in").empty());
  auto archived = FilesUnder(root() / "rakval/archive");
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(archived[0].filename(), "tilat_20261120.csv");
  EXPECT_EQ(ReadAll(archived[0]), ReadAll(TestData() + "/samples/tilat_20261120.csv"));
  // The DOCTYPE file is quarantined with a reason.
  EXPECT_TRUE(fs::exists(root() / "ymparisto/error/doctype_refused.xml"));
  EXPECT_TRUE(fs::exists(root() / "ymparisto/error/doctype_refused.xml.reason.txt"));
  // …and only there: the archive holds the files that were read.
  auto ymp_archived = FilesUnder(root() / "ymparisto/archive");
  ASSERT_EQ(ymp_archived.size(), 1u);
  EXPECT_EQ(ymp_archived[0].filename(), "vienti_20261121.xml");

  // 7 + 4 updates delivered exactly once.
  size_t batches = 0;
  auto delivered = DeliveredMessages(root() / "outbound", &batches);
  EXPECT_EQ(delivered.size(), 11u);
  for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
  EXPECT_GE(batches, 1u);

  // Receipts: intake and delivery for each file, in the source's format.
  std::string intake = ReadAll(root() / "rakval/receipts/tilat_20261120.csv.receipt.csv");
  EXPECT_NE(intake.find("record;lvCaseId;messageId;outcome;reason"), std::string::npos) << intake;
  EXPECT_NE(intake.find("LV-2026-000104;"), std::string::npos);
  EXPECT_EQ(intake.find("131052-308T"), std::string::npos);
  std::string delivery = ReadAll(root() / "rakval/receipts/tilat_20261120.csv.delivery.csv");
  EXPECT_NE(delivery.find("delivered"), std::string::npos) << delivery;
  std::string xml_intake = ReadAll(root() / "ymparisto/receipts/vienti_20261121.xml.receipt.xml");
  EXPECT_NE(xml_intake.find("<Kuittaus xmlns=\"urn:liitos:receipt:1\" kind=\"intake\""), std::string::npos);
  EXPECT_TRUE(fs::exists(root() / "ymparisto/receipts/vienti_20261121.xml.delivery.xml"));
  EXPECT_TRUE(fs::exists(root() / "ymparisto/receipts/doctype_refused.xml.receipt.xml"));

  // The journal verifies and knows the story of a case.
  auto v = RunLiitos({"journal", "verify", "--config", cfg.string()});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  auto t = RunLiitos({"journal", "trace", "LV-2026-000104", "--config", cfg.string()});
  EXPECT_EQ(t.exit_code, 0);
  EXPECT_NE(t.out.find("RECORD_ACCEPTED"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("BATCH_DELIVERED"), std::string::npos) << t.out;
  // No henkilötunnus anywhere in the journal's events.
  auto all = RunLiitos({"journal", "export", "--format", "json", "--config", cfg.string()});
  EXPECT_EQ(all.out.find("131052-308T"), std::string::npos);
  EXPECT_EQ(all.out.find("010203A987V"), std::string::npos);
}

TEST_F(ServiceTest, ASnapshotReExportSendsNothingNew) {
  fs::path cfg = WriteServiceConfig(root());
  fs::copy_file(TestData() + "/samples/tilat_20261120.csv", root() / "rakval/in/tilat_20261120.csv");
  ASSERT_EQ(RunLiitos({"run", "--once", "--config", cfg.string()}).exit_code, 0);
  fs::copy_file(TestData() + "/samples/tilat_20261120.csv", root() / "rakval/in/tilat_20261121.csv");
  ASSERT_EQ(RunLiitos({"run", "--once", "--config", cfg.string()}).exit_code, 0);
  auto delivered = DeliveredMessages(root() / "outbound");
  EXPECT_EQ(delivered.size(), 7u);
  for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
  std::string intake = ReadAll(root() / "rakval/receipts/tilat_20261121.csv.receipt.csv");
  EXPECT_NE(intake.find(";duplicate;"), std::string::npos) << intake;
  EXPECT_EQ(intake.find(";accepted;"), std::string::npos) << intake;
}

TEST_F(ServiceTest, SlowWriterIsNotTakenEarlyAndRenamedInFileIsTaken) {
  fs::path cfg = WriteServiceConfig(root(), "1500ms", "500ms");
  Daemon d({"run", "--config", cfg.string()}, root() / "daemon.log");
  // Wait for readiness: the journal exists.
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(root() / "state/journal.db"); }, 10s));
  std::string head = RakvalCsv({{"LV-SLOW-1", "10", "02.11.2026"}});
  std::string tail = RakvalCsv({{"LV-SLOW-2", "20", "03.11.2026"}});
  tail = tail.substr(tail.find("\r\n") + 2);  // the row without the header
  fs::path slow = root() / "rakval/in/slow.csv";
  {
    std::ofstream out(slow, std::ios::binary);
    out << head;
    out.flush();
    // Pause shorter than settle, then write the rest: the file must be taken whole.
    std::this_thread::sleep_for(700ms);
    out << tail;
  }
  // A file written elsewhere and renamed into the inbox.
  WriteAll(root() / "staging/moved.csv", RakvalCsv({{"LV-MOVED-1", "10", "02.11.2026"}}));
  fs::rename(root() / "staging/moved.csv", root() / "rakval/in/moved.csv");
  ASSERT_TRUE(WaitUntil([&] { return DeliveredMessages(root() / "outbound").size() == 3; }, 20s))
      << ReadAll(root() / "daemon.log");
  std::string receipt = ReadAll(root() / "rakval/receipts/slow.csv.receipt.csv");
  EXPECT_NE(receipt.find("LV-SLOW-2"), std::string::npos) << receipt;
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(10s), 0);
}

TEST_F(ServiceTest, AThousandFilesAtOnceAllArrive) {
  fs::path cfg = WriteServiceConfig(root(), "200ms", "1h");
  for (int i = 0; i < 1000; ++i)
    WriteAll(root() / "staging" / ("f" + std::to_string(i) + ".csv"),
             RakvalCsv({{"LV-K-" + std::to_string(i), "10", "02.11.2026"}}));
  for (int i = 0; i < 1000; ++i) {
    std::string n = "f" + std::to_string(i) + ".csv";
    fs::rename(root() / "staging" / n, root() / "rakval/in" / n);
  }
  auto r = RunLiitos({"run", "--once", "--config", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
  auto delivered = DeliveredMessages(root() / "outbound");
  EXPECT_EQ(delivered.size(), 1000u);
  EXPECT_EQ(FilesUnder(root() / "rakval/archive").size(), 1000u);
  size_t receipts = 0;
  for (const auto& f : FilesUnder(root() / "rakval/receipts")) receipts += f.string().ends_with(".receipt.csv");
  EXPECT_EQ(receipts, 1000u);
}

TEST_F(ServiceTest, SigtermExitsZeroAndSighupKeepsTheOldConfigWhenTheNewIsInvalid) {
  fs::path cfg = WriteServiceConfig(root(), "200ms", "1h");
  Daemon d({"run", "--config", cfg.string()}, root() / "daemon.log");
  ASSERT_TRUE(WaitUntil([&] { return ReadAll(root() / "daemon.log").find("started") != std::string::npos; }, 10s));
  std::string good = ReadAll(cfg);
  WriteAll(cfg, good + "\n[bogus]\nx = 1\n");
  d.Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return ReadAll(root() / "daemon.log").find("reload refused") != std::string::npos; },
                        10s))
      << ReadAll(root() / "daemon.log");
  // Still working with the old config.
  WriteAll(root() / "rakval/in/after.csv", RakvalCsv({{"LV-H-1", "10", "02.11.2026"}}));
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(root() / "rakval/receipts/after.csv.receipt.csv"); }, 10s));
  auto start = std::chrono::steady_clock::now();
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(10s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  std::string log = ReadAll(root() / "daemon.log");
  // Every line carries an sd-daemon priority prefix.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      EXPECT_EQ(line[0], '<') << line;
    }
  }
}

}  // namespace
}  // namespace liitos::e2e
