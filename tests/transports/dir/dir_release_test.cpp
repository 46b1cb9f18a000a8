// Taking files from a dir source: Fetch into the spool, Release (archive/delete), quarantine,
// receipts.
#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "base/time/helsinki_time.h"
#include "tests/transports/dir/dir_test_util.h"

namespace liitos::dirtest {
namespace {

using std::chrono::seconds;

class DirReleaseTest : public DirFixture {
 protected:
  void SetUp() override {
    DirFixture::SetUp();
    spool_ = root_ + "/spool";
    std::filesystem::create_directories(spool_);
    // 2026-11-20 23:30 UTC is already 21 November in Helsinki (UTC+2).
    clock_.SetNow(*FromHelsinki(2026, 11, 21, 1, 30, 0));
  }

  // Drops `name`, waits out settle and returns its candidate.
  Candidate Settled(const std::string& name, const std::string& data) {
    WriteText(In(name), data);
    for (const auto& c : PollSettled()) {
      if (c.name == name) return c;
    }
    ADD_FAILURE() << name << " not offered";
    return Candidate{};
  }

  std::string spool_;
};

TEST_F(DirReleaseTest, FetchCopiesTheBytesExactly) {
  Open();
  std::string data(3 * 1024 * 1024 + 17, '\0');
  std::mt19937 rng(42);
  for (auto& ch : data) ch = static_cast<char>(rng());
  Candidate c = Settled("big.xml", data);
  ASSERT_TRUE(source_->Fetch(c, spool_ + "/1.xml").ok());
  EXPECT_EQ(ReadText(spool_ + "/1.xml"), data);
  EXPECT_EQ(Names(spool_), std::set<std::string>{"1.xml"});  // no temporary left
  EXPECT_TRUE(Exists(In("big.xml")));                        // the original stays until Release
}

TEST_F(DirReleaseTest, FetchOfAFileChangedAfterSettleAsksForRetryAndLeavesNothing) {
  Open();
  Candidate c = Settled("a.csv", "first\n");
  WriteText(In("a.csv"), "more\n", /*append=*/true);
  Status s = source_->Fetch(c, spool_ + "/a.csv");
  EXPECT_EQ(s.code(), Status::Code::kRetry) << s.ToString();
  EXPECT_TRUE(Names(spool_).empty());
  EXPECT_TRUE(PollOk().empty());  // settling again
  clock_.Advance(cfg_.settle);
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_TRUE(source_->Fetch(cs[0], spool_ + "/a.csv").ok());
  EXPECT_EQ(ReadText(spool_ + "/a.csv"), "first\nmore\n");
}

TEST_F(DirReleaseTest, ReleaseArchivesByHelsinkiDateWithUniqueNames) {
  Open();
  std::string day = root_ + "/archive/2026/11/21";
  std::filesystem::create_directories(day);
  WriteText(day + "/a.csv", "older");
  Candidate c = Settled("a.csv", "newer");
  ASSERT_TRUE(source_->Fetch(c, spool_ + "/a.csv").ok());
  Status s = source_->Release(c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(Exists(In("a.csv")));
  EXPECT_EQ(ReadText(day + "/a.csv"), "older");  // never overwritten
  EXPECT_EQ(ReadText(day + "/a.1.csv"), "newer");
  EXPECT_TRUE(PollOk().empty());
  // Idempotent: after a crash the original may already be gone.
  EXPECT_TRUE(source_->Release(c).ok());
}

TEST_F(DirReleaseTest, FetchRunsBesideReleaseOfOtherFiles) {
  // The intake fetches a round on one thread while it archives the round before on another.
  Open();
  ASSERT_TRUE(source_->Overlaps());
  constexpr size_t kFiles = 200;
  for (size_t i = 0; i < kFiles; ++i) WriteText(In("f" + std::to_string(i) + ".csv"), "row " + std::to_string(i));
  std::vector<Candidate> cs = PollSettled();
  ASSERT_EQ(cs.size(), kFiles);
  auto content = [](const Candidate& c) { return "row " + c.name.substr(1, c.name.size() - 5); };
  const size_t half = kFiles / 2;
  for (size_t i = 0; i < half; ++i) ASSERT_TRUE(source_->Fetch(cs[i], spool_ + "/" + cs[i].name).ok());
  std::vector<Status> fetched(kFiles), released(kFiles);
  std::thread fetcher([&] {
    for (size_t i = half; i < kFiles; ++i) fetched[i] = source_->Fetch(cs[i], spool_ + "/" + cs[i].name);
  });
  for (size_t i = 0; i < half; ++i) released[i] = source_->Release(cs[i]);
  fetcher.join();
  for (size_t i = half; i < kFiles; ++i) {
    ASSERT_TRUE(fetched[i].ok()) << cs[i].name << ": " << fetched[i].ToString();
    ASSERT_TRUE(source_->Release(cs[i]).ok()) << cs[i].name;
  }
  std::set<std::string> all;
  for (size_t i = 0; i < kFiles; ++i) {
    EXPECT_TRUE(i >= half || released[i].ok()) << cs[i].name << ": " << released[i].ToString();
    EXPECT_EQ(ReadText(spool_ + "/" + cs[i].name), content(cs[i]));
    all.insert(cs[i].name);
  }
  EXPECT_TRUE(Names(inbox_).empty());
  EXPECT_EQ(Names(root_ + "/archive/2026/11/21"), all);  // each once, under its own name
  EXPECT_TRUE(PollOk().empty());
}

TEST_F(DirReleaseTest, ReleaseInDeleteModeRemovesFileAndDoneMarker) {
  cfg_.after = AfterTake::kDelete;
  cfg_.done_marker = ".valmis";
  Open();
  WriteText(In("v.xml"), "<a/>");
  WriteText(In("v.xml.valmis"), "");
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  ASSERT_TRUE(source_->Fetch(cs[0], spool_ + "/v.xml").ok());
  ASSERT_TRUE(source_->Release(cs[0]).ok());
  EXPECT_TRUE(Names(inbox_).empty());
  EXPECT_FALSE(Exists(root_ + "/archive"));
}

TEST_F(DirReleaseTest, ReleaseDoesNotArchiveANewFileThatTookTheName) {
  Open();
  Candidate c = Settled("a.csv", "one");
  ASSERT_TRUE(source_->Fetch(c, spool_ + "/a.csv").ok());
  ASSERT_EQ(::unlink(In("a.csv").c_str()), 0);
  WriteText(In("a.csv"), "two, a new export");
  EXPECT_TRUE(source_->Release(c).ok());
  EXPECT_EQ(ReadText(In("a.csv")), "two, a new export");
}

TEST_F(DirReleaseTest, SymlinkIsQuarantinedWithoutTouchingItsTarget) {
  Open();
  std::string target = root_ + "/target.csv";
  WriteText(target, "do not touch");
  ASSERT_EQ(::symlink(target.c_str(), In("link.csv").c_str()), 0);
  auto cs = PollOk();
  ASSERT_EQ(cs.size(), 1u);
  ASSERT_TRUE(source_->QuarantineOriginal(cs[0], *cs[0].refused_reason).ok());
  struct stat st;
  ASSERT_EQ(::lstat((root_ + "/error/link.csv").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(ReadText(root_ + "/error/link.csv.reason.txt"), "symlink refused\n");
  EXPECT_EQ(ReadText(target), "do not touch");
  EXPECT_FALSE(Exists(In("link.csv")));
  clock_.Advance(seconds(100));
  EXPECT_TRUE(PollOk().empty());  // never offered again
}

TEST_F(DirReleaseTest, QuarantineGetsNumericSuffixAndReasonFiles) {
  Open();
  for (int i = 0; i < 2; ++i) {
    WriteText(spool_ + "/s" + std::to_string(i), "copy " + std::to_string(i));
    Status s = source_->QuarantineSpooled("bad.xml", spool_ + "/s" + std::to_string(i),
                                          "DOCTYPE refused");
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_EQ(Names(root_ + "/error"), (std::set<std::string>{"bad.xml", "bad.xml.reason.txt", "bad.1.xml",
                                                             "bad.1.xml.reason.txt"}));
  EXPECT_EQ(ReadText(root_ + "/error/bad.xml"), "copy 0");
  EXPECT_EQ(ReadText(root_ + "/error/bad.1.xml"), "copy 1");
  EXPECT_EQ(ReadText(root_ + "/error/bad.1.xml.reason.txt"), "DOCTYPE refused\n");
  EXPECT_TRUE(Names(spool_).empty());  // moved, not copied
}

// The spool (state_dir) often lives on another filesystem than the drop's error folder.
TEST_F(DirReleaseTest, QuarantineOfASpooledCopyWorksAcrossFilesystems) {
  struct stat shm, here;
  if (::stat("/dev/shm", &shm) != 0 || ::stat(root_.c_str(), &here) != 0 || shm.st_dev == here.st_dev) {
    GTEST_SKIP() << "no second filesystem at /dev/shm";
  }
  Open();
  std::string spooled = "/dev/shm/liitos-dir-test-" + std::to_string(::getpid());
  WriteText(spooled, "spooled bytes");
  Status s = source_->QuarantineSpooled("x.csv", spooled, "bad encoding");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(Exists(spooled));
  EXPECT_EQ(ReadText(root_ + "/error/x.csv"), "spooled bytes");
  EXPECT_EQ(Names(root_ + "/error"), (std::set<std::string>{"x.csv", "x.csv.reason.txt"}));
}

TEST_F(DirReleaseTest, TooLargeOriginalIsQuarantinedWithItsReason) {
  cfg_.max_file_size = 3;
  Open();
  Candidate c = Settled("big.csv", "1234");
  ASSERT_TRUE(c.refused_reason);
  ASSERT_TRUE(source_->QuarantineOriginal(c, *c.refused_reason).ok());
  EXPECT_EQ(ReadText(root_ + "/error/big.csv"), "1234");
  EXPECT_EQ(ReadText(root_ + "/error/big.csv.reason.txt"), "file too large: 4 bytes > 3\n");
  EXPECT_TRUE(PollOk().empty());
}

TEST_F(DirReleaseTest, ReceiptsAreWrittenAtomically) {
  Open();
  ASSERT_TRUE(source_->WriteReceipt("a.csv.receipt.csv", "record;outcome\n1;accepted\n").ok());
  ASSERT_TRUE(source_->WriteReceipt("a.csv.receipt.csv", "record;outcome\n1;duplicate\n").ok());
  EXPECT_EQ(Names(root_ + "/receipts"), std::set<std::string>{"a.csv.receipt.csv"});
  EXPECT_EQ(ReadText(root_ + "/receipts/a.csv.receipt.csv"), "record;outcome\n1;duplicate\n");
  EXPECT_FALSE(source_->WriteReceipt("../escape.csv", "x").ok());
}

TEST_F(DirReleaseTest, ReceiptsNoneWritesNothing) {
  cfg_.receipts = "none";
  Open();
  EXPECT_TRUE(source_->WriteReceipt("a.receipt.csv", "x").ok());
  EXPECT_EQ(Names(root_), (std::set<std::string>{"in", "spool"}));
}

}  // namespace
}  // namespace liitos::dirtest
