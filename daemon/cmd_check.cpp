// liitos check [--config F] [--connect]: validates the configuration and lists every problem
// (exit 2), or says what it found (exit 0). --connect also tries every source and destination.

#include <iostream>

#include "daemon/commands.h"
#include "daemon/load.h"
#include "transports/registry.h"

namespace liitos {
namespace {

bool CheckEndpoint(const std::string& what, Status made, const std::function<Status(std::vector<std::string>*)>& check) {
  if (!made.ok()) {
    std::cout << what << ": FAILED: " << made.message() << "\n";
    return false;
  }
  std::vector<std::string> report;
  Status s = check(&report);
  for (const auto& line : report) std::cout << what << ": " << line << "\n";
  if (!s.ok()) {
    std::cout << what << ": FAILED: " << s.message() << "\n";
    return false;
  }
  std::cout << what << ": ok\n";
  return true;
}

}  // namespace

int CmdCheck(const std::string& config_path, bool connect) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  std::cout << config_path << ": ok (" << cfg->sources.size() << " sources, " << cfg->profiles.size()
            << " profiles, " << cfg->destinations.size() << " destinations)\n";
  if (!connect) return kExitOk;

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
  return all_ok ? kExitOk : kExitRuntime;
}

}  // namespace liitos
