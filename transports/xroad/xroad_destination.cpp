#include "transports/xroad/xroad_destination.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>
#include <strings.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "transports/xroad/http_client.h"
#include "transports/xroad/xroad_outcome.h"

namespace liitos {
namespace {

constexpr Millis kConnectTimeout = std::chrono::seconds(10);
constexpr Millis kCheckTimeout = std::chrono::seconds(15);

bool HasScheme(const std::string& url, const char* scheme) {
  size_t n = std::char_traits<char>::length(scheme);
  return url.size() > n && strncasecmp(url.c_str(), scheme, n) == 0;
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

class XroadDestination : public Destination {
 public:
  XroadDestination(DestinationConfig cfg, std::string xroad_client, TlsFiles tls, const std::atomic<bool>* stop)
      : cfg_(std::move(cfg)),
        x_(XroadSettingsOf(cfg_)),
        xroad_client_(std::move(xroad_client)),
        tls_(tls),
        stop_(stop),
        plain_http_refused_(HasScheme(x_.url, "http://") && !x_.allow_plain_http),
        client_(std::move(tls)) {}

  const DestinationConfig& config() const override { return cfg_; }

  SendResult Send(const OutgoingBatch& batch) override {
    if (plain_http_refused_) {
      SendResult r;
      r.outcome = SendOutcome::kFatal;
      r.error = PlainHttpMessage();
      return r;
    }
    HttpRequest req;
    req.method = "POST";
    req.url = x_.url;
    req.headers = {"X-Road-Client: " + xroad_client_, "X-Road-Id: " + batch.batch_id,
                   "Content-Type: application/json; charset=utf-8", "Accept: application/json"};
    req.body = batch.document;
    req.connect_timeout = std::min(kConnectTimeout, x_.request_timeout);
    req.timeout = x_.request_timeout;
    req.stop = stop_;
    SendResult r = ClassifyXroadResponse(client_.Perform(req), x_.request_timeout);
    spdlog::debug("xroad {}: batch {} -> {} (HTTP {}, X-Road-Request-Id {})", cfg_.name, batch.batch_id,
                  r.outcome == SendOutcome::kOk ? "ok" : r.error, r.http_status,
                  r.request_id.empty() ? "-" : r.request_id);
    return r;
  }

  Status Check(std::vector<std::string>* report) override {
    auto line = [&](const std::string& text) {
      if (report != nullptr) report->push_back(fmt::format("destination {}: {}", cfg_.name, text));
    };
    line("POST " + RedactUrl(x_.url) + " as " + xroad_client_);
    if (plain_http_refused_) return Status::Fatal(PlainHttpMessage());
    if (Status s = CheckFiles(line); !s.ok()) return s;

    HttpRequest req;
    req.method = "HEAD";
    req.url = x_.url;
    req.headers = {"X-Road-Client: " + xroad_client_};
    req.connect_timeout = kConnectTimeout;
    req.timeout = kCheckTimeout;
    req.stop = stop_;
    HttpResponse resp = client_.Perform(req);
    switch (resp.error) {
      case TransferError::kNone:
        break;
      case TransferError::kLocalConfig:
        return Status::Invalid(fmt::format("destination {}: {}", cfg_.name, resp.error_text));
      default:
        return Status::IoError(
            fmt::format("destination {}: {} unreachable: {}", cfg_.name, RedactUrl(x_.url), resp.error_text));
    }
    std::string how = HasScheme(x_.url, "https://")
                          ? (tls_.ca_file ? "TLS verified against ca_file" : "TLS verified against the system CAs")
                          : "plain http";
    if (tls_.client_cert) how += ", client certificate offered";
    line(fmt::format("reachable: HTTP {} to HEAD, {}", resp.status, how));
    if (const std::string* xe = resp.Header("x-road-error")) line("the security server answered X-Road-Error: " + *xe);
    return Status::Ok();
  }

 private:
  std::string PlainHttpMessage() const {
    return fmt::format("destination {}: plain http refused for {} (set allow_plain_http = true for tests or loopback)",
                       cfg_.name, RedactUrl(x_.url));
  }

  template <class Line>
  Status CheckFiles(const Line& line) const {
    struct Item {
      const char* key;
      const std::optional<std::string>& path;
    };
    for (const Item& item : {Item{"ca_file", tls_.ca_file}, Item{"client_cert", tls_.client_cert},
                             Item{"client_key", tls_.client_key}}) {
      if (!item.path) continue;
      if (::access(item.path->c_str(), R_OK) != 0) {
        return Status::FromErrno(fmt::format("destination {}: {} {}", cfg_.name, item.key, *item.path), errno);
      }
      line(fmt::format("{} {} readable", item.key, *item.path));
    }
    return Status::Ok();
  }

  DestinationConfig cfg_;
  XroadSettings x_;  // cfg_'s own keys
  std::string xroad_client_;
  TlsFiles tls_;
  const std::atomic<bool>* stop_;
  bool plain_http_refused_;
  HttpClient client_;
};

}  // namespace

std::string ResolveCredentialFile(const std::string& configured) {
  if (configured.empty() || FileExists(configured)) return configured;
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') return configured;
  std::string candidate = (std::filesystem::path(dir) / std::filesystem::path(configured).filename()).string();
  return FileExists(candidate) ? candidate : configured;
}

Result<DestinationPtr> MakeXroadDestination(const DestinationConfig& cfg, const std::string& xroad_client,
                                            const TransportContext& ctx) {
  if (cfg.kind != "xroad") {
    return Status::Invalid(fmt::format("destination {}: not an xroad destination", cfg.name));
  }
  const XroadSettings& x = XroadSettingsOf(cfg);
  if (!HasScheme(x.url, "https://") && !HasScheme(x.url, "http://")) {
    return Status::Invalid(fmt::format("destination {}: url must start with https:// (or http://)", cfg.name));
  }
  if (xroad_client.empty()) {
    return Status::Invalid(fmt::format("destination {}: no X-Road client id (interface.xroad_client)", cfg.name));
  }
  TlsFiles tls{x.ca_file, x.client_cert, std::nullopt};
  if (x.client_key) tls.client_key = ResolveCredentialFile(*x.client_key);
  return DestinationPtr(std::make_unique<XroadDestination>(cfg, xroad_client, std::move(tls), ctx.stop));
}

Result<DestinationPtr> MakeXroadDestination(const DestinationConfig& cfg, const TransportContext& ctx) {
  return MakeXroadDestination(cfg, ctx.xroad_client, ctx);
}

}  // namespace liitos
