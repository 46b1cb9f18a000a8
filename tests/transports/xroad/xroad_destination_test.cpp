// The X-Road destination against a real HTTP receiver (tests/fixtures/receiver.py), plain http.

#include "transports/xroad/xroad_destination.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "tests/transports/xroad/receiver_fixture.h"
#include "tests/transports/xroad/xroad_test_util.h"

namespace liitos {
namespace {

using testing::kTestClient;
using testing::MakeTestBatch;
using testing::ReceiverFixture;
using testing::XroadConfig;

class XroadDestinationTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(rx_.ok()) << rx_.error(); }

  DestinationPtr Make(const DestinationConfig& cfg) {
    auto d = MakeXroadDestination(cfg, kTestClient, ctx_);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? std::move(d).value() : nullptr;
  }
  DestinationPtr Make() { return Make(XroadConfig(rx_.Url())); }

  ReceiverFixture rx_;
  TransportContext ctx_;
};

TEST_F(XroadDestinationTest, HappyPathIsOkWithBodyAndRequestId) {
  auto d = Make();
  OutgoingBatch b = MakeTestBatch({"m-1", "m-2"});
  SendResult r = d->Send(b);
  ASSERT_EQ(r.outcome, SendOutcome::kOk) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_TRUE(r.per_item_results);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["batchId"], b.batch_id);
  ASSERT_EQ(body["results"].size(), 2u);
  EXPECT_EQ(body["results"][0]["result"], "accepted");
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(r.request_id, log[0]["requestId"]);
  EXPECT_FALSE(r.request_id.empty());
}

TEST_F(XroadDestinationTest, SendsTheRequiredHeaders) {
  auto d = Make();
  OutgoingBatch b = MakeTestBatch({"m-1"});
  ASSERT_EQ(d->Send(b).outcome, SendOutcome::kOk);
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["method"], "POST");
  EXPECT_EQ(log[0]["path"], ReceiverFixture::kDefaultPath);
  EXPECT_EQ(log[0]["xroadClient"], kTestClient);
  EXPECT_EQ(log[0]["xroadId"], b.batch_id);
  EXPECT_EQ(log[0]["contentType"], "application/json; charset=utf-8");
}

TEST_F(XroadDestinationTest, RepeatIsDuplicateAndConnectionIsReused) {
  auto d = Make();
  OutgoingBatch b = MakeTestBatch({"m-1"});
  ASSERT_EQ(d->Send(b).outcome, SendOutcome::kOk);
  SendResult again = d->Send(b);
  ASSERT_EQ(again.outcome, SendOutcome::kOk);
  EXPECT_EQ(nlohmann::json::parse(again.body)["results"][0]["result"], "duplicate");
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["peer"], log[1]["peer"]) << "keep-alive: the second send reuses the connection";
}

TEST_F(XroadDestinationTest, ServiceUnavailableRetries) {
  ASSERT_TRUE(rx_.FailNext(1, 503));
  auto d = Make();
  OutgoingBatch b = MakeTestBatch({"m-1"});
  SendResult r = d->Send(b);
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(r.error.rfind("HTTP 503", 0), 0u) << r.error;
  EXPECT_FALSE(r.retry_after.has_value());
  // The retry reuses the batch id and delivers each update once.
  ASSERT_EQ(d->Send(b).outcome, SendOutcome::kOk);
  auto log = rx_.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["xroadId"], log[1]["xroadId"]);
  EXPECT_EQ(rx_.AcceptedCounts(), (std::map<std::string, int>{{"m-1", 1}}));
}

TEST_F(XroadDestinationTest, TooManyRequestsPassesRetryAfterOn) {
  ASSERT_TRUE(rx_.FailNext(1, 429, 7));
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.http_status, 429);
  EXPECT_EQ(r.retry_after, std::optional<Millis>(std::chrono::seconds(7)));
}

TEST_F(XroadDestinationTest, HangPastTheRequestTimeoutRetries) {
  ASSERT_TRUE(rx_.HangNext(3));
  DestinationConfig cfg = XroadConfig(rx_.Url());
  MutableKindSettings<XroadSettings>(cfg.settings).request_timeout = std::chrono::seconds(1);
  auto d = Make(cfg);
  OutgoingBatch b = MakeTestBatch({"m-1"});
  auto start = std::chrono::steady_clock::now();
  SendResult r = d->Send(b);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2900));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.error.rfind("timeout after 1s", 0), 0u) << r.error;
  // The retry (same batch id) gets through; however the hung request ends, each update is
  // accepted once.
  ASSERT_EQ(d->Send(b).outcome, SendOutcome::kOk);
  EXPECT_EQ(rx_.AcceptedCounts(), (std::map<std::string, int>{{"m-1", 1}}));
}

TEST_F(XroadDestinationTest, ConnectionResetRetries) {
  ASSERT_TRUE(rx_.ResetNext());
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.error.rfind("network error", 0), 0u) << r.error;
  EXPECT_EQ(r.http_status, 0);
}

// A port that was just free: bound, never listened on, closed.
int UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(XroadDestinationTest, NobodyListeningRetries) {
  auto d = Make(XroadConfig("http://127.0.0.1:" + std::to_string(UnusedPort()) + "/x"));
  SendResult r = d->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.error.rfind("network error", 0), 0u) << r.error;
  std::vector<std::string> report;
  EXPECT_EQ(d->Check(&report).code(), Status::Code::kIoError);
}

TEST_F(XroadDestinationTest, XroadErrorHeaderRetriesEvenWith200) {
  auto d = Make();
  for (int status : {500, 200}) {
    ASSERT_TRUE(rx_.XroadErrorNext(status, "Server.ServerProxy.ServiceFailed"));
    SendResult r = d->Send(MakeTestBatch({"m-1"}));
    EXPECT_EQ(r.outcome, SendOutcome::kRetry) << status;
    EXPECT_EQ(r.error.rfind("X-Road-Error: Server.ServerProxy.ServiceFailed (HTTP " + std::to_string(status) + ")", 0),
              0u)
        << r.error;
  }
}

TEST_F(XroadDestinationTest, BadRequestIsFatalWithTheBody) {
  ASSERT_TRUE(rx_.RespondNext(400, "{\"error\": \"schema\"}"));
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kFatal);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.error, "HTTP 400: {\"error\": \"schema\"}");
}

TEST_F(XroadDestinationTest, ReceiverRefusesAMismatchedSender) {
  // X-Road-Client (the configured client) differs from sender.xroadClient in the document.
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}, "FI/MUN/0000000-0/other"));
  EXPECT_EQ(r.outcome, SendOutcome::kFatal);
  EXPECT_NE(r.error.find("X-Road-Client does not equal"), std::string::npos) << r.error;
}

TEST_F(XroadDestinationTest, RedirectIsNotFollowed) {
  ASSERT_TRUE(rx_.RespondNext(302, "", {{"Location", rx_.Url("/elsewhere")}}));
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kFatal);
  EXPECT_EQ(r.http_status, 302);
  EXPECT_NE(r.error.find("redirects are not followed"), std::string::npos) << r.error;
  EXPECT_EQ(rx_.Log().size(), 1u);
}

TEST_F(XroadDestinationTest, PlainHttpRefusedWithoutAllowPlainHttp) {
  auto d = Make(XroadConfig(rx_.Url(), /*allow_plain_http=*/false));
  SendResult r = d->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kFatal);
  EXPECT_NE(r.error.find("plain http refused"), std::string::npos) << r.error;
  std::vector<std::string> report;
  EXPECT_FALSE(d->Check(&report).ok());
  EXPECT_TRUE(rx_.Log().empty());
}

TEST_F(XroadDestinationTest, GarbageBodyIsHandedBackForTheCallerToJudge) {
  ASSERT_TRUE(rx_.GarbageNext());
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kOk);
  EXPECT_EQ(r.body.rfind("<html>", 0), 0u);
}

TEST_F(XroadDestinationTest, RejectedItemsComeBackInTheBody) {
  ASSERT_TRUE(rx_.Reject({"m-2"}, "LV_CASE_UNKNOWN", "no such case"));
  SendResult r = Make()->Send(MakeTestBatch({"m-1", "m-2"}));
  ASSERT_EQ(r.outcome, SendOutcome::kOk);
  auto results = nlohmann::json::parse(r.body)["results"];
  EXPECT_EQ(results[1]["result"], "rejected");
  EXPECT_EQ(results[1]["error"]["code"], "LV_CASE_UNKNOWN");
}

TEST_F(XroadDestinationTest, StopFlagAbandonsTheTransfer) {
  ASSERT_TRUE(rx_.HangNext(5));
  std::atomic<bool> stop{true};
  ctx_.stop = &stop;
  SendResult r = Make()->Send(MakeTestBatch({"m-1"}));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_NE(r.error.find("stopping"), std::string::npos) << r.error;
}

TEST_F(XroadDestinationTest, CheckReportsReachable) {
  auto d = Make();
  std::vector<std::string> report;
  Status s = d->Check(&report);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_FALSE(report.empty());
  EXPECT_NE(report.back().find("reachable: HTTP 200"), std::string::npos) << report.back();
  EXPECT_TRUE(rx_.Log().empty()) << "check sends no batch";
}

}  // namespace
}  // namespace liitos
