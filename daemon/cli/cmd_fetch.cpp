// liitos fetch [--config F] --feed NAME EXTERNAL_ID…: orders applications by hand (SPEC §11). The
// ids become a fetch order written into the feed's orders source, as a mail rule, a clerk or the
// legacy system would write one: the service takes it like any order (settle, archive, receipt,
// journal), or `liitos run --once` does. Nothing is written when an id is not a GUID (exit 2).

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "base/time/helsinki_time.h"
#include "base/logging.h"
#include "daemon/cli/commands.h"
#include "daemon/load.h"
#include "formats/import/lv_service.h"
#include "transports/drop_file.h"

namespace liitos {
namespace {

std::string Compact(SysTime t) {
  CivilTime c = ToHelsinki(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

// The order's text: one id a line, or a CSV with the ids in the profile's id_column.
std::string OrderText(const ProfileConfig& p, const std::vector<std::string>& ids, SysTime now) {
  std::string out;
  if (!p.id_column) {
    out = "# ordered by hand (liitos fetch), " + ShowHelsinki(now) + "\n";
    for (const auto& id : ids) out += id + "\n";
    return out;
  }
  size_t column = p.header ? 1 : std::stoul(*p.id_column);
  std::string lead(column - 1, p.delimiter);
  if (p.header) out += *p.id_column + "\r\n";
  for (const auto& id : ids) out += lead + id + "\r\n";
  return out;
}

}  // namespace

int CmdFetch(const std::string& config_path, const std::string& feed_name, const std::vector<std::string>& ids) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  const FeedConfig* feed = cfg->FindFeed(feed_name);
  if (!feed) {
    std::cerr << "liitos fetch: no [[feed]] is named '" << feed_name << "'\n";
    return kExitUsage;
  }
  std::vector<std::string> normalized;
  bool bad = false;
  for (const auto& id : ids) {
    if (!lv::IsExternalId(id)) {
      std::cerr << "liitos fetch: " << lv::NotAnExternalIdReason(id) << "\n";
      bad = true;
    }
    normalized.push_back(lv::NormalizeExternalId(id));
  }
  if (bad) return kExitUsage;
  const SourceConfig* src = cfg->FindSource(feed->orders);
  const ProfileConfig* profile = cfg->FindProfile(src->profile);
  SysTime now = RealClock().Now();
  const std::string name = fmt::format("liitos-fetch-{}-{}.{}", Compact(now), ::getpid(), profile->id_column ? "csv" : "txt");
  if (!SourceWouldTake(*src, name)) {
    std::cerr << "liitos fetch: source " << src->name << " takes only " << fmt::format("{}", fmt::join(src->include, ", "))
              << "; add \"*." << (profile->id_column ? "csv" : "txt") << "\" to its include\n";
    return kExitUsage;
  }
  InitLogging("warn");
  TransportContext ctx;
  ctx.clock = &RealClock();
  ctx.state_dir = cfg->service.state_dir;
  ctx.xroad_client = cfg->interface.xroad_client;
  ctx.on_hostkey_refused = [](const std::string& endpoint, const std::string& fp) {
    std::cerr << endpoint << ": host key " << fp << " is not trusted by known_hosts: refused\n";
  };
  auto where = DropFileIntoInbox(*src, ctx, name, OrderText(*profile, normalized, now));
  if (!where.ok()) {
    std::cerr << "liitos fetch: " << where.status().message() << "\n";
    return kExitRuntime;
  }
  std::cout << "order written: " << *where << " (" << normalized.size()
            << (normalized.size() == 1 ? " application" : " applications") << " for feed " << feed->name << ")\n"
            << "the service takes it like any order; its receipt will be " << name << ".receipt."
            << src->receipt_format.value_or("csv") << " in " << src->receipts << "\n";
  return kExitOk;
}

}  // namespace liitos
