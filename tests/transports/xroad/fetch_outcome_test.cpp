// SPEC §11 outcomes of one GET, without a network (transports/xroad/fetch_outcome.h).

#include <gtest/gtest.h>

#include "transports/xroad/fetch_outcome.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;

HttpResponse Answer(int status, std::string body = "", std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

FetchAnswer Classify(HttpResponse r) { return ClassifyFetchResponse(std::move(r), 60s, 64u << 20); }

TEST(FetchOutcome, OkNotFoundAndConfigurationFaults) {
  FetchAnswer ok = Classify(Answer(200, "{}", {{"x-road-request-id", "req-1"}}));
  EXPECT_EQ(ok.outcome, FetchOutcome::kOk);
  EXPECT_EQ(ok.body, "{}");
  EXPECT_EQ(ok.request_id, "req-1");
  for (int s : {400, 404}) EXPECT_EQ(Classify(Answer(s)).outcome, FetchOutcome::kNotFound) << s;
  for (int s : {401, 403}) EXPECT_EQ(Classify(Answer(s)).outcome, FetchOutcome::kConfigFault) << s;
  EXPECT_EQ(Classify(Answer(400, "{\"message\": \"Project part action not found with externalId\"}")).error,
            "HTTP 400: {\"message\": \"Project part action not found with externalId\"}");
}

TEST(FetchOutcome, RetriedUntilGivenUp) {
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_EQ(Classify(Answer(s)).outcome, FetchOutcome::kRetry) << s;
  FetchAnswer later = Classify(Answer(429, "", {{"retry-after", "120"}}));
  EXPECT_EQ(later.retry_after, Millis(120s));
  FetchAnswer xe = Classify(Answer(200, "{}", {{"x-road-error", "Server.ServerProxy.ServiceFailed"}}));
  EXPECT_EQ(xe.outcome, FetchOutcome::kRetry);
  EXPECT_NE(xe.error.find("X-Road-Error: Server.ServerProxy.ServiceFailed"), std::string::npos);
  HttpResponse timeout;
  timeout.error = TransferError::kTimeout;
  EXPECT_EQ(Classify(timeout).outcome, FetchOutcome::kRetry);
  HttpResponse net;
  net.error = TransferError::kNetwork;
  net.error_text = "Connection refused";
  EXPECT_EQ(Classify(net).outcome, FetchOutcome::kRetry);
  EXPECT_EQ(Classify(net).error, "network error: Connection refused");
}

TEST(FetchOutcome, FailedAndNeverAHenkilotunnusInTheReason) {
  HttpResponse big;
  big.error = TransferError::kNetwork;
  big.body_too_large = true;
  FetchAnswer a = Classify(big);
  EXPECT_EQ(a.outcome, FetchOutcome::kFailed);
  EXPECT_EQ(a.error, "the answer is larger than max_response_size (64MiB)");
  FetchAnswer redirect = Classify(Answer(302, "", {{"location", "https://elsewhere/"}}));
  EXPECT_EQ(redirect.outcome, FetchOutcome::kFailed);
  EXPECT_NE(redirect.error.find("redirects are not followed"), std::string::npos);
  EXPECT_EQ(Classify(Answer(405)).outcome, FetchOutcome::kFailed);
  FetchAnswer leak = Classify(Answer(500, "virhe hakijalla 131052-308T"));
  EXPECT_EQ(leak.error.find("131052-308T"), std::string::npos) << leak.error;
  HttpResponse local;
  local.error = TransferError::kLocalConfig;
  EXPECT_EQ(Classify(local).outcome, FetchOutcome::kConfigFault);
}

}  // namespace
}  // namespace liitos
