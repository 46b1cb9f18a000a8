// journal verify: the hash chain walk, and the outbox/events cross-check (journal/audit.h).
#include "journal/audit.h"
#include "journal/audit_db.h"
#include "journal/event_hash.h"
#include "journal/event_writer.h"
#include "journal/journal_sql.h"

namespace liitos {

namespace {

VerifyResult Bad(int64_t events, int64_t seq, std::string why) { return VerifyResult{false, events, seq, std::move(why)}; }

// Why an event fails, or "" when it links to `prev_hash` and carries its own hash.
std::string CheckEvent(const Event& e, int64_t expected_seq, const std::string& prev_hash) {
  if (e.seq > expected_seq)
    return e.seq == expected_seq + 1
               ? "event " + std::to_string(expected_seq) + " is missing (a row was deleted)"
               : "events " + std::to_string(expected_seq) + " to " + std::to_string(e.seq - 1) +
                     " are missing (rows were deleted)";
  if (e.seq < expected_seq) return "sequence number out of order (expected " + std::to_string(expected_seq) + ")";
  if (e.prev_hash != prev_hash)
    return "prev_hash does not match the hash of the event before (an event was inserted, removed or reordered)";
  if (EventHash(e.prev_hash, e) != e.hash) return "stored hash does not match the event's content (a field was changed)";
  return {};
}

}  // namespace

Result<VerifyResult> VerifyJournal(const std::string& db_path) {
  auto opened = OpenAuditDb(db_path);
  if (!opened.ok()) {
    if (opened.status().code() == Status::Code::kCorruption)
      return Bad(0, 0, "database file is corrupt or truncated: " + opened.status().message());
    return opened.status();
  }
  Db& db = **opened;
  {
    Query q(db, sql::kQuickCheck);
    auto r = q.Step();
    if (!r.ok()) return Bad(0, 0, "database file is corrupt or truncated: " + r.status().message());
    if (*r && q.Text(0) != "ok") return Bad(0, 0, "database file is corrupt or truncated: " + q.Text(0));
  }
  int64_t count = 0, expected = 1;
  std::string prev = kGenesisHash;
  Query q(db, sql::kAllEvents);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return Bad(count, expected, "cannot read events (corrupt database file?): " + r.status().message());
    if (!*r) break;
    Event e = ReadEvent(q);
    std::string why = CheckEvent(e, expected, prev);
    if (!why.empty()) return Bad(count, e.seq, std::move(why));
    ++count;
    expected = e.seq + 1;
    prev = e.hash;
  }
  // Events cut off at the end leave the chain intact; the outbox still points at them.
  Query tail(db, sql::kMaxOutboxEventSeq);
  auto r = tail.Step();
  if (!r.ok()) return Bad(count, 0, "cannot read the outbox: " + r.status().message());
  if (*r && !tail.IsNull(0) && tail.Int(0) >= expected)
    return Bad(count, expected, "the outbox refers to event " + std::to_string(tail.Int(0)) +
                                    " but the journal ends at " + std::to_string(expected - 1) +
                                    " (events were deleted from the end)");
  // The head record (schema v3) names the last event ever appended.
  Query head(db, sql::kChainHead);
  auto h = head.Step();
  if (h.ok() && *h) {
    int64_t head_seq = head.Int(0);
    if (head_seq != expected - 1 || head.Text(1) != prev)
      return Bad(count, std::min(head_seq, expected),
                 "the chain ends at event " + std::to_string(expected - 1) + " but its head record names event " +
                     std::to_string(head_seq) + " (events were deleted from or added at the end)");
  } else if (h.ok() && !*h && count > 0) {
    return Bad(count, 1, "the chain's head record is missing");
  }
  return VerifyResult{true, count, 0, ""};
}

Result<std::vector<std::string>> CheckConsistency(const std::string& db_path) {
  auto opened = OpenAuditDb(db_path);
  if (!opened.ok()) return opened.status();
  struct Check {
    const char* sql;
    const char* what;
  };
  const Check checks[] = {
      {sql::kOutboxWithoutEvent, "outbox row without its RECORD_ACCEPTED event: message "},
      {sql::kAcceptedWithoutOutbox, "RECORD_ACCEPTED event without an outbox row: seq "},
      {sql::kBatchedWithoutBatch, "batched item without a created batch: message "},
      {sql::kBatchStateMismatch, "batch whose state disagrees with its items or events: batch "},
      {sql::kFilesWithoutEvent, "file row without FILE_RECEIVED/FILE_QUARANTINED: file id "},
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

}  // namespace liitos
