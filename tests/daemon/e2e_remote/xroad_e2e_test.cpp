// X-Road delivery end to end through the real binary and the real test receiver (SPEC §5.4, §6):
// happy path; 503 twice then 200 (one batchId, three attempts, every update delivered once); a
// hang (timeout, retry); Retry-After; items rejected by the receiver in the delivery receipt; a 400
// (failed at once, `liitos retry` delivers it). Retries are driven by `liitos run --once`, which
// attempts every open batch now, so no test waits out the 30 s backoff.
// TLS and kill -9 during a POST: xroad_e2e_crash_test.cpp.

#include <gtest/gtest.h>

#include <set>

#include "base/time/helsinki_time.h"
#include "tests/daemon/e2e_remote/xroad_e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;
using testing::ReceiverFixture;

class XroadE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(rx_.ok()) << rx_.error(); }
  fs::path root() const { return dir_.path(); }
  fs::path Config(XroadConfig c = {}) {
    c.url = rx_.Url();
    return cfg_ = WriteXroadConfig(root(), c);
  }
  // Drops a three-record export; returns its messageIds in record order.
  std::vector<std::string> Drop(const std::string& name = "tilat.csv") {
    std::string csv = RakvalCsv({{"LV-2026-000301", "10", "02.11.2026"},
                                 {"LV-2026-000302", "20", "03.11.2026 09:15"},
                                 {"LV-2026-000303", "50", "04.11.2026"}});
    WriteAll(root() / "staging" / name, csv);
    auto ids = MessageIds(cfg_, root() / "staging" / name);
    fs::rename(root() / "staging" / name, root() / "rakval/in" / name);
    return ids;
  }
  RunResult Once() { return RunLiitos({"run", "--once", "--config", cfg_.string()}); }
  std::vector<std::map<std::string, std::string>> DeliveryReceipt(const std::string& name = "tilat.csv") {
    return ParseReceipt(ReadAll(root() / "rakval/receipts" / (name + ".delivery.csv")));
  }

  ScratchDir dir_;
  ReceiverFixture rx_;
  fs::path cfg_;
};

TEST_F(XroadE2eTest, HappyPathDeliversOnceWithReceiptAndJournal) {
  Config();
  auto ids = Drop();
  ASSERT_EQ(ids.size(), 3u);
  auto r = Once();
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 1u);
  const auto& req = log[0];
  EXPECT_EQ(req["status"], 200) << req.dump();
  EXPECT_EQ(req["xroadId"], req["batchId"]);
  EXPECT_EQ(req["xroadClient"], "FI/MUN/0204819-8/liitos");
  EXPECT_EQ(req["path"], ReceiverFixture::kDefaultPath);
  EXPECT_EQ(req["messageIds"].get<std::vector<std::string>>(), ids);  // oldest first
  auto counts = rx_.AcceptedCounts();
  EXPECT_EQ(counts.size(), 3u);
  for (const auto& id : ids) EXPECT_EQ(counts[id], 1) << id;

  // Delivery receipt: every record delivered in that batch with the receiver's request id.
  auto rows = DeliveryReceipt();
  ASSERT_EQ(rows.size(), 3u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["record"], std::to_string(i + 1));
    EXPECT_EQ(rows[i]["messageId"], ids[i]);
    EXPECT_EQ(rows[i]["outcome"], "delivered");
    EXPECT_EQ(rows[i]["batchId"], req["batchId"]);
    EXPECT_EQ(rows[i]["xroadRequestId"], req["requestId"]);
    EXPECT_EQ(rows[i]["reason"], "");
    EXPECT_FALSE(rows[i]["at"].empty());
  }
  // One BATCH_ATTEMPT with the HTTP status and the X-Road-Request-Id.
  auto attempts = JournalEvents(cfg_, "BATCH_ATTEMPT");
  ASSERT_EQ(attempts.size(), 1u) << attempts.dump();
  EXPECT_EQ(attempts[0]["batch_id"], req["batchId"]);
  EXPECT_EQ(attempts[0]["detail"]["http_status"], 200);
  EXPECT_EQ(attempts[0]["detail"]["xroad_request_id"], req["requestId"]);
  EXPECT_EQ(JournalEvents(cfg_, "BATCH_DELIVERED").size(), 1u);
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg_.string()}).exit_code, 0);
  auto st = StatusOf(cfg_);
  EXPECT_EQ(st["pending"], 0);
  EXPECT_EQ(st["batchesAwaitingRetry"], 0);
  EXPECT_NE(st["lastDeliveryAt"], "");
}

TEST_F(XroadE2eTest, TwoServiceUnavailableThenOkIsOneBatchThreeAttempts) {
  Config();
  auto ids = Drop();
  ASSERT_TRUE(rx_.FailNext(2, 503));

  auto r1 = Once();
  EXPECT_EQ(r1.exit_code, 1) << r1.err;
  // `liitos status` shows the batch waiting for retry and its next attempt, 30 s on.
  auto st = StatusOf(cfg_);
  EXPECT_EQ(st["batchesAwaitingRetry"], 1) << st.dump();
  EXPECT_EQ(st["pending"], 0) << st.dump();
  auto next = ParseIsoInstant(st.value("nextAttemptAt", ""));
  ASSERT_TRUE(next.has_value()) << st.dump();
  auto ahead = std::chrono::duration_cast<std::chrono::seconds>(*next - std::chrono::system_clock::now()).count();
  EXPECT_GT(ahead, 20);
  EXPECT_LE(ahead, 30);
  auto text = RunLiitos({"status", "--config", cfg_.string()});
  EXPECT_NE(text.out.find("NEXT ATTEMPT"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(ShowHelsinki(*next)), std::string::npos) << text.out;

  auto r2 = Once();
  EXPECT_EQ(r2.exit_code, 1) << r2.err;
  st = StatusOf(cfg_);
  auto next2 = ParseIsoInstant(st.value("nextAttemptAt", ""));
  ASSERT_TRUE(next2.has_value()) << st.dump();
  ahead = std::chrono::duration_cast<std::chrono::seconds>(*next2 - std::chrono::system_clock::now()).count();
  EXPECT_GT(ahead, 50);  // doubled: 60 s
  EXPECT_LE(ahead, 60);

  auto r3 = Once();
  EXPECT_EQ(r3.exit_code, 0) << r3.err;

  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 3u);
  std::vector<int> statuses;
  for (const auto& e : log) {
    statuses.push_back(e["status"]);
    EXPECT_EQ(e["batchId"], log[0]["batchId"]);
    EXPECT_EQ(e["xroadId"], log[0]["batchId"]);
  }
  EXPECT_EQ(statuses, (std::vector<int>{503, 503, 200}));
  auto counts = rx_.AcceptedCounts();
  EXPECT_EQ(counts.size(), ids.size());
  for (const auto& id : ids) EXPECT_EQ(counts[id], 1) << id;

  // Every attempt is a BATCH_ATTEMPT with its HTTP status and the answer's X-Road-Request-Id.
  auto attempts = JournalEvents(cfg_, "BATCH_ATTEMPT");
  ASSERT_EQ(attempts.size(), 3u) << attempts.dump();
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(attempts[i]["batch_id"], log[0]["batchId"]);
    EXPECT_EQ(attempts[i]["detail"]["attempt"], i + 1);
    EXPECT_EQ(attempts[i]["detail"]["http_status"], statuses[i]);
    EXPECT_EQ(attempts[i]["detail"]["xroad_request_id"], log[i]["requestId"]);
  }
  EXPECT_TRUE(attempts[0]["detail"].contains("next_attempt_at"));
  EXPECT_EQ(JournalEvents(cfg_, "BATCH_CREATED").size(), 1u);
  auto rows = DeliveryReceipt();
  ASSERT_EQ(rows.size(), 3u);
  for (auto& row : rows) {
    EXPECT_EQ(row["outcome"], "delivered");
    EXPECT_EQ(row["xroadRequestId"], log[2]["requestId"]);
  }
  EXPECT_EQ(StatusOf(cfg_)["batchesAwaitingRetry"], 0);
}

TEST_F(XroadE2eTest, RetryAfterSetsTheNextAttempt) {
  Config();
  Drop();
  ASSERT_TRUE(rx_.FailNext(1, 429, /*retry_after_s=*/600));
  EXPECT_EQ(Once().exit_code, 1);
  auto st = StatusOf(cfg_);
  auto next = ParseIsoInstant(st.value("nextAttemptAt", ""));
  ASSERT_TRUE(next.has_value()) << st.dump();
  auto ahead = std::chrono::duration_cast<std::chrono::seconds>(*next - std::chrono::system_clock::now()).count();
  EXPECT_GT(ahead, 590);
  EXPECT_LE(ahead, 600);
  EXPECT_EQ(Once().exit_code, 0);
}

TEST_F(XroadE2eTest, AHangTimesOutAndIsRetriedWithTheSameBatch) {
  XroadConfig c;
  c.timeout = "1s";
  Config(c);
  auto ids = Drop();
  ASSERT_TRUE(rx_.HangNext(4));
  auto start = std::chrono::steady_clock::now();
  auto r1 = Once();
  EXPECT_EQ(r1.exit_code, 1) << r1.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);  // gave up at the timeout, not the answer
  auto attempts = JournalEvents(cfg_, "BATCH_ATTEMPT");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0]["detail"]["http_status"], 0);
  EXPECT_NE(attempts[0]["detail"].value("error", "").find("timeout"), std::string::npos) << attempts.dump();

  auto r2 = Once();
  EXPECT_EQ(r2.exit_code, 0) << r2.err;
  // The hung request is logged when its sleep ends; it and the retry carry the same batchId, and
  // the receiver accepted each update once (the other copy answered "duplicate").
  ASSERT_TRUE(WaitUntil([&] { return rx_.Log().size() == 2; }, 10s));
  auto log = rx_.Log();
  EXPECT_EQ(log[0]["batchId"], log[1]["batchId"]);
  EXPECT_EQ(attempts[0]["batch_id"], log[0]["batchId"]);
  auto counts = rx_.AcceptedCounts();
  EXPECT_EQ(counts.size(), ids.size());
  for (const auto& id : ids) EXPECT_EQ(counts[id], 1) << id;
  for (auto& row : DeliveryReceipt()) EXPECT_EQ(row["outcome"], "delivered");
}

TEST_F(XroadE2eTest, RejectedItemsEndInTheDeliveryReceiptWithTheReceiversReason) {
  Config();
  auto ids = Drop();
  ASSERT_TRUE(rx_.Reject({ids[1]}, "LV_UNKNOWN_CASE", "Asiaa ei l\xc3\xb6ydy"));
  auto r = Once();
  EXPECT_EQ(r.exit_code, 0) << r.err;  // rejected is final, nothing left pending
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 1u);
  auto rows = DeliveryReceipt();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["outcome"], "delivered");
  EXPECT_EQ(rows[2]["outcome"], "delivered");
  EXPECT_EQ(rows[1]["messageId"], ids[1]);
  EXPECT_EQ(rows[1]["outcome"], "rejected");
  EXPECT_EQ(rows[1]["batchId"], log[0]["batchId"]);
  // windows-1252 like the source: "ö" is one byte.
  EXPECT_NE(rows[1]["reason"].find("LV_UNKNOWN_CASE"), std::string::npos) << rows[1]["reason"];
  EXPECT_NE(rows[1]["reason"].find("Asiaa ei l\xf6ydy"), std::string::npos) << rows[1]["reason"];
  auto rejected = JournalEvents(cfg_, "ITEM_REJECTED_BY_RECEIVER");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["message_id"], ids[1]);
  // Not retried: a second run sends nothing.
  EXPECT_EQ(Once().exit_code, 0);
  EXPECT_EQ(rx_.Log().size(), 1u);
}

TEST_F(XroadE2eTest, ABadRequestFailsAtOnceAndLiitosRetryDeliversIt) {
  Config();
  auto ids = Drop();
  ASSERT_TRUE(rx_.FailNext(1, 400));
  EXPECT_EQ(Once().exit_code, 1);
  auto st = StatusOf(cfg_);
  EXPECT_EQ(st["failedBatches"], 1) << st.dump();
  EXPECT_EQ(st["batchesAwaitingRetry"], 0) << st.dump();
  auto failed = JournalEvents(cfg_, "BATCH_FAILED");
  ASSERT_EQ(failed.size(), 1u);
  std::string batch = failed[0]["batch_id"];
  // Final for now: the delivery receipt says failed, with the receiver's answer as the reason.
  auto rows = DeliveryReceipt();
  ASSERT_EQ(rows.size(), 3u);
  for (auto& row : rows) {
    EXPECT_EQ(row["outcome"], "failed");
    EXPECT_EQ(row["batchId"], batch);
    EXPECT_NE(row["reason"].find("400"), std::string::npos) << row["reason"];
  }
  // Not retried by itself.
  EXPECT_EQ(Once().exit_code, 1);
  EXPECT_EQ(rx_.Log().size(), 1u);

  auto retry = RunLiitos({"retry", batch, "--config", cfg_.string()});
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_NE(retry.out.find(batch), std::string::npos);
  EXPECT_EQ(Once().exit_code, 0);
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["status"], 400);
  EXPECT_EQ(log[1]["status"], 200);
  EXPECT_EQ(log[1]["batchId"], batch);
  auto counts = rx_.AcceptedCounts();
  for (const auto& id : ids) EXPECT_EQ(counts[id], 1) << id;
  st = StatusOf(cfg_);
  EXPECT_EQ(st["failedBatches"], 0) << st.dump();
  // The delivery receipt is written again: delivered now.
  rows = DeliveryReceipt();
  ASSERT_EQ(rows.size(), 3u);
  for (auto& row : rows) {
    EXPECT_EQ(row["outcome"], "delivered");
    EXPECT_EQ(row["xroadRequestId"], log[1]["requestId"]);
    EXPECT_EQ(row["reason"], "");
  }
  auto attempts = JournalEvents(cfg_, "BATCH_ATTEMPT");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0]["detail"]["http_status"], 400);
  EXPECT_EQ(attempts[1]["detail"]["http_status"], 200);
  EXPECT_EQ(attempts[1]["detail"]["xroad_request_id"], log[1]["requestId"]);
}

}  // namespace
}  // namespace liitos::e2e
