// The scheduler keeps each destination's line (SPEC §5.6 "Order", G7): one batch in flight, in
// the order batches were made; a head waiting for a retry holds back everything behind it (also
// under `run --once`), a head that fails for good is set aside and the line moves on, a requeued
// batch goes first without the updates a later delivered one overtook. A real journal on a fake
// clock and a scripted destination: no test waits for a backoff.

#include <gtest/gtest.h>

#include "daemon/delivery.h"
#include "tests/daemon/delivery_test_util.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using delivery_test::Fatal;
using delivery_test::Retry;
using delivery_test::ScriptedDestination;

class DeliveryOrderTest : public delivery_test::Fixture {};

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
