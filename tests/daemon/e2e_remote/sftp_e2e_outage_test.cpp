// sshd going away under a running `liitos run` (SPEC §3 kind = "sftp": reconnect with backoff 1 s
// doubling, a half-downloaded file discarded and fetched again):
// - sshd down: the local source keeps taking and delivering, the service keeps running, and after
//   sshd is back a new remote file is fetched by itself. The issue describes a one-minute outage;
//   this test keeps sshd down only until the backoff has doubled twice (failed attempts 1 s and
//   2 s apart, about 3-7 s in all) so the suite stays short. A minute would only add attempts at
//   8 s, 16 s and 32 s of the same doubling, which the transport tests cover on a fake clock.
// - sshd killed mid-download of a 32 MiB file, then restarted: the file arrives once, complete,
//   with the right SHA-256, and its updates are delivered once.

#include <sys/wait.h>

#include "base/crypto/hash.h"
#include "tests/daemon/e2e_remote/sftp_e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;

class SftpE2eOutageTest : public SftpE2eTest {};

bool Running(const Daemon& d) {
  int status = 0;
  return ::waitpid(d.pid(), &status, WNOHANG) == 0;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

// The size of the download in progress in `spool` (copies are written in place, under their
// spool name), 0 when there is none. The test drops one file, so there is at most one.
uint64_t PartialDownload(const fs::path& spool) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(spool, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    uint64_t size = fs::file_size(it->path(), ec);
    return ec ? 0 : size;
  }
  return 0;
}

TEST_F(SftpE2eOutageTest, SshdDownLocalIntakeGoesOnAndTheDropIsFetchedAfterTheReconnect) {
  SftpConfig c;
  c.interval = "500ms";
  Config(c);
  const fs::path log = root() / "daemon.log";
  Daemon d({"run", "--config", cfg_.string()}, log);
  // Working before the outage.
  DropRemote("ennen.csv", RakvalCsv({{"LV-2026-000601", "10", "02.11.2026"}}));
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(Remote("kuittaukset/ennen.csv.delivery.csv")); }, 20s))
      << ReadAll(log);

  sshd_.Stop();
  DropLocal("paikallinen.csv", RakvalCsv({{"LV-2026-000602", "10", "02.11.2026"}}));
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(root() / "rakval/receipts/paikallinen.csv.delivery.csv"); }, 20s))
      << ReadAll(log);
  EXPECT_EQ(Delivered(root() / "outbound").count(
                ParseReceipt(ReadAll(root() / "rakval/receipts/paikallinen.csv.delivery.csv")).at(0).at("messageId")),
            1u);
  // The outage lasts until two reconnects have failed: the backoff went 1 s, 2 s, now 4 s.
  ASSERT_TRUE(WaitUntil([&] { return ReadAll(log).find("next attempt in 4000 ms") != std::string::npos; }, 20s))
      << ReadAll(log);
  std::string during = ReadAll(log);
  auto first = during.find("next attempt in 1000 ms"), second = during.find("next attempt in 2000 ms");
  EXPECT_NE(first, std::string::npos) << during;
  EXPECT_LT(first, second) << during;
  EXPECT_LT(second, during.find("next attempt in 4000 ms")) << during;
  ASSERT_TRUE(Running(d)) << during;

  sshd_.Start();
  DropRemote("jalkeen.csv", RakvalCsv({{"LV-2026-000603", "20", "03.11.2026"}}));
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(Remote("kuittaukset/jalkeen.csv.delivery.csv")); }, 30s))
      << ReadAll(log);
  EXPECT_TRUE(fs::exists(Remote("archive/jalkeen.csv")));
  EXPECT_TRUE(FilesUnder(Remote("drop")).empty());
  EXPECT_EQ(Count(ReadAll(log), "sftp etakone: connected to"), 2u) << ReadAll(log);
  auto delivered = Delivered(root() / "outbound");
  EXPECT_EQ(delivered.size(), 3u);
  for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;

  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(10s), 0);
}

TEST_F(SftpE2eOutageTest, SshdKilledMidDownloadTheFileArrivesOnceComplete) {
  SftpConfig c;
  c.interval = "500ms";
  Config(c);
  // Three records and then 32 MiB of blank lines (small enough for the ASan build), which the CSV reader skips.
  std::string big = RakvalCsv({{"LV-2026-000701", "10", "02.11.2026"},
                               {"LV-2026-000702", "20", "03.11.2026"},
                               {"LV-2026-000703", "50", "04.11.2026"}});
  big.append(32u << 20, '\n');
  const std::string sha = Sha256Hex(big);
  DropRemote("suuri.csv", big);

  const fs::path log = root() / "daemon.log";
  const fs::path spool = root() / "state/spool/etakone";
  Daemon d({"run", "--config", cfg_.string()}, log);
  // Kill sshd (and its session process) once a part of the file has been copied into the spool.
  bool caught = false;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
    uint64_t part = PartialDownload(spool);
    if (part >= (1u << 20) && part < big.size() / 2) {
      sshd_.Stop();
      caught = true;
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(caught) << "never saw a partial download\n" << ReadAll(log);
  // The partial copy is discarded.
  ASSERT_TRUE(WaitUntil([&] { return ReadAll(log).find("suuri.csv: not taken this time") != std::string::npos; },
                        20s))
      << ReadAll(log);
  EXPECT_EQ(PartialDownload(spool), 0u);
  EXPECT_TRUE(RemoteReceived().empty());
  EXPECT_TRUE(fs::exists(Remote("drop/suuri.csv")));

  sshd_.Start();
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(Remote("kuittaukset/suuri.csv.delivery.csv")); }, 180s))
      << ReadAll(log);
  auto received = RemoteReceived();
  ASSERT_EQ(received.size(), 1u) << received.dump();
  EXPECT_EQ(received[0]["file"], "suuri.csv");
  EXPECT_EQ(received[0]["file_sha256"], sha);
  EXPECT_EQ(fs::file_size(Remote("archive/suuri.csv")), big.size());
  EXPECT_FALSE(fs::exists(Remote("drop/suuri.csv")));
  auto delivered = Delivered(root() / "outbound");
  EXPECT_EQ(delivered.size(), 3u);
  for (const auto& [id, n] : delivered) EXPECT_EQ(n, 1) << id;
  EXPECT_TRUE(FilesUnder(spool).empty());

  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(10s), 0);
}

}  // namespace
}  // namespace liitos::e2e
