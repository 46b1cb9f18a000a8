// Report periods in Helsinki days and hours, and the chart's geometry.

#include <gtest/gtest.h>

#include "base/time/helsinki_time.h"
#include "report/chart.h"
#include "report/period.h"

namespace liitos {
namespace {

using std::chrono::hours;

TEST(PeriodChartTest, PeriodDatesAreHelsinkiMidnights) {
  EXPECT_EQ(FormatUtcMillis(*ParseReportTime("2026-11-01")), "2026-10-31T22:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(*ParseReportTime("2026-07-01")), "2026-06-30T21:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(*ParseReportTime("2026-11-01T08:00:00+02:00")), "2026-11-01T06:00:00.000Z");
  EXPECT_FALSE(ParseReportTime("1.11.2026"));
  EXPECT_FALSE(ParseReportTime("2026-02-30"));
}

TEST(PeriodChartTest, PeriodOctoberHasADayOfTwentyFiveHours) {
  auto p = MakeReportPeriod(*ParseReportTime("2026-10-01"), *ParseReportTime("2026-11-01"));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->by_day);
  ASSERT_EQ(p->buckets.size(), 31u);
  EXPECT_EQ(p->buckets[0].label, "2026-10-01");
  EXPECT_EQ(p->buckets[0].utc.from, "2026-09-30T21:00:00.000Z");
  // Summer time ends on Sunday 25 October at 04:00: that day lasts 25 hours.
  EXPECT_EQ(p->buckets[24].label, "2026-10-25");
  EXPECT_EQ(p->buckets[24].utc.from, "2026-10-24T21:00:00.000Z");
  EXPECT_EQ(p->buckets[24].utc.to, "2026-10-25T22:00:00.000Z");
  EXPECT_EQ(p->buckets[30].utc.to, "2026-10-31T22:00:00.000Z");
  for (size_t i = 1; i < p->buckets.size(); ++i) EXPECT_EQ(p->buckets[i].utc.from, p->buckets[i - 1].utc.to);
}

TEST(PeriodChartTest, PeriodCutsAtOddTimesAndUsesHoursForShortPeriods) {
  auto p = MakeReportPeriod(*ParseReportTime("2026-11-02T12:30:00+02:00"), *ParseReportTime("2026-11-07T06:00:00+02:00"));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->buckets.size(), 6u);
  EXPECT_EQ(p->buckets[0].utc.from, "2026-11-02T10:30:00.000Z");
  EXPECT_EQ(p->buckets[0].utc.to, "2026-11-02T22:00:00.000Z");
  EXPECT_EQ(p->buckets[5].label, "2026-11-07");
  EXPECT_EQ(p->buckets[5].utc.to, "2026-11-07T04:00:00.000Z");

  auto h = MakeReportPeriod(*ParseReportTime("2026-11-02"), *ParseReportTime("2026-11-03"));
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->by_day);
  ASSERT_EQ(h->buckets.size(), 24u);
  EXPECT_EQ(h->buckets[0].label, "2026-11-02 00:00");
  EXPECT_EQ(h->buckets[23].label, "2026-11-02 23:00");

  EXPECT_FALSE(MakeReportPeriod(*ParseReportTime("2026-11-03"), *ParseReportTime("2026-11-02")).ok());
}

TEST(PeriodChartTest, ChartScalesBarsAndTheAgeLine) {
  using report_detail::LayOutChart;
  using report_detail::NiceCeiling;
  EXPECT_EQ(NiceCeiling(0), 1);
  EXPECT_EQ(NiceCeiling(7), 10);
  EXPECT_EQ(NiceCeiling(11), 20);
  EXPECT_EQ(NiceCeiling(4100), 5000);
  auto c = LayOutChart({"2026-11-01", "2026-11-02", "2026-11-03"}, {100, 50, 0}, {80, 100, 20},
                       {std::nullopt, 5.0});
  EXPECT_EQ(c.y_max, 100);
  EXPECT_EQ(c.age_max, 5);
  ASSERT_EQ(c.bars.size(), 3u);
  EXPECT_DOUBLE_EQ(c.bars[0].intake_h, c.y_bottom - c.y_top);
  EXPECT_DOUBLE_EQ(c.bars[0].intake_y, c.y_top);
  EXPECT_DOUBLE_EQ(c.bars[1].intake_h, (c.y_bottom - c.y_top) / 2);
  EXPECT_DOUBLE_EQ(c.bars[2].intake_h, 0);
  ASSERT_EQ(c.x_labels.size(), 3u);
  EXPECT_EQ(c.x_labels[1].text, "2.11.");
  // Two points: nothing pending at the end of the first day (0 h), 5 h at the end of the second.
  EXPECT_EQ(c.pending_points, "202.7,262.0 480.0,24.0");
  EXPECT_EQ(c.ticks.size(), 5u);
  EXPECT_EQ(c.ticks[4].label, "100");
}

}  // namespace
}  // namespace liitos
