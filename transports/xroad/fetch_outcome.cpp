#include "transports/xroad/fetch_outcome.h"

#include <fmt/core.h>

#include "base/time/units.h"
#include "transports/xroad/xroad_outcome.h"

namespace liitos {
namespace {

// 67108864 -> "64MiB", as the configuration writes sizes.
std::string FormatSize(uint64_t bytes) {
  if (bytes > 0 && bytes % (1u << 30) == 0) return fmt::format("{}GiB", bytes >> 30);
  if (bytes > 0 && bytes % (1u << 20) == 0) return fmt::format("{}MiB", bytes >> 20);
  if (bytes > 0 && bytes % (1u << 10) == 0) return fmt::format("{}KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::string WithSnippet(std::string head, const std::string& body) {
  std::string snippet = BodySnippet(body);
  if (!snippet.empty()) head += ": " + snippet;
  return head;
}

}  // namespace

const char* FetchOutcomeName(FetchOutcome outcome) {
  switch (outcome) {
    case FetchOutcome::kOk: return "fetched";
    case FetchOutcome::kNotFound: return "not-found";
    case FetchOutcome::kConfigFault: return "configuration fault";
    case FetchOutcome::kRetry: return "retry";
    case FetchOutcome::kFailed: return "failed";
  }
  return "?";
}

FetchAnswer ClassifyFetchResponse(HttpResponse resp, Millis request_timeout, uint64_t max_response_size) {
  FetchAnswer a;
  switch (resp.error) {
    case TransferError::kNone:
      break;
    case TransferError::kTimeout:
      a.outcome = FetchOutcome::kRetry;
      a.error = resp.during_connect ? fmt::format("connect timeout ({})", resp.error_text)
                                    : fmt::format("timeout after {} ({})", FormatDuration(request_timeout),
                                                  resp.error_text);
      return a;
    case TransferError::kNetwork:
      if (resp.body_too_large) {
        a.outcome = FetchOutcome::kFailed;
        a.error = fmt::format("the answer is larger than max_response_size ({})", FormatSize(max_response_size));
        return a;
      }
      a.outcome = FetchOutcome::kRetry;
      a.error = "network error: " + resp.error_text;
      return a;
    case TransferError::kStopped:
      a.outcome = FetchOutcome::kRetry;
      a.error = "abandoned: the service is stopping";
      return a;
    case TransferError::kLocalConfig:
      a.outcome = FetchOutcome::kConfigFault;
      a.error = "cannot send (configuration): " + resp.error_text;
      return a;
  }
  a.http_status = resp.status;
  if (const std::string* id = resp.Header("x-road-request-id")) a.request_id = *id;
  if (const std::string* ra = resp.Header("retry-after")) a.retry_after = ParseRetryAfter(*ra);
  const int s = resp.status;
  if (const std::string* xe = resp.Header("x-road-error")) {
    a.outcome = FetchOutcome::kRetry;
    a.error = WithSnippet(fmt::format("X-Road-Error: {} (HTTP {})", BodySnippet(*xe), s), resp.body);
  } else if (s >= 200 && s <= 299) {
    a.outcome = FetchOutcome::kOk;
    a.body = std::move(resp.body);
  } else if (s == 400 || s == 404) {
    a.outcome = FetchOutcome::kNotFound;
    a.error = WithSnippet(fmt::format("HTTP {}", s), resp.body);
  } else if (s == 401 || s == 403) {
    a.outcome = FetchOutcome::kConfigFault;
    a.error = WithSnippet(fmt::format("HTTP {}", s), resp.body);
  } else if (s == 408 || s == 429 || (s >= 500 && s <= 599)) {
    a.outcome = FetchOutcome::kRetry;
    a.error = WithSnippet(fmt::format("HTTP {}", s), resp.body);
  } else {
    a.outcome = FetchOutcome::kFailed;
    a.error = WithSnippet(fmt::format("HTTP {}{}", s, s >= 300 && s <= 399 ? " (redirects are not followed)" : ""),
                          resp.body);
  }
  return a;
}

}  // namespace liitos
