// Fail-closed trust (SPEC G5): host keys, identity file modes, key types, passphrases.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "tests/transports/sftp/sftp_test_util.h"

namespace liitos {
namespace {

using sftptest::Exists;
using sftptest::Names;
using sftptest::Put;
using sftptest::SftpWorld;

TEST(SftpTrustTest, ChangedHostKeyIsRefusedWithItsFingerprint) {
  SftpWorld w;
  Put(w.inbox() + "/a.csv", "x");
  w.sshd.ChangeHostKey();
  const std::string fp = w.sshd.HostKeyFingerprint();  // what `ssh-keygen -lf` prints
  ASSERT_EQ(fp.rfind("SHA256:", 0), 0u);
  auto src = w.MakeSource(w.SourceCfg());
  for (int i = 0; i < 3; ++i) {
    auto r = src->Poll();
    ASSERT_FALSE(r.ok());
    w.clock.Advance(std::chrono::minutes(6));  // past any backoff: a real new attempt each time
  }
  auto r = src->Poll();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kFatal);
  EXPECT_NE(r.status().message().find("CHANGED"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(fp), std::string::npos);
  ASSERT_EQ(w.refused.size(), 1u);  // once per offered key, not once per attempt
  EXPECT_EQ(w.refused[0].first, w.sshd.user() + "@127.0.0.1:" + std::to_string(w.sshd.port()));
  EXPECT_EQ(w.refused[0].second, fp);
  EXPECT_FALSE(src->Fetch(Candidate{"a.csv", 1, std::nullopt}, w.spool("a")).ok());
  EXPECT_TRUE(Names(w.local + "/spool").empty());
}

TEST(SftpTrustTest, UnknownHostIsRefused) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.known_hosts = w.sshd.dir() + "/empty_known_hosts";
  std::string line = w.sshd.KnownHostsLine();  // the right key, but for another host
  Put(MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.known_hosts, "[127.0.0.9]" + line.substr(line.find(']') + 1));
  auto src = w.MakeSource(cfg);
  auto r = src->Poll();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not in known_hosts"), std::string::npos) << r.status().message();
  ASSERT_EQ(w.refused.size(), 1u);
  EXPECT_EQ(w.refused[0].second, w.sshd.HostKeyFingerprint());
}

TEST(SftpTrustTest, HashedKnownHostsEntryIsTrusted) {
  SftpWorld w;
  Put(w.inbox() + "/a.csv", "x");
  auto cfg = w.SourceCfg();
  MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.known_hosts = w.sshd.WriteHashedKnownHosts();
  auto src = w.MakeSource(cfg);
  auto ready = w.PollSettled(*src);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_TRUE(w.refused.empty());
}

TEST(SftpTrustTest, WorldReadableIdentityIsRefused) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  ASSERT_EQ(::chmod(MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.identity.c_str(), 0644), 0);
  auto src = w.MakeSource(cfg);
  auto r = src->Poll();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("identity file " + MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.identity +
                                      " is readable by others (mode 0644); refusing"),
            std::string::npos)
      << r.status().message();
  ASSERT_EQ(::chmod(MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.identity.c_str(), 0400), 0);
  w.clock.Advance(std::chrono::seconds(2));
  EXPECT_TRUE(src->Poll().ok());
}

TEST(SftpTrustTest, EcdsaUserKeyWorks) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.identity = w.sshd.ecdsa_key();
  auto src = w.MakeSource(cfg);
  auto r = src->Poll();
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST(SftpTrustTest, PassphraseFromFileAndFromSystemdCredential) {
  SftpWorld w;
  auto cfg = w.SourceCfg();
  MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.identity = w.sshd.AddUserKey("id_locked", "ed25519", "open sesame");
  {
    auto src = w.MakeSource(cfg);
    auto r = src->Poll();
    EXPECT_FALSE(r.ok());  // no passphrase anywhere
  }
  MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.passphrase_file = w.sshd.dir() + "/pass";
  Put(*MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.passphrase_file, "open sesame\n");
  {
    auto src = w.MakeSource(cfg);
    auto r = src->Poll();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }
  MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint.passphrase_file.reset();
  std::string creds = w.sshd.dir() + "/creds";
  std::filesystem::create_directories(creds);
  Put(creds + "/legacy_sftp.passphrase", "open sesame");
  ::setenv("CREDENTIALS_DIRECTORY", creds.c_str(), 1);
  auto src = w.MakeSource(cfg);
  auto r = src->Poll();
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

}  // namespace
}  // namespace liitos
