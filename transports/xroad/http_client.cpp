#include "transports/xroad/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include <strings.h>

namespace liitos {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  HttpResponse* resp;
  size_t max_body;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* userp) {
  auto* sink = static_cast<Sink*>(userp);
  size_t n = size * nmemb;
  if (sink->resp->body.size() + n > sink->max_body) {
    sink->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->resp->body.append(data, n);
  return n;
}

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Called once per header line, including the status line of every response in the exchange
// (an interim 100 Continue, then the final one): a status line starts a fresh header set.
size_t WriteHeader(char* data, size_t size, size_t nmemb, void* userp) {
  auto* sink = static_cast<Sink*>(userp);
  size_t n = size * nmemb;
  std::string line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    sink->resp->headers.clear();
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  std::string name = Trim(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  sink->resp->headers[name] = Trim(line.substr(colon + 1));
  return n;
}

int Progress(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* stop = static_cast<const std::atomic<bool>*>(clientp);
  return stop->load() ? 1 : 0;  // non-zero aborts the transfer
}

TransferError ClassifyCurlCode(CURLcode code) {
  switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
      return TransferError::kStopped;
    case CURLE_OK:
      return TransferError::kNone;
    case CURLE_OPERATION_TIMEDOUT:
      return TransferError::kTimeout;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_NOT_BUILT_IN:
      return TransferError::kLocalConfig;
    default:
      return TransferError::kNetwork;
  }
}

void ApplyOptions(CURL* c, const HttpRequest& req, const TlsFiles& tls, curl_slist* headers, char* errbuf,
                  Sink* sink) {
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (tls.ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, tls.ca_file->c_str());
  if (tls.client_cert) curl_easy_setopt(c, CURLOPT_SSLCERT, tls.client_cert->c_str());
  if (tls.client_key) curl_easy_setopt(c, CURLOPT_SSLKEY, tls.client_key->c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, sink);
  if (req.stop != nullptr) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &Progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(req.stop));
  }
  if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (req.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
}

// Fills in why no answer came back, and whether the connection was still being set up.
void DescribeFailure(CURL* c, CURLcode code, const HttpRequest& req, const char* errbuf, const Sink& sink,
                     HttpResponse* resp) {
  resp->status = 0;
  resp->headers.clear();
  resp->error_text = errbuf[0] != '\0' ? std::string(errbuf) : curl_easy_strerror(code);
  if (sink.too_large) {
    resp->body_too_large = true;
    resp->error_text = "answer body larger than " + std::to_string(sink.max_body) + " bytes";
  }
  curl_off_t tls_done_at = 0, tcp_done_at = 0;
  curl_easy_getinfo(c, CURLINFO_APPCONNECT_TIME_T, &tls_done_at);
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &tcp_done_at);
  bool https = strncasecmp(req.url.c_str(), "https:", 6) == 0;
  resp->during_connect = https ? tls_done_at == 0 : tcp_done_at == 0;
}

}  // namespace

const std::string* HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? nullptr : &it->second;
}

struct HttpClient::Impl {
  CURL* curl = nullptr;
};

HttpClient::HttpClient(TlsFiles tls) : tls_(std::move(tls)), impl_(std::make_unique<Impl>()) {
  GlobalInitOnce();
  impl_->curl = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
}

HttpResponse HttpClient::Perform(const HttpRequest& req) {
  HttpResponse resp;
  CURL* c = impl_->curl;
  if (c == nullptr) {
    resp.error = TransferError::kLocalConfig;
    resp.error_text = "libcurl could not be initialised";
    return resp;
  }
  // A reset clears every option but keeps the connection cache, so keep-alive still works and
  // no option of an earlier request leaks into this one.
  curl_easy_reset(c);
  char errbuf[CURL_ERROR_SIZE] = {0};
  Sink sink{&resp, req.max_body};
  curl_slist* headers = nullptr;
  for (const auto& h : req.headers) headers = curl_slist_append(headers, h.c_str());
  // A large batch would otherwise wait for "100 Continue", which some servers never send.
  headers = curl_slist_append(headers, "Expect:");
  ApplyOptions(c, req, tls_, headers, errbuf, &sink);

  CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(headers);
  // Nothing set above may dangle into the next call (errbuf, sink and the list die here).
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);

  resp.error = ClassifyCurlCode(code);
  if (resp.error != TransferError::kNone) {
    DescribeFailure(c, code, req, errbuf, sink, &resp);
    return resp;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  resp.status = static_cast<int>(status);
  return resp;
}

}  // namespace liitos
