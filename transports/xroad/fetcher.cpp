#include "transports/xroad/fetcher.h"

#include <fmt/core.h>
#include <strings.h>
#include <unistd.h>

#include "transports/xroad/xroad_destination.h"
#include "transports/xroad/xroad_outcome.h"

namespace liitos {
namespace {

constexpr Millis kConnectTimeout = std::chrono::seconds(10);
constexpr Millis kCheckTimeout = std::chrono::seconds(15);

bool HasScheme(const std::string& url, const char* scheme) {
  size_t n = std::char_traits<char>::length(scheme);
  return url.size() > n && strncasecmp(url.c_str(), scheme, n) == 0;
}

TlsFiles TlsOf(const FeedConfig& cfg) {
  TlsFiles tls{cfg.ca_file, cfg.client_cert, std::nullopt};
  if (cfg.client_key) tls.client_key = ResolveCredentialFile(*cfg.client_key);
  return tls;
}

}  // namespace

Fetcher::Fetcher(const FeedConfig& cfg, std::string xroad_client, const std::atomic<bool>* stop)
    : cfg_(cfg),
      xroad_client_(std::move(xroad_client)),
      stop_(stop),
      plain_http_refused_(HasScheme(cfg.url, "http://") && !cfg.allow_plain_http),
      client_(TlsOf(cfg)) {}

FetchAnswer Fetcher::Get(const std::string& url, const std::string& xroad_id, const std::vector<std::string>& headers) {
  if (plain_http_refused_) {
    FetchAnswer a;
    a.outcome = FetchOutcome::kConfigFault;
    a.error = "plain http refused for " + RedactUrl(url) + " (set allow_plain_http = true for tests or loopback)";
    return a;
  }
  HttpRequest req;
  req.method = "GET";
  req.url = url;
  req.headers = {"X-Road-Client: " + xroad_client_, "X-Road-Id: " + xroad_id};
  req.headers.insert(req.headers.end(), headers.begin(), headers.end());
  req.connect_timeout = std::min(kConnectTimeout, cfg_.request_timeout);
  req.timeout = cfg_.request_timeout;
  req.stop = stop_;
  req.max_body = static_cast<size_t>(std::min<uint64_t>(cfg_.max_response_size, SIZE_MAX));
  return ClassifyFetchResponse(client_.Perform(req), cfg_.request_timeout, cfg_.max_response_size);
}

Status Fetcher::Check(std::vector<std::string>* report) {
  auto line = [&](const std::string& text) {
    if (report != nullptr) report->push_back(fmt::format("feed {}: {}", cfg_.name, text));
  };
  line("GET " + RedactUrl(cfg_.url) + "/commondata/{externalId}/{part} as " + xroad_client_);
  if (plain_http_refused_) return Status::Fatal("feed " + cfg_.name + ": plain http refused");
  for (const auto& [key, path] : {std::pair{"ca_file", cfg_.ca_file}, std::pair{"client_cert", cfg_.client_cert},
                                  std::pair{"client_key", cfg_.client_key}}) {
    if (!path) continue;
    std::string resolved = key == std::string("client_key") ? ResolveCredentialFile(*path) : *path;
    if (::access(resolved.c_str(), R_OK) != 0)
      return Status::FromErrno(fmt::format("feed {}: {} {}", cfg_.name, key, resolved), errno);
    line(fmt::format("{} {} readable", key, resolved));
  }
  HttpRequest req;
  req.method = "HEAD";
  req.url = cfg_.url;
  req.headers = {"X-Road-Client: " + xroad_client_};
  req.connect_timeout = kConnectTimeout;
  req.timeout = kCheckTimeout;
  req.stop = stop_;
  HttpResponse resp = client_.Perform(req);
  if (resp.error == TransferError::kLocalConfig)
    return Status::Invalid(fmt::format("feed {}: {}", cfg_.name, resp.error_text));
  if (resp.error != TransferError::kNone)
    return Status::IoError(fmt::format("feed {}: {} unreachable: {}", cfg_.name, RedactUrl(cfg_.url), resp.error_text));
  line(fmt::format("reachable: HTTP {} to HEAD", resp.status));
  if (const std::string* xe = resp.Header("x-road-error")) line("the security server answered X-Road-Error: " + *xe);
  return Status::Ok();
}

Result<FetcherPtr> MakeFetcher(const FeedConfig& cfg, const std::string& xroad_client, const std::atomic<bool>* stop) {
  if (!HasScheme(cfg.url, "https://") && !HasScheme(cfg.url, "http://"))
    return Status::Invalid("feed " + cfg.name + ": url must start with https:// (or http://)");
  if (xroad_client.empty()) return Status::Invalid("feed " + cfg.name + ": no X-Road client id (interface.xroad_client)");
  return std::make_unique<Fetcher>(cfg, xroad_client, stop);
}

}  // namespace liitos
