// Discovery in a dir source: settle on the fake clock, done markers, ignored names, include globs,
// refused entries, inotify wake-ups and many files at once.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/transports/dir/dir_test_util.h"

namespace liitos::dirtest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using DirSourceTest = DirFixture;

TEST_F(DirSourceTest, FileIsNotOfferedUntilSettleHasPassedOnTheFakeClock) {
  Open();
  WriteText(In("a.csv"), "x;y\n");
  EXPECT_TRUE(PollOk().empty());  // first observation starts the timer
  clock_.Advance(milliseconds(4999));
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(milliseconds(1));
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].name, "a.csv");
  EXPECT_EQ(cs[0].size, 4u);
  EXPECT_FALSE(cs[0].refused_reason);
}

TEST_F(DirSourceTest, PollDelaySaysWhenTheEarliestSettlingFileSettles) {
  Open();
  EXPECT_EQ(source_->PollDelay(), std::nullopt);  // nothing settling
  WriteText(In("a.csv"), "x;y\n");
  EXPECT_TRUE(PollOk().empty());
  EXPECT_EQ(source_->PollDelay(), milliseconds(5000));
  clock_.Advance(milliseconds(1200));
  WriteText(In("b.csv"), "z\n");
  EXPECT_TRUE(PollOk().empty());
  EXPECT_EQ(source_->PollDelay(), milliseconds(3800));  // a.csv first
  clock_.Advance(milliseconds(3800));
  EXPECT_EQ(PollOk().size(), 1u);
  EXPECT_EQ(source_->PollDelay(), milliseconds(1200));  // then b.csv
  clock_.Advance(milliseconds(1200));
  EXPECT_EQ(PollOk().size(), 2u);
  EXPECT_EQ(source_->PollDelay(), std::nullopt);
}

TEST_F(DirSourceTest, OldMtimeDoesNotCountAsSettled) {
  Open();
  WriteText(In("old.csv"), "copied with cp -p\n");
  struct timespec times[2] = {{1000, 0}, {1000, 0}};  // mtime in 1970
  ASSERT_EQ(::utimensat(AT_FDCWD, In("old.csv").c_str(), times, 0), 0);
  EXPECT_TRUE(PollOk().empty());
}

TEST_F(DirSourceTest, AChangeRestartsTheTimer) {
  Open();
  WriteText(In("a.csv"), "part one\n");
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(4));
  WriteText(In("a.csv"), "part two\n", /*append=*/true);  // the writer paused 4 s < settle
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(4));  // 8 s since the first sight, 4 s since the change
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(1));
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].size, 18u);
}

TEST_F(DirSourceTest, SameSizeRewriteAlsoRestartsTheTimer) {
  Open();
  WriteText(In("a.csv"), "AAAA");
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(3));
  WriteText(In("a.csv"), "BBBB");  // same size: ctime (and mtime) still change
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(3));
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(2));
  EXPECT_EQ(PollOk().size(), 1u);
}

TEST_F(DirSourceTest, DoneMarkerGatesTheFileAndIsNeverACandidate) {
  cfg_.done_marker = ".done";
  cfg_.include = {"*"};
  Open();
  WriteText(In("a.csv"), "data\n");
  EXPECT_TRUE(PollSettled().empty());  // settled, but no marker
  clock_.Advance(seconds(60));
  EXPECT_TRUE(PollOk().empty());
  WriteText(In("a.csv.done"), "");
  auto cs = PollOk();  // no settle wait once the marker is there
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].name, "a.csv");
}

TEST_F(DirSourceTest, WriterNamesAreNeverTaken) {
  cfg_.include = {"*"};
  Open();
  for (const char* n : {".hidden.csv", "a.tmp", "b.csv.part", "c.FILEPART", "~lock.csv", "d.TMP"}) {
    WriteText(In(n), "x");
  }
  WriteText(In("ok.csv"), "x");
  EXPECT_EQ(CandidateNames(PollSettled()), std::set<std::string>{"ok.csv"});
}

TEST_F(DirSourceTest, IncludeGlobsIgnoreCase) {
  Open();  // default include: *.csv, *.xml
  for (const char* n : {"A.CSV", "b.Xml", "c.csv", "d.txt", "e.csv.bak", "noext"}) WriteText(In(n), "x");
  EXPECT_EQ(CandidateNames(PollSettled()), (std::set<std::string>{"A.CSV", "b.Xml", "c.csv"}));
}

TEST_F(DirSourceTest, SymlinkIsRefusedAtOnceAndNeverFollowed) {
  Open();
  WriteText(root_ + "/secret.csv", "outside the inbox");
  ASSERT_EQ(::symlink((root_ + "/secret.csv").c_str(), In("link.csv").c_str()), 0);
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].name, "link.csv");
  ASSERT_TRUE(cs[0].refused_reason);
  EXPECT_EQ(*cs[0].refused_reason, "symlink refused");
  // Fetching a refused candidate is refused too; nothing reaches the spool.
  EXPECT_FALSE(source_->Fetch(cs[0], root_ + "/spool.csv").ok());
  EXPECT_FALSE(Exists(root_ + "/spool.csv"));
}

TEST_F(DirSourceTest, FifoIsRefusedAndSubfoldersAreSkipped) {
  Open();
  ASSERT_EQ(::mkfifo(In("pipe.csv").c_str(), 0600), 0);
  ASSERT_EQ(::mkdir(In("folder.csv").c_str(), 0700), 0);
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].name, "pipe.csv");
  ASSERT_TRUE(cs[0].refused_reason);
  EXPECT_EQ(*cs[0].refused_reason, "not a regular file");
}

TEST_F(DirSourceTest, TooLargeFileIsRefusedOnceComplete) {
  cfg_.max_file_size = 10;
  Open();
  WriteText(In("big.csv"), "12345678901");
  WriteText(In("small.csv"), "1234567890");
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(cfg_.settle);
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 2u);
  for (const auto& c : cs) {
    if (c.name == "big.csv") {
      ASSERT_TRUE(c.refused_reason);
      EXPECT_EQ(*c.refused_reason, "file too large: 11 bytes > 10");
    } else {
      EXPECT_FALSE(c.refused_reason) << c.name;
    }
  }
}

TEST_F(DirSourceTest, MissingInboxAsksForRetry) {
  cfg_.path = root_ + "/nope";
  Open();
  auto r = source_->Poll();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRetry);
  std::vector<std::string> report;
  EXPECT_FALSE(source_->Check(&report).ok());
  ASSERT_FALSE(report.empty());
}

bool Readable(int fd, int timeout_ms) {
  struct pollfd p = {fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

TEST_F(DirSourceTest, WakeFdBecomesReadableWhenAFileIsWritten) {
  Open();
  int fd = source_->WakeFd();
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(PollOk().empty());
  source_->DrainWake();
  EXPECT_FALSE(Readable(fd, 0));
  WriteText(In("a.csv"), "x");
  EXPECT_TRUE(Readable(fd, 5000));
  source_->DrainWake();
  EXPECT_FALSE(Readable(fd, 0));
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(cfg_.settle);
  EXPECT_EQ(PollOk().size(), 1u);
}

TEST_F(DirSourceTest, FileRenamedIntoTheInboxIsSeen) {
  Open();
  EXPECT_TRUE(PollOk().empty());
  clock_.Advance(seconds(1));
  WriteText(root_ + "/staged.xml", "<a/>");
  ASSERT_EQ(::rename((root_ + "/staged.xml").c_str(), In("staged.xml").c_str()), 0);
  EXPECT_TRUE(Readable(source_->WakeFd(), 5000));
  EXPECT_EQ(CandidateNames(PollSettled()), std::set<std::string>{"staged.xml"});
}

TEST_F(DirSourceTest, FileRemovedByOthersIsNoLongerOffered) {
  Open();
  WriteText(In("a.csv"), "x");
  ASSERT_EQ(PollSettled().size(), 1u);
  EXPECT_EQ(PollOk().size(), 1u);  // offered again until released
  ASSERT_EQ(::unlink(In("a.csv").c_str()), 0);
  EXPECT_TRUE(PollOk().empty());
}

TEST_F(DirSourceTest, AThousandFilesAtOnceAreAllOffered) {
  Open();
  for (int i = 0; i < 1000; ++i) WriteText(In("f" + std::to_string(i) + ".csv"), std::to_string(i));
  auto cs = PollSettled();
  EXPECT_EQ(cs.size(), 1000u);
  EXPECT_EQ(CandidateNames(cs).size(), 1000u);
}

TEST_F(DirSourceTest, CheckReportsInboxAndFolders) {
  Open();
  std::vector<std::string> report;
  Status s = source_->Check(&report);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(report.size(), 4u);  // inbox, archive, error, receipts
}

}  // namespace
}  // namespace liitos::dirtest
