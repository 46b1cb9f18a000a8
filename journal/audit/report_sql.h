#pragma once
// The SQL of the checkpoints (journal/audit/checkpoint.h), the parallel chain walk
// (journal/audit/chain_walk.h) and the auditor's report (journal/audit/report_data.h), as named constants (STYLE.md practice 6), apart from journal_sql.h,
// which holds the service's own statements.
//
// The report counts one time bucket (a Helsinki day or hour) per statement, ?1 (from) to ?2 (to,
// exclusive): a range scan of the covering index events_time(time, kind, source, destination)
// (schema v8) whose groups are sorted in memory, not one sort of a whole month.

#include "journal/journal_sql.h"

namespace liitos::sql {

// ---- checkpoints
inline constexpr const char* kCheckpointHead = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1";
inline constexpr const char* kCheckpointEventHash = "SELECT hash FROM events WHERE seq = ?1";

// ---- the chain walk (journal/audit/chain_walk.h): one range of events, in order.
inline constexpr const char* kChainRange = "SELECT " LIITOS_EVENT_COLS " FROM events WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq";
inline constexpr const char* kChainLastSeq = "SELECT coalesce(max(seq), 0) FROM events";

// ---- the report
#define LIITOS_REPORT_KINDS                                                                                   \
  "('FILE_RECEIVED', 'FILE_QUARANTINED', 'RECORD_ACCEPTED', 'RECORD_DUPLICATE', 'RECORD_REJECTED', "          \
  "'BATCH_DELIVERED', 'BATCH_FAILED', 'ITEM_REJECTED_BY_RECEIVER', 'HOSTKEY_REFUSED', 'CONFIG_LOADED', " \
  "'CONFIG_REFUSED')"

inline constexpr const char* kReportFirstEvent = "SELECT seq, time FROM events ORDER BY seq LIMIT 1";
inline constexpr const char* kReportLastEvent = "SELECT seq, time, hash FROM events ORDER BY seq DESC LIMIT 1";
inline constexpr const char* kReportEventCount = "SELECT count(*) FROM events";

// ?3: a source name, or NULL for all. Intake events count for their source, delivery events for
// their destination; with a source, only that source's intake events are counted here.
inline constexpr const char* kReportCounts =
    "SELECT kind, coalesce(source, destination, ''), count(*) FROM events INDEXED BY events_time "
    "WHERE time >= ?1 AND time < ?2 AND kind IN " LIITOS_REPORT_KINDS " AND (?3 IS NULL OR source = ?3) "
    "GROUP BY 1, 2";
// Updates delivered, summed from the BATCH_DELIVERED events (a batch says how many it delivered).
inline constexpr const char* kReportDelivered =
    "SELECT coalesce(destination, ''), sum(coalesce(json_extract(detail, '$.delivered'), 0)) "
    "FROM events INDEXED BY events_time WHERE time >= ?1 AND time < ?2 AND kind = 'BATCH_DELIVERED' GROUP BY 1";
// One source's (?3) updates made final in [?1, ?2), from the outbox (batches mix sources), per UTC
// hour (a Helsinki day or hour is a run of whole UTC hours): the source's files drive the scan
// (files_source), each file's updates found through outbox_file.
inline constexpr const char* kReportFinalOfSource =
    "SELECT substr(o.final_at, 1, 13), o.destination, sum(o.state = 'delivered'), sum(o.state = 'rejected') "
    "FROM files f CROSS JOIN outbox o WHERE f.source = ?3 AND f.received_at < ?2 AND o.file_id = f.id AND "
    "o.final_at >= ?1 AND o.final_at < ?2 GROUP BY 1, 2";

// The oldest update still open at ?2 (created before it, not final by then), found from ?1 on:
// an update open at a later time and created before an earlier one was open then too, so the
// answer never moves back and each bucket's scan starts where the last one's ended. (The unary +
// keeps the planner on outbox_created: through outbox_file it would sort a source's every update
// for each bucket.)
inline constexpr const char* kReportOldestOpen =
    "SELECT created_at FROM outbox WHERE created_at >= ?1 AND created_at < ?2 AND "
    "(final_at IS NULL OR final_at >= ?2) ORDER BY created_at LIMIT 1";
inline constexpr const char* kReportOldestOpenOfSource =
    "SELECT created_at FROM outbox WHERE created_at >= ?1 AND created_at < ?2 AND "
    "(final_at IS NULL OR final_at >= ?2) AND +file_id IN (SELECT id FROM files WHERE source = ?3) "
    "ORDER BY created_at LIMIT 1";

// The rows of the report's tables: ?1 from, ?2 to, ?3 a JSON array of kinds, ?4 rows per group,
// ?5 a source or NULL. After the event's columns: how many of its group there are, and the group
// (its kind, but CONFIG_LOADED for CONFIG_REFUSED: one table of configuration changes). With a
// source: its own events, the receiver's rejections of its updates, the failed batches that
// carried one, and every host-key refusal and configuration change.
inline constexpr const char* kReportNotable =
    "SELECT " LIITOS_EVENT_COLS ", total, grp FROM (SELECT *, row_number() OVER (PARTITION BY grp ORDER BY seq) AS rn, "
    "count(*) OVER (PARTITION BY grp) AS total FROM (SELECT *, "
    "CASE kind WHEN 'CONFIG_REFUSED' THEN 'CONFIG_LOADED' ELSE kind END AS grp "
    "FROM events e INDEXED BY events_time WHERE time >= ?1 AND time < ?2 "
    "AND kind IN (SELECT value FROM json_each(?3)) AND (?5 IS NULL OR e.source = ?5 "
    "OR e.kind IN ('HOSTKEY_REFUSED', 'CONFIG_LOADED', 'CONFIG_REFUSED') "
    "OR (e.kind = 'ITEM_REJECTED_BY_RECEIVER' AND EXISTS(SELECT 1 FROM outbox o JOIN files f ON f.id = o.file_id "
    "WHERE o.message_id = e.message_id AND f.source = ?5)) "
    "OR (e.kind = 'BATCH_FAILED' AND EXISTS(SELECT 1 FROM outbox o JOIN files f ON f.id = o.file_id "
    "WHERE o.batch_id = e.batch_id AND f.source = ?5))))) WHERE rn <= ?4 ORDER BY seq";

// Stories (?4: at most this many events + 1, to tell that some were left out).
// A file: its events, same source, name and content.
inline constexpr const char* kStoryOfFile =
    "SELECT " LIITOS_EVENT_COLS " FROM events WHERE file = ?1 AND source IS ?2 AND "
    "coalesce(file_sha256, '') = ?3 ORDER BY seq LIMIT ?4";
// A batch: its own events (not its items' rejections) and the acceptance of its first updates.
inline constexpr const char* kStoryOfBatch =
    "SELECT " LIITOS_EVENT_COLS " FROM events WHERE seq IN ("
    "SELECT seq FROM events WHERE batch_id = ?1 AND message_id IS NULL UNION ALL "
    "SELECT event_seq FROM (SELECT event_seq FROM outbox WHERE batch_id = ?1 ORDER BY rowid LIMIT 5)) "
    "ORDER BY seq LIMIT ?4";
// An update: its file's arrival, its acceptance, what befell it, and its batch's own events.
inline constexpr const char* kStoryOfMessage =
    "SELECT " LIITOS_EVENT_COLS " FROM events WHERE seq IN ("
    "SELECT seq FROM events WHERE message_id = ?1 AND kind <> 'RECORD_ACCEPTED' UNION ALL "
    "SELECT event_seq FROM outbox WHERE message_id = ?1 UNION ALL "
    "SELECT e.seq FROM outbox o JOIN files f ON f.id = o.file_id JOIN events e ON e.file = f.name AND "
    "e.source = f.source AND e.kind = 'FILE_RECEIVED' AND coalesce(e.file_sha256, '') = f.sha256 "
    "WHERE o.message_id = ?1 UNION ALL "
    "SELECT seq FROM events WHERE batch_id = ?2 AND message_id IS NULL) "
    "ORDER BY seq LIMIT ?4";

}  // namespace liitos::sql
