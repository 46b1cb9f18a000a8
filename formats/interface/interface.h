#pragma once
// The interface format of the Luvat ja valvonta electronic data transfer interface (SPEC §5).
// This module ALONE knows its JSON: status updates, batches, and the receiver's answer. Swapping
// in the official schema is a change of this module only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/crypto/uuid.h"

namespace liitos {

struct Decision {
  std::optional<std::string> id, date, code, maker, section;
  bool empty() const { return !id && !date && !code && !maker && !section; }
};

struct StatusUpdate {
  std::string message_id;
  std::string lv_case_id;
  std::optional<std::string> authority_case_id;
  std::string status;
  std::optional<std::string> previous_status;
  std::string status_changed_at;  // normalized: "2026-11-03" or "2026-11-20T14:05:00+02:00"
  Decision decision;              // omitted when empty
  std::optional<std::string> message_fi, message_sv;
  std::optional<std::string> business_id;
  std::optional<std::string> person_id;  // henkilötunnus: payload only, never logged (G6)
  std::optional<std::string> municipality_code;
  std::optional<std::string> handler;
  std::string source_name, source_file;
  size_t source_record = 0;
};

// messageId per SPEC §5.3: UUID v5 (URL namespace) of
// "urn:liitos:status:" + xroadClient + "|" + lvCaseId + "|" + status + "|" + statusChangedAt,
// for one X-Road client's many records: the client's part of the name is hashed once.
class MessageIdNamer {
 public:
  explicit MessageIdNamer(std::string_view xroad_client);
  // The messageId into *out (its storage reused).
  void Compute(std::string_view lv_case_id, std::string_view status, std::string_view status_changed_at,
               std::string* out) const;

 private:
  UuidV5UrlNamer namer_;
};

// One status update as a single line of compact JSON (SPEC §5.1), field order as in the SPEC,
// absent optional fields omitted.
std::string StatusUpdateToJson(const StatusUpdate& u);
// The same appended to *out (no newline).
void AppendStatusUpdateJson(const StatusUpdate& u, std::string* out);
// The same written to [out, out + StatusUpdateJsonBound(u)), for a caller with a buffer of its
// own: returns the end of the line, or nullptr when a value is not valid UTF-8 (then only
// StatusUpdateToJson, which replaces such sequences, can render it).
size_t StatusUpdateJsonBound(const StatusUpdate& u);
char* WriteStatusUpdateJson(const StatusUpdate& u, char* out);

// A batch document (SPEC §5.2). `items_json` are status updates already in JSON (outbox payloads).
std::string BatchToJson(const std::string& batch_id, const std::string& created_at,
                        const std::string& xroad_client, const std::vector<std::string>& items_json);

// The receiver's answer to a 2xx (SPEC §5.4).
struct ItemResult {
  std::string message_id;
  std::string result;  // "accepted" | "duplicate" | "rejected"
  std::string error_code, error_message;
};
struct ReceiverAnswer {
  std::string batch_id;
  std::vector<ItemResult> results;
};
// A kInvalid Status when the body is not a valid answer (not JSON, wrong shape, unknown result).
Result<ReceiverAnswer> ParseReceiverAnswer(const std::string& body);

// Reads back one status update written by StatusUpdateToJson (e.g. an outbox payload).
// A kInvalid Status when the text is not a status update (missing required field, wrong type).
Result<StatusUpdate> StatusUpdateFromJson(const std::string& json);

// Checks a batch document's shape (SPEC §5.2): schemaVersion "1", batchId, createdAt,
// sender.xroadClient, 1 or more items, each a valid status update (required fields present,
// strings where strings belong, no nulls). The message names the first problem, e.g.
// "items[3]: lvCaseId is missing".
Status ValidateBatch(const std::string& batch_json);

}  // namespace liitos
