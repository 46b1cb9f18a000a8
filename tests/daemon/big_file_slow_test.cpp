// Big files through the service (SPEC §10): memory does not grow with a file's size, and a stop in
// the middle of one abandons it whole, to be taken again after a restart with no record journaled
// twice or lost. These tests generate exports of hundreds of thousands of records; their suite
// names end in "Slow" (ctest label slow). Peak memory is read from the kernel (wait4's ru_maxrss),
// and is not asserted in sanitizer builds, whose shadow memory is not the service's.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "daemon/intake/intake.h"
#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// Runs the binary to completion; returns its exit code and peak resident memory in KiB.
std::pair<int, long> RunMeasured(const std::vector<std::string>& args, const fs::path& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<std::string> copy = args;
    std::string bin = Binary();
    std::vector<char*> argv{bin.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  ::wait4(pid, &status, 0, &ru);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), ru.ru_maxrss};
}

// A rakval-csv export of `rows` records, each of its own case, written in pieces.
void WriteBigCsv(const fs::path& path, size_t rows) {
  std::string out = RakvalCsv({});
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  for (size_t i = 0; i < rows; ++i) {
    out += fmt::format("LV-2026-{:07};RAVA/{}/2026;20;{:02}.11.2026 09:15;10;;;;;Käsittely jatkuu;;;Matti\r\n", i, i,
                       1 + i % 28);
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), f);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), f);
  std::fclose(f);
}

// An ymparisto-xml export of `records` records.
void WriteBigXml(const fs::path& path, size_t records) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<v:Vienti xmlns:v=\"urn:example:ymparisto:vienti:1\">\n";
  for (size_t i = 0; i < records; ++i) {
    out += fmt::format("<v:Asia><v:LvTunnus>LV-2026-{:07}</v:LvTunnus><v:Tila koodi=\"K\" pvm=\"2026-11-{:02}\"/>"
                       "<v:Kunta>091</v:Kunta></v:Asia>\n",
                       i, 1 + i % 28);
    if (out.size() > (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), f);
      out.clear();
    }
  }
  out += "</v:Vienti>\n";
  std::fwrite(out.data(), 1, out.size(), f);
  std::fclose(f);
}

// One number from the journal (read-only).
int64_t JournalCount(const fs::path& root, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string path = (root / "state/journal.db").string();
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int64_t n = -1;
  if (st && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

class BigFileSlow : public ::testing::Test {
 protected:
  // `run --once` over what is in the drops: exit 0, `delivered` updates delivered, and a peak
  // RSS under 100 MiB (printed as a figure named by `what`).
  void ExpectDeliveredInFlatMemory(const fs::path& cfg, size_t delivered, const std::string& what) {
    auto [code, rss_kib] = RunMeasured({"run", "--once", "--config", cfg.string()}, root / "log");
    EXPECT_EQ(code, 0) << ReadAll(root / "log").substr(0, 4000);
    EXPECT_EQ(JournalCount(root, "SELECT count(*) FROM outbox WHERE state = 'delivered'"),
              static_cast<int64_t>(delivered));
    std::printf("[ figure   ] %s through run --once: peak RSS %ld MiB\n", what.c_str(), rss_kib / 1024);
    if (!kSanitized) {
      EXPECT_LT(rss_kib, 100 * 1024);
    }
  }

  ScratchDir dir;
  fs::path root = dir.path();
};

TEST_F(BigFileSlow, MillionRowCsvIsTakenInFlatMemory) {
  constexpr size_t kRows = 1'000'000;
  fs::path cfg = WriteServiceConfig(root, "100ms");
  WriteBigCsv(root / "rakval/in/iso.csv", kRows);
  auto [code, rss_kib] = RunMeasured({"run", "--once", "--config", cfg.string()}, root / "log");
  EXPECT_EQ(code, 0) << ReadAll(root / "log").substr(0, 4000);
  EXPECT_EQ(JournalCount(root, "SELECT count(*) FROM outbox"), static_cast<int64_t>(kRows));
  EXPECT_EQ(JournalCount(root, "SELECT count(*) FROM outbox WHERE state <> 'delivered'"), 0);
  EXPECT_TRUE(fs::exists(root / "rakval/receipts/iso.csv.receipt.csv"));
  EXPECT_TRUE(fs::exists(root / "rakval/receipts/iso.csv.delivery.csv"));
  // The intake receipt: a header and a row per record.
  std::ifstream receipt(root / "rakval/receipts/iso.csv.receipt.csv");
  size_t lines = 0;
  for (std::string line; std::getline(receipt, line);) ++lines;
  EXPECT_EQ(lines, kRows + 1);
  std::printf("[ figure   ] 1,000,000-row CSV through run --once: peak RSS %ld MiB\n", rss_kib / 1024);
  if (!kSanitized) {
    EXPECT_LT(rss_kib, 100 * 1024);
  }
}

TEST_F(BigFileSlow, XmlOf300kRecordsIsTakenInFlatMemory) {
  constexpr size_t kRecords = 300'000;
  fs::path cfg = WriteServiceConfig(root, "100ms");
  WriteBigXml(root / "ymparisto/in/vienti.xml", kRecords);
  ExpectDeliveredInFlatMemory(cfg, kRecords, "300,000-record XML");
}

// Many exports, each small enough to be converted whole, through one `run --once`: rounds of
// them are in flight at once, so what a round holds must stay small however short the rows are.
// Both were over 100 MiB before (2026-12-05: 258 MiB for the first, 184 MiB for 1 MB files of
// short rows): a payload kept the writer's worst-case reserve, and rounds were bounded by bytes.
TEST_F(BigFileSlow, ManySmallExportsAreTakenInFlatMemory) {
  constexpr size_t kFiles = 200, kRows = 1000;
  fs::path cfg = WriteServiceConfig(root, "100ms");
  for (size_t f = 0; f < kFiles; ++f) {
    std::string csv = RakvalCsv({});
    for (size_t i = 0; i < kRows; ++i)
      csv += fmt::format("LV-2026-{:04}{:05};RAVA/{}/2026;20;{:02}.11.2026 09:15;10;;;;;"
                         "\"K\xe4sittely jatkuu; lis\xe4tietoja 350 maksusta.\";0737546-2;;Matti M\xe4kel\xe4\r\n",
                         f, i, i, 1 + i % 28);
    WriteAll(root / fmt::format("rakval/in/tilat_{:04}.csv", f), csv);
  }
  ExpectDeliveredInFlatMemory(cfg, kFiles * kRows, "200 exports of 1,000 rows");
}

// The worst case for a round: exports just under the size that is streamed, of the shortest
// rows a profile accepts (some 33 bytes a record, 7,900 records a file).
TEST_F(BigFileSlow, ExportsOfShortRowsAreTakenInFlatMemory) {
  constexpr size_t kFiles = 32;
  fs::path cfg = WriteServiceConfig(root, "100ms");
  size_t records = 0;
  for (size_t f = 0; f < kFiles; ++f) {
    std::string csv = RakvalCsv({});
    for (size_t i = 0;; ++i) {
      std::string row = fmt::format("L{}-{};;20;1.11.2026;;;;;;;;;\r\n", f, i);
      if (csv.size() + row.size() > Intake::kConvertAheadBytes) break;
      csv += row;
      ++records;
    }
    WriteAll(root / fmt::format("rakval/in/lyhyt_{:02}.csv", f), csv);
  }
  ExpectDeliveredInFlatMemory(cfg, records, fmt::format("{} exports of short rows ({} records)", kFiles, records));
}

// SIGTERM while a big file is being journaled: exit 0 within 10 s; after a restart the file is
// taken again, whole: every record journaled exactly once.
TEST_F(BigFileSlow, SigtermMidFileAbandonsItWholeAndARestartTakesItOnce) {
  constexpr size_t kRows = 600'000;
  fs::path cfg = WriteServiceConfig(root, "100ms");
  WriteBigCsv(root / "rakval/in/big.csv", kRows);
  {
    Daemon d({"run", "--config", cfg.string()}, root / "log1");
    // In the middle of the file: its spool copy is there and records are being converted.
    ASSERT_TRUE(WaitUntil([&] { return !FilesUnder(root / "state/spool/rakval").empty(); },
                          std::chrono::seconds(60)));
    auto sent = std::chrono::steady_clock::now();
    d.Signal(SIGTERM);
    int code = d.Wait(std::chrono::seconds(10));
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
    EXPECT_EQ(code, 0) << "not stopped within 10 s";
    std::printf("[ figure   ] stop in the middle of a %zu-row file: %lld ms\n", kRows,
                static_cast<long long>(took.count()));
  }
  EXPECT_TRUE(fs::exists(root / "rakval/in/big.csv"));  // abandoned whole: still in the drop
  auto [code, rss] = RunMeasured({"run", "--once", "--config", cfg.string()}, root / "log2");
  (void)rss;
  EXPECT_EQ(code, 0) << ReadAll(root / "log2").substr(0, 4000);
  EXPECT_FALSE(fs::exists(root / "rakval/in/big.csv"));
  EXPECT_EQ(JournalCount(root, "SELECT count(*) FROM files WHERE state IN ('parsed','done')"), 1);
  EXPECT_EQ(JournalCount(root, "SELECT count(*) FROM events WHERE kind = 'RECORD_ACCEPTED'"),
            static_cast<int64_t>(kRows));
  EXPECT_EQ(JournalCount(root, "SELECT count(DISTINCT record) FROM outbox"), static_cast<int64_t>(kRows));
  EXPECT_EQ(JournalCount(root, "SELECT count(*) FROM outbox WHERE state = 'delivered'"), static_cast<int64_t>(kRows));
}

}  // namespace
}  // namespace liitos::e2e
