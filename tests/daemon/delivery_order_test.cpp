// The scheduler keeps each destination's line (SPEC §5.6 "Order", G7): one batch in flight, in
// the order batches were made; a head waiting for a retry holds back everything behind it (also
// under `run --once`), a head that fails for good is set aside and the line moves on, a requeued
// batch goes first without the updates a later delivered one overtook. A real journal on a fake
// clock and a scripted destination: no test waits for a backoff.

#include <gtest/gtest.h>

#include <deque>
#include <nlohmann/json.hpp>

#include "daemon/delivery.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using journal_test::Accepted;

struct Sent {
  std::string batch_id;
  std::vector<std::string> message_ids;
};

// Answers each Send with the next scripted result (Ok once the script is used up) and records
// what it was sent.
class ScriptedDestination : public Destination {
 public:
  explicit ScriptedDestination(DestinationConfig c) : cfg_(std::move(c)) {}
  const DestinationConfig& config() const override { return cfg_; }
  SendResult Send(const OutgoingBatch& b) override {
    auto doc = nlohmann::json::parse(b.document);
    Sent s{b.batch_id, {}};
    for (const auto& item : doc["items"]) s.message_ids.push_back(item["messageId"]);
    sent.push_back(std::move(s));
    if (script.empty()) return OkResult();
    SendResult r = script.front();
    script.pop_front();
    return r;
  }
  Status Check(std::vector<std::string>*) override { return Status::Ok(); }
  static SendResult OkResult() {
    SendResult r;
    r.outcome = SendOutcome::kOk;
    r.http_status = 200;
    return r;
  }

  std::deque<SendResult> script;
  std::vector<Sent> sent;

 private:
  DestinationConfig cfg_;
};

SendResult Retry(int http = 503, std::optional<Millis> retry_after = std::nullopt) {
  SendResult r;
  r.outcome = SendOutcome::kRetry;
  r.http_status = http;
  r.error = "HTTP " + std::to_string(http);
  r.retry_after = retry_after;
  return r;
}

SendResult Fatal() {
  SendResult r;
  r.outcome = SendOutcome::kFatal;
  r.http_status = 400;
  r.error = "HTTP 400 Bad Request";
  return r;
}

class DeliveryOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.interface.xroad_client = "FI/MUN/0204819-8/liitos";
    DestinationConfig d;
    d.name = "lupapiste";
    d.kind = "xroad";
    d.interval = 1min;
    d.max_batch_items = 2;
    cfg_.destinations.push_back(d);
  }
  // Wires the delivery with the destination as configured now.
  void Wire() {
    dst_ = std::make_unique<ScriptedDestination>(cfg_.destinations[0]);
    delivery_ = std::make_unique<Delivery>(cfg_, *f_.j, f_.clock, nullptr);
    delivery_->AddDestination(dst_.get());
  }
  // A file of updates, one per case: {lvCaseId, messageId}.
  void File(const std::string& name, const std::vector<std::pair<std::string, std::string>>& updates) {
    std::vector<RecordOutcomeIn> records;
    for (const auto& [case_id, id] : updates) records.push_back(Accepted(records.size() + 1, case_id, id));
    f_.File(name, records);
    f_.clock.Advance(1s);
  }
  DestinationStats Stats() { return (*f_.j->Stats({"lupapiste"}))[0]; }
  // Every messageId the destination was sent, in order (retries repeat theirs).
  std::vector<std::string> SentIds() const {
    std::vector<std::string> out;
    for (const auto& s : dst_->sent) out.insert(out.end(), s.message_ids.begin(), s.message_ids.end());
    return out;
  }

  journal_test::Fixture f_;
  Config cfg_;
  std::unique_ptr<ScriptedDestination> dst_;
  std::unique_ptr<Delivery> delivery_;
};

TEST_F(DeliveryOrderTest, AHeadWaitingForARetryHoldsBackEveryBatchBehindIt) {
  Wire();
  File("a.csv", {{"LV-1", "m1"}, {"LV-2", "m2"}, {"LV-3", "m3"}, {"LV-4", "m4"}, {"LV-5", "m5"}, {"LV-6", "m6"}});
  dst_->script = {Retry(429, 570s)};
  f_.clock.Advance(1min);  // the tick
  EXPECT_EQ(delivery_->RunDue(false), 1u);
  ASSERT_EQ(dst_->sent.size(), 1u);
  const std::string b1 = dst_->sent[0].batch_id;
  EXPECT_EQ(dst_->sent[0].message_ids, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(Stats().pending, 4);
  EXPECT_EQ(Stats().open_batches, 1);
  EXPECT_EQ(delivery_->UntilNextTick(), 1min);  // the next tick comes before the head's retry

  // Ticks pass while the head waits: nothing is sent, and no batch is made behind it.
  for (int i = 0; i < 9; ++i) {
    f_.clock.Advance(1min);
    EXPECT_EQ(delivery_->RunDue(false), 0u);
  }
  EXPECT_EQ(dst_->sent.size(), 1u);
  EXPECT_EQ(Stats().pending, 4);
  EXPECT_EQ(Stats().open_batches, 1);
  EXPECT_EQ(delivery_->UntilNextTick(), 30s);  // the head's retry comes before the next tick

  f_.clock.Advance(30s);  // the retry is due, the tick is not: the head goes alone
  EXPECT_EQ(delivery_->RunDue(false), 1u);
  ASSERT_EQ(dst_->sent.size(), 2u);
  EXPECT_EQ(dst_->sent[1].batch_id, b1);
  EXPECT_EQ(Stats().pending, 4);
  f_.clock.Advance(30s);  // the tick: the rest, in order
  EXPECT_EQ(delivery_->RunDue(false), 2u);
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2", "m1", "m2", "m3", "m4", "m5", "m6"}));
  EXPECT_EQ(Stats().pending, 0);
  EXPECT_EQ(Stats().open_batches, 0);
}

TEST_F(DeliveryOrderTest, RunOnceStopsTheLineAtAHeadThatAsksForARetry) {
  Wire();
  File("a.csv", {{"LV-1", "m1"}, {"LV-2", "m2"}, {"LV-3", "m3"}, {"LV-4", "m4"}, {"LV-5", "m5"}, {"LV-6", "m6"}});
  dst_->script = {ScriptedDestination::OkResult(), Retry(503)};
  EXPECT_EQ(delivery_->RunDue(true), 2u);
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2", "m3", "m4"}));
  EXPECT_EQ(Stats().pending, 2);  // no batch made behind the waiting head
  EXPECT_EQ(Stats().open_batches, 1);

  EXPECT_EQ(delivery_->RunDue(true), 2u);  // --once ignores the retry time, not the line
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2", "m3", "m4", "m3", "m4", "m5", "m6"}));
  EXPECT_EQ(dst_->sent[1].batch_id, dst_->sent[2].batch_id);
  EXPECT_EQ(Stats().pending, 0);
  EXPECT_EQ(Stats().open_batches, 0);
}

TEST_F(DeliveryOrderTest, AHeadThatFailsIsSetAsideAndTheLineMovesOn) {
  Wire();
  File("a.csv", {{"LV-1", "m1"}, {"LV-2", "m2"}, {"LV-3", "m3"}, {"LV-4", "m4"}, {"LV-5", "m5"}});
  dst_->script = {Fatal()};
  EXPECT_EQ(delivery_->RunDue(true), 3u);
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2", "m3", "m4", "m5"}));
  auto failed = f_.j->FailedBatchIds();
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0], dst_->sent[0].batch_id);
  EXPECT_EQ(Stats().pending, 0);
  EXPECT_EQ(Stats().open_batches, 0);
  EXPECT_EQ(Stats().failed_batches, 1);
}

TEST_F(DeliveryOrderTest, AHeadPastGiveUpAfterIsSetAsideAndTheLineMovesOn) {
  cfg_.destinations[0].give_up_after = 2min;
  Wire();
  File("a.csv", {{"LV-1", "m1"}, {"LV-2", "m2"}, {"LV-3", "m3"}});
  dst_->script = {Retry(), Retry(), Retry()};
  f_.clock.Advance(1min);
  EXPECT_EQ(delivery_->RunDue(false), 1u);  // retry in 30 s
  f_.clock.Advance(30s);
  EXPECT_EQ(delivery_->RunDue(false), 1u);  // retry in 60 s: 90 s of retrying
  EXPECT_EQ(Stats().pending, 1);
  f_.clock.Advance(60s);
  // The third answer would mean 210 s of retrying: failed; the next batch goes at once.
  EXPECT_EQ(delivery_->RunDue(false), 2u);
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2", "m1", "m2", "m1", "m2", "m3"}));
  EXPECT_EQ(Stats().failed_batches, 1);
  EXPECT_EQ(Stats().pending, 0);
  EXPECT_EQ(Stats().open_batches, 0);
}

TEST_F(DeliveryOrderTest, ARequeuedBatchGoesFirstWithoutTheUpdatesOvertakenSinceItFailed) {
  Wire();
  File("a.csv", {{"LV-1", "m1"}, {"LV-2", "m2"}});
  dst_->script = {Fatal()};
  EXPECT_EQ(delivery_->RunDue(true), 1u);
  const std::string b1 = dst_->sent[0].batch_id;
  File("b.csv", {{"LV-1", "m3"}, {"LV-3", "m4"}});  // LV-1's newer status, delivered
  EXPECT_EQ(delivery_->RunDue(true), 1u);
  File("c.csv", {{"LV-2", "m5"}});  // LV-2's newer status, still pending
  ASSERT_TRUE(f_.j->RequeueBatch(b1).ok());

  dst_->sent.clear();
  EXPECT_EQ(delivery_->RunDue(true), 2u);
  ASSERT_EQ(dst_->sent.size(), 2u);
  EXPECT_EQ(dst_->sent[0].batch_id, b1);  // same batchId, at the head of the line
  EXPECT_EQ(dst_->sent[0].message_ids, std::vector<std::string>{"m2"});  // m1 was overtaken by m3
  EXPECT_EQ(dst_->sent[1].message_ids, std::vector<std::string>{"m5"});  // LV-2: older before newer
  journal_test::RawDb raw(f_.path);
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm1'"), "superseded");
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm2'"), "delivered");
  EXPECT_EQ(Stats().failed_batches, 0);
  EXPECT_EQ(Stats().pending, 0);
}

TEST_F(DeliveryOrderTest, ABatchMadeBeforeARestartGoesAtOnceAndTheTickMakesTheRest) {
  Wire();
  File("a.csv", {{"LV-1", "m1"}, {"LV-2", "m2"}, {"LV-3", "m3"}});
  ASSERT_TRUE(f_.j->CreateBatch("lupapiste", 2)->has_value());  // made, never attempted
  EXPECT_EQ(delivery_->RunDue(false), 1u);  // before the tick: only the line's head
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(Stats().pending, 1);
  f_.clock.Advance(1min);
  EXPECT_EQ(delivery_->RunDue(false), 1u);
  EXPECT_EQ(SentIds(), (std::vector<std::string>{"m1", "m2", "m3"}));
}

}  // namespace
}  // namespace liitos
