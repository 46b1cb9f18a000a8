#include "transports/sftp/sftp_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace liitos {
namespace {

// The server an endpoint's folders are on, for the overlap check: "user@host:port", the host in
// lower case (host names are case-insensitive).
std::string ServerOf(const SftpEndpoint& e) {
  std::string host = e.host;
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return fmt::format("{}@{}:{}", e.user, host, e.port);
}

std::vector<std::string_view> Concat(std::vector<std::string_view> a, const std::vector<std::string_view>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

const ConfigKeys<SftpEndpoint>& SftpEndpointKeys() {
  static const ConfigKeys<SftpEndpoint> kKeys = {
      {.name = "host", .field = &SftpEndpoint::host, .required = true, .help = "the SFTP server"},
      {.name = "port", .field = &SftpEndpoint::port, .help = "its SSH port", .min = 1, .max = 65535},
      {.name = "user", .field = &SftpEndpoint::user, .required = true, .help = "the SSH user"},
      {.name = "identity",
       .field = &SftpEndpoint::identity,
       .required = true,
       .help = "the private key file (mode 0600 or 0400)"},
      {.name = "known_hosts",
       .field = &SftpEndpoint::known_hosts,
       .required = true,
       .help = "OpenSSH known_hosts that must list the server's key"},
      {.name = "passphrase_file",
       .field = &SftpEndpoint::passphrase_file,
       .help = "the key's passphrase, or a systemd credential '<name>.passphrase'"},
  };
  return kKeys;
}

const ConfigKeys<SftpSourceSettings>& SftpSourceKeys() {
  static const ConfigKeys<SftpSourceSettings> kKeys = {
      {.name = "remote_archive", .field = &SftpSourceSettings::remote_archive, .help = "where taken files are moved"},
      {.name = "poll", .field = &SftpSourceSettings::poll, .help = "how often the remote inbox is listed"},
  };
  return kKeys;
}

void ParseSftpSource(SectionReader& t, SourceConfig* cfg) {
  SftpSourceSettings s;
  ReadKeys(t, SftpEndpointKeys(), &s.endpoint);
  ReadKeys(t, SftpSourceKeys(), &s);
  if (!cfg->path.empty()) {
    std::string base = cfg->path == "/" ? "" : cfg->path;
    if (s.remote_archive.empty()) s.remote_archive = base + "/archive";
    if (cfg->receipts.empty()) cfg->receipts = base + "/receipts";
  }
  FolderPlan& plan = cfg->folders;
  plan.server = ServerOf(s.endpoint);
  plan.inboxes = {{"path", cfg->path}};
  if (cfg->after == AfterTake::kArchive) plan.writes.push_back({"remote_archive", s.remote_archive});
  if (cfg->receipts_enabled()) plan.writes.push_back({"receipts", cfg->receipts});
  cfg->settings = std::move(s);
}

void ParseSftpDestination(SectionReader& t, DestinationConfig* cfg) {
  SftpDestinationSettings s;
  ReadKeys(t, FolderKeys(), &s.folder);
  ReadKeys(t, SftpEndpointKeys(), &s.endpoint);
  cfg->folders.server = ServerOf(s.endpoint);
  cfg->folders.writes = {{"path", s.folder.path}};
  cfg->settings = std::move(s);
}

SourceKindSpec SftpSourceSpec() {
  return {"sftp", Concat(KeyNames(SftpSourceKeys()), KeyNames(SftpEndpointKeys())), ParseSftpSource};
}

DestinationKindSpec SftpDestinationSpec() {
  return {"sftp", Concat(KeyNames(FolderKeys()), KeyNames(SftpEndpointKeys())), ParseSftpDestination,
          /*takes_import_files=*/true};
}

}  // namespace liitos
