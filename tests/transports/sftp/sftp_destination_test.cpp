// Delivery as files over SFTP (SPEC §5.5) against a real sshd.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/transports/sftp/sftp_test_util.h"
#include "transports/sftp/sftp_config.h"

namespace liitos {
namespace {

using sftptest::Get;
using sftptest::Names;
using sftptest::SftpWorld;

struct DestWorld : SftpWorld {
  std::string outbox() const { return sshd.root() + "/out"; }
  DestinationConfig Cfg() const {
    DestinationConfig cfg;
    cfg.name = "lupapiste_sftp";
    cfg.kind = "sftp";
    cfg.interval = std::chrono::minutes(10);
    MutableKindSettings<SftpDestinationSettings>(cfg.settings).folder.path = outbox();
    MutableKindSettings<SftpDestinationSettings>(cfg.settings).endpoint = sshd.Endpoint();
    return cfg;
  }
  DestinationPtr Make(const DestinationConfig& cfg) {
    auto r = MakeSftpDestination(cfg, Context());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }
};

OutgoingBatch Batch(const std::string& doc) {
  OutgoingBatch b;
  b.batch_id = "7d0c5a8e-0000-4000-8000-000000000001";
  b.created_at_compact = "20261120T141500";
  b.document = doc;
  return b;
}

TEST(SftpDestinationTest, WritesBatchFileByRenameAndResendReplaces) {
  DestWorld w;
  std::filesystem::create_directories(w.outbox());
  auto dest = w.Make(w.Cfg());
  const std::string name = "lv_status_20261120T141500_7d0c5a8e-0000-4000-8000-000000000001.json";
  SendResult r = dest->Send(Batch("{\"items\":[1]}"));
  ASSERT_EQ(r.outcome, SendOutcome::kOk) << r.error;
  EXPECT_EQ(Names(w.outbox()), std::set<std::string>{name});  // no temporary left behind
  EXPECT_EQ(Get(w.outbox() + "/" + name), "{\"items\":[1]}");
  r = dest->Send(Batch("{\"items\":[1,2]}"));  // a retry of the same batch
  ASSERT_EQ(r.outcome, SendOutcome::kOk) << r.error;
  EXPECT_EQ(Names(w.outbox()), std::set<std::string>{name});
  EXPECT_EQ(Get(w.outbox() + "/" + name), "{\"items\":[1,2]}");
}

TEST(SftpDestinationTest, DoneMarkerFollowsTheFile) {
  DestWorld w;
  std::filesystem::create_directories(w.outbox());
  auto cfg = w.Cfg();
  MutableKindSettings<SftpDestinationSettings>(cfg.settings).folder.prefix = "x_";
  MutableKindSettings<SftpDestinationSettings>(cfg.settings).folder.done_marker = ".ok";
  auto dest = w.Make(cfg);
  ASSERT_EQ(dest->Send(Batch("{}")).outcome, SendOutcome::kOk);
  const std::string name = "x_20261120T141500_7d0c5a8e-0000-4000-8000-000000000001.json";
  EXPECT_EQ(Names(w.outbox()), (std::set<std::string>{name, name + ".ok"}));
}

TEST(SftpDestinationTest, MissingRemoteDirectoryIsFatal) {
  DestWorld w;
  auto dest = w.Make(w.Cfg());  // outbox never created
  SendResult r = dest->Send(Batch("{}"));
  EXPECT_EQ(r.outcome, SendOutcome::kFatal) << r.error;
  EXPECT_NE(r.error.find("no such file"), std::string::npos) << r.error;
}

TEST(SftpDestinationTest, PermissionDeniedIsFatal) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  DestWorld w;
  std::filesystem::create_directories(w.outbox());
  ::chmod(w.outbox().c_str(), 0555);
  auto dest = w.Make(w.Cfg());
  SendResult r = dest->Send(Batch("{}"));
  ::chmod(w.outbox().c_str(), 0755);
  EXPECT_EQ(r.outcome, SendOutcome::kFatal) << r.error;
  EXPECT_NE(r.error.find("permission denied"), std::string::npos) << r.error;
}

TEST(SftpDestinationTest, ServerDownIsRetry) {
  DestWorld w;
  std::filesystem::create_directories(w.outbox());
  auto dest = w.Make(w.Cfg());
  w.sshd.Stop();
  SendResult r = dest->Send(Batch("{}"));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_FALSE(r.error.empty());
  w.sshd.Start();
  w.clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(dest->Send(Batch("{}")).outcome, SendOutcome::kOk);
}

TEST(SftpDestinationTest, CheckWritesAProbe) {
  DestWorld w;
  std::filesystem::create_directories(w.outbox());
  auto dest = w.Make(w.Cfg());
  std::vector<std::string> report;
  Status s = dest->Check(&report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_FALSE(report.empty());
  EXPECT_NE(report.back().find("writable"), std::string::npos);
  EXPECT_TRUE(Names(w.outbox()).empty());
}

}  // namespace
}  // namespace liitos
