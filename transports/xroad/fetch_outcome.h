#pragma once
// SPEC §11 as a pure function: the answer to one GET of an application's part -> what happens to
// the order. Kept apart from libcurl so that every branch is tested without a network.
//
//   2xx without X-Road-Error                  -> kOk, the body handed back (its JSON is checked
//                                                by the caller, through formats/import)
//   400, 404                                  -> kNotFound, final
//   401, 403                                  -> kConfigFault: the order stays pending
//   any answer carrying X-Road-Error          -> kRetry (the X-Road layer failed, not the GET)
//   408, 429, 5xx, timeout, network error     -> kRetry (Retry-After in seconds is passed on)
//   a body longer than max_response_size      -> kFailed, final
//   our own TLS files or URL unusable         -> kConfigFault
//   any other status (3xx: redirects are never followed, other 4xx, 1xx)
//                                             -> kFailed, final, logged as an error
// Error texts quote at most a short, masked snippet of a body (BodySnippet): never a henkilötunnus.

#include <optional>
#include <string>

#include "base/time/clock.h"
#include "transports/xroad/http_client.h"

namespace liitos {

enum class FetchOutcome { kOk, kNotFound, kConfigFault, kRetry, kFailed };

// "fetched", "not-found", "configuration fault", "retry", "failed"
const char* FetchOutcomeName(FetchOutcome outcome);

struct FetchAnswer {
  FetchOutcome outcome = FetchOutcome::kRetry;
  int http_status = 0;
  std::string request_id;  // X-Road-Request-Id of the answer
  std::string body;        // kOk only
  std::string error;       // plain words when not kOk
  std::optional<Millis> retry_after;
};

FetchAnswer ClassifyFetchResponse(HttpResponse resp, Millis request_timeout, uint64_t max_response_size);

}  // namespace liitos
