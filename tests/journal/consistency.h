#pragma once
// The journal's own rows checked against its events, after every kind of test that writes it (a
// crash included): every outbox row has its RECORD_ACCEPTED event and vice versa; every batched
// item belongs to a batch with a BATCH_CREATED event; batch and item states agree, and final
// batches have their BATCH_DELIVERED / BATCH_FAILED / BATCH_SUPERSEDED event; every file row has
// its FILE_RECEIVED or FILE_QUARANTINED event. The service never needs this: it is the tests'
// oracle, read through the auditor's read-only connection.

#include <string>
#include <vector>

#include "base/status.h"
#include "journal/audit/audit_db.h"
#include "journal/sqlite_db.h"

namespace liitos::journal_test {
namespace consistency_sql {

inline constexpr const char* kOutboxWithoutEvent =
    "SELECT o.message_id FROM outbox o LEFT JOIN events e ON e.seq = o.event_seq WHERE e.seq IS NULL OR "
    "e.kind <> 'RECORD_ACCEPTED' OR e.message_id IS NOT o.message_id LIMIT 10";
inline constexpr const char* kAcceptedWithoutOutbox =
    "SELECT e.seq FROM events e WHERE e.kind = 'RECORD_ACCEPTED' AND NOT EXISTS(SELECT 1 FROM outbox o WHERE "
    "o.message_id = e.message_id) LIMIT 10";
inline constexpr const char* kBatchedWithoutBatch =
    "SELECT o.message_id FROM outbox o WHERE o.state <> 'pending' AND (o.batch_id IS NULL OR NOT EXISTS("
    "SELECT 1 FROM batches b WHERE b.batch_id = o.batch_id) OR NOT EXISTS(SELECT 1 FROM events e WHERE "
    "e.batch_id = o.batch_id AND e.kind = 'BATCH_CREATED')) LIMIT 10";
// A superseded item may sit in a batch of any state (it was set aside before the batch went on),
// but only with its ITEM_SUPERSEDED event; a superseded batch holds nothing else.
inline constexpr const char* kBatchStateMismatch =
    "SELECT b.batch_id FROM batches b WHERE "
    "(b.state = 'delivered' AND NOT EXISTS(SELECT 1 FROM events e WHERE e.batch_id = b.batch_id AND "
    "e.kind = 'BATCH_DELIVERED')) OR (b.state = 'failed' AND NOT EXISTS(SELECT 1 FROM events e WHERE "
    "e.batch_id = b.batch_id AND e.kind = 'BATCH_FAILED')) OR (b.state = 'superseded' AND NOT EXISTS(SELECT 1 "
    "FROM events e WHERE e.batch_id = b.batch_id AND e.kind = 'BATCH_SUPERSEDED')) OR EXISTS(SELECT 1 FROM "
    "outbox o WHERE o.batch_id = b.batch_id AND ((o.state = 'superseded' AND NOT EXISTS(SELECT 1 FROM events e "
    "WHERE e.batch_id = b.batch_id AND e.kind = 'ITEM_SUPERSEDED' AND e.message_id = o.message_id)) OR "
    "(o.state <> 'superseded' AND ((b.state = 'open' AND o.state <> 'batched') OR (b.state = 'delivered' AND "
    "o.state NOT IN ('delivered','rejected')) OR (b.state = 'failed' AND o.state <> 'failed') OR "
    "b.state = 'superseded')))) LIMIT 10";
inline constexpr const char* kFilesWithoutEvent =
    "SELECT f.id FROM files f WHERE NOT EXISTS(SELECT 1 FROM events e WHERE e.file = f.name AND "
    "e.kind IN ('FILE_RECEIVED','FILE_QUARANTINED')) LIMIT 10";

}  // namespace consistency_sql

// The problems found (empty = consistent), at most ten of each kind.
inline Result<std::vector<std::string>> CheckConsistency(const std::string& db_path) {
  auto opened = OpenAuditDb(db_path);
  if (!opened.ok()) return opened.status();
  struct Check {
    const char* sql;
    const char* what;
  };
  const Check checks[] = {
      {consistency_sql::kOutboxWithoutEvent, "outbox row without its RECORD_ACCEPTED event: message "},
      {consistency_sql::kAcceptedWithoutOutbox, "RECORD_ACCEPTED event without an outbox row: seq "},
      {consistency_sql::kBatchedWithoutBatch, "batched item without a created batch: message "},
      {consistency_sql::kBatchStateMismatch, "batch whose state disagrees with its items or events: batch "},
      {consistency_sql::kFilesWithoutEvent, "file row without FILE_RECEIVED/FILE_QUARANTINED: file id "},
  };
  std::vector<std::string> problems;
  for (const auto& c : checks) {
    Query q(**opened, c.sql);
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      problems.push_back(c.what + q.Text(0));
    }
  }
  return problems;
}

}  // namespace liitos::journal_test
