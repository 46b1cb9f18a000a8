// StuckFiles: a file that cannot be taken is reported once per cause, rests until its next try,
// and is forgotten once taken or gone (SPEC §3 "Nothing is stuck in silence").
#include "daemon/intake/stuck_files.h"

#include <gtest/gtest.h>

namespace liitos {
namespace {

TEST(StuckFiles, OncePerCauseThenRestsUntilTheNextTry) {
  FakeClock clock;
  StuckFiles stuck(clock, std::chrono::seconds(60));
  EXPECT_FALSE(stuck.Resting("rakval", "a.csv"));
  EXPECT_TRUE(stuck.Report("rakval", "a.csv", "Permission denied"));
  EXPECT_TRUE(stuck.Resting("rakval", "a.csv"));
  EXPECT_FALSE(stuck.Resting("other", "a.csv"));
  clock.Advance(std::chrono::seconds(59));
  EXPECT_TRUE(stuck.Resting("rakval", "a.csv"));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_FALSE(stuck.Resting("rakval", "a.csv"));  // its next try is due
  EXPECT_FALSE(stuck.Report("rakval", "a.csv", "Permission denied"));  // same cause: quiet
  EXPECT_TRUE(stuck.Resting("rakval", "a.csv"));
  EXPECT_TRUE(stuck.Report("rakval", "a.csv", "Read-only file system"));  // a new cause is said
  EXPECT_EQ(stuck.Count(), 1u);
  stuck.Clear("rakval", "a.csv");
  EXPECT_EQ(stuck.Count(), 0u);
  EXPECT_FALSE(stuck.Resting("rakval", "a.csv"));
  EXPECT_TRUE(stuck.Report("rakval", "a.csv", "Permission denied"));  // stuck again: said again
}

TEST(StuckFiles, ForgetsFilesThatLeftTheDrop) {
  FakeClock clock;
  StuckFiles stuck(clock, std::chrono::seconds(60));
  stuck.Report("rakval", "a.csv", "x");
  stuck.Report("rakval", "b.csv", "x");
  stuck.Report("rakval2", "a.csv", "x");
  stuck.Retain("rakval", {"b.csv"});
  EXPECT_EQ(stuck.Count(), 2u);
  EXPECT_FALSE(stuck.Resting("rakval", "a.csv"));
  EXPECT_TRUE(stuck.Resting("rakval", "b.csv"));
  EXPECT_TRUE(stuck.Resting("rakval2", "a.csv"));  // another source's files are its own
}

}  // namespace
}  // namespace liitos
