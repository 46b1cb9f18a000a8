#pragma once
// The SQL of the feeds (SPEC §11) as named constants, beside journal_sql.h; the tables are made
// by its migration v8. Times are FormatUtcMillis text, as everywhere in the journal.

namespace liitos::sql {

inline constexpr const char* kInsertOrder =
    "INSERT INTO fetch_orders(feed, file_id, line, external_id, state, xroad_ids, created_at, final_at, reason) "
    "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)";

// A pending order with what its events name: the order file's source, recorded name and digest.
#define LIITOS_ORDER_COLS                                                                                     \
  "o.id, o.feed, o.file_id, o.line, o.external_id, o.xroad_ids, o.attempts, o.created_at, o.first_failed_at, " \
  "o.next_attempt_at, o.fault, o.last_error, f.source, f.name, f.sha256"
// ?2 now; ?3 every pending order; ?4 also those waiting after a configuration fault; ?5 limit;
// ?6 only orders after this id (a pass pages through them).
inline constexpr const char* kDueOrders =
    "SELECT " LIITOS_ORDER_COLS " FROM fetch_orders o JOIN files f ON f.id = o.file_id "
    "WHERE o.feed = ?1 AND o.state = 'pending' AND (?3 OR (?4 AND o.fault = 'config') OR o.next_attempt_at = '' "
    "OR o.next_attempt_at <= ?2) AND o.id > ?6 ORDER BY o.id LIMIT ?5";
inline constexpr const char* kNextOrderAttempt =
    "SELECT min(next_attempt_at) FROM fetch_orders WHERE feed = ?1 AND state = 'pending' AND next_attempt_at <> ''";
inline constexpr const char* kOrderAttempted =
    "UPDATE fetch_orders SET attempts = attempts + 1, fault = ?2, last_error = ?3, next_attempt_at = ?4, "
    "first_failed_at = CASE WHEN ?2 = 'retry' AND first_failed_at = '' THEN ?5 ELSE first_failed_at END "
    "WHERE id = ?1 AND state = 'pending'";
inline constexpr const char* kOrderFinal =
    "UPDATE fetch_orders SET attempts = attempts + ?5, state = ?2, import_file = ?3, reason = ?4, final_at = ?6, "
    "fault = '', next_attempt_at = '' WHERE id = ?1 AND state = 'pending'";

inline constexpr const char* kApplicationDigest =
    "SELECT digest, import_file FROM applications WHERE feed = ?1 AND external_id = ?2";
inline constexpr const char* kSetApplication =
    "INSERT OR REPLACE INTO applications(feed, external_id, digest, import_file, written_at) VALUES(?1,?2,?3,?4,?5)";

// Order files of a source whose lines are all final and whose receipt is not written yet.
inline constexpr const char* kOrderFilesAwaitingReceipt =
    "SELECT id FROM files f WHERE source = ?1 AND state = 'parsed' AND intake_receipt = 0 AND NOT EXISTS("
    "SELECT 1 FROM fetch_orders o WHERE o.file_id = f.id AND o.state = 'pending') ORDER BY id";
inline constexpr const char* kOrderOutcomes =
    "SELECT line, external_id, state, import_file, coalesce(final_at, ''), reason FROM fetch_orders "
    "WHERE file_id = ?1 ORDER BY line, id";
inline constexpr const char* kOrderReceiptWritten =
    "UPDATE files SET intake_receipt = 1, state = 'done' WHERE id = ?1";

inline constexpr const char* kFeedStats =
    "SELECT state, fault, count(*), coalesce(min(created_at), ''), coalesce(max(final_at), '') FROM fetch_orders "
    "WHERE feed = ?1 GROUP BY state, fault";

}  // namespace liitos::sql
