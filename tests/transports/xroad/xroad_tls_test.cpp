// The X-Road destination over TLS against a real receiver with a throw-away PKI.
//
// Decided here (and in xroad_outcome.h): a TLS handshake that fails, whichever side refuses
// (server certificate not trusted by ca_file, client certificate missing or from another CA), is
// a network error -> kRetry (SPEC §5.4), so that fixing the certificates lets queued batches go
// without `liitos retry`; `liitos check --connect` shows the cause. Our own TLS files being
// unreadable is a configuration fault -> kFatal.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>

#include "tests/transports/xroad/receiver_fixture.h"
#include "tests/transports/xroad/xroad_test_util.h"
#include "transports/xroad/xroad_destination.h"

namespace liitos {
namespace {

using testing::kTestClient;
using testing::MakeTestBatch;
using testing::ReceiverFixture;
using testing::ReceiverOptions;
using testing::XroadConfig;

// Sets $CREDENTIALS_DIRECTORY for one scope.
class ScopedCredentialsDir {
 public:
  explicit ScopedCredentialsDir(const std::string& dir) {
    if (const char* old = ::getenv("CREDENTIALS_DIRECTORY")) old_ = old;
    ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
  }
  ~ScopedCredentialsDir() {
    if (old_) ::setenv("CREDENTIALS_DIRECTORY", old_->c_str(), 1);
    else ::unsetenv("CREDENTIALS_DIRECTORY");
  }

 private:
  std::optional<std::string> old_;
};

class XroadTlsTest : public ::testing::Test {
 protected:
  // One PKI for the suite; a fresh receiver per test.
  static void SetUpTestSuite() { pki_ = new testing::ScopedTestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  static ReceiverOptions MutualTlsReceiver() {
    ReceiverOptions o;
    o.tls = true;
    o.require_client_cert = true;
    if (pki_->ok()) o.pki = pki_->pki();
    return o;
  }

  XroadTlsTest() : rx_(MutualTlsReceiver()) {}
  void SetUp() override {
    ASSERT_TRUE(pki_->ok()) << pki_->error();
    ASSERT_TRUE(rx_.ok()) << rx_.error();
  }

  static testing::ScopedTestPki* pki_;

  // https, server verified against the fixture's CA, no client certificate yet.
  DestinationConfig Config() const {
    DestinationConfig cfg = XroadConfig(rx_.Url(), /*allow_plain_http=*/false);
    MutableKindSettings<XroadSettings>(cfg.settings).ca_file = rx_.pki().ca_cert;
    return cfg;
  }
  DestinationConfig MutualConfig() const {
    DestinationConfig cfg = Config();
    MutableKindSettings<XroadSettings>(cfg.settings).client_cert = rx_.pki().client_cert;
    MutableKindSettings<XroadSettings>(cfg.settings).client_key = rx_.pki().client_key;
    return cfg;
  }
  SendResult SendOnce(const DestinationConfig& cfg) {
    auto d = MakeXroadDestination(cfg, kTestClient, ctx_);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (!d.ok()) return SendResult{};
    return (*d)->Send(MakeTestBatch({"m-1"}));
  }

  ReceiverFixture rx_;
  TransportContext ctx_;
};

testing::ScopedTestPki* XroadTlsTest::pki_ = nullptr;

TEST_F(XroadTlsTest, MutualTlsWithTheRightClientCertIsAccepted) {
  SendResult r = SendOnce(MutualConfig());
  ASSERT_EQ(r.outcome, SendOutcome::kOk) << r.error;
  EXPECT_EQ(nlohmann::json::parse(r.body)["results"][0]["result"], "accepted");
  EXPECT_EQ(rx_.AcceptedCounts(), (std::map<std::string, int>{{"m-1", 1}}));
}

TEST_F(XroadTlsTest, LocalhostNameMatchesTheServerCertToo) {
  DestinationConfig cfg = MutualConfig();
  MutableKindSettings<XroadSettings>(cfg.settings).url = "https://localhost:" + std::to_string(rx_.port()) + ReceiverFixture::kDefaultPath;
  EXPECT_EQ(SendOnce(cfg).outcome, SendOutcome::kOk);
}

TEST_F(XroadTlsTest, WithoutClientCertTheHandshakeFailsAndRetries) {
  SendResult r = SendOnce(Config());
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.error.rfind("network error", 0), 0u) << r.error;
  EXPECT_TRUE(rx_.AcceptedCounts().empty());
}

TEST_F(XroadTlsTest, ClientCertFromAnotherCaIsRefused) {
  DestinationConfig cfg = Config();
  MutableKindSettings<XroadSettings>(cfg.settings).client_cert = rx_.pki().other_client_cert;
  MutableKindSettings<XroadSettings>(cfg.settings).client_key = rx_.pki().other_client_key;
  SendResult r = SendOnce(cfg);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_TRUE(rx_.AcceptedCounts().empty());
}

TEST_F(XroadTlsTest, ServerCertNotMatchingCaFileIsRefused) {
  DestinationConfig cfg = MutualConfig();
  MutableKindSettings<XroadSettings>(cfg.settings).ca_file = rx_.pki().other_ca_cert;
  SendResult r = SendOnce(cfg);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_NE(r.error.find("certificate"), std::string::npos) << r.error;
  EXPECT_TRUE(rx_.Log().empty()) << "nothing was sent to an untrusted server";
  auto d = MakeXroadDestination(cfg, kTestClient, ctx_);
  ASSERT_TRUE(d.ok());
  std::vector<std::string> report;
  EXPECT_EQ((*d)->Check(&report).code(), Status::Code::kIoError);
}

TEST_F(XroadTlsTest, SystemTrustStoreDoesNotTrustTheTestCa) {
  DestinationConfig cfg = MutualConfig();
  MutableKindSettings<XroadSettings>(cfg.settings).ca_file.reset();
  EXPECT_EQ(SendOnce(cfg).outcome, SendOutcome::kRetry);
}

TEST_F(XroadTlsTest, UnreadableClientKeyIsAConfigurationFault) {
  DestinationConfig cfg = MutualConfig();
  MutableKindSettings<XroadSettings>(cfg.settings).client_key = rx_.dir() + "/missing/client.key";
  SendResult r = SendOnce(cfg);
  EXPECT_EQ(r.outcome, SendOutcome::kFatal) << r.error;
  auto d = MakeXroadDestination(cfg, kTestClient, ctx_);
  ASSERT_TRUE(d.ok());
  std::vector<std::string> report;
  EXPECT_FALSE((*d)->Check(&report).ok());
}

TEST_F(XroadTlsTest, ClientKeyFromSystemdCredentials) {
  ScopedCredentialsDir creds(rx_.pki().dir);  // holds "client.key"
  DestinationConfig cfg = MutualConfig();
  MutableKindSettings<XroadSettings>(cfg.settings).client_key = "/etc/liitos/tls/client.key";  // not there; its basename is a credential
  EXPECT_EQ(ResolveCredentialFile(*MutableKindSettings<XroadSettings>(cfg.settings).client_key), rx_.pki().dir + "/client.key");
  SendResult r = SendOnce(cfg);
  EXPECT_EQ(r.outcome, SendOutcome::kOk) << r.error;
}

TEST_F(XroadTlsTest, ConfiguredKeyThatExistsWinsOverCredentials) {
  ScopedCredentialsDir creds(rx_.pki().dir);
  EXPECT_EQ(ResolveCredentialFile(rx_.pki().other_client_key), rx_.pki().other_client_key);
  EXPECT_EQ(ResolveCredentialFile("/nowhere/nothing.key"), "/nowhere/nothing.key");
}

TEST_F(XroadTlsTest, CheckReportsVerifiedTls) {
  auto d = MakeXroadDestination(MutualConfig(), kTestClient, ctx_);
  ASSERT_TRUE(d.ok());
  std::vector<std::string> report;
  Status s = (*d)->Check(&report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(report.back().find("TLS verified against ca_file"), std::string::npos) << report.back();
  EXPECT_TRUE(rx_.Log().empty());
}

}  // namespace
}  // namespace liitos
