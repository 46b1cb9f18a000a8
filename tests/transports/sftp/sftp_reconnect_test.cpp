// Connection loss: sshd killed mid-download or down for a while; backoff runs on the FakeClock.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <random>

#include "base/crypto/hash.h"
#include "tests/transports/sftp/sftp_test_util.h"

namespace liitos {
namespace {

using sftptest::Exists;
using sftptest::Names;
using sftptest::Put;
using sftptest::SftpWorld;

std::string RandomBytes(size_t n) {
  std::mt19937_64 rng(42);
  std::string s(n, '\0');
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t v = rng();
    std::memcpy(&s[i], &v, 8);
  }
  return s;
}

TEST(SftpReconnectTest, SshdKilledMidDownloadLeavesNothingAndRefetchesWhole) {
  SftpWorld w;
  const std::string body = RandomBytes(48 << 20);
  Put(w.inbox() + "/big.xml", body);
  bool killed = false;
  SftpOptions opts;
  opts.on_download_progress = [&](uint64_t bytes) {
    if (!killed && bytes >= (4u << 20)) {
      killed = true;
      w.sshd.Stop();  // kill -9 of sshd and the session process serving us
    }
  };
  auto src = w.MakeSource(w.SourceCfg(), opts);
  auto ready = w.PollSettled(*src);
  ASSERT_EQ(ready.size(), 1u);

  auto t0 = std::chrono::steady_clock::now();
  Status s = src->Fetch(ready[0], w.spool("1.xml"));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  ASSERT_TRUE(killed);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kRetry) << s.ToString();
  EXPECT_FALSE(Exists(w.spool("1.xml")));
  EXPECT_FALSE(Exists(w.spool("1.xml.part")));

  w.sshd.Start();
  EXPECT_EQ(src->Fetch(ready[0], w.spool("1.xml")).code(), Status::Code::kRetry);  // backing off
  w.clock.Advance(std::chrono::seconds(1));
  s = src->Fetch(ready[0], w.spool("1.xml"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto digest = Sha256File(w.spool("1.xml"));
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, Sha256Hex(body));
  EXPECT_TRUE(Exists(w.inbox() + "/big.xml"));  // the original stays until Release
}

TEST(SftpReconnectTest, PollFailsFastWhileDownAndResumesAfterRestart) {
  SftpWorld w;
  Put(w.inbox() + "/a.csv", "x");
  auto src = w.MakeSource(w.SourceCfg());
  ASSERT_TRUE(src->Poll().ok());

  w.sshd.Stop();
  w.clock.Advance(std::chrono::seconds(60));
  auto t0 = std::chrono::steady_clock::now();
  auto r = src->Poll();  // the listing finds the connection dead
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRetry);
  r = src->Poll();  // backing off: no network at all
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("next attempt in"), std::string::npos) << r.status().message();
  w.clock.Advance(std::chrono::seconds(1));
  r = src->Poll();  // a real attempt: connection refused, backoff now 2 s
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot connect"), std::string::npos) << r.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));

  w.sshd.Start();
  w.clock.Advance(std::chrono::seconds(1));
  EXPECT_FALSE(src->Poll().ok());  // still inside the 2 s backoff
  w.clock.Advance(std::chrono::seconds(1));
  auto ready = src->Poll();
  ASSERT_TRUE(ready.ok()) << ready.status().ToString();
  // a.csv had been seen before the outage with the same size and mtime: settled now.
  EXPECT_EQ(ready->size(), 1u);
}

TEST(SftpReconnectTest, BackoffDoublesUpToFiveMinutes) {
  SftpWorld w;
  w.sshd.Stop();
  auto src = w.MakeSource(w.SourceCfg());
  std::vector<long> waits;
  for (int i = 0; i < 12; ++i) {
    auto r = src->Poll();  // a real attempt, refused
    ASSERT_FALSE(r.ok());
    r = src->Poll();  // the wait that follows
    auto msg = r.status().message();
    auto at = msg.find("next attempt in ");
    ASSERT_NE(at, std::string::npos) << msg;
    waits.push_back(std::stol(msg.substr(at + 16)));
    w.clock.Advance(Millis(waits.back()));
  }
  EXPECT_EQ(waits[0], 1000);
  EXPECT_EQ(waits[1], 2000);
  EXPECT_EQ(waits[2], 4000);
  EXPECT_EQ(waits[8], 256000);
  EXPECT_EQ(waits[9], 300000);
  EXPECT_EQ(waits[11], 300000);
}

}  // namespace
}  // namespace liitos
