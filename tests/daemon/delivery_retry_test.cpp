// The scheduler owns the backoff (SPEC §5.4): a batch that asks for a retry waits 30 s, doubling to
// 30 min; a Retry-After in seconds replaces that delay for the next attempt only, capped at 30 min
// (the HTTP-date form is not honoured: the backoff applies); once the next retry would fall past
// give_up_after the batch is failed: set aside, BATCH_FAILED journaled, its updates "failed" in the
// delivery receipt. A real journal on a fake clock: no test waits for a backoff.

#include <gtest/gtest.h>

#include "daemon/delivery.h"
#include "tests/daemon/delivery_test_util.h"
#include "tests/journal/journal_test_util.h"
#include "transports/xroad/xroad_outcome.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using delivery_test::Retry;

class DeliveryRetryTest : public delivery_test::Fixture {
 protected:
  void SetUp() override {
    Fixture::SetUp();
    cfg_.destinations[0].interval = 24h;  // no tick in the way: only retries are due
  }
  // One update, sent at once (run --once); the destination answers from `script`.
  int64_t FirstAttempt(std::deque<SendResult> script) {
    Wire();
    int64_t file = File("a.csv", {{"LV-1", "m1"}});
    dst_->script = std::move(script);
    EXPECT_EQ(delivery_->RunDue(true), 1u);
    return file;
  }
  // Waits for the head's retry as the service loop does, and runs it. Returns the wait; checks
  // that nothing is sent a millisecond before it.
  Millis NextRetry() {
    const Millis wait = delivery_->UntilNextTick();
    f_.clock.Advance(wait - 1ms);
    EXPECT_EQ(delivery_->RunDue(false), 0u) << "sent before its retry time";
    f_.clock.Advance(1ms);
    EXPECT_EQ(delivery_->RunDue(false), 1u);
    return wait;
  }
  // Retries until the batch has failed (at most `limit` times); returns the attempts made.
  size_t RetryUntilFailed(size_t limit) {
    while (Stats().failed_batches == 0 && dst_->sent.size() <= limit) NextRetry();
    return dst_->sent.size();
  }
};

TEST_F(DeliveryRetryTest, BackoffDoublesFrom30sToItsCapOf30Min) {
  FirstAttempt(std::deque<SendResult>(10, Retry(503)));
  std::vector<Millis> waits;
  for (int i = 0; i < 9; ++i) waits.push_back(NextRetry());
  EXPECT_EQ(waits, (std::vector<Millis>{30s, 60s, 2min, 4min, 8min, 16min, 30min, 30min, 30min}));
  for (const auto& s : dst_->sent) EXPECT_EQ(s.batch_id, dst_->sent[0].batch_id);  // the same batchId
  EXPECT_EQ(Stats().open_batches, 1);
  EXPECT_EQ(Stats().failed_batches, 0);

  EXPECT_EQ(RetryDelay(1, std::nullopt), 30s);
  EXPECT_EQ(RetryDelay(6, std::nullopt), 16min);
  EXPECT_EQ(RetryDelay(7, std::nullopt), 30min);
  EXPECT_EQ(RetryDelay(1'000'000, std::nullopt), 30min);
}

TEST_F(DeliveryRetryTest, RetryAfterReplacesTheNextDelayOnlyAndIsCappedAt30Min) {
  FirstAttempt({Retry(429, 5s), Retry(503), Retry(503, 10min), Retry(503, 3h), Retry(503)});
  std::vector<Millis> waits;
  for (int i = 0; i < 4; ++i) waits.push_back(NextRetry());
  // Shorter than the backoff, then the backoff of the second attempt, longer than the backoff,
  // capped, then the backoff of the fifth attempt: the attempts count on.
  EXPECT_EQ(waits, (std::vector<Millis>{5s, 60s, 10min, 30min}));
  EXPECT_EQ(delivery_->UntilNextTick(), 8min);
  EXPECT_EQ(RetryDelay(1, 0s), 0s);
  EXPECT_EQ(RetryDelay(9, 45s), 45s);
}

TEST_F(DeliveryRetryTest, RetryAfterFromTheReceiverInSecondsIsHonouredAnHttpDateIsNot) {
  HttpResponse seconds;
  seconds.status = 503;
  seconds.headers["retry-after"] = "120";
  HttpResponse date;
  date.status = 429;
  date.headers["retry-after"] = "Wed, 21 Oct 2026 07:28:00 GMT";
  SendResult by_seconds = ClassifyXroadResponse(seconds, 60s);
  SendResult by_date = ClassifyXroadResponse(date, 60s);
  ASSERT_EQ(by_seconds.outcome, SendOutcome::kRetry);
  ASSERT_EQ(by_date.outcome, SendOutcome::kRetry);
  EXPECT_EQ(by_seconds.retry_after, std::optional<Millis>(120s));
  EXPECT_EQ(by_date.retry_after, std::nullopt);  // SPEC §5.4: seconds only

  FirstAttempt({by_seconds, by_date, by_date});
  EXPECT_EQ(NextRetry(), 120s);
  EXPECT_EQ(NextRetry(), 60s);  // the backoff of the second attempt
  EXPECT_EQ(delivery_->UntilNextTick(), 2min);
}

TEST_F(DeliveryRetryTest, PastGiveUpAfterTheBatchFailsIsJournaledAndReceiptedAsFailed) {
  cfg_.destinations[0].give_up_after = 1h;
  const int64_t file = FirstAttempt(std::deque<SendResult>(20, Retry(503)));
  const SysTime first = dst_->sent_at[0];
  // Waits of 30 s … 16 min make 31.5 min; the next, 30 min, would end past the hour: the seventh
  // failure is the last.
  EXPECT_EQ(RetryUntilFailed(20), 7u);
  EXPECT_EQ(dst_->sent_at.back() - first, 31min + 30s);
  EXPECT_EQ(Stats().failed_batches, 1);
  EXPECT_EQ(Stats().open_batches, 0);
  EXPECT_EQ(Stats().pending, 0);
  f_.clock.Advance(24h);
  EXPECT_EQ(delivery_->RunDue(false), 0u);  // set aside: never sent again by itself
  EXPECT_EQ(dst_->sent.size(), 7u);

  const std::string batch = dst_->sent[0].batch_id;
  auto failed = f_.j->FailedBatchIds();
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(*failed, std::vector<std::string>{batch});
  journal_test::RawDb raw(f_.path);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events WHERE kind = 'BATCH_ATTEMPT' AND batch_id = '" + batch + "'"),
            "7");
  const std::string detail =
      raw.Scalar("SELECT detail FROM events WHERE kind = 'BATCH_FAILED' AND batch_id = '" + batch + "'");
  EXPECT_NE(detail.find("gave up after 7 attempts: HTTP 503"), std::string::npos) << detail;

  std::vector<DeliveryRow> rows;  // the delivery receipt's rows
  Status s = f_.j->ForEachDeliveryRow(file, [&](const DeliveryRow& r) { rows.push_back(r); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(rows.size(), 1u);
  const DeliveryRow& row = rows[0];
  EXPECT_EQ(row.message_id, "m1");
  EXPECT_EQ(row.outcome, "failed");
  EXPECT_EQ(row.batch_id, batch);
  EXPECT_NE(row.reason.find("gave up after 7 attempts"), std::string::npos) << row.reason;
}

// A receiver that keeps asking for short waits is retried for give_up_after, not for as many
// attempts as the doubling backoff would have spread over it.
TEST_F(DeliveryRetryTest, ShortRetryAfterWaitsDoNotShortenGiveUpAfter) {
  cfg_.destinations[0].give_up_after = 1h;
  FirstAttempt(std::deque<SendResult>(100, Retry(429, 2min)));
  const SysTime first = dst_->sent_at[0];
  EXPECT_EQ(RetryUntilFailed(100), 31u);
  EXPECT_EQ(dst_->sent_at.back() - first, 1h);
  EXPECT_EQ(Stats().failed_batches, 1);
}

}  // namespace
}  // namespace liitos
