#include "transports/xroad/xroad_outcome.h"

#include <fmt/core.h>

#include <cctype>
#include <charconv>

#include "base/text/finnish_ids.h"
#include "base/time/units.h"

namespace liitos {
namespace {

bool IsRetryableStatus(int status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

// Replaces every 11-character window that is a valid henkilötunnus with asterisks.
void MaskPersonIds(std::string* text) {
  constexpr size_t kLen = 11;
  for (size_t i = 0; i + kLen <= text->size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>((*text)[i]))) continue;
    if (IsValidPersonId(std::string_view(*text).substr(i, kLen))) {
      text->replace(i, kLen, std::string(kLen, '*'));
      i += kLen - 1;
    }
  }
}

std::string WithSnippet(std::string head, std::string_view body) {
  std::string snippet = BodySnippet(body);
  if (!snippet.empty()) head += ": " + snippet;
  return head;
}

}  // namespace

std::optional<Millis> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || ptr != value.data() + value.size() || seconds < 0) return std::nullopt;
  constexpr long long kMaxSeconds = 365LL * 24 * 3600;  // anything larger is nonsense; clamp
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  return Millis(seconds * 1000);
}

std::string BodySnippet(std::string_view body, size_t max_bytes) {
  size_t n = std::min(body.size(), max_bytes);
  // Step back over UTF-8 continuation bytes so the cut lands on a character boundary.
  if (n < body.size()) {
    while (n > 0 && (static_cast<unsigned char>(body[n]) & 0xC0) == 0x80) --n;
  }
  std::string out(body.substr(0, n));
  for (char& ch : out) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ch = ' ';
  }
  MaskPersonIds(&out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (n < body.size()) out += "…";
  return out;
}

std::string RedactUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t host_start = scheme + 3;
  size_t host_end = url.find_first_of("/?#", host_start);
  std::string_view authority = url.substr(host_start, host_end == std::string_view::npos ? std::string_view::npos
                                                                                          : host_end - host_start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, host_start));
  out += "***@";
  out += url.substr(host_start + at + 1);
  return out;
}

SendResult ClassifyXroadResponse(const HttpResponse& resp, Millis request_timeout) {
  SendResult r;
  switch (resp.error) {
    case TransferError::kNone:
      break;
    case TransferError::kTimeout:
      r.outcome = SendOutcome::kRetry;
      r.error = resp.during_connect
                    ? fmt::format("connect timeout ({})", resp.error_text)
                    : fmt::format("timeout after {} ({})", FormatDuration(request_timeout), resp.error_text);
      return r;
    case TransferError::kNetwork:
      r.outcome = SendOutcome::kRetry;
      r.error = "network error: " + resp.error_text;
      return r;
    case TransferError::kStopped:
      r.outcome = SendOutcome::kRetry;
      r.error = "abandoned: the service is stopping";
      return r;
    case TransferError::kLocalConfig:
      r.outcome = SendOutcome::kFatal;
      r.error = "cannot send (configuration): " + resp.error_text;
      return r;
  }

  r.http_status = resp.status;
  if (const std::string* id = resp.Header("x-road-request-id")) r.request_id = *id;
  if (const std::string* ra = resp.Header("retry-after")) r.retry_after = ParseRetryAfter(*ra);
  r.body = resp.body;

  if (const std::string* xe = resp.Header("x-road-error")) {
    r.outcome = SendOutcome::kRetry;
    r.error = WithSnippet(fmt::format("X-Road-Error: {} (HTTP {})", BodySnippet(*xe), resp.status), resp.body);
    return r;
  }
  if (resp.status >= 200 && resp.status <= 299) {
    r.outcome = SendOutcome::kOk;
    r.per_item_results = true;
    return r;
  }
  if (IsRetryableStatus(resp.status)) {
    r.outcome = SendOutcome::kRetry;
    r.error = WithSnippet(fmt::format("HTTP {}", resp.status), resp.body);
    return r;
  }
  r.outcome = SendOutcome::kFatal;
  std::string head = fmt::format("HTTP {}", resp.status);
  if (resp.status >= 300 && resp.status <= 399) {
    head += " (redirects are not followed";
    if (const std::string* loc = resp.Header("location")) head += "; Location: " + RedactUrl(BodySnippet(*loc));
    head += ")";
  }
  r.error = WithSnippet(head, resp.body);
  return r;
}

}  // namespace liitos
