#include "formats/dates.h"

#include <gtest/gtest.h>

namespace liitos {
namespace {

const std::vector<std::string> kRakval = {"%d.%m.%Y %H:%M", "%d.%m.%Y"};

std::string Norm(const std::string& text, const std::vector<std::string>& formats = kRakval) {
  auto r = NormalizeDateTime(text, formats);
  return r.ok() ? *r : "ERROR: " + r.status().message();
}

std::string NormDate(const std::string& text, const std::vector<std::string>& formats = kRakval) {
  auto r = NormalizeDateOnly(text, formats);
  return r.ok() ? *r : "ERROR: " + r.status().message();
}

TEST(DatesTest, CalendarDates) {
  EXPECT_TRUE(IsCalendarDate(2024, 2, 29));
  EXPECT_TRUE(IsCalendarDate(2000, 2, 29));
  EXPECT_FALSE(IsCalendarDate(1900, 2, 29));
  EXPECT_FALSE(IsCalendarDate(2026, 2, 29));
  EXPECT_FALSE(IsCalendarDate(2026, 2, 31));
  EXPECT_FALSE(IsCalendarDate(2026, 4, 31));
  EXPECT_FALSE(IsCalendarDate(2026, 13, 1));
  EXPECT_FALSE(IsCalendarDate(2026, 0, 1));
  EXPECT_FALSE(IsCalendarDate(2026, 1, 0));
  EXPECT_TRUE(IsCalendarDate(2026, 12, 31));
}

TEST(DatesTest, FormatIsStrictAndWhole) {
  auto v = ParseWithFormat("20.11.2026 14:05", "%d.%m.%Y %H:%M");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->year, 2026);
  EXPECT_EQ(v->month, 11);
  EXPECT_EQ(v->day, 20);
  EXPECT_TRUE(v->has_time);
  EXPECT_EQ(v->hour, 14);
  EXPECT_EQ(v->minute, 5);
  EXPECT_EQ(v->second, 0);
  EXPECT_TRUE(ParseWithFormat("2.1.2026", "%d.%m.%Y"));  // 1–2 digit day and month
  EXPECT_FALSE(ParseWithFormat("20.11.2026 14:05", "%d.%m.%Y"));  // trailing text
  EXPECT_FALSE(ParseWithFormat("20.11.2026", "%d.%m.%Y %H:%M"));  // missing time
  EXPECT_FALSE(ParseWithFormat("20.11.26", "%d.%m.%Y"));          // %Y is 4 digits
  EXPECT_FALSE(ParseWithFormat("20/11/2026", "%d.%m.%Y"));        // literal must match
  EXPECT_FALSE(ParseWithFormat("31.02.2026", "%d.%m.%Y"));        // not a real date
  EXPECT_FALSE(ParseWithFormat("20.11.2026 24:00", "%d.%m.%Y %H:%M"));
  EXPECT_FALSE(ParseWithFormat("20.11.2026 12:60", "%d.%m.%Y %H:%M"));
  EXPECT_FALSE(ParseWithFormat(" 20.11.2026", "%d.%m.%Y"));
  EXPECT_FALSE(ParseWithFormat("", "%d.%m.%Y"));
  EXPECT_FALSE(ParseWithFormat("14:05", "%H:%M"));  // no date at all
  EXPECT_FALSE(ParseWithFormat("20.11.2026", "%d.%m.%Y %Q"));
  auto z = ParseWithFormat("2026-07-01 12:00 +0100", "%Y-%m-%d %H:%M %z");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->offset_minutes, 60);
  EXPECT_TRUE(ParseWithFormat("100%20.11.2026", "100%%%d.%m.%Y"));
}

TEST(DatesTest, FormatsTriedInOrder) {
  EXPECT_EQ(Norm("20.11.2026 14:05"), "2026-11-20T14:05:00+02:00");
  EXPECT_EQ(Norm("03.11.2026"), "2026-11-03");
  EXPECT_EQ(Norm("20112026", {"%Y%m%d", "%d%m%Y"}), "2026-11-20");
  EXPECT_EQ(Norm("20261120", {"%Y%m%d", "%d%m%Y"}), "2026-11-20");
  EXPECT_EQ(Norm("2026-11-20T14:05:07", {"%Y-%m-%dT%H:%M:%S"}), "2026-11-20T14:05:07+02:00");
}

TEST(DatesTest, NotADate) {
  EXPECT_EQ(Norm("31.02.2026"), "ERROR: is not a date");
  EXPECT_EQ(Norm("29.02.2026"), "ERROR: is not a date");
  EXPECT_EQ(Norm("eilen"), "ERROR: is not a date");
  EXPECT_EQ(Norm("2026-02-30"), "ERROR: is not a date");
  EXPECT_EQ(Norm("2026-11-20T25:00"), "ERROR: is not a date");
  EXPECT_EQ(Norm("2026-11-20T14:05+2"), "ERROR: is not a date");
  EXPECT_EQ(Norm("29.02.2024"), "2024-02-29");
}

TEST(DatesTest, IsoIsAlwaysAccepted) {
  EXPECT_EQ(Norm("2026-11-03"), "2026-11-03");
  EXPECT_EQ(Norm("2026-11-20T14:05"), "2026-11-20T14:05:00+02:00");
  EXPECT_EQ(Norm("2026-11-20 14:05:09"), "2026-11-20T14:05:09+02:00");
  EXPECT_EQ(Norm("2026-11-20T14:05:09.123"), "2026-11-20T14:05:09+02:00");
  EXPECT_EQ(Norm("2026-07-01T12:00:00Z"), "2026-07-01T15:00:00+03:00");
  EXPECT_EQ(Norm("2026-07-01T12:00:00+02:00"), "2026-07-01T13:00:00+03:00");
  EXPECT_EQ(Norm("2026-01-01T00:30:00-05:00"), "2026-01-01T07:30:00+02:00");
  EXPECT_EQ(Norm("2026-12-31T23:30:00Z"), "2027-01-01T01:30:00+02:00");
  EXPECT_EQ(Norm("2026-11-20T14:05:00+02:00"), "2026-11-20T14:05:00+02:00");  // output is input
}

TEST(DatesTest, HelsinkiDst) {
  // Spring 2026: clocks go from 03:00 to 04:00 on 29 March.
  EXPECT_EQ(Norm("29.03.2026 02:30"), "2026-03-29T02:30:00+02:00");
  EXPECT_EQ(Norm("29.03.2026 04:30"), "2026-03-29T04:30:00+03:00");
  EXPECT_EQ(Norm("29.03.2026 03:30"), "ERROR: is not a valid time in Europe/Helsinki");
  EXPECT_EQ(Norm("29.03.2026 03:00"), "ERROR: is not a valid time in Europe/Helsinki");
  // Autumn 2026: 03:00–04:00 happens twice on 25 October; the first occurrence (summer time).
  EXPECT_EQ(Norm("25.10.2026 03:30"), "2026-10-25T03:30:00+03:00");
  EXPECT_EQ(Norm("25.10.2026 04:30"), "2026-10-25T04:30:00+02:00");
  EXPECT_EQ(Norm("20.11.2026 14:05"), "2026-11-20T14:05:00+02:00");
  EXPECT_EQ(Norm("01.07.2026 12:00"), "2026-07-01T12:00:00+03:00");
  // With an offset, the gap does not matter: 01:30Z is 04:30 summer time.
  EXPECT_EQ(Norm("2026-03-29T01:30:00Z"), "2026-03-29T04:30:00+03:00");
}

TEST(DatesTest, DateOnly) {
  EXPECT_EQ(NormDate("20.11.2026"), "2026-11-20");
  EXPECT_EQ(NormDate("20.11.2026 14:05"), "2026-11-20");
  EXPECT_EQ(NormDate("2026-11-20T23:30:00Z"), "2026-11-21");  // its Helsinki date
  EXPECT_EQ(NormDate("29.03.2026 03:30"), "2026-03-29");      // the date exists even if the time does not
  EXPECT_EQ(NormDate("31.11.2026"), "ERROR: is not a date");
}

// SPEC §4 "Dates": dates 1900-01-01 … 2199-12-31, date-times 1921-05-01 … 2199-12-31 in
// Helsinki time; outside, the value is refused, never delivered as another date.
TEST(DatesTest, DateRange) {
  const std::string out = "ERROR: is out of range (1900-01-01 … 2199-12-31)";
  EXPECT_EQ(Norm("31.12.1899"), out);
  EXPECT_EQ(Norm("01.01.1900"), "1900-01-01");
  EXPECT_EQ(Norm("31.12.2199"), "2199-12-31");
  EXPECT_EQ(Norm("01.01.2200"), out);
  EXPECT_EQ(Norm("0001-01-01"), out);
  EXPECT_EQ(Norm("9999-12-31"), out);
  EXPECT_EQ(Norm("1921-04-30"), "1921-04-30");  // a date needs no Helsinki offset
}

TEST(DatesTest, DateTimeRangeWithoutOffset) {
  const std::string out = "ERROR: is out of range (1921-05-01 … 2199-12-31)";
  EXPECT_EQ(Norm("01.01.2300 12:00"), out);  // once 1715-06-13 (64-bit nanoseconds overflowed)
  EXPECT_EQ(Norm("31.12.9999 23:59"), out);
  EXPECT_EQ(Norm("01.01.2200 00:00"), out);
  EXPECT_EQ(Norm("31.12.2199 23:59"), "2199-12-31T23:59:00+02:00");
  EXPECT_EQ(Norm("2199-12-31T23:59:59"), "2199-12-31T23:59:59+02:00");
  EXPECT_EQ(Norm("01.07.2199 12:00"), "2199-07-01T12:00:00+03:00");  // summer time goes on
  EXPECT_EQ(Norm("30.04.1921 23:59"), out);
  EXPECT_EQ(Norm("01.01.1900 12:00"), out);
  EXPECT_EQ(Norm("01.01.1500 12:00"), out);
  // Helsinki moved from +01:39:49 to +02:00 at 1921-05-01 00:00: the first 20 min 11 s of that
  // day never happened there.
  EXPECT_EQ(Norm("01.05.1921 00:10"), "ERROR: is not a valid time in Europe/Helsinki");
  EXPECT_EQ(Norm("1921-05-01T00:20:11"), "1921-05-01T00:20:11+02:00");
  EXPECT_EQ(Norm("01.05.1921 12:00"), "1921-05-01T12:00:00+02:00");
}

TEST(DatesTest, DateTimeRangeWithOffsetIsJudgedInHelsinkiTime) {
  const std::string out = "ERROR: is out of range (1921-05-01 … 2199-12-31)";
  EXPECT_EQ(Norm("2199-12-31T21:59:59Z"), "2199-12-31T23:59:59+02:00");
  EXPECT_EQ(Norm("2199-12-31T22:00:00Z"), out);       // 2200-01-01 00:00 in Helsinki
  EXPECT_EQ(Norm("2199-12-31T23:00:00+01:00"), out);  // likewise
  EXPECT_EQ(Norm("2200-01-01T00:30:00+03:00"), "2199-12-31T23:30:00+02:00");  // back inside
  EXPECT_EQ(Norm("2200-01-02T00:00:00+00:00"), out);
  EXPECT_EQ(Norm("2300-01-01T12:00:00Z"), out);
  EXPECT_EQ(Norm("9999-12-31T23:59:59-23:59"), out);
  EXPECT_EQ(Norm("2199-07-01T09:00:00Z"), "2199-07-01T12:00:00+03:00");
  EXPECT_EQ(Norm("1921-04-30T22:30:00Z"), "1921-05-01T00:30:00+02:00");
  EXPECT_EQ(Norm("1921-04-30T22:00:00Z"), out);       // 23:39:49 on 30 April in Helsinki
  EXPECT_EQ(Norm("1921-05-01T00:00:00+02:00"), out);  // the same instant
  EXPECT_EQ(Norm("1921-04-30T23:59:00+00:00"), "1921-05-01T01:59:00+02:00");
  EXPECT_EQ(Norm("1920-12-31T23:59:59-23:00"), out);
  EXPECT_EQ(Norm("0001-01-01T00:00:00Z"), out);
  EXPECT_EQ(Norm("01.01.2300 12:00 +0200", {"%d.%m.%Y %H:%M %z"}), out);
}

TEST(DatesTest, DecisionDateRange) {
  const std::string out = "ERROR: is out of range (1900-01-01 … 2199-12-31)";
  EXPECT_EQ(NormDate("31.12.1899"), out);
  EXPECT_EQ(NormDate("01.01.1900"), "1900-01-01");
  EXPECT_EQ(NormDate("31.12.2199"), "2199-12-31");
  EXPECT_EQ(NormDate("01.01.2200"), out);
  EXPECT_EQ(NormDate("01.01.2300 12:00"), out);
  EXPECT_EQ(NormDate("31.12.2199 23:59"), "2199-12-31");
  EXPECT_EQ(NormDate("30.04.1921 23:59"), "1921-04-30");  // a date: the date range applies
  // With an offset: the Helsinki date decides.
  EXPECT_EQ(NormDate("2199-12-31T21:00:00Z"), "2199-12-31");
  EXPECT_EQ(NormDate("2199-12-31T22:00:00Z"), out);
  EXPECT_EQ(NormDate("1899-12-31T23:00:00Z"), "1900-01-01");  // +01:39:49 then
  EXPECT_EQ(NormDate("1899-12-31T22:00:00Z"), out);
  EXPECT_EQ(NormDate("2500-06-01T12:00:00+02:00"), out);
  EXPECT_EQ(NormDate("1500-06-01T12:00:00+02:00"), out);
}

}  // namespace
}  // namespace liitos
