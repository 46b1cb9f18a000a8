#pragma once
// Helpers shared by the X-Road transport tests: a SPEC §5.2 batch and a destination config.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "base/crypto/uuid.h"
#include "config/config.h"
#include "transports/destination.h"
#include "transports/xroad/xroad_config.h"

namespace liitos::testing {

inline constexpr const char* kTestClient = "FI/MUN/0204819-8/liitos";

inline OutgoingBatch MakeTestBatch(const std::vector<std::string>& message_ids,
                                   const std::string& sender = kTestClient) {
  nlohmann::json items = nlohmann::json::array();
  int record = 0;
  for (const auto& id : message_ids) {
    items.push_back({{"messageId", id},
                     {"type", "status-update"},
                     {"lvCaseId", "LV-2026-000123"},
                     {"status", "PAATOS_ANNETTU"},
                     {"statusChangedAt", "2026-11-20T14:05:00+02:00"},
                     {"source", {{"name", "rakval"}, {"file", "tilat_20261120.csv"}, {"record", ++record}}}});
  }
  OutgoingBatch b;
  b.batch_id = UuidV4();
  b.created_at_compact = "20261120T141500";
  b.document = nlohmann::json{{"schemaVersion", "1"},
                              {"batchId", b.batch_id},
                              {"createdAt", "2026-11-20T14:15:00+02:00"},
                              {"sender", {{"xroadClient", sender}}},
                              {"items", items}}
                   .dump();
  return b;
}

inline DestinationConfig XroadConfig(const std::string& url, bool allow_plain_http = true) {
  DestinationConfig cfg;
  cfg.name = "lv";
  cfg.kind = "xroad";
  MutableKindSettings<XroadSettings>(cfg.settings).url = url;
  MutableKindSettings<XroadSettings>(cfg.settings).allow_plain_http = allow_plain_http;
  MutableKindSettings<XroadSettings>(cfg.settings).request_timeout = std::chrono::seconds(10);
  return cfg;
}

}  // namespace liitos::testing
