#pragma once
// Fetching the parts of an application from Luvat ja valvonta over X-Road REST (SPEC §11), with
// the HTTP client of delivery (http_client.h: TLS verified, mutual TLS, no redirects, keep-alive)
// and the headers of §5.4: X-Road-Client (the service's interface.xroad_client) and X-Road-Id
// (one UUID per GET, given by the caller, who reuses it on that GET's retries). What the answers
// mean is fetch_outcome.h's; which URLs to GET and what a body must be is formats/import's — this
// folder moves bytes.
//
// Keys of [[feed]] used here: url (for Check), ca_file, client_cert, client_key,
// allow_plain_http, request_timeout, max_response_size.
//
// Threading: one thread drives a Fetcher (its connection is its own); a feed that fetches on
// several threads makes a Fetcher for each.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "transports/xroad/fetch_outcome.h"
#include "transports/xroad/http_client.h"

namespace liitos {

class Fetcher {
 public:
  // `stop` (may be null): when it becomes true a GET in flight is abandoned (kRetry).
  Fetcher(const FeedConfig& cfg, std::string xroad_client, const std::atomic<bool>* stop);
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // One GET of `url`. Never throws; every failure is in the answer.
  FetchAnswer Get(const std::string& url, const std::string& xroad_id, const std::vector<std::string>& headers);

  // For `liitos check --connect`: the TLS files are readable and the base URL answers (any HTTP
  // status). A line per thing checked.
  Status Check(std::vector<std::string>* report);

 private:
  FeedConfig cfg_;
  std::string xroad_client_;
  const std::atomic<bool>* stop_;
  bool plain_http_refused_;
  HttpClient client_;
};

using FetcherPtr = std::unique_ptr<Fetcher>;

// Fails (kInvalid) when the url is neither http:// nor https:// or xroad_client is empty.
Result<FetcherPtr> MakeFetcher(const FeedConfig& cfg, const std::string& xroad_client, const std::atomic<bool>* stop);

}  // namespace liitos
