// CronExpr: parsing, and Next in Europe/Helsinki time across DST changes.

#include <gtest/gtest.h>

#include <functional>

#include "base/time/helsinki_time.h"
#include "config/cron.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;

// A Helsinki local time that exists.
SysTime Local(int y, int mo, int d, int h, int mi, int s = 0) {
  std::optional<SysTime> t = FromHelsinki(y, mo, d, h, mi, s);
  EXPECT_TRUE(t.has_value()) << y << "-" << mo << "-" << d << " " << h << ":" << mi;
  return t.value_or(SysTime{});
}

CronExpr Cron(const std::string& text) {
  Result<CronExpr> c = CronExpr::Parse(text);
  EXPECT_TRUE(c.ok()) << text << ": " << c.status().message();
  return c.ok() ? *c : *CronExpr::Parse("* * * * *");
}

std::string NextAfter(const std::string& expr, SysTime after) { return FormatHelsinki(Cron(expr).Next(after)); }

// The first `n` firings after `after`.
std::vector<std::string> Firings(const std::string& expr, SysTime after, int n) {
  CronExpr c = Cron(expr);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    after = c.Next(after);
    out.push_back(FormatHelsinki(after));
  }
  return out;
}

TEST(CronTest, ParseErrors) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"", "expected 5 fields"},
      {"* * * *", "expected 5 fields"},
      {"* * * * * *", "expected 5 fields"},
      {"60 * * * *", "minute field '60': 60 is out of range 0-59"},
      {"* 24 * * *", "hour field '24': 24 is out of range 0-23"},
      {"* * 0 * *", "day-of-month field '0': 0 is out of range 1-31"},
      {"* * 32 * *", "day-of-month field '32'"},
      {"* * * 13 *", "month field '13': 13 is out of range 1-12"},
      {"* * * 0 *", "month field '0'"},
      {"* * * * 8", "day-of-week field '8': 8 is out of range 0-7"},
      {"20-5 * * * *", "minute field '20-5': range 20-5 goes backwards"},
      {"*/0 * * * *", "step must be at least 1"},
      {"*/x * * * *", "step 'x' is not a number"},
      {"5/ * * * *", "step '' is not a number"},
      {"x * * * *", "minute field 'x': 'x' is not a number"},
      {"1,,2 * * * *", "empty list item"},
      {"1, * * * *", "empty list item"},
      {"1- * * * *", "a value is missing"},
      {"-1 * * * *", "a value is missing"},
      {"99999 * * * *", "out of range"},
      {"* * * foo *", "'foo' is not a number"},
      {"0 0 31 2 *", "never"},
      {"0 0 30,31 2 *", "never"},
  };
  for (const Case& c : cases) {
    Result<CronExpr> r = CronExpr::Parse(c.text);
    ASSERT_FALSE(r.ok()) << "'" << c.text << "' parsed";
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << "'" << c.text << "': " << r.status().message();
  }
}

TEST(CronTest, ParseValidForms) {
  for (const char* text : {"* * * * *", "*/15 * * * *", "0 9 * * 1-5", "0 0 1 * *", "5-20/5 * * * *",
                           "0,30 8,17 * * *", "0 12 * * 7", "0 12 * * 0-7", "  0\t12 * *   * ", "0 9 * jan-MAR Mon-fri",
                           "10/20 * * * *", "0 0 29 2 *", "0 0 31 2 1"}) {
    EXPECT_TRUE(CronExpr::Parse(text).ok()) << text;
  }
  EXPECT_EQ(Cron("*/15 * * * *").text(), "*/15 * * * *");
}

TEST(CronTest, NextEveryQuarterHour) {
  EXPECT_EQ(Firings("*/15 * * * *", Local(2026, 11, 20, 14, 5, 30), 4),
            (std::vector<std::string>{"2026-11-20T14:15:00+02:00", "2026-11-20T14:30:00+02:00",
                                      "2026-11-20T14:45:00+02:00", "2026-11-20T15:00:00+02:00"}));
}

TEST(CronTest, NextStrictlyAfter) {
  EXPECT_EQ(NextAfter("0 12 * * *", Local(2026, 6, 1, 12, 0)), "2026-06-02T12:00:00+03:00");
  EXPECT_EQ(NextAfter("0 12 * * *", Local(2026, 6, 1, 12, 0) - 1ms), "2026-06-01T12:00:00+03:00");
  EXPECT_EQ(NextAfter("* * * * *", Local(2026, 6, 1, 12, 0, 59) + 999ms), "2026-06-01T12:01:00+03:00");
}

TEST(CronTest, NextWeekdaysAtNine) {
  // Friday 2026-11-20 → Monday 2026-11-23.
  EXPECT_EQ(Firings("0 9 * * 1-5", Local(2026, 11, 20, 8, 0), 3),
            (std::vector<std::string>{"2026-11-20T09:00:00+02:00", "2026-11-23T09:00:00+02:00",
                                      "2026-11-24T09:00:00+02:00"}));
}

TEST(CronTest, NextFirstOfMonthAndYearEnd) {
  EXPECT_EQ(Firings("0 0 1 * *", Local(2026, 11, 15, 12, 0), 3),
            (std::vector<std::string>{"2026-12-01T00:00:00+02:00", "2027-01-01T00:00:00+02:00",
                                      "2027-02-01T00:00:00+02:00"}));
  EXPECT_EQ(NextAfter("0 0 1 1 *", Local(2026, 1, 1, 0, 0)), "2027-01-01T00:00:00+02:00");
}

TEST(CronTest, NextStepsWithinARange) {
  EXPECT_EQ(Firings("5-20/5 * * * *", Local(2026, 5, 4, 10, 0), 5),
            (std::vector<std::string>{"2026-05-04T10:05:00+03:00", "2026-05-04T10:10:00+03:00",
                                      "2026-05-04T10:15:00+03:00", "2026-05-04T10:20:00+03:00",
                                      "2026-05-04T11:05:00+03:00"}));
  EXPECT_EQ(Firings("10/20 * * * *", Local(2026, 5, 4, 10, 0), 3),
            (std::vector<std::string>{"2026-05-04T10:10:00+03:00", "2026-05-04T10:30:00+03:00",
                                      "2026-05-04T10:50:00+03:00"}));
}

TEST(CronTest, NextLists) {
  EXPECT_EQ(Firings("0,30 8,17 * * *", Local(2026, 5, 4, 9, 0), 4),
            (std::vector<std::string>{"2026-05-04T17:00:00+03:00", "2026-05-04T17:30:00+03:00",
                                      "2026-05-05T08:00:00+03:00", "2026-05-05T08:30:00+03:00"}));
}

TEST(CronTest, NextSundayIsZeroOrSeven) {
  // 2026-11-22 is a Sunday.
  EXPECT_EQ(NextAfter("0 12 * * 7", Local(2026, 11, 18, 0, 0)), "2026-11-22T12:00:00+02:00");
  EXPECT_EQ(NextAfter("0 12 * * 0", Local(2026, 11, 18, 0, 0)), "2026-11-22T12:00:00+02:00");
  EXPECT_EQ(NextAfter("0 12 * * sun", Local(2026, 11, 18, 0, 0)), "2026-11-22T12:00:00+02:00");
  EXPECT_EQ(NextAfter("0 12 * * 5-7", Local(2026, 11, 21, 13, 0)), "2026-11-22T12:00:00+02:00");
}

TEST(CronTest, NextDayOfMonthOrDayOfWeekWhenBothRestricted) {
  // Vixie cron: the 13th, or any Friday. 2026-10-13 is a Tuesday, 2026-10-16 a Friday.
  EXPECT_EQ(Firings("0 0 13 * 5", Local(2026, 10, 10, 0, 0), 3),
            (std::vector<std::string>{"2026-10-13T00:00:00+03:00", "2026-10-16T00:00:00+03:00",
                                      "2026-10-23T00:00:00+03:00"}));
  // A '*'-led day field counts as unrestricted: odd days that are Mondays (2026-11-09).
  EXPECT_EQ(NextAfter("0 0 */2 * 1", Local(2026, 11, 1, 0, 0)), "2026-11-09T00:00:00+02:00");
}

TEST(CronTest, NextLeapDay) {
  EXPECT_EQ(NextAfter("0 0 29 2 *", Local(2026, 3, 1, 0, 0)), "2028-02-29T00:00:00+02:00");
}

TEST(CronTest, DstSpringForwardSkipsTheMissingHour) {
  // 2026-03-29: 03:00 EET becomes 04:00 EEST; 03:30 does not exist that day.
  EXPECT_EQ(Firings("30 3 * * *", Local(2026, 3, 28, 4, 0), 2),
            (std::vector<std::string>{"2026-03-30T03:30:00+03:00", "2026-03-31T03:30:00+03:00"}));
  EXPECT_EQ(NextAfter("30 3 * * *", Local(2026, 3, 29, 2, 59)), "2026-03-30T03:30:00+03:00");
  // Quarter hours go from 02:45 EET straight to 04:00 EEST, 15 real minutes later.
  SysTime before = Local(2026, 3, 29, 2, 45);
  SysTime next = Cron("*/15 * * * *").Next(before);
  EXPECT_EQ(FormatHelsinki(next), "2026-03-29T04:00:00+03:00");
  EXPECT_EQ(next - before, 15min);
  // Hourly through the change: 02:00, 04:00 (no 03:00), 05:00.
  EXPECT_EQ(Firings("0 * * * *", Local(2026, 3, 29, 1, 30), 3),
            (std::vector<std::string>{"2026-03-29T02:00:00+02:00", "2026-03-29T04:00:00+03:00",
                                      "2026-03-29T05:00:00+03:00"}));
}

TEST(CronTest, DstFallBackFiresOnce) {
  // 2026-10-25: 04:00 EEST becomes 03:00 EET; 03:00–03:59 happen twice.
  EXPECT_EQ(Firings("30 3 * * *", Local(2026, 10, 24, 12, 0), 3),
            (std::vector<std::string>{"2026-10-25T03:30:00+03:00",
                                      "2026-10-26T03:30:00+02:00", "2026-10-27T03:30:00+02:00"}));
  // From inside the second 03:xx the first occurrence is already past: nothing more that day.
  SysTime second_three_ten = Local(2026, 10, 25, 3, 10) + 1h;
  EXPECT_EQ(FormatHelsinki(second_three_ten), "2026-10-25T03:10:00+02:00");
  EXPECT_EQ(NextAfter("30 3 * * *", second_three_ten), "2026-10-26T03:30:00+02:00");
  EXPECT_EQ(NextAfter("*/15 * * * *", second_three_ten), "2026-10-25T04:00:00+02:00");
  // Hourly: 02:00 +03, 03:00 +03, then 04:00 +02 (two real hours later).
  EXPECT_EQ(Firings("0 * * * *", Local(2026, 10, 25, 1, 30), 3),
            (std::vector<std::string>{"2026-10-25T02:00:00+03:00", "2026-10-25T03:00:00+03:00",
                                      "2026-10-25T04:00:00+02:00"}));
}

// Reference: walk every minute in UTC and keep the matching first occurrences of local times.
SysTime BruteNext(const std::function<bool(const CivilTime&)>& match, SysTime after) {
  SysTime t = std::chrono::floor<std::chrono::minutes>(after) + 1min;
  for (int i = 0; i < 60 * 24 * 40; ++i, t += 1min) {
    CivilTime c = ToHelsinki(t);
    if (!match(c)) continue;
    if (FromHelsinki(c.year, c.month, c.day, c.hour, c.minute, 0) == t) return t;
  }
  return SysTime::max();
}

TEST(CronTest, DstAgreesWithMinuteByMinuteWalkAroundBothChanges) {
  struct Case {
    const char* expr;
    std::function<bool(const CivilTime&)> match;
  } cases[] = {
      {"*/15 * * * *", [](const CivilTime& c) { return c.minute % 15 == 0; }},
      {"30 3 * * *", [](const CivilTime& c) { return c.hour == 3 && c.minute == 30; }},
      {"0 2-4 * * *", [](const CivilTime& c) { return c.minute == 0 && c.hour >= 2 && c.hour <= 4; }},
      {"59 3 * * 0", [](const CivilTime& c) { return c.minute == 59 && c.hour == 3 && c.weekday == 0; }},
      {"0,20 * 25,29 * *", [](const CivilTime& c) { return c.minute % 20 == 0 && c.minute != 40 && (c.day == 25 || c.day == 29); }},
  };
  for (const Case& c : cases) {
    CronExpr cron = Cron(c.expr);
    for (SysTime start : {Local(2026, 3, 28, 22, 0), Local(2026, 10, 24, 22, 0)}) {
      SysTime t = start;
      for (int step = 0; step < 400 && t < start + 30h; ++step) {
        SysTime want = BruteNext(c.match, t);
        SysTime got = cron.Next(t);
        ASSERT_EQ(FormatHelsinki(got), FormatHelsinki(want)) << c.expr << " after " << FormatHelsinki(t);
        ASSERT_EQ(got, want);
        t += 13min;  // also probe from times that are not firings
      }
    }
  }
}

TEST(CronTest, NextFarAwayFiringsAreFound) {
  // A yearly schedule, two hundred times over: Next skips by months and days, not minutes.
  CronExpr yearly = Cron("0 0 1 1 *");
  SysTime t = Local(2026, 6, 1, 0, 0);
  for (int i = 0; i < 200; ++i) t = yearly.Next(t);
  EXPECT_EQ(FormatHelsinki(t), "2226-01-01T00:00:00+02:00");
}

}  // namespace
}  // namespace liitos
