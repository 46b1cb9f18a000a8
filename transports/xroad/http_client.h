#pragma once
// One libcurl easy handle, kept for the life of the destination so that the connection to the
// security server is reused (keep-alive). Hides libcurl from the rest of the X-Road transport:
// callers see plain structs, never a CURL* or a CURLcode.
//
// Policy that every request gets, whatever the caller asks: peer and host verification on,
// redirects never followed, only http and https, no signals (safe in a threaded daemon).
//
// Threading: one thread drives an HttpClient.

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"

namespace liitos {

// TLS material by path; unset means "not used" (ca_file unset: the system's trust store).
struct TlsFiles {
  std::optional<std::string> ca_file;
  std::optional<std::string> client_cert;
  std::optional<std::string> client_key;
};

struct HttpRequest {
  std::string method = "POST";  // "POST", "GET" or "HEAD"
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent for POST
  Millis connect_timeout = std::chrono::seconds(10);
  Millis timeout = std::chrono::seconds(60);  // the whole request
  // A longer answer body is cut off: the transfer fails as kNetwork with body_too_large set.
  size_t max_body = 32u << 20;
  // When set and it becomes true, the transfer is abandoned within about a second (kStopped).
  const std::atomic<bool>* stop = nullptr;
};

// Why no HTTP answer came back.
enum class TransferError {
  kNone,         // an HTTP answer arrived (any status)
  kTimeout,      // connect or whole-request timeout
  kNetwork,      // DNS, refused, reset, TLS handshake, peer certificate not trusted, …
  kLocalConfig,  // our side cannot even try: unreadable CA / client cert / key, bad URL, protocol
  kStopped,      // HttpRequest::stop was raised
};

struct HttpResponse {
  TransferError error = TransferError::kNone;
  std::string error_text;  // libcurl's words when error != kNone (no secrets in it)
  bool during_connect = false;  // kTimeout/kNetwork: the connection (TCP + TLS) never completed
  bool body_too_large = false;  // kNetwork: the body passed HttpRequest::max_body
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, last value wins
  std::string body;

  // The header's value, or nullptr. `lower_name` must be lower case.
  const std::string* Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(TlsFiles tls);
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient();

  // Performs one request on the shared handle. Never throws; transfer failures come back in
  // HttpResponse::error. Bodies larger than HttpRequest::max_body are cut off as a kNetwork error.
  HttpResponse Perform(const HttpRequest& req);

 private:
  struct Impl;
  TlsFiles tls_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liitos
