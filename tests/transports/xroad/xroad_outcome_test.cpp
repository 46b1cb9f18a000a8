// SPEC §5.4's outcome table, branch by branch, without a network.

#include "transports/xroad/xroad_outcome.h"

#include <gtest/gtest.h>

namespace liitos {
namespace {

HttpResponse Answer(int status, std::string body = "", std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

constexpr Millis kTimeout = std::chrono::seconds(60);

TEST(XroadOutcome, TwoHundredIsOkWithBodyAndRequestId) {
  SendResult r = ClassifyXroadResponse(Answer(200, "{}", {{"x-road-request-id", "rid-1"}}), kTimeout);
  EXPECT_EQ(r.outcome, SendOutcome::kOk);
  EXPECT_TRUE(r.per_item_results);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(r.request_id, "rid-1");
  EXPECT_EQ(r.http_status, 200);
}

TEST(XroadOutcome, RetryableStatuses) {
  for (int status : {408, 429, 500, 502, 503, 504, 599}) {
    SendResult r = ClassifyXroadResponse(Answer(status), kTimeout);
    EXPECT_EQ(r.outcome, SendOutcome::kRetry) << status;
    EXPECT_EQ(r.error, "HTTP " + std::to_string(status));
  }
}

TEST(XroadOutcome, OtherStatusesAreFatal) {
  for (int status : {400, 401, 403, 404, 409, 413, 301, 302, 307, 101}) {
    EXPECT_EQ(ClassifyXroadResponse(Answer(status), kTimeout).outcome, SendOutcome::kFatal) << status;
  }
  SendResult r = ClassifyXroadResponse(Answer(302, "", {{"location", "https://u:p@elsewhere/x"}}), kTimeout);
  EXPECT_EQ(r.error, "HTTP 302 (redirects are not followed; Location: https://***@elsewhere/x)");
}

TEST(XroadOutcome, XroadErrorHeaderRetriesWhateverTheStatus) {
  for (int status : {200, 400, 500}) {
    SendResult r = ClassifyXroadResponse(Answer(status, "", {{"x-road-error", "Server.ServerProxy.X"}}), kTimeout);
    EXPECT_EQ(r.outcome, SendOutcome::kRetry) << status;
    EXPECT_EQ(r.error, "X-Road-Error: Server.ServerProxy.X (HTTP " + std::to_string(status) + ")");
    EXPECT_FALSE(r.per_item_results);
  }
}

TEST(XroadOutcome, RetryAfterSecondsOnly) {
  EXPECT_EQ(ParseRetryAfter("7"), Millis(7000));
  EXPECT_EQ(ParseRetryAfter(" 120 "), Millis(120000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  SendResult r = ClassifyXroadResponse(Answer(429, "", {{"retry-after", "7"}}), kTimeout);
  EXPECT_EQ(r.retry_after, Millis(7000));
}

TEST(XroadOutcome, TransferErrors) {
  HttpResponse t;
  t.error = TransferError::kTimeout;
  t.error_text = "Operation timed out";
  SendResult r = ClassifyXroadResponse(t, std::chrono::seconds(1));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.error, "timeout after 1s (Operation timed out)");

  t.during_connect = true;
  EXPECT_EQ(ClassifyXroadResponse(t, kTimeout).error, "connect timeout (Operation timed out)");

  HttpResponse n;
  n.error = TransferError::kNetwork;
  n.error_text = "Connection refused";
  EXPECT_EQ(ClassifyXroadResponse(n, kTimeout).outcome, SendOutcome::kRetry);

  HttpResponse l;
  l.error = TransferError::kLocalConfig;
  l.error_text = "could not load PEM client certificate";
  EXPECT_EQ(ClassifyXroadResponse(l, kTimeout).outcome, SendOutcome::kFatal);

  HttpResponse s;
  s.error = TransferError::kStopped;
  EXPECT_EQ(ClassifyXroadResponse(s, kTimeout).outcome, SendOutcome::kRetry);
}

TEST(XroadOutcome, FatalCarriesTheFirst200CharactersOfTheBody) {
  std::string body(300, 'x');
  SendResult r = ClassifyXroadResponse(Answer(400, body), kTimeout);
  EXPECT_EQ(r.error, "HTTP 400: " + std::string(200, 'x') + "…");
}

TEST(XroadOutcome, SnippetMasksPersonIdsAndControlCharacters) {
  EXPECT_EQ(BodySnippet("bad hetu 131052-308T\nhere"), "bad hetu *********** here");
  EXPECT_EQ(BodySnippet("131052-308U"), "131052-308U");  // not a valid id (wrong check character)
  // A cut never splits "ä" (2 bytes in UTF-8).
  EXPECT_EQ(BodySnippet("aä", 2), "a…");
}

TEST(XroadOutcome, RedactUrl) {
  EXPECT_EQ(RedactUrl("https://ss.example.fi/r1/x"), "https://ss.example.fi/r1/x");
  EXPECT_EQ(RedactUrl("https://user:secret@ss.example.fi/r1/x?a@b"), "https://***@ss.example.fi/r1/x?a@b");
}

}  // namespace
}  // namespace liitos
