#pragma once
// The keys of kind = "xroad" destinations (SPEC §5.4), declared beside the X-Road transport and
// parsed through config/'s section reader. transports/registry.cpp lists the kind.

#include <optional>
#include <string>

#include "base/time/clock.h"
#include "config/config.h"
#include "config/section_reader.h"

namespace liitos {

struct XroadSettings {
  std::string url;  // https://, or http:// with allow_plain_http
  std::optional<std::string> ca_file, client_cert, client_key;  // cert and key: both or neither
  bool allow_plain_http = false;
  Millis request_timeout = std::chrono::seconds(60);
  Millis give_up_after = std::chrono::hours(72);  // also DestinationConfig::give_up_after, for the scheduler
};

const ConfigKeys<XroadSettings>& XroadKeys();
// Reads the keys of an X-Road destination into cfg->settings and cfg->give_up_after, and checks
// those that go together (the URL's scheme, client_cert with client_key).
void ParseXroadDestination(SectionReader& t, DestinationConfig* cfg);
DestinationKindSpec XroadDestinationSpec();

inline const XroadSettings& XroadSettingsOf(const DestinationConfig& cfg) {
  return KindSettings<XroadSettings>(cfg.settings);
}

}  // namespace liitos
