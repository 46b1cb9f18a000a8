// The Fetcher against the fake Luvat ja valvonta service: headers, keep-alive, answers and
// faults, the size limit, TLS and mutual TLS (SPEC §11, §5.4).

#include <gtest/gtest.h>

#include <set>

#include "tests/transports/xroad/lv_service_fixture.h"
#include "transports/xroad/fetcher.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::kSampleApp;
using testing::kUnknownApp;
using testing::LvServiceFixture;

const std::string kClient = "FI/MUN/0204819-8/liitos";

FeedConfig Feed(const std::string& url) {
  FeedConfig f;
  f.name = "hakemukset";
  f.url = url;
  f.allow_plain_http = url.rfind("http://", 0) == 0;
  f.request_timeout = 5s;
  return f;
}

std::string PartUrl(const LvServiceFixture& lv, const std::string& id, const std::string& part) {
  return lv.BaseUrl() + "/commondata/" + id + "/" + part;
}

// One PKI for the suite (openssl is slow on a busy machine); the TLS tests use it.
class FetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new testing::ScopedTestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  static testing::ReceiverOptions Mutual() {
    testing::ReceiverOptions o;
    o.tls = true;
    o.require_client_cert = true;
    if (pki_->ok()) o.pki = pki_->pki();
    return o;
  }
  static testing::ScopedTestPki* pki_;
};
testing::ScopedTestPki* FetcherTest::pki_ = nullptr;

TEST_F(FetcherTest, GetsWithTheXroadHeadersOnOneKeptOpenConnection) {
  LvServiceFixture lv;
  ASSERT_TRUE(lv.ok()) << lv.error();
  Fetcher f(Feed(lv.BaseUrl()), kClient, nullptr);
  FetchAnswer a = f.Get(PartUrl(lv, kSampleApp, "commondata"), "id-1", {"Accept: application/json"});
  ASSERT_EQ(a.outcome, FetchOutcome::kOk) << a.error;
  EXPECT_NE(a.body.find("Kärsämäentie"), std::string::npos);
  EXPECT_FALSE(a.request_id.empty());
  FetchAnswer b = f.Get(PartUrl(lv, kSampleApp, "formdata"), "id-2", {"Accept: application/json"});
  ASSERT_EQ(b.outcome, FetchOutcome::kOk) << b.error;
  auto log = lv.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["xroadClient"], kClient);
  EXPECT_EQ(log[0]["xroadId"], "id-1");
  EXPECT_EQ(log[1]["xroadId"], "id-2");
  EXPECT_EQ(log[0]["accept"], "application/json");
  EXPECT_EQ(log[0]["externalId"], kSampleApp);
  EXPECT_EQ(log[1]["part"], "formdata");
  EXPECT_EQ(log[0]["peer"], log[1]["peer"]);  // the same connection
}

TEST_F(FetcherTest, AnswersAndFaults) {
  LvServiceFixture lv;
  ASSERT_TRUE(lv.ok()) << lv.error();
  Fetcher f(Feed(lv.BaseUrl()), kClient, nullptr);
  auto get = [&]() { return f.Get(PartUrl(lv, kSampleApp, "formdata"), "x", {}); };
  EXPECT_EQ(f.Get(PartUrl(lv, kUnknownApp, "formdata"), "x", {}).outcome, FetchOutcome::kNotFound);
  ASSERT_TRUE(lv.Fault({{"action", "fail"}, {"status", 503}, {"retry_after", 7}}));
  FetchAnswer busy = get();
  EXPECT_EQ(busy.outcome, FetchOutcome::kRetry);
  EXPECT_EQ(busy.retry_after, Millis(7s));
  ASSERT_TRUE(lv.Fault({{"action", "respond"}, {"status", 401}, {"body", "{\"message\": \"Unauthorized request\"}"}}));
  EXPECT_EQ(get().outcome, FetchOutcome::kConfigFault);
  ASSERT_TRUE(lv.Fault({{"action", "xroad_error"}}));
  EXPECT_EQ(get().outcome, FetchOutcome::kRetry);
  // (libcurl sends a request again once on a new connection when a kept-open one was reset)
  ASSERT_TRUE(lv.Fault({{"action", "reset"}, {"count", 2}}));
  EXPECT_EQ(get().outcome, FetchOutcome::kRetry);
  ASSERT_TRUE(lv.Fault({{"action", "garbage"}}));
  FetchAnswer garbage = get();  // a 200: whether it is JSON is formats/import's to say
  EXPECT_EQ(garbage.outcome, FetchOutcome::kOk);
  EXPECT_EQ(get().outcome, FetchOutcome::kOk);  // and the connection still serves
}

TEST_F(FetcherTest, ATimeoutIsRetriedAndAnAnswerPastTheLimitFails) {
  LvServiceFixture lv;
  ASSERT_TRUE(lv.ok()) << lv.error();
  FeedConfig cfg = Feed(lv.BaseUrl());
  cfg.request_timeout = 300ms;
  cfg.max_response_size = 64 * 1024;
  Fetcher f(cfg, kClient, nullptr);
  ASSERT_TRUE(lv.Fault({{"action", "hang"}, {"seconds", 2}}));
  FetchAnswer slow = f.Get(PartUrl(lv, kSampleApp, "formdata"), "x", {});
  EXPECT_EQ(slow.outcome, FetchOutcome::kRetry);
  EXPECT_NE(slow.error.find("timeout"), std::string::npos) << slow.error;
  ASSERT_TRUE(lv.Fault({{"action", "big"}, {"bytes", 65 * 1024}}));
  FetchAnswer big = f.Get(PartUrl(lv, kSampleApp, "formdata"), "x", {});
  EXPECT_EQ(big.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(big.error, "the answer is larger than max_response_size (64KiB)");
}

TEST_F(FetcherTest, MutualTlsWithTheFeedsOwnCertificates) {
  ASSERT_TRUE(pki_->ok()) << pki_->error();
  LvServiceFixture lv(Mutual());
  ASSERT_TRUE(lv.ok()) << lv.error();
  FeedConfig cfg = Feed(lv.BaseUrl());
  cfg.ca_file = pki_->pki().ca_cert;
  cfg.client_cert = pki_->pki().client_cert;
  cfg.client_key = pki_->pki().client_key;
  Fetcher ok(cfg, kClient, nullptr);
  FetchAnswer a = ok.Get(PartUrl(lv, kSampleApp, "commondata"), "x", {});
  EXPECT_EQ(a.outcome, FetchOutcome::kOk) << a.error;
  std::vector<std::string> report;
  EXPECT_TRUE(ok.Check(&report).ok());
  // Without the client certificate the handshake is refused: retried (fixed outside liitos).
  FeedConfig no_cert = cfg;
  no_cert.client_cert.reset();
  no_cert.client_key.reset();
  EXPECT_EQ(Fetcher(no_cert, kClient, nullptr).Get(PartUrl(lv, kSampleApp, "commondata"), "x", {}).outcome,
            FetchOutcome::kRetry);
  // A server the CA does not vouch for: the same.
  FeedConfig wrong_ca = cfg;
  wrong_ca.ca_file = pki_->pki().other_ca_cert;
  EXPECT_EQ(Fetcher(wrong_ca, kClient, nullptr).Get(PartUrl(lv, kSampleApp, "commondata"), "x", {}).outcome,
            FetchOutcome::kRetry);
  // Our own key unreadable: a configuration fault.
  FeedConfig missing = cfg;
  missing.client_key = "/nonexistent/client.key";
  EXPECT_EQ(Fetcher(missing, kClient, nullptr).Get(PartUrl(lv, kSampleApp, "commondata"), "x", {}).outcome,
            FetchOutcome::kConfigFault);
}

}  // namespace
}  // namespace liitos
