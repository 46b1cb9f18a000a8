#pragma once
// The keys of kind = "sftp" sources and destinations (SPEC §3, §5.6), declared beside the SFTP
// transport and parsed through config/'s section reader. transports/registry.cpp lists the kind.

#include <optional>
#include <string>

#include "base/time/clock.h"
#include "config/config.h"
#include "config/section_reader.h"
#include "transports/folder_config.h"

namespace liitos {

// Connection settings shared by SFTP sources and destinations.
struct SftpEndpoint {
  std::string host;
  int port = 22;
  std::string user;
  std::string identity;                        // private key file; must be mode 0600 or 0400
  std::string known_hosts;                     // OpenSSH format; required
  std::optional<std::string> passphrase_file;  // or systemd credential "<name>.passphrase"
};

// An SFTP source's own keys; `path` (the remote inbox) and the rest are common to every source.
struct SftpSourceSettings {
  SftpEndpoint endpoint;
  std::string remote_archive;  // default: path + "/archive"
  Millis poll = std::chrono::seconds(60);
};

struct SftpDestinationSettings {
  SftpEndpoint endpoint;
  FolderSettings folder;
};

// host, port, user, identity, known_hosts, passphrase_file.
const ConfigKeys<SftpEndpoint>& SftpEndpointKeys();
const ConfigKeys<SftpSourceSettings>& SftpSourceKeys();  // without the endpoint's

// Read the keys of an SFTP source or destination into cfg->settings (with the source's defaults
// of remote_archive and receipts under the inbox) and list its folders for the overlap check.
void ParseSftpSource(SectionReader& t, SourceConfig* cfg);
void ParseSftpDestination(SectionReader& t, DestinationConfig* cfg);
SourceKindSpec SftpSourceSpec();
DestinationKindSpec SftpDestinationSpec();

inline const SftpSourceSettings& SftpSourceSettingsOf(const SourceConfig& cfg) {
  return KindSettings<SftpSourceSettings>(cfg.settings);
}
inline const SftpDestinationSettings& SftpDestinationSettingsOf(const DestinationConfig& cfg) {
  return KindSettings<SftpDestinationSettings>(cfg.settings);
}

}  // namespace liitos
