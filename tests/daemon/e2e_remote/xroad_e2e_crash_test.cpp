// X-Road delivery end to end, continued: `kill -9` while a POST is in flight — after a restart the
// batch is sent again with the same batchId and the receiver counts every update delivered exactly
// once.

#include <gtest/gtest.h>

#include <memory>

#include "tests/daemon/e2e_remote/xroad_e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;
using testing::ReceiverFixture;
using testing::ReceiverOptions;

TEST(XroadE2eCrashTest, Kill9DuringAPostResendsTheSameBatchAndEachUpdateIsDeliveredOnce) {
  ScratchDir dir;
  const fs::path root = dir.path();
  ReceiverFixture rx;
  ASSERT_TRUE(rx.ok()) << rx.error();
  XroadConfig c;
  c.url = rx.Url();
  c.interval = "300ms";
  fs::path cfg = WriteXroadConfig(root, c);
  WriteAll(root / "staging/tilat.csv", Row3Csv());
  auto ids = MessageIds(cfg, root / "staging/tilat.csv");
  ASSERT_EQ(ids.size(), 3u);
  fs::rename(root / "staging/tilat.csv", root / "rakval/in/tilat.csv");
  // The first POST hangs long enough to be killed in flight; the receiver still processes it
  // afterwards (the answer is lost), as a real receiver would.
  ASSERT_TRUE(rx.HangNext(5));

  auto daemon = std::make_unique<Daemon>(std::vector<std::string>{"run", "--config", cfg.string()},
                                         root / "daemon.log");
  ASSERT_TRUE(WaitUntil([&] { return ReceiverRequests(rx) >= 1; }, 30s)) << ReadAll(root / "daemon.log");
  daemon->Kill9();
  EXPECT_TRUE(rx.Log().empty());  // still hanging: nothing answered yet
  auto st = StatusOf(cfg);
  EXPECT_EQ(st["batchesAwaitingRetry"], 1) << st.dump();
  EXPECT_TRUE(JournalEvents(cfg, "BATCH_ATTEMPT").empty());  // killed before the answer

  auto r = RunLiitos({"run", "--once", "--config", cfg.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WaitUntil([&] { return rx.Log().size() == 2; }, 15s));
  auto log = rx.Log();
  EXPECT_EQ(log[0]["batchId"], log[1]["batchId"]);
  EXPECT_EQ(log[0]["xroadId"], log[1]["xroadId"]);
  EXPECT_EQ(log[0]["status"], 200);
  EXPECT_EQ(log[1]["status"], 200);
  auto created = JournalEvents(cfg, "BATCH_CREATED");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0]["batch_id"], log[0]["batchId"]);
  // Each update accepted exactly once; the other copy was answered "duplicate".
  auto counts = rx.AcceptedCounts();
  EXPECT_EQ(counts.size(), ids.size());
  for (const auto& id : ids) EXPECT_EQ(counts[id], 1) << id;
  std::map<std::string, int> answered;
  for (const auto& e : log)
    for (const auto& res : e["results"])
      answered[res["messageId"].get<std::string>() + ":" + res["result"].get<std::string>()]++;
  for (const auto& id : ids) {
    EXPECT_EQ(answered[id + ":accepted"], 1) << id;
    EXPECT_EQ(answered[id + ":duplicate"], 1) << id;
  }
  auto rows = ParseReceipt(ReadAll(root / "rakval/receipts/tilat.csv.delivery.csv"));
  ASSERT_EQ(rows.size(), 3u);
  for (auto& row : rows) {
    EXPECT_EQ(row["outcome"], "delivered");
    EXPECT_EQ(row["batchId"], log[0]["batchId"]);
  }
  st = StatusOf(cfg);
  EXPECT_EQ(st["batchesAwaitingRetry"], 0) << st.dump();
  EXPECT_EQ(st["pending"], 0) << st.dump();
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg.string()}).exit_code, 0);
}

}  // namespace
}  // namespace liitos::e2e
