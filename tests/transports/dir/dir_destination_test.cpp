// The batch-file destination: file name pattern, atomic appearance, done marker, idempotence.
#include <sys/inotify.h>
#include <unistd.h>

#include <cstring>

#include <gtest/gtest.h>

#include "tests/transports/dir/dir_test_util.h"
#include "transports/dir/dir_config.h"
#include "transports/dir/dir_destination.h"

namespace liitos::dirtest {
namespace {

class DirDestinationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = scratch_.path().string();
    out_ = root_ + "/outbound";
    cfg_.name = "archive-copy";
    cfg_.kind = "dir";
    MutableKindSettings<FolderSettings>(cfg_.settings).path = out_;
    batch_.batch_id = "0b7f3c1e-8d2a-4f61-9a55-3c2d1e0f4a6b";
    batch_.created_at_compact = "20261120T141500";
    batch_.document = "{\"batchId\":\"0b7f3c1e-8d2a-4f61-9a55-3c2d1e0f4a6b\",\"items\":[]}\n";
  }

  DestinationPtr Open() {
    TransportContext ctx;
    auto r = MakeDirDestination(cfg_, ctx);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  const std::string kName = "lv_status_20261120T141500_0b7f3c1e-8d2a-4f61-9a55-3c2d1e0f4a6b.json";
  test_util::ScratchDir scratch_;
  std::string root_, out_;
  DestinationConfig cfg_;
  OutgoingBatch batch_;
};

TEST_F(DirDestinationTest, WritesTheNamedFileAndCreatesTheFolder) {
  auto dest = Open();
  SendResult r = dest->Send(batch_);
  ASSERT_EQ(r.outcome, SendOutcome::kOk) << r.error;
  EXPECT_EQ(Names(out_), std::set<std::string>{kName});
  EXPECT_EQ(ReadText(out_ + "/" + kName), batch_.document);
}

TEST_F(DirDestinationTest, SendingAgainRewritesTheSameName) {
  auto dest = Open();
  ASSERT_EQ(dest->Send(batch_).outcome, SendOutcome::kOk);
  ASSERT_EQ(dest->Send(batch_).outcome, SendOutcome::kOk);
  EXPECT_EQ(Names(out_), std::set<std::string>{kName});
}

TEST_F(DirDestinationTest, DoneMarkerFollowsTheFile) {
  MutableKindSettings<FolderSettings>(cfg_.settings).done_marker = ".done";
  MutableKindSettings<FolderSettings>(cfg_.settings).prefix = "x_";
  auto dest = Open();
  ASSERT_EQ(dest->Send(batch_).outcome, SendOutcome::kOk);
  std::string name = "x_20261120T141500_0b7f3c1e-8d2a-4f61-9a55-3c2d1e0f4a6b.json";
  EXPECT_EQ(Names(out_), (std::set<std::string>{name, name + ".done"}));
  EXPECT_EQ(ReadText(out_ + "/" + name + ".done"), "");
}

// Watches the folder while sending: the final name may only appear by a rename (IN_MOVED_TO),
// never be created or written to in place, and the marker comes after it.
TEST_F(DirDestinationTest, FinalNameOnlyEverAppearsComplete) {
  MutableKindSettings<FolderSettings>(cfg_.settings).done_marker = ".done";
  std::filesystem::create_directories(out_);
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_GE(::inotify_add_watch(fd, out_.c_str(), IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE), 0);
  batch_.document = std::string(2 * 1024 * 1024, 'j');
  auto dest = Open();
  ASSERT_EQ(dest->Send(batch_).outcome, SendOutcome::kOk);
  std::vector<std::pair<uint32_t, std::string>> events;
  alignas(struct inotify_event) char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t off = 0; off < n;) {
      struct inotify_event ev;
      std::memcpy(&ev, buf + off, sizeof ev);
      std::string name = ev.len ? std::string(buf + off + sizeof ev) : "";
      events.emplace_back(ev.mask, name.c_str());
      off += static_cast<ssize_t>(sizeof ev + ev.len);
    }
  }
  ::close(fd);
  bool renamed = false, marker_after = false;
  for (const auto& [mask, name] : events) {
    if (name == kName) {
      EXPECT_EQ(mask, static_cast<uint32_t>(IN_MOVED_TO)) << "final name touched in place";
      renamed = true;
    } else if (name == kName + ".done") {
      marker_after = renamed;
    } else {
      EXPECT_EQ(name[0], '.') << "temporary name must be a dotfile: " << name;
    }
  }
  EXPECT_TRUE(renamed);
  EXPECT_TRUE(marker_after);
  EXPECT_EQ(ReadText(out_ + "/" + kName).size(), batch_.document.size());
}

TEST_F(DirDestinationTest, UnsafeBatchIdIsFatal) {
  auto dest = Open();
  batch_.batch_id = "../../etc/x";
  SendResult r = dest->Send(batch_);
  EXPECT_EQ(r.outcome, SendOutcome::kFatal);
  EXPECT_FALSE(Exists(out_));
}

TEST_F(DirDestinationTest, UnusableFolderAsksForRetry) {
  WriteText(root_ + "/file", "not a folder");
  MutableKindSettings<FolderSettings>(cfg_.settings).path = root_ + "/file/outbound";
  auto dest = Open();
  SendResult r = dest->Send(batch_);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_FALSE(r.error.empty());
  std::vector<std::string> report;
  EXPECT_FALSE(dest->Check(&report).ok());
}

TEST_F(DirDestinationTest, CheckPassesForAWritableFolder) {
  std::filesystem::create_directories(out_);
  auto dest = Open();
  std::vector<std::string> report;
  EXPECT_TRUE(dest->Check(&report).ok());
  EXPECT_EQ(report.size(), 1u);
}

}  // namespace
}  // namespace liitos::dirtest
