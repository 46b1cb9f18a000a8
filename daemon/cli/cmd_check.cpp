// liitos check [--config F] [--connect]: validates the configuration and lists every problem
// (exit 2), or says what it found (exit 0). --connect also tries every source and destination.

#include <fmt/format.h>
#include <sys/stat.h>

#include <iostream>

#include "base/logging.h"
#include "daemon/cli/commands.h"
#include "daemon/load.h"
#include "transports/registry.h"
#include "transports/sftp/sftp_config.h"
#include "transports/xroad/fetcher.h"

namespace liitos {
namespace {

bool CheckEndpoint(const std::string& what, Status made, const std::function<Status(std::vector<std::string>*)>& check) {
  if (!made.ok()) {
    std::cout << what << ": FAILED: " << made.message() << "\n";
    return false;
  }
  std::vector<std::string> report;
  Status s = check(&report);
  for (const auto& line : report) std::cout << line << "\n";  // each line already names the endpoint
  if (!s.ok()) {
    std::cout << what << ": FAILED: " << s.message() << "\n";
    return false;
  }
  std::cout << what << ": ok\n";
  return true;
}

// G5 without connecting: an SFTP identity that exists and is readable by others is refused.
// (Whether the files exist at all is checked only with --connect: they must exist at run time.)
std::vector<std::string> CheckSftpFiles(const std::string& what, const SftpEndpoint& e) {
  std::vector<std::string> out;
  struct stat st {};
  if (::stat(e.identity.c_str(), &st) == 0 && (st.st_mode & 0077) != 0)
    out.push_back(what + ": identity " + e.identity + " is readable by others (mode " +
                  fmt::format("{:04o}", st.st_mode & 07777) + "); it must be 0600 or 0400");
  return out;
}

}  // namespace

int CmdCheck(const std::string& config_path, bool connect) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  std::vector<std::string> problems;
  for (const auto& s : cfg->sources)
    if (s.kind == "sftp")
      for (auto& p : CheckSftpFiles("source " + s.name, SftpSourceSettingsOf(s).endpoint)) problems.push_back(p);
  for (const auto& d : cfg->destinations)
    if (d.kind == "sftp")
      for (auto& p : CheckSftpFiles("destination " + d.name, SftpDestinationSettingsOf(d).endpoint)) problems.push_back(p);
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << config_path << ": " << p << "\n";
    return kExitUsage;
  }
  std::cout << config_path << ": ok (" << cfg->sources.size() << " sources, " << cfg->profiles.size()
            << " profiles, " << cfg->destinations.size() << " destinations"
            << (cfg->feeds.empty() ? "" : fmt::format(", {} feed{}", cfg->feeds.size(), cfg->feeds.size() == 1 ? "" : "s")) << ")\n";
  if (!connect) return kExitOk;
  InitLogging("warn");  // transports log connection details; the report above is what check prints

  TransportContext ctx;
  ctx.clock = &RealClock();
  ctx.state_dir = cfg->service.state_dir;
  ctx.xroad_client = cfg->interface.xroad_client;
  ctx.on_hostkey_refused = [](const std::string& endpoint, const std::string& fp) {
    std::cout << endpoint << ": host key " << fp << " is not trusted by known_hosts: refused\n";
  };
  bool all_ok = true;
  for (const auto& s : cfg->sources) {
    auto src = MakeSource(s, ctx);
    all_ok &= CheckEndpoint("source " + s.name, src.status(),
                            [&](std::vector<std::string>* r) { return (*src)->Check(r); });
  }
  for (const auto& d : cfg->destinations) {
    auto dst = MakeDestination(d, ctx);
    all_ok &= CheckEndpoint("destination " + d.name, dst.status(),
                            [&](std::vector<std::string>* r) { return (*dst)->Check(r); });
  }
  for (const auto& f : cfg->feeds) {  // SPEC §11: the GETs' security server (orders and output are above)
    auto fetcher = MakeFetcher(f, ctx.xroad_client, nullptr);
    all_ok &= CheckEndpoint("feed " + f.name, fetcher.status(),
                            [&](std::vector<std::string>* r) { return (*fetcher)->Check(r); });
  }
  return all_ok ? kExitOk : kExitRuntime;
}

}  // namespace liitos
