#include "transports/xroad/xroad_config.h"

#include <fmt/format.h>

namespace liitos {

const ConfigKeys<XroadSettings>& XroadKeys() {
  static const ConfigKeys<XroadSettings> kKeys = {
      {.name = "url", .field = &XroadSettings::url, .required = true, .help = "the REST service behind the security server"},
      {.name = "ca_file", .field = &XroadSettings::ca_file, .help = "CA bundle that the server's certificate must chain to"},
      {.name = "client_cert", .field = &XroadSettings::client_cert, .help = "TLS client certificate (PEM)"},
      {.name = "client_key",
       .field = &XroadSettings::client_key,
       .help = "its private key: a path or a systemd credential name"},
      {.name = "allow_plain_http", .field = &XroadSettings::allow_plain_http, .help = "accept an http:// url"},
      {.name = "request_timeout", .field = &XroadSettings::request_timeout, .help = "for one POST"},
      {.name = "give_up_after",
       .field = &XroadSettings::give_up_after,
       .help = "how long a batch is retried before it is set aside"},
  };
  return kKeys;
}

void ParseXroadDestination(SectionReader& t, DestinationConfig* cfg) {
  XroadSettings s;
  ReadKeys(t, XroadKeys(), &s);
  if (!s.url.empty()) {
    bool https = s.url.rfind("https://", 0) == 0 && s.url.size() > 8;
    bool http = s.url.rfind("http://", 0) == 0 && s.url.size() > 7;
    if (http && !s.allow_plain_http) {
      t.Error("url", "plain http:// is refused unless allow_plain_http = true; use https://");
    } else if (!https && !http) {
      t.Error("url", fmt::format("'{}' is not an https:// URL", s.url));
    }
  }
  if (s.client_cert.has_value() != s.client_key.has_value()) {
    t.Error(s.client_cert ? "client_cert" : "client_key", "client_cert and client_key go together: set both or neither");
  }
  cfg->give_up_after = s.give_up_after;
  cfg->settings = std::move(s);
}

DestinationKindSpec XroadDestinationSpec() {
  return {"xroad", KeyNames(XroadKeys()), ParseXroadDestination, /*takes_import_files=*/false};
}

}  // namespace liitos
