#pragma once
// SPEC §5.4 as a pure function: an HTTP exchange with the security server -> Ok, Retry or Fatal.
// Kept apart from libcurl so that every branch can be tested without a network.
//
//   2xx without X-Road-Error                       -> kOk, body handed back (per_item_results)
//   any answer carrying X-Road-Error               -> kRetry (the X-Road layer failed, not the batch)
//   408, 429, 5xx                                  -> kRetry (Retry-After in seconds is passed on)
//   timeout, network error, TLS handshake refused  -> kRetry
//   any other status (other 4xx, 3xx: redirects are never followed, 1xx)
//                                                  -> kFatal, a configuration fault
//   our own TLS files or URL unusable              -> kFatal, a configuration fault

#include <optional>
#include <string>
#include <string_view>

#include "base/time/clock.h"
#include "transports/destination.h"
#include "transports/xroad/http_client.h"

namespace liitos {

SendResult ClassifyXroadResponse(const HttpResponse& resp, Millis request_timeout);

// "7" -> 7 s. HTTP dates and anything else that is not a plain count of seconds -> nullopt.
std::optional<Millis> ParseRetryAfter(std::string_view value);

// At most `max_bytes` of `body` for an error message: control characters become spaces, a cut
// never splits a UTF-8 sequence, and anything that looks like a henkilötunnus is masked.
std::string BodySnippet(std::string_view body, size_t max_bytes = 200);

// The URL without any "user:password@" part, for messages and logs.
std::string RedactUrl(std::string_view url);

}  // namespace liitos
