// Memory does not grow with the queue's length (SPEC §10): a backlog of 200,000 pending updates
// is delivered by `liitos run --once` to the real test receiver in batches of 1,000 with a peak
// resident set under 100 MiB (the rusage of that one process, from wait4). Slow (tens of
// seconds): the name says so, for filters. bench/backlog_bench.sh measures a million.
//
// The backlog is made by the service itself: the receiver answers the first batch with a 503, and
// that batch, the head of the line, holds back every update behind it.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "tests/daemon/e2e_remote/xroad_e2e_util.h"

namespace liitos::e2e {
namespace {

using testing::ReceiverFixture;

struct Measured {
  int exit_code = -1;
  long max_rss_kib = 0;
};

// Runs the binary to completion (output to `log`) and returns its exit code and peak RSS.
Measured RunMeasured(const std::vector<std::string>& args, const fs::path& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ExecLiitos(args);
  }
  Measured m;
  int status = 0;
  struct rusage ru {};
  if (::wait4(pid, &status, 0, &ru) != pid) return m;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.max_rss_kib = ru.ru_maxrss;
  return m;
}

TEST(XroadBacklogSlowTest, TwoHundredThousandPendingUpdatesAreDeliveredInUnder100MiB) {
  constexpr int kFiles = 200, kPerFile = 1000;
  ScratchDir dir;
  ReceiverFixture rx;
  ASSERT_TRUE(rx.ok()) << rx.error();
  XroadConfig c;
  c.url = rx.Url();
  c.timeout = "60s";
  fs::path cfg = WriteXroadConfig(dir.path(), c);
  for (int f = 0; f < kFiles; ++f) {
    std::vector<CsvRow> rows;
    for (int i = 0; i < kPerFile; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "LV-2026-B%03d%04d", f, i);
      rows.push_back({id, "20", std::to_string(10 + i % 18) + ".11.2026 09:15"});
    }
    std::string name = "tilat_" + std::to_string(1000 + f) + ".csv";
    WriteAll(dir.path() / "staging" / name, RakvalCsv(rows));
    fs::rename(dir.path() / "staging" / name, dir.path() / "rakval/in" / name);
  }

  ASSERT_TRUE(rx.FailNext(1, 503));
  auto intake = RunMeasured({"run", "--once", "--config", cfg.string()}, dir.path() / "intake.log");
  EXPECT_EQ(intake.exit_code, 1) << ReadAll(dir.path() / "intake.log");
  auto st = StatusOf(cfg);
  ASSERT_EQ(st["pending"], kFiles * kPerFile - 1000) << st.dump();
  ASSERT_EQ(st["batchesAwaitingRetry"], 1) << st.dump();

  auto delivery = RunMeasured({"run", "--once", "--config", cfg.string()}, dir.path() / "delivery.log");
  EXPECT_EQ(delivery.exit_code, 0) << ReadAll(dir.path() / "delivery.log").substr(0, 4000);
  st = StatusOf(cfg);
  EXPECT_EQ(st["pending"], 0) << st.dump();
  EXPECT_EQ(st["batchesAwaitingRetry"], 0) << st.dump();
  EXPECT_EQ(JournalEvents(cfg, "BATCH_DELIVERED").size(), static_cast<size_t>(kFiles));
  EXPECT_EQ(ReceiverRequests(rx), kFiles + 1);
  EXPECT_LT(delivery.max_rss_kib, 100 * 1024) << "peak RSS of the delivery run: " << delivery.max_rss_kib << " KiB";
  std::cout << "[ measured ] intake run peak RSS " << intake.max_rss_kib / 1024 << " MiB; delivery run peak RSS "
            << delivery.max_rss_kib / 1024 << " MiB\n";
  // Every file's delivery receipt is written.
  size_t receipts = 0;
  for (const auto& p : FilesUnder(dir.path() / "rakval/receipts"))
    receipts += p.filename().string().find(".delivery.") != std::string::npos;
  EXPECT_EQ(receipts, static_cast<size_t>(kFiles));
}

}  // namespace
}  // namespace liitos::e2e
