// The SFTP drop against a real sshd: settling, fetching, archiving, receipts, quarantine.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include "base/fs.h"
#include "tests/transports/sftp/sftp_test_util.h"

namespace liitos {
namespace {

using sftptest::CandidateNames;
using sftptest::Exists;
using sftptest::Get;
using sftptest::Names;
using sftptest::Put;
using sftptest::SftpWorld;

TEST(SftpSourceTest, OffersSettledIncludedFilesOnly) {
  SftpWorld w;
  Put(w.inbox() + "/a.csv", "a;b\n1;2\n");
  Put(w.inbox() + "/B.XML", "<x/>");
  Put(w.inbox() + "/.hidden.csv", "x");
  Put(w.inbox() + "/up.csv.part", "x");
  Put(w.inbox() + "/c.csv.tmp", "x");
  Put(w.inbox() + "/~lock.csv", "x");
  Put(w.inbox() + "/notes.txt", "x");
  std::filesystem::create_directories(w.inbox() + "/sub.csv");
  auto src = w.MakeSource(w.SourceCfg());

  auto first = src->Poll();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->empty());  // seen once: not settled yet
  w.clock.Advance(std::chrono::seconds(30));
  EXPECT_TRUE(src->Poll()->empty());  // cached: the server is not asked before `poll` elapsed
  w.clock.Advance(std::chrono::seconds(30));
  auto ready = src->Poll();
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(CandidateNames(*ready), (std::set<std::string>{"a.csv", "B.XML"}));
  for (const auto& c : *ready) EXPECT_FALSE(c.refused_reason.has_value());
}

TEST(SftpSourceTest, FetchesIntoSpoolAndArchivesRemotely) {
  SftpWorld w;
  const std::string body = "lvCaseId;status\nLV-1;VASTAANOTETTU\n";
  Put(w.inbox() + "/a.csv", body);
  auto src = w.MakeSource(w.SourceCfg());
  auto ready = w.PollSettled(*src);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].size, body.size());

  ASSERT_TRUE(src->Fetch(ready[0], w.spool("1.csv")).ok());
  EXPECT_EQ(Get(w.spool("1.csv")), body);
  EXPECT_FALSE(Exists(w.spool("1.csv.part")));
  ASSERT_TRUE(src->Release(ready[0]).ok());
  EXPECT_FALSE(Exists(w.inbox() + "/a.csv"));
  EXPECT_EQ(Get(w.inbox() + "/archive/a.csv"), body);
  // Released again after a crash: the file is already gone, which is fine.
  EXPECT_TRUE(src->Release(ready[0]).ok());

  // The same name again gets a numeric suffix in the archive; nothing is overwritten.
  Put(w.inbox() + "/a.csv", "second");
  w.clock.Advance(std::chrono::seconds(60));
  ready = w.PollSettled(*src);
  ASSERT_EQ(ready.size(), 1u);
  ASSERT_TRUE(src->Fetch(ready[0], w.spool("2.csv")).ok());
  ASSERT_TRUE(src->Release(ready[0]).ok());
  EXPECT_EQ(Get(w.inbox() + "/archive/a.csv"), body);
  EXPECT_EQ(Get(w.inbox() + "/archive/a.1.csv"), "second");
}

TEST(SftpSourceTest, FileStillBeingUploadedIsNotTaken) {
  SftpWorld w;
  Put(w.inbox() + "/big.csv", "part one\n");
  auto src = w.MakeSource(w.SourceCfg());
  ASSERT_TRUE(src->Poll().ok());
  Put(w.inbox() + "/big.csv", "part two\n", /*append=*/true);
  w.clock.Advance(std::chrono::seconds(60));
  auto ready = src->Poll();
  ASSERT_TRUE(ready.ok());
  EXPECT_TRUE(ready->empty());  // size changed between the listings
  w.clock.Advance(std::chrono::seconds(60));
  ready = src->Poll();
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(CandidateNames(*ready), std::set<std::string>{"big.csv"});
  EXPECT_EQ((*ready)[0].size, 18u);
}

TEST(SftpSourceTest, DoneMarkerDecidesAndIsRemovedWithTheFile) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  cfg.done_marker = ".done";
  cfg.after = AfterTake::kDelete;
  Put(w.inbox() + "/a.csv", "x;y\n");
  auto src = w.MakeSource(cfg);
  EXPECT_TRUE(w.PollSettled(*src).empty());  // settled, but no marker
  Put(w.inbox() + "/a.csv.done", "");
  w.clock.Advance(std::chrono::seconds(60));
  auto ready = src->Poll();
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(CandidateNames(*ready), std::set<std::string>{"a.csv"});  // the marker itself is no candidate
  ASSERT_TRUE(src->Fetch((*ready)[0], w.spool("a")).ok());
  ASSERT_TRUE(src->Release((*ready)[0]).ok());
  EXPECT_EQ(Names(w.inbox()), std::set<std::string>{});
}

TEST(SftpSourceTest, MarkerMakesFileReadyAtOnce) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  cfg.done_marker = ".done";
  Put(w.inbox() + "/a.csv", "x");
  Put(w.inbox() + "/a.csv.done", "");
  auto src = w.MakeSource(cfg);
  auto ready = src->Poll();
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(CandidateNames(*ready), std::set<std::string>{"a.csv"});
}

TEST(SftpSourceTest, SymlinkAndOversizeAreRefusedAndQuarantinedRemotely) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  cfg.max_file_size = 10;
  Put(w.root_file("target.txt"), "secret");
  ASSERT_EQ(::symlink(w.root_file("target.txt").c_str(), (w.inbox() + "/link.csv").c_str()), 0);
  Put(w.inbox() + "/huge.csv", std::string(11, 'x'));
  auto src = w.MakeSource(cfg);
  auto first = src->Poll();
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(CandidateNames(*first), std::set<std::string>{"link.csv"});  // refused at once
  ASSERT_TRUE((*first)[0].refused_reason.has_value());
  EXPECT_NE((*first)[0].refused_reason->find("symbolic link"), std::string::npos);
  w.clock.Advance(std::chrono::seconds(60));
  auto ready = src->Poll();
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(CandidateNames(*ready), (std::set<std::string>{"link.csv", "huge.csv"}));
  for (const auto& c : *ready) {
    ASSERT_TRUE(c.refused_reason.has_value()) << c.name;
    ASSERT_TRUE(src->QuarantineOriginal(c, c.name + " " + *c.refused_reason).ok());
  }
  EXPECT_EQ(Names(w.inbox() + "/error"),
            (std::set<std::string>{"link.csv", "link.csv.reason.txt", "huge.csv", "huge.csv.reason.txt"}));
  EXPECT_NE(Get(w.inbox() + "/error/huge.csv.reason.txt").find("max_file_size"), std::string::npos);
  EXPECT_EQ(Get(w.root_file("target.txt")), "secret");  // the link's target is untouched
  EXPECT_TRUE(src->Poll()->empty());
}

TEST(SftpSourceTest, ReceiptsAreWrittenAtomicallyAndMayBeRewritten) {
  SftpWorld w;
  auto src = w.MakeSource(w.SourceCfg());
  ASSERT_TRUE(src->WriteReceipt("a.csv.receipt.csv", "record;outcome\n1;accepted\n").ok());
  EXPECT_EQ(Get(w.receipts() + "/a.csv.receipt.csv"), "record;outcome\n1;accepted\n");
  ASSERT_TRUE(src->WriteReceipt("a.csv.receipt.csv", "rewritten\n").ok());
  EXPECT_EQ(Get(w.receipts() + "/a.csv.receipt.csv"), "rewritten\n");
  EXPECT_EQ(Names(w.receipts()), std::set<std::string>{"a.csv.receipt.csv"});  // no temporaries left
}

// A staged receipt larger than the 1 MiB pieces it is uploaded in (a big file's receipt is
// never read whole) arrives byte for byte, over an older one, with no temporary left.
TEST(SftpSourceTest, AStagedReceiptIsUploadedInPiecesAndReplacesTheOldOne) {
  SftpWorld w;
  auto src = w.MakeSource(w.SourceCfg());
  ASSERT_TRUE(src->WriteReceipt("big.csv.delivery.csv", "old\n").ok());
  std::string staged;
  for (int i = 0; staged.size() < (5u << 20) + 123; ++i) staged += fmt::format("{};delivered;LV-2026-{:07}\n", i, i);
  Put(w.spool("receipt.staged"), staged);
  SyncBatch sync;
  ASSERT_TRUE(src->WriteReceiptFile("big.csv.delivery.csv", w.spool("receipt.staged"), sync).ok());
  EXPECT_EQ(Get(w.receipts() + "/big.csv.delivery.csv"), staged);
  EXPECT_EQ(Names(w.receipts()), std::set<std::string>{"big.csv.delivery.csv"});
  // A staged file that cannot be read fails the write and leaves the old receipt and no temporary.
  EXPECT_FALSE(src->WriteReceiptFile("big.csv.delivery.csv", w.spool("missing"), sync).ok());
  EXPECT_EQ(Get(w.receipts() + "/big.csv.delivery.csv"), staged);
  EXPECT_EQ(Names(w.receipts()), std::set<std::string>{"big.csv.delivery.csv"});
}

TEST(SftpSourceTest, QuarantineSpooledMovesTheLocalCopy) {
  SftpWorld w;
  auto src = w.MakeSource(w.SourceCfg());
  Put(w.spool("7.csv"), "bad");
  ASSERT_TRUE(src->QuarantineSpooled("a.csv", w.spool("7.csv"), "line 1: bad header").ok());
  std::string q = w.local + "/state/quarantine/legacy_sftp";
  EXPECT_EQ(Get(q + "/a.csv"), "bad");
  EXPECT_EQ(Get(q + "/a.csv.reason.txt"), "line 1: bad header\n");
  EXPECT_FALSE(Exists(w.spool("7.csv")));
}

TEST(SftpSourceTest, ListsTenThousandFiles) {
  SftpWorld w;
  for (int i = 0; i < 10000; ++i) Put(w.inbox() + "/f" + std::to_string(i) + ".csv", "x");
  auto src = w.MakeSource(w.SourceCfg());
  auto ready = w.PollSettled(*src);
  EXPECT_EQ(ready.size(), 10000u);
}

TEST(SftpSourceTest, CheckReportsEachStep) {
  SftpWorld w;
  auto src = w.MakeSource(w.SourceCfg());
  std::vector<std::string> report;
  Status s = src->Check(&report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::string all;
  for (const auto& l : report) all += l + "\n";
  EXPECT_NE(all.find("host key trusted (" + w.sshd.HostKeyFingerprint() + ")"), std::string::npos) << all;
  EXPECT_NE(all.find("authenticated"), std::string::npos) << all;
  EXPECT_NE(all.find("listable"), std::string::npos) << all;
  EXPECT_NE(all.find("receipts directory"), std::string::npos) << all;
}

}  // namespace
}  // namespace liitos
