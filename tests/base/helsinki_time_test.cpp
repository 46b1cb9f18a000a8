#include "base/time/helsinki_time.h"

#include <date/date.h>

#include <gtest/gtest.h>

#include "tests/base/test_util.h"

namespace liitos {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test_util::Utc;

TEST(HelsinkiTimeTest, FormatHelsinkiWinterIsPlusTwo) {
  EXPECT_EQ(FormatHelsinki(Utc(2026, 11, 20, 12, 5, 0)), "2026-11-20T14:05:00+02:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 1, 1, 0, 0, 0)), "2026-01-01T02:00:00+02:00");
  EXPECT_EQ(FormatHelsinki(Utc(2025, 12, 31, 22, 0, 0)), "2026-01-01T00:00:00+02:00");
}

TEST(HelsinkiTimeTest, FormatHelsinkiSummerIsPlusThree) {
  EXPECT_EQ(FormatHelsinki(Utc(2026, 7, 1, 9, 30, 15)), "2026-07-01T12:30:15+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 6, 30, 21, 0, 0)), "2026-07-01T00:00:00+03:00");
}

TEST(HelsinkiTimeTest, FormatHelsinkiDropsSubSeconds) {
  EXPECT_EQ(FormatHelsinki(Utc(2026, 11, 20, 12, 5, 0, 999)), "2026-11-20T14:05:00+02:00");
}

TEST(HelsinkiTimeTest, FormatHelsinkiSpringForward2026) {
  // Clocks go from 03:00 EET to 04:00 EEST at 01:00 UTC on the last Sunday of March.
  EXPECT_EQ(FormatHelsinki(Utc(2026, 3, 29, 0, 59, 59)), "2026-03-29T02:59:59+02:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 3, 29, 1, 0, 0)), "2026-03-29T04:00:00+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 3, 29, 1, 0, 0) - milliseconds(1)), "2026-03-29T02:59:59+02:00");
}

TEST(HelsinkiTimeTest, FormatHelsinkiFallBack2026) {
  // Clocks go from 04:00 EEST back to 03:00 EET at 01:00 UTC on the last Sunday of October.
  EXPECT_EQ(FormatHelsinki(Utc(2026, 10, 25, 0, 30, 0)), "2026-10-25T03:30:00+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 10, 25, 0, 59, 59)), "2026-10-25T03:59:59+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 10, 25, 1, 0, 0)), "2026-10-25T03:00:00+02:00");
  EXPECT_EQ(FormatHelsinki(Utc(2026, 10, 25, 1, 30, 0)), "2026-10-25T03:30:00+02:00");
}

TEST(HelsinkiTimeTest, ShowHelsinkiABlankBetweenDateAndTimeAndTheOffsetInForce) {
  EXPECT_EQ(ShowHelsinki(Utc(2026, 11, 20, 12, 5, 0, 999)), "2026-11-20 14:05:00+02:00");
  EXPECT_EQ(ShowHelsinki(Utc(2026, 7, 1, 9, 30, 15)), "2026-07-01 12:30:15+03:00");
  EXPECT_EQ(ShowHelsinki(Utc(2026, 11, 20, 12, 5, 0, 7), /*millis=*/true), "2026-11-20 14:05:00.007+02:00");
}

TEST(HelsinkiTimeTest, ShowHelsinkiJournalTextReadsBackAndNonTimesStayAsTheyAre) {
  EXPECT_EQ(ShowHelsinki(std::string("2026-10-25T01:30:00.250Z")), "2026-10-25 03:30:00+02:00");
  EXPECT_EQ(ShowHelsinki(std::string("2026-10-25T01:30:00.250Z"), true), "2026-10-25 03:30:00.250+02:00");
  EXPECT_EQ(ShowHelsinki(std::string()), "");
  EXPECT_EQ(ShowHelsinki(std::string("-")), "-");
  for (SysTime t : {Utc(2026, 3, 29, 1, 0, 0), Utc(2026, 10, 25, 0, 30, 0, 120)}) {
    EXPECT_EQ(ParseIsoInstant(ShowHelsinki(t, true)), t) << ShowHelsinki(t, true);
  }
}

TEST(HelsinkiTimeTest, ToHelsinkiFieldsAndWeekday) {
  CivilTime c = ToHelsinki(Utc(2026, 11, 20, 12, 5, 7));
  EXPECT_EQ(c.year, 2026);
  EXPECT_EQ(c.month, 11);
  EXPECT_EQ(c.day, 20);
  EXPECT_EQ(c.hour, 14);
  EXPECT_EQ(c.minute, 5);
  EXPECT_EQ(c.second, 7);
  EXPECT_EQ(c.weekday, 5);  // Friday
  EXPECT_EQ(c.offset_minutes, 120);

  CivilTime summer = ToHelsinki(Utc(2026, 3, 29, 1, 0, 0));
  EXPECT_EQ(summer.weekday, 0);  // Sunday
  EXPECT_EQ(summer.offset_minutes, 180);
}

TEST(HelsinkiTimeTest, ToHelsinkiWeekdayFollowsLocalDate) {
  // 22:30 UTC on Saturday 3 Jan 2026 is already Sunday 00:30 in Helsinki.
  CivilTime c = ToHelsinki(Utc(2026, 1, 3, 22, 30, 0));
  EXPECT_EQ(c.day, 4);
  EXPECT_EQ(c.hour, 0);
  EXPECT_EQ(c.weekday, 0);
  EXPECT_EQ(ToHelsinki(Utc(2026, 1, 3, 21, 30, 0)).weekday, 6);
}

TEST(HelsinkiTimeTest, ToHelsinkiInstantBeforeEpochFloorsToWholeSecond) {
  CivilTime c = ToHelsinki(SysTime(milliseconds(-500)));  // 1969-12-31T23:59:59.500Z
  EXPECT_EQ(c.year, 1970);
  EXPECT_EQ(c.hour, 1);
  EXPECT_EQ(c.minute, 59);
  EXPECT_EQ(c.second, 59);
}

TEST(HelsinkiTimeTest, FromHelsinkiOrdinaryTimes) {
  EXPECT_EQ(FromHelsinki(2026, 11, 20, 14, 5, 0), Utc(2026, 11, 20, 12, 5, 0));
  EXPECT_EQ(FromHelsinki(2026, 7, 1, 12, 30, 15), Utc(2026, 7, 1, 9, 30, 15));
  EXPECT_EQ(FromHelsinki(2026, 1, 1, 0, 0, 0), Utc(2025, 12, 31, 22, 0, 0));
}

TEST(HelsinkiTimeTest, FromHelsinkiSkippedHourDoesNotExist) {
  EXPECT_EQ(FromHelsinki(2026, 3, 29, 3, 30, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 3, 29, 3, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 3, 29, 3, 59, 59), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 3, 29, 2, 59, 59), Utc(2026, 3, 29, 0, 59, 59));
  EXPECT_EQ(FromHelsinki(2026, 3, 29, 4, 0, 0), Utc(2026, 3, 29, 1, 0, 0));
}

TEST(HelsinkiTimeTest, FromHelsinkiRepeatedHourResolvesToEarlierInstant) {
  EXPECT_EQ(FromHelsinki(2026, 10, 25, 3, 30, 0), Utc(2026, 10, 25, 0, 30, 0));  // 03:30+03:00
  EXPECT_EQ(FromHelsinki(2026, 10, 25, 3, 0, 0), Utc(2026, 10, 25, 0, 0, 0));
  EXPECT_EQ(FromHelsinki(2026, 10, 25, 4, 0, 0), Utc(2026, 10, 25, 2, 0, 0));
  EXPECT_EQ(FromHelsinki(2026, 10, 25, 2, 59, 59), Utc(2026, 10, 24, 23, 59, 59));
}

// The OS's tz files list changes up to 2037; after that the EU rule goes on (summer time from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October).
TEST(HelsinkiTimeTest, SummerTimeGoesOnAfter2037) {
  EXPECT_EQ(FormatHelsinki(Utc(2037, 7, 1, 9, 0, 0)), "2037-07-01T12:00:00+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2038, 7, 1, 9, 0, 0)), "2038-07-01T12:00:00+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2038, 1, 15, 10, 0, 0)), "2038-01-15T12:00:00+02:00");
  EXPECT_EQ(FormatHelsinki(Utc(2199, 7, 1, 9, 0, 0)), "2199-07-01T12:00:00+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2199, 12, 31, 21, 59, 59)), "2199-12-31T23:59:59+02:00");
  // 2150: summer time from 29 March to 25 October.
  EXPECT_EQ(FormatHelsinki(Utc(2150, 3, 29, 0, 59, 59)), "2150-03-29T02:59:59+02:00");
  EXPECT_EQ(FormatHelsinki(Utc(2150, 3, 29, 1, 0, 0)), "2150-03-29T04:00:00+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2150, 10, 25, 0, 59, 59)), "2150-10-25T03:59:59+03:00");
  EXPECT_EQ(FormatHelsinki(Utc(2150, 10, 25, 1, 0, 0)), "2150-10-25T03:00:00+02:00");
  EXPECT_EQ(FromHelsinki(2038, 7, 1, 12, 0, 0), Utc(2038, 7, 1, 9, 0, 0));
  EXPECT_EQ(FromHelsinki(2199, 7, 1, 12, 0, 0), Utc(2199, 7, 1, 9, 0, 0));
  EXPECT_EQ(FromHelsinki(2199, 12, 31, 23, 59, 59), Utc(2199, 12, 31, 21, 59, 59));
  EXPECT_EQ(FromHelsinki(2150, 3, 29, 3, 30, 0), std::nullopt);                    // skipped
  EXPECT_EQ(FromHelsinki(2150, 3, 29, 4, 0, 0), Utc(2150, 3, 29, 1, 0, 0));
  EXPECT_EQ(FromHelsinki(2150, 10, 25, 3, 30, 0), Utc(2150, 10, 25, 0, 30, 0));  // the earlier
  EXPECT_EQ(FromHelsinki(2150, 10, 25, 4, 0, 0), Utc(2150, 10, 25, 2, 0, 0));
  // The last listed change (2037) is the tz files' own.
  EXPECT_EQ(FromHelsinki(2037, 10, 25, 3, 30, 0), Utc(2037, 10, 25, 0, 30, 0));
  EXPECT_EQ(FromHelsinki(2037, 10, 25, 4, 30, 0), Utc(2037, 10, 25, 2, 30, 0));
  // Years without summer time in Finland stay so.
  EXPECT_EQ(FormatHelsinki(Utc(1960, 7, 1, 10, 0, 0)), "1960-07-01T12:00:00+02:00");
  EXPECT_EQ(FromHelsinki(1960, 7, 1, 12, 0, 0), Utc(1960, 7, 1, 10, 0, 0));
}

TEST(HelsinkiTimeTest, FromHelsinkiInvalidFieldsAreNullopt) {
  EXPECT_EQ(FromHelsinki(2026, 2, 30, 12, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 2, 29, 12, 0, 0), std::nullopt);
  EXPECT_TRUE(FromHelsinki(2028, 2, 29, 12, 0, 0).has_value());
  EXPECT_EQ(FromHelsinki(2026, 4, 31, 12, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 13, 1, 12, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 0, 1, 12, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, -1, 1, 12, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 1, 0, 12, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 1, 1, 24, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 1, 1, -1, 0, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 1, 1, 12, 60, 0), std::nullopt);
  EXPECT_EQ(FromHelsinki(2026, 1, 1, 12, 0, 60), std::nullopt);
}

TEST(HelsinkiTimeTest, FromHelsinkiRoundTripsThroughToHelsinki) {
  for (SysTime t = Utc(2026, 3, 28); t < Utc(2026, 3, 31); t += std::chrono::minutes(17)) {
    CivilTime c = ToHelsinki(t);
    EXPECT_EQ(FromHelsinki(c.year, c.month, c.day, c.hour, c.minute, c.second), t) << FormatHelsinki(t);
  }
}

TEST(HelsinkiTimeTest, FormatUtcMillisWritesMillisecondsAndZ) {
  EXPECT_EQ(FormatUtcMillis(Utc(2026, 11, 20, 12, 5, 0, 123)), "2026-11-20T12:05:00.123Z");
  EXPECT_EQ(FormatUtcMillis(Utc(2026, 11, 20, 12, 5, 0)), "2026-11-20T12:05:00.000Z");
  EXPECT_EQ(FormatUtcMillis(Utc(2026, 1, 2, 3, 4, 5, 7)), "2026-01-02T03:04:05.007Z");
  EXPECT_EQ(FormatUtcMillis(SysTime()), "1970-01-01T00:00:00.000Z");
  // Sub-millisecond parts are cut, not rounded up into the next second.
  EXPECT_EQ(FormatUtcMillis(Utc(2026, 1, 1, 0, 0, 59, 999) + std::chrono::microseconds(999)),
            "2026-01-01T00:00:59.999Z");
}

TEST(HelsinkiTimeTest, FormatUtcMillisAgreesWithTheDateLibrary) {
  // The hand-written formatter against date::format, over leap days, year ends and odd millis.
  SysTime t = Utc(1999, 12, 31, 23, 59, 59, 1);
  for (int i = 0; i < 20000; ++i, t += std::chrono::milliseconds(7919LL * 3600 + 997)) {
    auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
    ASSERT_EQ(FormatUtcMillis(t), date::format("%Y-%m-%dT%H:%M:%SZ", ms)) << i;
  }
}

TEST(HelsinkiTimeTest, ParseIsoInstantRoundTripsFormatUtcMillis) {
  for (SysTime t : {Utc(2026, 11, 20, 12, 5, 0, 123), Utc(2026, 3, 29, 1, 0, 0), Utc(1999, 12, 31, 23, 59, 59, 999),
                    SysTime()}) {
    auto parsed = ParseIsoInstant(FormatUtcMillis(t));
    ASSERT_TRUE(parsed.has_value()) << FormatUtcMillis(t);
    EXPECT_EQ(*parsed, t);
  }
}

TEST(HelsinkiTimeTest, ParseIsoInstantRoundTripsFormatHelsinki) {
  for (SysTime t : {Utc(2026, 11, 20, 12, 5, 0), Utc(2026, 7, 1, 9, 30, 15), Utc(2026, 10, 25, 0, 30, 0),
                    Utc(2026, 10, 25, 1, 30, 0)}) {
    EXPECT_EQ(ParseIsoInstant(FormatHelsinki(t)), t) << FormatHelsinki(t);
  }
}

TEST(HelsinkiTimeTest, ParseIsoInstantPlainDateIsMidnightUtc) {
  EXPECT_EQ(ParseIsoInstant("2026-11-20"), Utc(2026, 11, 20));
  EXPECT_EQ(ParseIsoInstant("2028-02-29"), Utc(2028, 2, 29));
}

TEST(HelsinkiTimeTest, ParseIsoInstantOffsets) {
  EXPECT_EQ(ParseIsoInstant("2026-11-20T14:05:00+02:00"), Utc(2026, 11, 20, 12, 5, 0));
  EXPECT_EQ(ParseIsoInstant("2026-11-20T07:05:00-05:00"), Utc(2026, 11, 20, 12, 5, 0));
  EXPECT_EQ(ParseIsoInstant("2026-11-20T17:35:00+05:30"), Utc(2026, 11, 20, 12, 5, 0));
  EXPECT_EQ(ParseIsoInstant("2026-11-20T12:05:00+00:00"), Utc(2026, 11, 20, 12, 5, 0));
  EXPECT_EQ(ParseIsoInstant("2026-11-20T12:05:00Z"), Utc(2026, 11, 20, 12, 5, 0));
  EXPECT_EQ(ParseIsoInstant("2026-01-01T01:00:00+02:00"), Utc(2025, 12, 31, 23, 0, 0));
}

TEST(HelsinkiTimeTest, ParseIsoInstantFractionalSeconds) {
  EXPECT_EQ(ParseIsoInstant("2026-11-20T12:05:00.5Z"), Utc(2026, 11, 20, 12, 5, 0, 500));
  EXPECT_EQ(ParseIsoInstant("2026-11-20T12:05:00.123456Z"), Utc(2026, 11, 20, 12, 5, 0, 123));
  EXPECT_EQ(ParseIsoInstant("2026-11-20T14:05:00.250+02:00"), Utc(2026, 11, 20, 12, 5, 0, 250));
}

TEST(HelsinkiTimeTest, ParseIsoInstantRejectsGarbage) {
  for (const char* bad : {"", "yesterday", "2026", "2026-11", "2026-02-30", "2026-13-01", "2026-11-20x",
                          "2026-11-20T", "2026-11-20T14:05", "2026-11-20T14:05:00+02", "2026-11-20T14:05:00Q",
                          "2026-11-20T25:00:00Z", "2026-11-20T14:60:00Z", "2026-11-20T14:05:61Z",
                          "2026-11-20T14:05:00+02:00junk", "2026-11-20T14:05:00Zjunk", "2026-11-20T14:05:00+25:00",
                          "2026-11-20_14:05:00Z", "2026-11-20 ", "2026-11-2014:05:00Z"}) {
    EXPECT_EQ(ParseIsoInstant(bad), std::nullopt) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace liitos
