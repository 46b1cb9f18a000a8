// Import files into an SFTP destination (transports/file_sink.h, SPEC §11) on a real sshd: written
// under a temporary name and renamed over the earlier file, then the done marker; Put from many
// threads over one session.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/transports/sftp/sftp_test_util.h"
#include "tests/scratch_dir.h"
#include "transports/registry.h"
#include "transports/sftp/sftp_config.h"

namespace liitos {
namespace {

namespace fs = std::filesystem;

using test_util::FileNames;
using test_util::ReadWhole;

TEST(SftpFileSink, WritesByRenameReplacesAndMarksFromManyThreads) {
  sftptest::SftpWorld w;
  const std::string out = w.sshd.root() + "/tuonti";
  fs::create_directories(out);
  DestinationConfig cfg;
  cfg.name = "tuonti";
  cfg.kind = "sftp";
  SftpDestinationSettings& sftp = MutableKindSettings<SftpDestinationSettings>(cfg.settings);
  sftp.folder.path = out;
  sftp.endpoint = w.sshd.Endpoint();
  sftp.folder.done_marker = ".valmis";
  auto sink = MakeFileSink(cfg, w.Context());
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        SendResult r = (*sink)->Put("hakemus_" + std::to_string(t * 10 + i) + ".xml", "<x/>");
        EXPECT_EQ(r.outcome, SendOutcome::kOk) << r.error;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(FileNames(out).size(), 30u);
  ASSERT_EQ((*sink)->Put("hakemus_0.xml", "<y/>").outcome, SendOutcome::kOk);
  EXPECT_EQ(ReadWhole(out + "/hakemus_0.xml"), "<y/>");
  EXPECT_EQ(FileNames(out).size(), 30u);
  EXPECT_EQ((*sink)->Connected(), std::optional<bool>(true));
  // A remote folder that is not there is a configuration fault.
  sftp.folder.path = w.sshd.root() + "/nope";
  auto missing = MakeFileSink(cfg, w.Context());
  EXPECT_EQ((*missing)->Put("a.xml", "x").outcome, SendOutcome::kFatal);
}

}  // namespace
}  // namespace liitos
