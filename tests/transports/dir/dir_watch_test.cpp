// DirWatch (inotify + rescan safety net) and SettleTracker on their own.
#include <gtest/gtest.h>

#include "tests/transports/dir/dir_test_util.h"
#include "transports/dir/dir_watch.h"
#include "transports/dir/settle.h"

namespace liitos::dirtest {
namespace {

using std::chrono::seconds;

TEST(DirWatchTest, ScanIsDueFirstAfterEventsAndAfterRescan) {
  test_util::ScratchDir dir;
  std::string root = dir.path().string();
  FakeClock clock;
  DirWatch watch(root, seconds(60), &clock);
  ASSERT_TRUE(watch.watching());
  EXPECT_TRUE(watch.ScanDue());  // never listed
  watch.Scanned();
  EXPECT_FALSE(watch.ScanDue());
  clock.Advance(seconds(59));
  EXPECT_FALSE(watch.ScanDue());
  clock.Advance(seconds(1));
  EXPECT_TRUE(watch.ScanDue());  // the safety net
  watch.Scanned();
  WriteText(root + "/x.csv", "x");
  EXPECT_TRUE(watch.ScanDue());  // inotify saw it
  watch.Scanned();
  EXPECT_FALSE(watch.ScanDue());
}

TEST(DirWatchTest, LostWatchForcesListingsAndIsRestored) {
  test_util::ScratchDir dir;
  std::string root = dir.path().string();
  std::string inbox = root + "/in";
  std::filesystem::create_directories(inbox);
  FakeClock clock;
  DirWatch watch(inbox, seconds(60), &clock);
  watch.Scanned();
  std::filesystem::remove_all(inbox);
  EXPECT_TRUE(watch.ScanDue());
  watch.Scanned();
  EXPECT_TRUE(watch.ScanDue());  // no watch: every call lists
  std::filesystem::create_directories(inbox);
  EXPECT_TRUE(watch.ScanDue());  // re-adds the watch
  watch.Scanned();
  EXPECT_TRUE(watch.watching());
  EXPECT_FALSE(watch.ScanDue());
}

TEST(DirWatchTest, SettleTrackerForgetsFilesNotSeenInTheLatestListing) {
  SettleTracker t(seconds(5));
  FakeClock clock;
  FileStamp a{1, 2, 3, 4, 5};
  t.BeginScan();
  EXPECT_FALSE(t.Observe("a", a, clock.Monotonic()));
  t.EndScan();
  EXPECT_EQ(t.pending(), 1u);
  clock.Advance(seconds(5));
  t.BeginScan();
  EXPECT_TRUE(t.Observe("a", a, clock.Monotonic()));
  t.EndScan();
  EXPECT_EQ(t.pending(), 0u);
  t.BeginScan();
  t.EndScan();  // "a" went away
  EXPECT_EQ(t.size(), 0u);
}

TEST(DirWatchTest, SettleTrackerZeroSettleTakesOnFirstSight) {
  SettleTracker t(seconds(0));
  FakeClock clock;
  t.BeginScan();
  EXPECT_TRUE(t.Observe("a", FileStamp{}, clock.Monotonic()));
}

}  // namespace
}  // namespace liitos::dirtest
