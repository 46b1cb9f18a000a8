// liitos status [--json]: per destination pending count and age of the oldest, batches waiting for
// retry, last delivery; per source files received today and quarantined. liitos retry.
// Both open the journal while the service may be running.

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "base/time/helsinki_time.h"
#include "daemon/cli/commands.h"
#include "daemon/feeds/feed_status.h"
#include "daemon/load.h"
#include "journal/journal.h"

namespace liitos {
namespace {

std::string Local(const std::string& utc) {
  auto t = ParseIsoInstant(utc);
  return t ? ShowHelsinki(*t) : "-";
}

SysTime StartOfHelsinkiDay(SysTime now) {
  CivilTime c = ToHelsinki(now);
  return FromHelsinki(c.year, c.month, c.day, 0, 0, 0).value_or(now - std::chrono::hours(24));
}

}  // namespace

int CmdStatus(const std::string& config_path, bool json) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  if (::access(JournalPath(*cfg).c_str(), F_OK) != 0) {
    // Before the first run there is nothing queued: say so rather than fail.
    if (json) {
      std::cout << "{\"destinations\": [], \"sources\": [], \"feeds\": [], \"journal\": \"not created yet\"}\n";
    } else {
      std::cout << "no journal yet at " << JournalPath(*cfg) << ": the service has not run\n";
    }
    return kExitOk;
  }
  auto j = Journal::Open(JournalPath(*cfg), RealClock(), /*read_only=*/true);
  if (!j.ok()) {
    std::cerr << "liitos status: " << j.status().message() << "\n";
    return kExitRuntime;
  }
  Journal& journal = **j;
  SysTime now = RealClock().Now();
  std::vector<std::string> names;
  for (const auto& d : cfg->destinations)
    if (!cfg->IsFeedOutput(d.name)) names.push_back(d.name);  // import files: see the feeds
  auto stats = journal.Stats(names);
  if (!stats.ok()) {
    std::cerr << "liitos status: " << stats.status().message() << "\n";
    return kExitRuntime;
  }
  SysTime today = StartOfHelsinkiDay(now);
  nlohmann::ordered_json out;
  out["destinations"] = nlohmann::json::array();
  out["sources"] = nlohmann::json::array();
  for (const auto& s : *stats) {
    out["destinations"].push_back({{"name", s.destination},
                                   {"pending", s.pending},
                                   {"oldestPendingAt", s.oldest_pending_at},
                                   {"batchesAwaitingRetry", s.open_batches},
                                   {"nextAttemptAt", s.next_attempt_at},
                                   {"failedBatches", s.failed_batches},
                                   {"lastDeliveryAt", s.last_delivery_at}});
  }
  for (const auto& s : cfg->sources) {
    auto received = journal.CountFiles(s.name, "", today);
    auto quarantined = journal.CountFiles(s.name, "quarantined", today);
    out["sources"].push_back({{"name", s.name},
                              {"receivedToday", received.ok() ? *received : -1},
                              {"quarantinedToday", quarantined.ok() ? *quarantined : -1}});
  }
  out["feeds"] = FeedStatusJson(*cfg, journal);
  if (json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{:<16} {:>8} {:>8} {:>8} {:>7}  {:<25}  {}\n", "DESTINATION", "PENDING", "OLDEST",
                           "RETRYING", "FAILED", "LAST DELIVERY", "NEXT ATTEMPT");
  for (const auto& s : *stats)
    std::cout << fmt::format("{:<16} {:>8} {:>8} {:>8} {:>7}  {:<25}  {}\n", s.destination, s.pending,
                             s.pending ? ShowAge(s.oldest_pending_at, now) : "-", s.open_batches, s.failed_batches,
                             Local(s.last_delivery_at), s.open_batches ? Local(s.next_attempt_at) : "-");
  std::cout << "\n" << fmt::format("{:<16} {:>14} {:>17}\n", "SOURCE", "RECEIVED TODAY", "QUARANTINED TODAY");
  for (const auto& s : out["sources"])
    std::cout << fmt::format("{:<16} {:>14} {:>17}\n", s["name"].get<std::string>(), s["receivedToday"].get<int64_t>(),
                             s["quarantinedToday"].get<int64_t>());
  std::cout << FeedStatusTable(out["feeds"], now);
  return kExitOk;
}

int CmdRetry(const std::string& config_path, const std::string& batch_id, bool all_failed) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  auto j = Journal::Open(JournalPath(*cfg), RealClock());
  if (!j.ok()) {
    std::cerr << "liitos retry: " << j.status().message() << "\n";
    return kExitRuntime;
  }
  std::vector<std::string> ids;
  if (all_failed) {
    auto failed = (*j)->FailedBatchIds();
    if (!failed.ok()) {
      std::cerr << "liitos retry: " << failed.status().message() << "\n";
      return kExitRuntime;
    }
    ids = *failed;
  } else {
    ids.push_back(batch_id);
  }
  int rc = kExitOk;
  for (const auto& id : ids) {
    Status s = (*j)->RequeueBatch(id);
    if (s.ok()) {
      std::cout << "batch " << id << " queued again (same batchId)\n";
    } else {
      std::cerr << "liitos retry: " << id << ": " << s.message() << "\n";
      rc = kExitRuntime;
    }
  }
  if (ids.empty()) std::cout << "no failed batches\n";
  return rc;
}

}  // namespace liitos
