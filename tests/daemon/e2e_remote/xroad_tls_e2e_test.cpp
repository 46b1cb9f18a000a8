// X-Road delivery end to end over mutual TLS: accepted with the right client certificate, refused
// without one or with one from another CA.

#include <gtest/gtest.h>

#include <memory>

#include "tests/daemon/e2e_remote/xroad_e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;
using testing::ReceiverFixture;
using testing::ReceiverOptions;
using testing::ScopedTestPki;

class XroadTlsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new ScopedTestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  static ScopedTestPki* pki_;
  ScratchDir dir_;
};
ScopedTestPki* XroadTlsE2eTest::pki_ = nullptr;

TEST_F(XroadTlsE2eTest, MutualTlsIsAcceptedWithTheRightClientCertificateOnly) {
  ASSERT_TRUE(pki_->ok()) << pki_->error();
  const auto& pki = pki_->pki();
  ReceiverOptions opts;
  opts.tls = true;
  opts.require_client_cert = true;
  opts.pki = pki;
  ReceiverFixture rx(opts);
  ASSERT_TRUE(rx.ok()) << rx.error();
  const fs::path root = dir_.path();
  XroadConfig c;
  c.url = rx.Url();
  auto config = [&](const std::string& cert, const std::string& key) {
    c.tls = "ca_file = \"" + pki.ca_cert + "\"\n";
    if (!cert.empty()) c.tls += "client_cert = \"" + cert + "\"\nclient_key = \"" + key + "\"\n";
    return WriteXroadConfig(root, c);
  };
  fs::path cfg = config("", "");
  WriteAll(root / "rakval/in/tilat.csv", Row3Csv());

  // Without a client certificate the server refuses the handshake: no request gets through, the
  // batch waits for a retry.
  auto r1 = RunLiitos({"run", "--once", "--config", cfg.string()});
  EXPECT_EQ(r1.exit_code, 1) << r1.err;
  EXPECT_TRUE(rx.Log().empty());
  auto attempts = JournalEvents(cfg, "BATCH_ATTEMPT");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0]["detail"]["http_status"], 0);
  EXPECT_FALSE(attempts[0]["detail"].value("error", "").empty());
  std::string batch = attempts[0]["batch_id"];

  // A client certificate from an unrelated CA is refused too.
  cfg = config(pki.other_client_cert, pki.other_client_key);
  EXPECT_EQ(RunLiitos({"run", "--once", "--config", cfg.string()}).exit_code, 1);
  EXPECT_TRUE(rx.Log().empty());

  // The right one: delivered, same batchId.
  cfg = config(pki.client_cert, pki.client_key);
  auto r3 = RunLiitos({"run", "--once", "--config", cfg.string()});
  EXPECT_EQ(r3.exit_code, 0) << r3.err;
  auto log = rx.Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["status"], 200);
  EXPECT_EQ(log[0]["batchId"], batch);
  auto counts = rx.AcceptedCounts();
  EXPECT_EQ(counts.size(), 3u);
  for (const auto& [id, n] : counts) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(JournalEvents(cfg, "BATCH_ATTEMPT").size(), 3u);
}

}  // namespace
}  // namespace liitos::e2e
