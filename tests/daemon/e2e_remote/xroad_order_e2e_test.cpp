// Order (SPEC §5.6, G7) end to end through the real binary and the real test receiver, which
// counts every update it accepts after a newer one of the same case: a 503 on the first of three
// batches holds back the other two until it is delivered (under `run --once`, and in the service
// while ticks pass); a 400 sets the first batch aside while
// the line moves on, and `liitos retry --failed` then sends only what a later delivered update has
// not overtaken (the rest is "superseded": journal event and delivery receipt), or nothing at all.

#include <gtest/gtest.h>

#include "tests/daemon/e2e_remote/xroad_e2e_util.h"

namespace liitos::e2e {
namespace {

using testing::ReceiverFixture;

class XroadOrderE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(rx_.ok()) << rx_.error(); }
  void Config(int max_items, const std::string& interval = "1h") {
    XroadConfig c;
    c.url = rx_.Url();
    c.max_items = max_items;
    c.interval = interval;
    cfg_ = WriteXroadConfig(dir_.path(), c);
  }
  // Drops an export of `rows` as `name`; returns its messageIds in record order.
  std::vector<std::string> Drop(const std::string& name, const std::vector<CsvRow>& rows) {
    fs::path staged = dir_.path() / "staging" / name;
    WriteAll(staged, RakvalCsv(rows));
    auto ids = MessageIds(cfg_, staged);
    fs::rename(staged, dir_.path() / "rakval/in" / name);
    return ids;
  }
  RunResult Once() { return RunLiitos({"run", "--once", "--config", cfg_.string()}); }
  std::map<std::string, std::map<std::string, std::string>> ReceiptByMessage(const std::string& name) {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (auto& row : ParseReceipt(ReadAll(dir_.path() / "rakval/receipts" / (name + ".delivery.csv"))))
      out[row["messageId"]] = row;
    return out;
  }
  // The messageIds the receiver accepted, in the order it accepted them.
  std::vector<std::string> AcceptedInOrder() const {
    std::vector<std::string> out;
    for (const auto& e : rx_.Log())
      for (const auto& r : e.value("results", nlohmann::json::array()))
        if (r.value("result", "") == "accepted") out.push_back(r.value("messageId", ""));
    return out;
  }

  ScratchDir dir_;
  ReceiverFixture rx_;
  fs::path cfg_;
};

TEST_F(XroadOrderE2eTest, ARetryOfTheFirstBatchHoldsBackTheOthersUntilItIsDelivered) {
  Config(/*max_items=*/1);  // one case's three statuses, one batch each
  auto ids = Drop("tilat.csv", {{"LV-2026-000401", "10", "02.11.2026"},
                                {"LV-2026-000401", "20", "03.11.2026 09:15"},
                                {"LV-2026-000401", "50", "04.11.2026"}});
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_TRUE(rx_.FailNext(1, 503));
  auto r1 = Once();
  EXPECT_EQ(r1.exit_code, 1) << r1.err;
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 1u);  // batches 2 and 3 waited: not even made
  EXPECT_EQ(log[0]["status"], 503);
  EXPECT_EQ(log[0]["messageIds"], nlohmann::json(std::vector<std::string>{ids[0]}));
  auto st = StatusOf(cfg_);
  EXPECT_EQ(st["batchesAwaitingRetry"], 1) << st.dump();
  EXPECT_EQ(st["pending"], 2) << st.dump();
  EXPECT_EQ(JournalEvents(cfg_, "BATCH_CREATED").size(), 1u);

  auto r2 = Once();
  EXPECT_EQ(r2.exit_code, 0) << r2.err;
  log = rx_.Log();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[1]["batchId"], log[0]["batchId"]);  // the same batch first, then the others
  for (size_t i = 1; i < log.size(); ++i) EXPECT_EQ(log[i]["status"], 200);
  EXPECT_EQ(AcceptedInOrder(), ids);  // 1, 2, 3
  EXPECT_EQ(ReceiverControl(rx_)["outOfOrder"], 0);
  for (auto& [id, row] : ReceiptByMessage("tilat.csv")) EXPECT_EQ(row["outcome"], "delivered") << id;
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg_.string()}).exit_code, 0);
}

TEST_F(XroadOrderE2eTest, TheServiceHoldsTheLineWhileTheHeadWaitsThroughTicks) {
  // Ticks every second, the head's retry in 3 s: the two ticks between make and send nothing.
  Config(/*max_items=*/1, /*interval=*/"1s");
  auto ids = Drop("tilat.csv", {{"LV-2026-000451", "10", "02.11.2026"},
                                {"LV-2026-000451", "20", "03.11.2026 09:15"},
                                {"LV-2026-000451", "50", "04.11.2026"}});
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_TRUE(rx_.FailNext(1, 503, /*retry_after_s=*/3));
  Daemon d({"run", "--config", cfg_.string()}, dir_.path() / "liitos.log");
  ASSERT_TRUE(WaitUntil([&] { return rx_.Log().size() >= 4; }, std::chrono::seconds(30)))
      << ReadAll(dir_.path() / "liitos.log");
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(std::chrono::seconds(10)), 0);
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0]["status"], 503);
  EXPECT_EQ(log[1]["batchId"], log[0]["batchId"]);
  EXPECT_EQ(AcceptedInOrder(), ids);
  EXPECT_EQ(ReceiverControl(rx_)["outOfOrder"], 0);
  // The ticks while it waited made no batch: one BATCH_CREATED before each batch's first attempt.
  auto events = RunLiitos({"journal", "list", "--format", "json", "--config", cfg_.string()});
  auto all = nlohmann::json::parse(events.out, nullptr, false);
  ASSERT_TRUE(all.is_array());
  std::vector<std::string> kinds;
  for (const auto& e : all) {
    std::string k = e.value("kind", "");
    if (k == "BATCH_CREATED" || k == "BATCH_ATTEMPT" || k == "BATCH_DELIVERED") kinds.push_back(k);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"BATCH_CREATED", "BATCH_ATTEMPT", "BATCH_ATTEMPT", "BATCH_DELIVERED",
                                             "BATCH_CREATED", "BATCH_ATTEMPT", "BATCH_DELIVERED", "BATCH_CREATED",
                                             "BATCH_ATTEMPT", "BATCH_DELIVERED"}));
}

TEST_F(XroadOrderE2eTest, AFailedBatchIsSetAsideAndItsRetrySendsOnlyWhatWasNotOvertaken) {
  Config(/*max_items=*/2);
  // Batch 1: LV-A's first status and LV-B's; batch 2: LV-A's newer status and LV-C's.
  auto ids = Drop("tilat.csv", {{"LV-2026-000501", "10", "02.11.2026"},
                                {"LV-2026-000502", "10", "02.11.2026"},
                                {"LV-2026-000501", "20", "05.11.2026"},
                                {"LV-2026-000503", "10", "05.11.2026"}});
  ASSERT_EQ(ids.size(), 4u);
  ASSERT_TRUE(rx_.FailNext(1, 400));
  auto r1 = Once();
  EXPECT_EQ(r1.exit_code, 1) << r1.err;  // a failed batch
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 2u);  // the line moved on past the failed batch in the same run
  EXPECT_EQ(log[0]["status"], 400);
  EXPECT_EQ(log[1]["status"], 200);
  EXPECT_EQ(log[1]["messageIds"], nlohmann::json(std::vector<std::string>{ids[2], ids[3]}));
  const std::string failed = log[0]["batchId"];
  EXPECT_EQ(StatusOf(cfg_)["failedBatches"], 1);
  auto receipt = ReceiptByMessage("tilat.csv");
  EXPECT_EQ(receipt[ids[0]]["outcome"], "failed");
  EXPECT_EQ(receipt[ids[2]]["outcome"], "delivered");

  auto retry = RunLiitos({"retry", "--failed", "--config", cfg_.string()});
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  auto r2 = Once();
  EXPECT_EQ(r2.exit_code, 0) << r2.err;
  log = rx_.Log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[2]["batchId"], failed);  // the same batchId, without LV-A's overtaken status
  EXPECT_EQ(log[2]["messageIds"], nlohmann::json(std::vector<std::string>{ids[1]}));
  EXPECT_EQ(rx_.AcceptedCounts().count(ids[0]), 0u);
  EXPECT_EQ(ReceiverControl(rx_)["outOfOrder"], 0);

  auto superseded = JournalEvents(cfg_, "ITEM_SUPERSEDED");
  ASSERT_EQ(superseded.size(), 1u) << superseded.dump();
  EXPECT_EQ(superseded[0]["message_id"], ids[0]);
  EXPECT_EQ(superseded[0]["batch_id"], failed);
  EXPECT_EQ(superseded[0]["lv_case_id"], "LV-2026-000501");
  EXPECT_EQ(superseded[0]["detail"]["by"], ids[2]);
  EXPECT_EQ(superseded[0]["detail"]["by_batch"], log[1]["batchId"]);
  receipt = ReceiptByMessage("tilat.csv");
  ASSERT_EQ(receipt.size(), 4u);
  EXPECT_EQ(receipt[ids[0]]["outcome"], "superseded");
  EXPECT_EQ(receipt[ids[0]]["batchId"], failed);
  EXPECT_EQ(receipt[ids[0]]["reason"].rfind("superseded by a later update of the same case", 0), 0u)
      << receipt[ids[0]]["reason"];
  EXPECT_EQ(receipt[ids[0]]["xroadRequestId"], "");  // it was in no request
  EXPECT_EQ(receipt[ids[1]]["outcome"], "delivered");
  EXPECT_EQ(receipt[ids[1]]["xroadRequestId"], log[2]["requestId"]);
  EXPECT_EQ(receipt[ids[2]]["outcome"], "delivered");
  EXPECT_EQ(receipt[ids[3]]["outcome"], "delivered");
  auto st = StatusOf(cfg_);
  EXPECT_EQ(st["failedBatches"], 0) << st.dump();
  EXPECT_EQ(st["pending"], 0) << st.dump();
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg_.string()}).exit_code, 0);
}

TEST_F(XroadOrderE2eTest, ARetriedBatchWhollyOvertakenIsFinalWithoutASend) {
  Config(/*max_items=*/1);
  auto ids = Drop("tilat.csv", {{"LV-2026-000601", "10", "02.11.2026"}, {"LV-2026-000601", "20", "03.11.2026"}});
  ASSERT_EQ(ids.size(), 2u);
  ASSERT_TRUE(rx_.FailNext(1, 400));
  EXPECT_EQ(Once().exit_code, 1);
  ASSERT_EQ(rx_.Log().size(), 2u);
  const std::string failed = rx_.Log()[0]["batchId"];

  auto retry = RunLiitos({"retry", failed, "--config", cfg_.string()});
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  auto r = Once();
  EXPECT_EQ(r.exit_code, 0) << r.err;  // nothing pending, nothing failed
  EXPECT_EQ(rx_.Log().size(), 2u);      // nothing sent
  auto done = JournalEvents(cfg_, "BATCH_SUPERSEDED");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["batch_id"], failed);
  auto receipt = ReceiptByMessage("tilat.csv");
  EXPECT_EQ(receipt[ids[0]]["outcome"], "superseded");
  EXPECT_EQ(receipt[ids[1]]["outcome"], "delivered");
  auto trace = RunLiitos({"journal", "trace", ids[0], "--config", cfg_.string()});
  EXPECT_NE(trace.out.find("ITEM_SUPERSEDED"), std::string::npos) << trace.out;
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg_.string()}).exit_code, 0);
}

}  // namespace
}  // namespace liitos::e2e
