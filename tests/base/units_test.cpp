#include "base/time/units.h"

#include <gtest/gtest.h>

namespace liitos {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(UnitsTest, ParseDurationSingleUnits) {
  EXPECT_EQ(ParseDuration("500ms"), Millis(500));
  EXPECT_EQ(ParseDuration("5s"), seconds(5));
  EXPECT_EQ(ParseDuration("15m"), minutes(15));
  EXPECT_EQ(ParseDuration("15min"), minutes(15));
  EXPECT_EQ(ParseDuration("2h"), hours(2));
  EXPECT_EQ(ParseDuration("1d"), hours(24));
  EXPECT_EQ(ParseDuration("0s"), Millis(0));
}

TEST(UnitsTest, ParseDurationCompoundDurations) {
  EXPECT_EQ(ParseDuration("1h30m"), minutes(90));
  EXPECT_EQ(ParseDuration("1m30s"), seconds(90));
  EXPECT_EQ(ParseDuration("1d2h3m4s5ms"), hours(26) + minutes(3) + seconds(4) + Millis(5));
}

TEST(UnitsTest, ParseDurationRejectsMalformed) {
  for (const char* bad : {"", "5", "5x", "-1s", "s", "ms", "1.5h", "5 s", " 5s", "5s ", "5S", "1h30", "h1",
                          "5sec", "1w", "+5s", "5s-", "1y"})
    EXPECT_EQ(ParseDuration(bad), std::nullopt) << '"' << bad << '"';
}

TEST(UnitsTest, ParseDurationRejectsOverflow) {
  EXPECT_EQ(ParseDuration("99999999999999999999s"), std::nullopt);
  EXPECT_EQ(ParseDuration("999999999999999d"), std::nullopt);
  // Each part alone fits, their sum does not.
  std::string many;
  for (int i = 0; i < 8; ++i) many += "50000000000d";
  EXPECT_EQ(ParseDuration(many), std::nullopt);
}

TEST(UnitsTest, ParseSizeBinaryAndDecimalUnits) {
  EXPECT_EQ(ParseSize("100"), 100u);
  EXPECT_EQ(ParseSize("100B"), 100u);
  EXPECT_EQ(ParseSize("512KiB"), 512u * 1024);
  EXPECT_EQ(ParseSize("10MiB"), 10u * 1024 * 1024);
  EXPECT_EQ(ParseSize("1GiB"), 1ull << 30);
  EXPECT_EQ(ParseSize("2TiB"), 2ull << 40);
  EXPECT_EQ(ParseSize("10M"), 10u * 1024 * 1024);
  EXPECT_EQ(ParseSize("3kB"), 3000u);
  EXPECT_EQ(ParseSize("5MB"), 5'000'000u);
  EXPECT_EQ(ParseSize("2GB"), 2'000'000'000u);
  EXPECT_EQ(ParseSize("0"), 0u);
}

TEST(UnitsTest, ParseSizeRejectsMalformed) {
  for (const char* bad : {"", "MiB", "10 MiB", "10mib", "10XiB", "-1", "1.5GiB", "10MiBs", "0x10", " 10", "10KIB"})
    EXPECT_EQ(ParseSize(bad), std::nullopt) << '"' << bad << '"';
}

TEST(UnitsTest, ParseSizeRejectsOverflow) {
  EXPECT_EQ(ParseSize("99999999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseSize("16777216TiB"), std::nullopt);  // 2^24 * 2^40 = 2^64
  EXPECT_EQ(ParseSize("16777215TiB"), 16777215ull << 40);
}

TEST(UnitsTest, FormatDurationShapes) {
  EXPECT_EQ(FormatDuration(seconds(5)), "5s");
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(Millis(250)), "250ms");
  EXPECT_EQ(FormatDuration(Millis(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(Millis(0)), "0s");
  EXPECT_EQ(FormatDuration(minutes(15)), "15m");
  EXPECT_EQ(FormatDuration(hours(2)), "2h");
  EXPECT_EQ(FormatDuration(minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(hours(1) + seconds(1)), "1h1s");
  EXPECT_EQ(FormatDuration(hours(24)), "24h");
}

TEST(UnitsTest, FormatDurationRoundTripsThroughParseDuration) {
  for (Millis d : {Millis(0), Millis(1), Millis(250), Millis(1500), Millis(5000), Millis(90'000),
                   Millis(3'600'000), Millis(5'401'000), Millis(86'400'000), Millis(90'061'000)}) {
    auto back = ParseDuration(FormatDuration(d));
    ASSERT_TRUE(back.has_value()) << FormatDuration(d);
    EXPECT_EQ(*back, d) << FormatDuration(d);
  }
}

}  // namespace
}  // namespace liitos
