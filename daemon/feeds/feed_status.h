#pragma once
// What `liitos status` and the metrics file say of the feeds (SPEC §11): per feed, the orders
// pending (of which retrying and waiting after a configuration fault), fetched, unchanged, not
// found, rejected and failed, the age of the oldest pending order and the last final outcome.

#include <string>

#include <nlohmann/json.hpp>

#include "base/time/clock.h"
#include "config/config.h"
#include "journal/journal.h"

namespace liitos {

// {"name", "pending", "retrying", "configurationFaults", "fetched", "unchanged", "notFound",
//  "rejected", "failed", "oldestPendingAt", "lastOutcomeAt"} per feed.
nlohmann::ordered_json FeedStatusJson(const Config& cfg, Journal& journal);

// The table `liitos status` prints under its destinations and sources ("" without feeds).
std::string FeedStatusTable(const nlohmann::ordered_json& feeds, SysTime now);

// Prometheus text for the feeds (appended to the metrics file):
//   liitos_feed_orders{feed,state}                   gauge  orders by state: pending | retrying |
//                                                           configuration_fault | fetched |
//                                                           unchanged | not_found | rejected | failed
//   liitos_feed_oldest_pending_age_seconds{feed}     gauge  0 when none is pending
//   liitos_feed_last_outcome_timestamp_seconds{feed} gauge  Unix time of the last final outcome
std::string FeedMetricsText(const Config& cfg, Journal& journal, SysTime now);

}  // namespace liitos
