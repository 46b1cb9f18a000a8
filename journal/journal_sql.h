#pragma once
// Every SQL statement of the journal, as a named constant (STYLE.md practice 6). Statements are
// prepared once per connection (Db::Prepare caches them by the constant's address), then bound,
// stepped and reset.
//
// Times are TEXT in FormatUtcMillis form ("2026-11-20T12:05:00.123Z"), which sorts as it reads.
// Empty ids are stored as NULL so that the partial indexes stay small.

namespace liitos::sql {

// ---- schema: kMigrations[i] takes user_version i to i+1. Append, never edit a shipped step.
inline constexpr const char* kMigrations[] = {
    // v1
    R"(
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,          -- assigned explicitly: last + 1, so a gap shows a deleted row
  time TEXT NOT NULL, kind TEXT NOT NULL,
  source TEXT, file TEXT, file_sha256 TEXT, record INTEGER,
  message_id TEXT, batch_id TEXT, destination TEXT, lv_case_id TEXT,
  detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX events_case ON events(lv_case_id) WHERE lv_case_id IS NOT NULL;
CREATE INDEX events_message ON events(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX events_batch ON events(batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX events_file ON events(file) WHERE file IS NOT NULL;
CREATE INDEX events_time ON events(time);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;

CREATE TABLE files(
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, name TEXT NOT NULL,
  sha256 TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0, spool_path TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL, state TEXT NOT NULL,
  intake_receipt INTEGER NOT NULL DEFAULT 0, delivery_receipt INTEGER NOT NULL DEFAULT 0);
CREATE INDEX files_state ON files(state);
CREATE INDEX files_source ON files(source, state, received_at);

CREATE TABLE intake(
  id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, record INTEGER NOT NULL,
  lv_case_id TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '');
CREATE INDEX intake_file ON intake(file_id);

CREATE TABLE outbox(
  message_id TEXT NOT NULL UNIQUE, file_id INTEGER NOT NULL, record INTEGER NOT NULL,
  lv_case_id TEXT NOT NULL DEFAULT '', destination TEXT NOT NULL,
  payload TEXT,                     -- NULL once purged (delivered + payload_retention)
  state TEXT NOT NULL,              -- pending | batched | delivered | rejected | failed | superseded
  batch_id TEXT, created_at TEXT NOT NULL, final_at TEXT, reason TEXT NOT NULL DEFAULT '',
  event_seq INTEGER NOT NULL);      -- the RECORD_ACCEPTED event
CREATE INDEX outbox_pending ON outbox(destination, state);
CREATE INDEX outbox_batch ON outbox(batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX outbox_file ON outbox(file_id);

CREATE TABLE batches(
  batch_id TEXT PRIMARY KEY, destination TEXT NOT NULL,
  state TEXT NOT NULL,              -- open | delivered | failed | superseded
  attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
  last_http_status INTEGER, xroad_request_id TEXT NOT NULL DEFAULT '', final_at TEXT);
CREATE INDEX batches_state ON batches(destination, state);
)",
    // v2: a file offered again is looked up by source, name and content (FindFile).
    "CREATE INDEX files_name ON files(source, name, sha256);",
    // v3: the head of the chain, kept by a trigger in the same transaction as every append, so
    // that events cut off at the end are detected by verify.
    R"(
CREATE TABLE chain_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
INSERT INTO chain_head(id, seq, hash) SELECT 1, seq, hash FROM events ORDER BY seq DESC LIMIT 1;
CREATE TRIGGER events_head AFTER INSERT ON events BEGIN
  INSERT OR REPLACE INTO chain_head(id, seq, hash) VALUES (1, NEW.seq, NEW.hash);
END;
)",
    // v4: the head is written by the journal once per transaction, before its commit (the v3
    // trigger rewrote it after every event: a tenth of the journal's time in a burst).
    "DROP TRIGGER IF EXISTS events_head;",
    // v5: a file's intake rows are read from its RECORD_* events, which say the same; the table
    // that repeated them was a fifth of the journal's writes in a burst.
    "DROP TABLE IF EXISTS intake;",
    // v6: RECORD_ACCEPTED events leave the messageId index: their outbox row (unique messageId)
    // names them by event_seq. An entry under a random key was a fifth of the cost of a record in
    // a burst.
    R"(
DROP INDEX IF EXISTS events_message;
CREATE INDEX events_message ON events(message_id) WHERE message_id IS NOT NULL AND kind <> 'RECORD_ACCEPTED';
)",
    // v7: a file's name is recorded as safe text (escaped, henkilötunnus masked); the real name
    // is found by its HMAC and, where the two differ, kept sealed (base/crypto/name_vault.h). A second
    // file of the same name gets receipts of its own, numbered by receipt_seq, never a name another
// file's receipts have (receipt_key). A file's outbox
    // rows are read in record order from the index (a delivery receipt of a million rows was
    // sorted in memory).
    R"(
ALTER TABLE files ADD COLUMN name_hmac TEXT NOT NULL DEFAULT '';
ALTER TABLE files ADD COLUMN name_sealed BLOB;
ALTER TABLE files ADD COLUMN receipt_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE files ADD COLUMN receipt_key TEXT NOT NULL DEFAULT '';
CREATE INDEX files_hmac ON files(source, name_hmac);
CREATE INDEX files_receipt ON files(source, receipt_key);
DROP INDEX IF EXISTS outbox_file;
CREATE INDEX outbox_file ON outbox(file_id, record);
)",
    // v8: the auditor's report (journal/audit/report_data.h) counts a period's events by kind, source
    // and destination from the time index alone, without reading the rows; and finds the oldest
    // update still pending at a time from (created_at, final_at) alone.
    R"(
DROP INDEX IF EXISTS events_time;
CREATE INDEX events_time ON events(time, kind, source, destination);
CREATE INDEX IF NOT EXISTS outbox_created ON outbox(created_at, final_at);
)",
    // v9: applications from Luvat ja valvonta (SPEC §11): the lines of fetch orders and what was
    // last written of each application (journal/feed_sql.h).
    R"(
CREATE TABLE fetch_orders(
  id INTEGER PRIMARY KEY, feed TEXT NOT NULL,
  file_id INTEGER NOT NULL,         -- the order file (files.id)
  line INTEGER NOT NULL, external_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,              -- pending | fetched | unchanged | not-found | rejected | failed
  xroad_ids TEXT NOT NULL DEFAULT '',  -- "part=uuid ...": one X-Road-Id per GET, kept for its retries
  attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
  first_failed_at TEXT NOT NULL DEFAULT '', next_attempt_at TEXT NOT NULL DEFAULT '',
  fault TEXT NOT NULL DEFAULT '',   -- pending: '' | 'retry' | 'config' (why the last attempt did not end it)
  last_error TEXT NOT NULL DEFAULT '', import_file TEXT NOT NULL DEFAULT '',
  final_at TEXT, reason TEXT NOT NULL DEFAULT '');
CREATE INDEX fetch_orders_pending ON fetch_orders(feed, id) WHERE state = 'pending';
CREATE INDEX fetch_orders_file ON fetch_orders(file_id);
CREATE INDEX fetch_orders_feed ON fetch_orders(feed, state);
CREATE TABLE applications(
  feed TEXT NOT NULL, external_id TEXT NOT NULL,
  digest TEXT NOT NULL,             -- "part=sha256 ..." of the parts last written
  import_file TEXT NOT NULL, written_at TEXT NOT NULL,
  PRIMARY KEY(feed, external_id));
)",
    // v10: an update's payload leaves its outbox row for a table of its own, keyed by file and
    // record (as they are appended). The row is rewritten when it is batched and again when it is
    // delivered: with the payload in it, 1,000 items rewrote some 180 pages twice per batch;
    // without, some 60. outbox.payload stays, always NULL (SQLite's DROP COLUMN rewrites the
    // table). A purge deletes the payload's row, and walks only the rows made final since the
    // last purge (outbox_final, from purge_horizon): it scanned the whole outbox every 15 s.
    R"(
CREATE TABLE outbox_payloads(
  file_id INTEGER NOT NULL, record INTEGER NOT NULL, payload TEXT NOT NULL,
  PRIMARY KEY(file_id, record)) WITHOUT ROWID;
INSERT INTO outbox_payloads(file_id, record, payload)
  SELECT file_id, record, payload FROM outbox WHERE payload IS NOT NULL ORDER BY file_id, record;
UPDATE outbox SET payload = NULL WHERE payload IS NOT NULL;
CREATE INDEX outbox_final ON outbox(final_at) WHERE final_at IS NOT NULL;
CREATE TABLE purge_horizon(id INTEGER PRIMARY KEY CHECK (id = 1), final_at TEXT NOT NULL);
)",
};
inline constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

// cache_size: a round of 200 files touches more pages than the default 2 MiB cache holds, and
// every spill rewrites pages into the WAL; 8 MiB holds a round (32 MiB was no faster in a burst
// of 10,000 files and took the service's peak RSS from 72 to 98 MiB). wal_autocheckpoint:
// checkpoints every 8,192 pages (32 MiB of WAL) rather than 1,000, each being a copy into the
// database and an fsync.
inline constexpr const char* kPragmasWrite =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=8192; PRAGMA temp_store=MEMORY;";
inline constexpr const char* kUserVersion = "PRAGMA user_version";
inline constexpr const char* kSetUserVersion[] = {"PRAGMA user_version=1", "PRAGMA user_version=2",
                                                  "PRAGMA user_version=3", "PRAGMA user_version=4",
                                                  "PRAGMA user_version=5", "PRAGMA user_version=6",
                                                  "PRAGMA user_version=7", "PRAGMA user_version=8",
                                                  "PRAGMA user_version=9", "PRAGMA user_version=10"};
inline constexpr const char* kChainHead = "SELECT seq, hash FROM chain_head WHERE id = 1";
inline constexpr const char* kSetChainHead = "INSERT OR REPLACE INTO chain_head(id, seq, hash) VALUES (1, ?1, ?2)";
inline constexpr const char* kQuickCheck = "PRAGMA quick_check";

// ---- transactions
inline constexpr const char* kBeginImmediate = "BEGIN IMMEDIATE";
inline constexpr const char* kSynchronousNormal = "PRAGMA synchronous=NORMAL";
inline constexpr const char* kSynchronousFull = "PRAGMA synchronous=FULL";
inline constexpr const char* kSynchronous = "PRAGMA synchronous";
inline constexpr const char* kCommit = "COMMIT";
inline constexpr const char* kRollback = "ROLLBACK";
inline constexpr const char* kSavepoint = "SAVEPOINT journal_call";
inline constexpr const char* kRelease = "RELEASE journal_call";
inline constexpr const char* kRollbackTo = "ROLLBACK TO journal_call";

// ---- events
#define LIITOS_EVENT_COLS \
  "seq, time, kind, source, file, file_sha256, record, message_id, batch_id, destination, lv_case_id, " \
  "detail, prev_hash, hash"
inline constexpr const char* kInsertEvent =
    "INSERT INTO events(" LIITOS_EVENT_COLS ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)";
inline constexpr const char* kLastEvent = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1";
inline constexpr const char* kEventBySeq = "SELECT " LIITOS_EVENT_COLS " FROM events WHERE seq = ?1";

// List with filters: one statement per driving index; ?1..?8 = since, until, source, file, case,
// message, batch, kind, each NULL when not filtered.
#define LIITOS_LIST_FILTER                                                                      \
  " (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR time < ?2) AND (?3 IS NULL OR source = ?3)"  \
  " AND (?4 IS NULL OR file = ?4) AND (?5 IS NULL OR lv_case_id = ?5)"                         \
  " AND (?6 IS NULL OR message_id = ?6) AND (?7 IS NULL OR batch_id = ?7) AND (?8 IS NULL OR kind = ?8)"
// A message's events (schema v6): those in the events_message index, and its RECORD_ACCEPTED
// event, found through its outbox row. The filter's own `message_id = ?6` keeps the latter honest.
#define LIITOS_SEQS_OF_MESSAGE(p)                                                                  \
  "SELECT seq FROM events WHERE message_id = " p " AND kind <> 'RECORD_ACCEPTED' UNION ALL "       \
  "SELECT event_seq FROM outbox WHERE message_id = " p
inline constexpr const char* kListByMessage = "SELECT " LIITOS_EVENT_COLS " FROM events WHERE seq IN ("
    LIITOS_SEQS_OF_MESSAGE("?6") ") AND" LIITOS_LIST_FILTER " ORDER BY seq";
inline constexpr const char* kListByBatch =
    "SELECT " LIITOS_EVENT_COLS " FROM events WHERE batch_id = ?7 AND" LIITOS_LIST_FILTER " ORDER BY seq";
inline constexpr const char* kListByCase =
    "SELECT " LIITOS_EVENT_COLS " FROM events WHERE lv_case_id = ?5 AND" LIITOS_LIST_FILTER " ORDER BY seq";
inline constexpr const char* kListByFile =
    "SELECT " LIITOS_EVENT_COLS " FROM events WHERE file = ?4 AND" LIITOS_LIST_FILTER " ORDER BY seq";
inline constexpr const char* kListByTime =
    "SELECT " LIITOS_EVENT_COLS " FROM events INDEXED BY events_time WHERE time >= coalesce(?1, '') AND"
    LIITOS_LIST_FILTER " ORDER BY seq";
inline constexpr const char* kListAll = "SELECT " LIITOS_EVENT_COLS " FROM events WHERE" LIITOS_LIST_FILTER " ORDER BY seq";

// Trace: the seqs related to an identifier.
inline constexpr const char* kSeqsByFile = "SELECT seq FROM events WHERE file = ?1";
inline constexpr const char* kSeqsByCase = "SELECT seq FROM events WHERE lv_case_id = ?1";
inline constexpr const char* kSeqsByMessage =
    "SELECT seq FROM events WHERE seq IN (" LIITOS_SEQS_OF_MESSAGE("?1") ") AND message_id = ?1";
inline constexpr const char* kSeqsByBatch = "SELECT seq FROM events WHERE batch_id = ?1";
inline constexpr const char* kMessagesOfFileEvents =
    "SELECT DISTINCT message_id FROM events WHERE file = ?1 AND message_id IS NOT NULL";
inline constexpr const char* kMessagesOfCaseEvents =
    "SELECT DISTINCT message_id FROM events WHERE lv_case_id = ?1 AND message_id IS NOT NULL";
inline constexpr const char* kMessagesOfBatchEvents =
    "SELECT DISTINCT message_id FROM events WHERE batch_id = ?1 AND message_id IS NOT NULL";
inline constexpr const char* kMessagesOfBatchOutbox = "SELECT message_id FROM outbox WHERE batch_id = ?1";
inline constexpr const char* kBatchOfMessage =
    "SELECT batch_id FROM outbox WHERE message_id = ?1 AND batch_id IS NOT NULL";
inline constexpr const char* kBatchesOfMessageEvents =  // (a RECORD_ACCEPTED event names no batch)
    "SELECT DISTINCT batch_id FROM events WHERE message_id = ?1 AND kind <> 'RECORD_ACCEPTED' AND batch_id IS NOT "
    "NULL";

// ---- files
inline constexpr const char* kInsertFile =
    "INSERT INTO files(source, name, sha256, size, spool_path, received_at, state, name_hmac, name_sealed, "
    "receipt_seq, receipt_key) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
#define LIITOS_FILE_COLS                                                                                   \
  "id, source, name, sha256, size, spool_path, received_at, state, intake_receipt, delivery_receipt, " \
  "name_sealed, receipt_seq"
// Whether a file of the source already names its receipts after this name (its key: the HMAC of
// the name, or the name as safe text without a name key).
inline constexpr const char* kReceiptKeyTaken = "SELECT 1 FROM files WHERE source = ?1 AND receipt_key = ?2 LIMIT 1";
// `journal trace REAL_NAME`: the name as recorded.
inline constexpr const char* kNameByHmac = "SELECT name FROM files WHERE name_hmac = ?1 ORDER BY id LIMIT 1";
inline constexpr const char* kGetFile = "SELECT " LIITOS_FILE_COLS " FROM files WHERE id = ?1";
inline constexpr const char* kFilesInState = "SELECT " LIITOS_FILE_COLS " FROM files WHERE state = ?1 ORDER BY id";
// A delivery receipt is due once the file has accepted records in the outbox and none of them is
// still pending or batched.
inline constexpr const char* kFilesAwaitingDelivery =
    "SELECT " LIITOS_FILE_COLS " FROM files f WHERE state = 'parsed' AND delivery_receipt = 0 AND EXISTS("
    "SELECT 1 FROM outbox o WHERE o.file_id = f.id) AND NOT EXISTS("
    "SELECT 1 FROM outbox o WHERE o.file_id = f.id AND o.state IN ('pending','batched')) ORDER BY id";
// A file offered again, by its name's HMAC (files_hmac) or, for a file recorded before names had
// one (schema v7), by its name (files_name); FindFile takes the newer of the two. One statement
// with an OR of the two was planned as a walk of every file of the source: O(files) per file
// taken, 10,000 files 28 s instead of 3.
inline constexpr const char* kFindFileByHmac =
    "SELECT " LIITOS_FILE_COLS " FROM files WHERE source = ?1 AND name_hmac = ?2 AND sha256 = ?3 "
    "ORDER BY id DESC LIMIT 1";
inline constexpr const char* kFindFileByName =
    "SELECT " LIITOS_FILE_COLS " FROM files WHERE source = ?1 AND name = ?2 AND sha256 = ?3 AND name_hmac = '' "
    "ORDER BY id DESC LIMIT 1";
inline constexpr const char* kSetFileState = "UPDATE files SET state = ?2 WHERE id = ?1";
inline constexpr const char* kSetIntakeWritten = "UPDATE files SET intake_receipt = 1 WHERE id = ?1";
inline constexpr const char* kSetDeliveryWritten = "UPDATE files SET delivery_receipt = 1 WHERE id = ?1";
inline constexpr const char* kFileDoneIfBoth =
    "UPDATE files SET state = 'done' WHERE id = ?1 AND state = 'parsed' AND intake_receipt = 1 AND "
    "delivery_receipt = 1";
inline constexpr const char* kCountFiles =
    "SELECT count(*) FROM files WHERE (?1 = '' OR source = ?1) AND (?2 = '' OR state = ?2) AND received_at >= ?3";

// ---- intake rows
// A file's records as intake saw them: its RECORD_* events, in order (or why it was quarantined).
inline constexpr const char* kIntakeEvents =
    "SELECT record, lv_case_id, message_id, kind, detail FROM events WHERE file = ?1 AND source = ?2 AND "
    "file_sha256 = ?3 AND kind IN ('RECORD_ACCEPTED', 'RECORD_DUPLICATE', 'RECORD_REJECTED', 'FILE_QUARANTINED') "
    "ORDER BY seq";

// ---- outbox
inline constexpr const char* kInsertOutbox =
    "INSERT OR IGNORE INTO outbox(message_id, file_id, record, lv_case_id, destination, state, created_at, "
    "event_seq) VALUES(?1,?2,?3,?4,?5,'pending',?6,?7)";
// The payload of the outbox row just inserted (schema v10).
inline constexpr const char* kInsertPayload =
    "INSERT INTO outbox_payloads(file_id, record, payload) VALUES(?1,?2,?3)";
// The oldest pending updates of destination ?1, at most ?3, into batch ?2: the subquery walks
// outbox_pending from its start (rowid order) and stops at the limit.
inline constexpr const char* kTakePending =
    "UPDATE outbox SET state = 'batched', batch_id = ?2 WHERE rowid IN (SELECT rowid FROM outbox WHERE "
    "destination = ?1 AND state = 'pending' ORDER BY rowid LIMIT ?3)";
// A batch's items, oldest first, but those superseded (never sent). outbox_batch holds them in
// rowid order.
inline constexpr const char* kBatchItems =
    "SELECT o.message_id, p.payload, o.state, o.lv_case_id FROM outbox o JOIN outbox_payloads p ON "
    "p.file_id = o.file_id AND p.record = o.record WHERE o.batch_id = ?1 AND o.state <> 'superseded' "
    "ORDER BY o.rowid";
// The items of a batch still to send, for the superseded check (no payloads).
inline constexpr const char* kBatchedItems =
    "SELECT rowid, message_id, lv_case_id FROM outbox WHERE batch_id = ?1 AND state = 'batched' ORDER BY rowid";
// The newest update of a case delivered to the destination after outbox row ?4 was accepted (its
// RECORD_ACCEPTED event is the newest: events are in the order updates entered the outbox): found
// through the case's events (events_case; ?1 the lvCaseId as the events hold it) and then the
// outbox by messageId (CROSS JOIN keeps that order: never a walk of every delivered row), so that
// no index on the outbox's cases is kept for this rare question. ?2 (the lvCaseId as the outbox
// holds it) keeps the match exact.
inline constexpr const char* kLaterDeliveredOfCase =
    "SELECT n.message_id, coalesce(n.batch_id, '') FROM events e CROSS JOIN outbox n ON n.message_id = e.message_id "
    "WHERE e.lv_case_id = ?1 AND e.kind = 'RECORD_ACCEPTED' AND n.lv_case_id = ?2 AND n.destination = ?3 AND "
    "n.state = 'delivered' AND n.rowid > ?4 ORDER BY e.seq DESC LIMIT 1";
inline constexpr const char* kSupersedeItem =
    "UPDATE outbox SET state = 'superseded', final_at = ?3, reason = ?4 WHERE batch_id = ?1 AND message_id = ?2 "
    "AND state = 'batched'";
inline constexpr const char* kCountBatchedItems = "SELECT count(*) FROM outbox WHERE batch_id = ?1 AND state = 'batched'";
// A rejected item's case, by its messageId (unique), when it is an item of the batch still open.
inline constexpr const char* kBatchedItemCase =
    "SELECT lv_case_id FROM outbox WHERE message_id = ?2 AND batch_id = ?1 AND state = 'batched'";
// Every item of a batch not rejected by the receiver is delivered: one statement per batch.
inline constexpr const char* kDeliverItems =
    "UPDATE outbox SET state = 'delivered', final_at = ?2, reason = '' WHERE batch_id = ?1 AND state = 'batched'";
inline constexpr const char* kFinishItem =
    "UPDATE outbox SET state = ?3, final_at = ?4, reason = ?5 WHERE batch_id = ?1 AND message_id = ?2 AND "
    "state = 'batched'";
inline constexpr const char* kFailItems =
    "UPDATE outbox SET state = 'failed', final_at = ?2, reason = ?3 WHERE batch_id = ?1 AND state = 'batched'";
inline constexpr const char* kRequeueItems =
    "UPDATE outbox SET state = 'batched', final_at = NULL, reason = '' WHERE batch_id = ?1 AND state = 'failed'";
// A file's rows in record order; each batch's request id is looked up once per run of rows of
// that batch (kBatchRequestId), not joined per row.
inline constexpr const char* kDeliveryRows =
    "SELECT record, lv_case_id, message_id, state, coalesce(batch_id, ''), coalesce(final_at, ''), reason "
    "FROM outbox WHERE file_id = ?1 ORDER BY record, rowid";
inline constexpr const char* kBatchRequestId = "SELECT xroad_request_id FROM batches WHERE batch_id = ?1";
// The purge (schema v10): the rows made final in [?1, ?2), from outbox_final; each one's payload
// row is deleted. purge_horizon keeps where the last purge ended.
inline constexpr const char* kPurgeCandidates =
    "SELECT file_id, record FROM outbox WHERE final_at IS NOT NULL AND final_at >= ?1 AND final_at < ?2 AND "
    "state IN ('delivered','rejected','superseded')";
inline constexpr const char* kDeletePayload = "DELETE FROM outbox_payloads WHERE file_id = ?1 AND record = ?2";
inline constexpr const char* kGetPurgeHorizon = "SELECT final_at FROM purge_horizon WHERE id = 1";
inline constexpr const char* kSetPurgeHorizon = "INSERT OR REPLACE INTO purge_horizon(id, final_at) VALUES(1, ?1)";

// ---- batches
inline constexpr const char* kInsertBatch =
    "INSERT INTO batches(batch_id, destination, state, created_at) VALUES(?1,?2,'open',?3)";
#define LIITOS_BATCH_COLS \
  "batch_id, destination, state, attempts, created_at, next_attempt_at, last_error, xroad_request_id"
inline constexpr const char* kGetBatch = "SELECT " LIITOS_BATCH_COLS " FROM batches WHERE batch_id = ?1";
// The line of a destination is its open batches in the order they were made: rowid order, which
// batches_state (destination, state) keeps within each key, so the head is one index seek.
inline constexpr const char* kHeadBatch =
    "SELECT " LIITOS_BATCH_COLS " FROM batches WHERE destination = ?1 AND state = 'open' ORDER BY rowid LIMIT 1";
// Whether a batch made after batch ?2 has been delivered to its destination ?1 (one index seek).
inline constexpr const char* kDeliveredAfter =
    "SELECT 1 FROM batches WHERE destination = ?1 AND state = 'delivered' AND rowid > "
    "(SELECT rowid FROM batches WHERE batch_id = ?2) LIMIT 1";
inline constexpr const char* kRecordAttempt =
    "UPDATE batches SET attempts = attempts + 1, last_http_status = ?2, "
    "xroad_request_id = CASE WHEN ?3 = '' THEN xroad_request_id ELSE ?3 END, last_error = ?4, "
    "next_attempt_at = coalesce(?5, next_attempt_at) WHERE batch_id = ?1";
inline constexpr const char* kFinishBatch =
    "UPDATE batches SET state = ?2, final_at = ?3, "
    "xroad_request_id = CASE WHEN ?4 = '' THEN xroad_request_id ELSE ?4 END, "
    "last_error = CASE WHEN ?5 = '' THEN last_error ELSE ?5 END WHERE batch_id = ?1";
inline constexpr const char* kRequeueBatch =
    "UPDATE batches SET state = 'open', attempts = 0, next_attempt_at = '', final_at = NULL WHERE batch_id = ?1";
// liitos retry: the files of a requeued batch owe a new delivery receipt once it is final again.
inline constexpr const char* kReopenDeliveryReceipts =
    "UPDATE files SET delivery_receipt = 0, state = CASE WHEN state = 'done' THEN 'parsed' ELSE state END "
    "WHERE id IN (SELECT file_id FROM outbox WHERE batch_id = ?1)";
inline constexpr const char* kFailedBatchIds =
    "SELECT batch_id FROM batches WHERE state = 'failed' ORDER BY created_at, rowid";

// ---- status
// The count walks the index entries only (no row is read); the oldest is the first in line.
inline constexpr const char* kStatsPending =
    "SELECT count(*) FROM outbox WHERE destination = ?1 AND state = 'pending'";
inline constexpr const char* kStatsOldestPending =
    "SELECT created_at FROM outbox WHERE destination = ?1 AND state = 'pending' ORDER BY rowid LIMIT 1";
inline constexpr const char* kStatsBatches =
    "SELECT coalesce(sum(state = 'open'), 0), coalesce(sum(state = 'failed'), 0), "
    "coalesce(max(CASE WHEN state = 'delivered' THEN final_at END), ''), "
    "coalesce(min(CASE WHEN state = 'open' THEN CASE WHEN next_attempt_at = '' THEN created_at "
    "ELSE next_attempt_at END END), '') FROM batches WHERE destination = ?1";

// ---- verify
inline constexpr const char* kMaxOutboxEventSeq = "SELECT max(event_seq) FROM outbox";

}  // namespace liitos::sql
