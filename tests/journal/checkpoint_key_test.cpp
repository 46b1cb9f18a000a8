// The checkpoint signing key (SPEC §7): Ed25519, signs and verifies, loads from PEM (also keys the
// openssl command line made), refuses keys others can read, resolves systemd credential names.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "base/fs.h"
#include "journal/audit/checkpoint.h"
#include "tests/journal/journal_test_util.h"
#include "tests/scratch_dir.h"

namespace liitos {
namespace {

CheckpointKey NewKey(std::string* pem, std::string* pub_pem = nullptr) {
  return journal_test::NewCheckpointKey(pem, pub_pem);
}

std::string WriteText(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path, std::ios::binary) << text;
  ::chmod(path.c_str(), mode);
  return path;
}

TEST(CheckpointKey, SignsAndVerifiesAndLoadsFromPem) {
  test_util::ScratchDir dir;
  std::string pem, pub_pem;
  CheckpointKey k = NewKey(&pem, &pub_pem);
  auto sig = k.Sign("hello");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 88u);
  EXPECT_TRUE(k.Verify("hello", *sig));
  EXPECT_FALSE(k.Verify("hellp", *sig));
  EXPECT_FALSE(k.Verify("hello", "AAAA"));
  EXPECT_EQ(k.fingerprint().size(), 64u);

  auto priv = CheckpointKey::LoadPrivate(WriteText(dir / "k.pem", pem, 0600));
  ASSERT_TRUE(priv.ok()) << priv.status().ToString();
  EXPECT_EQ(priv->fingerprint(), k.fingerprint());
  EXPECT_TRUE(priv->Verify("hello", *sig));

  auto pub = CheckpointKey::LoadPublic(WriteText(dir / "k.pub", pub_pem, 0644));
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_FALSE(pub->can_sign());
  EXPECT_FALSE(pub->Sign("x").ok());
  EXPECT_EQ(pub->fingerprint(), k.fingerprint());
  EXPECT_TRUE(pub->Verify("hello", *sig));
  EXPECT_EQ(CheckpointKey::LoadPublic(dir / "k.pem")->fingerprint(), k.fingerprint());
}

TEST(CheckpointKey, RefusesReadableMissingAndForeignKeys) {
  test_util::ScratchDir dir;
  std::string pem;
  NewKey(&pem);
  auto open = CheckpointKey::LoadPrivate(WriteText(dir / "k.pem", pem, 0640));
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("readable by group or others"), std::string::npos);
  EXPECT_EQ(CheckpointKey::LoadPrivate(dir / "none.pem").status().code(), Status::Code::kNotFound);
  auto junk = CheckpointKey::LoadPrivate(WriteText(dir / "junk.pem", "not a key\n", 0600));
  EXPECT_FALSE(junk.ok());
  // An EC key is a key, but not the Ed25519 one a checkpoint is signed with.
  ASSERT_EQ(std::system(("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + (dir / "ec.pem") +
                         " 2>/dev/null && chmod 600 " + (dir / "ec.pem"))
                            .c_str()),
            0);
  auto ec = CheckpointKey::LoadPrivate(dir / "ec.pem");
  ASSERT_FALSE(ec.ok());
  EXPECT_NE(ec.status().message().find("not an Ed25519 key"), std::string::npos);
}

TEST(CheckpointKey, OpensslCommandLineKeysWork) {
  test_util::ScratchDir dir;
  ASSERT_EQ(std::system(("umask 077 && openssl genpkey -algorithm ed25519 -out " + (dir / "c.key") +
                         " && openssl pkey -in " + (dir / "c.key") + " -pubout -out " + (dir / "c.pub"))
                            .c_str()),
            0);
  auto priv = CheckpointKey::LoadPrivate(dir / "c.key");
  auto pub = CheckpointKey::LoadPublic(dir / "c.pub");
  ASSERT_TRUE(priv.ok() && pub.ok());
  EXPECT_EQ(priv->fingerprint(), pub->fingerprint());
  // The fingerprint an auditor computes with the documented command line.
  std::string cmd = "openssl pkey -pubin -in " + (dir / "c.pub") + " -outform DER | tail -c 32 | sha256sum > " +
                    (dir / "fp");
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(ReadFile(dir / "fp")->substr(0, 64), pub->fingerprint());
}

TEST(CheckpointKey, CredentialNamesResolveInTheCredentialsDirectory) {
  ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/liitos.service", 1);
  EXPECT_EQ(ResolveCheckpointKeyPath("checkpoint.key"), "/run/credentials/liitos.service/checkpoint.key");
  EXPECT_EQ(ResolveCheckpointKeyPath("/etc/liitos/none.key"), "/etc/liitos/none.key");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(ResolveCheckpointKeyPath("/etc/liitos/c.key"), "/etc/liitos/c.key");
  EXPECT_EQ(ResolveCheckpointKeyPath("checkpoint.key"), "/run/credentials/liitos.service/checkpoint.key");
}

}  // namespace
}  // namespace liitos
