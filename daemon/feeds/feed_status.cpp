#include "daemon/feeds/feed_status.h"

#include <fmt/format.h>

#include "base/time/helsinki_time.h"

namespace liitos {

nlohmann::ordered_json FeedStatusJson(const Config& cfg, Journal& journal) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const FeedConfig& f : cfg.feeds) {
    auto st = journal.FeedStatsOf(f.name);
    if (!st.ok()) continue;
    out.push_back({{"name", f.name},
                   {"pending", st->pending},
                   {"retrying", st->retrying},
                   {"configurationFaults", st->config_faults},
                   {"fetched", st->fetched},
                   {"unchanged", st->unchanged},
                   {"notFound", st->not_found},
                   {"rejected", st->rejected},
                   {"failed", st->failed},
                   {"oldestPendingAt", st->oldest_pending_at},
                   {"lastOutcomeAt", st->last_final_at}});
  }
  return out;
}

std::string FeedStatusTable(const nlohmann::ordered_json& feeds, SysTime now) {
  if (feeds.empty()) return "";
  std::string out = fmt::format("\n{:<16} {:>8} {:>8} {:>9} {:>12} {:>8} {:>10} {:>10} {:>9} {:>7}\n", "FEED",
                                "PENDING", "OLDEST", "RETRYING", "CONFIG FAULT", "FETCHED", "UNCHANGED", "NOT FOUND",
                                "REJECTED", "FAILED");
  for (const auto& f : feeds) {
    int64_t pending = f["pending"];
    out += fmt::format("{:<16} {:>8} {:>8} {:>9} {:>12} {:>8} {:>10} {:>10} {:>9} {:>7}\n",
                       f["name"].get<std::string>(), pending,
                       pending ? ShowAge(f["oldestPendingAt"].get<std::string>(), now) : "-", f["retrying"].get<int64_t>(),
                       f["configurationFaults"].get<int64_t>(), f["fetched"].get<int64_t>(),
                       f["unchanged"].get<int64_t>(), f["notFound"].get<int64_t>(), f["rejected"].get<int64_t>(),
                       f["failed"].get<int64_t>());
  }
  for (const auto& f : feeds)
    if (f["configurationFaults"].get<int64_t>() > 0)
      out += fmt::format("feed {}: {} orders wait after a configuration fault (HTTP 401/403 or TLS files); see the "
                         "service's log\n",
                         f["name"].get<std::string>(), f["configurationFaults"].get<int64_t>());
  return out;
}

std::string FeedMetricsText(const Config& cfg, Journal& journal, SysTime now) {
  if (cfg.feeds.empty()) return "";
  std::vector<FeedStats> stats;
  for (const FeedConfig& f : cfg.feeds)
    if (auto st = journal.FeedStatsOf(f.name); st.ok()) stats.push_back(*st);
  std::string out =
      "# HELP liitos_feed_orders Fetch orders by state (SPEC 11).\n# TYPE liitos_feed_orders gauge\n";
  for (const FeedStats& s : stats) {
    const std::pair<const char*, int64_t> states[] = {
        {"pending", s.pending},   {"retrying", s.retrying},   {"configuration_fault", s.config_faults},
        {"fetched", s.fetched},   {"unchanged", s.unchanged}, {"not_found", s.not_found},
        {"rejected", s.rejected}, {"failed", s.failed}};
    for (const auto& [state, n] : states)
      out += fmt::format("liitos_feed_orders{{feed=\"{}\",state=\"{}\"}} {}\n", s.feed, state, n);
  }
  out += "# HELP liitos_feed_oldest_pending_age_seconds Age of the oldest pending fetch order.\n"
         "# TYPE liitos_feed_oldest_pending_age_seconds gauge\n";
  int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  for (const FeedStats& s : stats) {
    int64_t since = UnixSeconds(s.oldest_pending_at);
    out += fmt::format("liitos_feed_oldest_pending_age_seconds{{feed=\"{}\"}} {}\n", s.feed,
                       s.pending > 0 && since > 0 ? std::max<int64_t>(0, now_s - since) : 0);
  }
  out += "# HELP liitos_feed_last_outcome_timestamp_seconds Unix time of the last final outcome of an order.\n"
         "# TYPE liitos_feed_last_outcome_timestamp_seconds gauge\n";
  for (const FeedStats& s : stats)
    out += fmt::format("liitos_feed_last_outcome_timestamp_seconds{{feed=\"{}\"}} {}\n", s.feed,
                       UnixSeconds(s.last_final_at));
  return out;
}

}  // namespace liitos
