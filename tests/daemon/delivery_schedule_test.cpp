// A destination's schedule (SPEC §5.6) ticks in Europe/Helsinki time across both DST changes, as
// the service loop sees it: sleep UntilNextTick on the clock, RunDue, and at each tick the pending
// update goes. On the last Sunday of March 03:00 EET becomes 04:00 EEST (a local time in the skipped
// hour never fires); on the last Sunday of October 04:00 EEST becomes 03:00 EET (the repeated hour
// fires once, the first time). A real journal on a fake clock.

#include <gtest/gtest.h>

#include "base/time/helsinki_time.h"
#include "config/cron.h"
#include "daemon/delivery.h"
#include "tests/daemon/delivery_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;

class DeliveryScheduleTest : public delivery_test::Fixture {
 protected:
  // The Helsinki times at which `schedule` sent something from `from` to `to` (inclusive), with
  // one update always pending.
  std::vector<std::string> Ticks(const std::string& schedule, SysTime from, SysTime to) {
    auto cron = CronExpr::Parse(schedule);
    EXPECT_TRUE(cron.ok()) << cron.status().message();
    cfg_.destinations[0].interval.reset();
    cfg_.destinations[0].schedule = *cron;
    f_.clock.SetNow(from);
    Wire();
    std::vector<std::string> ticks;
    for (int n = 0;; ++n) {
      if (Stats().pending == 0) {
        const std::string id = std::to_string(n);
        f_.File("f" + id + ".csv", {journal_test::Accepted(1, "LV-" + id, "m" + id)});
      }
      const Millis wait = delivery_->UntilNextTick();
      if (f_.clock.Now() + wait > to) break;
      f_.clock.Advance(wait);
      if (delivery_->RunDue(false) > 0) ticks.push_back(FormatHelsinki(f_.clock.Now()));
    }
    return ticks;
  }
  // Real time between the sends of the first and the last tick.
  Millis Span() const { return std::chrono::duration_cast<Millis>(dst_->sent_at.back() - dst_->sent_at.front()); }
};

SysTime Local(int y, int mo, int d, int h, int mi) {
  std::optional<SysTime> t = FromHelsinki(y, mo, d, h, mi, 0);
  EXPECT_TRUE(t.has_value());
  return t.value_or(SysTime{});
}

TEST_F(DeliveryScheduleTest, DailyAtThreeSkipsTheSpringDayThatHasNoThree) {
  EXPECT_EQ(Ticks("0 3 * * *", Local(2026, 3, 27, 12, 0), Local(2026, 3, 31, 0, 0)),
            (std::vector<std::string>{"2026-03-28T03:00:00+02:00", "2026-03-30T03:00:00+03:00"}));
  EXPECT_EQ(Span(), 47h);
}

TEST_F(DeliveryScheduleTest, DailyAtThreeFiresOnceOnTheAutumnDayThatHasTwo) {
  EXPECT_EQ(Ticks("0 3 * * *", Local(2026, 10, 23, 12, 0), Local(2026, 10, 27, 0, 0)),
            (std::vector<std::string>{"2026-10-24T03:00:00+03:00", "2026-10-25T03:00:00+03:00",
                                      "2026-10-26T03:00:00+02:00"}));
  EXPECT_EQ(Span(), 49h);  // 24 h, then 25 h
}

TEST_F(DeliveryScheduleTest, HalfHourlyGoesFromTwoThirtyStraightToFourInSpring) {
  EXPECT_EQ(Ticks("*/30 * * * *", Local(2026, 3, 29, 1, 0), Local(2026, 3, 29, 5, 0)),
            (std::vector<std::string>{"2026-03-29T01:30:00+02:00", "2026-03-29T02:00:00+02:00",
                                      "2026-03-29T02:30:00+02:00", "2026-03-29T04:00:00+03:00",
                                      "2026-03-29T04:30:00+03:00", "2026-03-29T05:00:00+03:00"}));
  EXPECT_EQ(Span(), 2h + 30min);  // 02:30 EET to 04:00 EEST is half an hour
}

TEST_F(DeliveryScheduleTest, HalfHourlyRunsTheRepeatedHourOnceInAutumn) {
  EXPECT_EQ(Ticks("*/30 * * * *", Local(2026, 10, 25, 2, 0), Local(2026, 10, 25, 5, 0)),
            (std::vector<std::string>{"2026-10-25T02:30:00+03:00", "2026-10-25T03:00:00+03:00",
                                      "2026-10-25T03:30:00+03:00", "2026-10-25T04:00:00+02:00",
                                      "2026-10-25T04:30:00+02:00", "2026-10-25T05:00:00+02:00"}));
  EXPECT_EQ(Span(), 3h + 30min);  // 03:30 EEST to 04:00 EET is an hour and a half
}

}  // namespace
}  // namespace liitos
