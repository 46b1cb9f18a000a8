#pragma once
// The transfer journal and the outbox (SPEC §7, issue 3): one SQLite database (WAL) at
// {state_dir}/journal.db. Events are append-only and hash-chained; the outbox of status updates
// lives in the same database so that a state change and its event commit together or not at all.
//
// Thread-safety: every method may be called from any thread; calls are serialized by an internal
// mutex. Each mutating call is one transaction, unless the caller holds a Journal::Batch, in
// which case calls join the batch's transaction (one fsync for many files when busy).
// Never pass a henkilötunnus, a password or a key in any event field or detail (G6); payloads
// (outbox) may carry one and are deleted after delivery + payload_retention.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/time/clock.h"
#include "base/status.h"

namespace liitos {

// Event kinds (SPEC §7).
namespace ev {
inline constexpr const char* kDaemonStarted = "DAEMON_STARTED";
inline constexpr const char* kDaemonStopped = "DAEMON_STOPPED";
inline constexpr const char* kConfigLoaded = "CONFIG_LOADED";
inline constexpr const char* kConfigRefused = "CONFIG_REFUSED";
inline constexpr const char* kFileReceived = "FILE_RECEIVED";
inline constexpr const char* kFileQuarantined = "FILE_QUARANTINED";
inline constexpr const char* kRecordAccepted = "RECORD_ACCEPTED";
inline constexpr const char* kRecordDuplicate = "RECORD_DUPLICATE";
inline constexpr const char* kRecordRejected = "RECORD_REJECTED";
inline constexpr const char* kBatchCreated = "BATCH_CREATED";
inline constexpr const char* kBatchAttempt = "BATCH_ATTEMPT";
inline constexpr const char* kBatchDelivered = "BATCH_DELIVERED";
inline constexpr const char* kBatchFailed = "BATCH_FAILED";
inline constexpr const char* kBatchRequeued = "BATCH_REQUEUED";
// An item of a batch that a later delivered update of the same case overtook: never sent (G7).
inline constexpr const char* kItemSuperseded = "ITEM_SUPERSEDED";
// A batch all of whose items were superseded: final without a send.
inline constexpr const char* kBatchSuperseded = "BATCH_SUPERSEDED";
inline constexpr const char* kItemRejectedByReceiver = "ITEM_REJECTED_BY_RECEIVER";
inline constexpr const char* kReceiptWritten = "RECEIPT_WRITTEN";
inline constexpr const char* kHostkeyRefused = "HOSTKEY_REFUSED";
inline constexpr const char* kFileStuck = "FILE_STUCK";
}  // namespace ev

// Event kinds of the feeds (SPEC §11). Their lv_case_id column holds the application's external
// id (so `journal trace <externalId>` and `journal list --case` find them), `source`, `file` and
// `record` the order file and its line, `destination` the feed's output.
namespace ev {
inline constexpr const char* kFetchOrdered = "FETCH_ORDERED";
inline constexpr const char* kFetchAttempt = "FETCH_ATTEMPT";
inline constexpr const char* kApplicationFetched = "APPLICATION_FETCHED";
inline constexpr const char* kFetchFailed = "FETCH_FAILED";
inline constexpr const char* kImportWritten = "IMPORT_WRITTEN";
inline constexpr const char* kImportUnchanged = "IMPORT_UNCHANGED";
}  // namespace ev

// An event to append. Empty strings / nullopt mean "does not concern".
struct NewEvent {
  std::string kind;
  std::string source, file, file_sha256;
  std::optional<int64_t> record;
  std::string message_id, batch_id, destination, lv_case_id;
  std::string detail_json = "{}";  // a small JSON object
};

struct Event : NewEvent {
  int64_t seq = 0;
  std::string time;  // UTC, "2026-11-20T12:05:00.123Z"
  std::string prev_hash, hash;
};

// A file taken from a source.
struct FileRow {
  int64_t id = 0;
  // `name` is the real name, bytes as in the drop (the journal records it as SafeText and keeps
  // the real one sealed: base/crypto/name_vault.h); show it only through SafeText.
  std::string source, name, sha256, spool_path;
  uint64_t size = 0;
  std::string received_at;
  // "received" (spooled, not yet parsed) | "parsed" | "quarantined" | "done" (all receipts written)
  std::string state;
  bool intake_receipt_written = false;
  bool delivery_receipt_written = false;
  // Its receipts are named after NumberedName(name, receipt_seq) (`export.1.csv.receipt.csv`):
  // the first n whose name no other file of the source has taken for its receipts, so that a name
  // dropped again (or a real `export.1.csv`) never overwrites another file's receipts (SPEC §3).
  int receipt_seq = 0;
};

// One record's outcome after mapping, handed to RecordFileParsed.
struct RecordOutcomeIn {
  int64_t record = 0;
  std::string lv_case_id;
  std::string message_id;   // accepted only
  std::string payload;      // accepted only: the status update JSON
  std::string destination;  // accepted only
  bool accepted = false;
  std::string field, reason;  // rejected only (reason already free of personal data)
};

// What the intake receipt says of a record.
struct IntakeRow {
  int64_t record = 0;
  std::string lv_case_id, message_id;
  std::string outcome;  // "accepted" | "duplicate" | "rejected"
  std::string reason;
};

// What the delivery receipt says of a record (only once every accepted record of the file is final).
struct DeliveryRow {
  int64_t record = 0;
  std::string lv_case_id, message_id;
  std::string outcome;  // "delivered" | "rejected" | "failed" | "superseded"
  std::string batch_id, at, reason, xroad_request_id;
};

struct BatchRow {
  std::string batch_id, destination;
  std::string state;  // "open" (to send or retry) | "delivered" | "failed" | "superseded"
  int attempts = 0;
  std::string created_at;       // UTC ms
  std::string next_attempt_at;  // UTC ms; empty = now
  std::string last_error, xroad_request_id;
  std::vector<std::string> message_ids;  // oldest first; superseded items left out
  std::vector<std::string> payloads;     // same order; the update JSON
};

// Per-item result of a delivery attempt that reached the receiver.
struct ItemResultIn {
  std::string message_id;
  bool delivered = false;  // accepted/duplicate at the receiver
  std::string error_code, error_message;  // when rejected by the receiver
};

struct DestinationStats {
  std::string destination;
  int64_t pending = 0;              // in the outbox, not yet in a batch
  std::string oldest_pending_at;    // UTC ms or empty
  int64_t open_batches = 0;         // created, not final (waiting for retry or first attempt)
  int64_t failed_batches = 0;
  std::string last_delivery_at;     // UTC ms or empty
  std::string next_attempt_at;      // earliest next attempt of an open batch
};

// ---- feeds (SPEC §11): the lines of fetch orders and the applications they bring in.

// One line of an order file, as formats/import read it.
struct OrderLineIn {
  int64_t line = 0;
  std::string external_id;  // empty when rejected
  std::string reason;       // why the line is rejected (free of personal data)
};

// A pending order, with what its events name.
struct FetchOrder {
  int64_t id = 0;
  std::string feed;
  int64_t file_id = 0, line = 0;
  std::string external_id;
  std::vector<std::pair<std::string, std::string>> xroad_ids;  // part -> X-Road-Id, kept for retries
  int attempts = 0;
  std::string created_at, first_failed_at, next_attempt_at;
  std::string fault;  // "" (not tried yet) | "retry" | "config"
  std::string last_error;
  std::string source, file, file_sha256;  // the order file (its name as recorded)
};

// A part as fetched: for APPLICATION_FETCHED and to tell whether an application changed.
struct PartDigest {
  std::string part;
  uint64_t size = 0;
  std::string sha256;
};

// What the receipt of an order says of a line, once every line is final.
struct OrderOutcome {
  int64_t line = 0;
  std::string external_id;
  std::string outcome;  // fetched | unchanged | not-found | rejected | failed
  std::string import_file, at, reason;
};

struct FeedStats {
  std::string feed;
  int64_t pending = 0;        // orders not final yet (the two below included)
  int64_t retrying = 0;       // pending after a passing failure (408, 429, 5xx, network, …)
  int64_t config_faults = 0;  // pending after 401/403 or an unusable TLS file: fixed outside liitos
  int64_t fetched = 0, unchanged = 0, not_found = 0, rejected = 0, failed = 0;
  std::string oldest_pending_at;  // UTC ms or empty
  std::string last_final_at;      // UTC ms or empty
};

class Journal {
 public:
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  virtual ~Journal() = default;

  // Opens (creating and migrating when `read_only` is false) the journal at `path`.
  // Read-only opens never write and work while the service runs.
  static Result<std::unique_ptr<Journal>> Open(const std::string& path, Clock& clock, bool read_only = false);

  // Groups the mutating calls made while it lives into one transaction (committed at destruction
  // or Commit()). Nesting is allowed; only the outermost commits. A call that fails inside a
  // Batch is undone alone (savepoint); the others still commit. While a Batch lives, calls from
  // other threads wait for it to end (the journal's mutex is held by the Batch's thread).
  //
  // kAllOrNothing (outermost batch only) runs the calls without savepoints: a call that fails
  // then spoils the whole batch, and Commit() rolls everything back and fails. A savepoint copies
  // every page a call touches before it changes it; for a burst of small files that copying was
  // a fifth of the journal's CPU. Callers retry call by call when such a batch fails.
  //
  // kAllOrNothingUnsynced is kAllOrNothing whose commit waits for no fsync of its own (WAL with
  // synchronous=NORMAL for that one transaction). A crash of the process loses nothing; a crash of
  // the machine may lose it, but never without every commit after it: the next synced commit
  // (or checkpoint) syncs the log up to itself. Only for records whose loss is repaired at start
  // (RECEIPT_WRITTEN: the receipts are then written again), or that are synced before anything
  // depends on them (below).
  //
  // A kAllOrNothingUnsynced commit is made durable when it must be by SyncCommitted(), which may
  // run on another thread: intake commits a round unsynced and its settler syncs before it takes
  // the round's originals out of the drop, while the journal thread goes on with the next round.
  enum class Mode { kSavepoints, kAllOrNothing, kAllOrNothingUnsynced };
  // Makes every transaction committed so far durable (an fdatasync of the write-ahead log, which
  // holds every commit not yet checkpointed; a checkpoint syncs the database itself). Takes no
  // lock and touches no SQLite state, so it may run on any thread while the journal is in use.
  virtual Status SyncCommitted() = 0;

  class Batch {
   public:
    explicit Batch(Journal& j, Mode mode = Mode::kSavepoints);
    ~Batch();
    Status Commit();
    // Undoes everything appended since the batch began (e.g. the files those events describe
    // could not be made durable).
    Status Rollback();
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
   private:
    Journal& j_;
    bool done_ = false;
    Status begin_status_;  // why the transaction could not begin (then calls run one by one)
  };

  // ---- events
  virtual Status Append(const NewEvent& e) = 0;

  // ---- files (the pipeline)
  // Records a file taken into the spool: a files row (state "received") and FILE_RECEIVED.
  // Returns the row as recorded.
  virtual Result<FileRow> RecordFileReceived(const std::string& source, const std::string& name,
                                             const std::string& sha256, uint64_t size,
                                             const std::string& spool_path) = 0;
  // The file as a whole was refused: FILE_QUARANTINED with the reason, state "quarantined".
  // `file_id` 0 for files refused before they were taken (symlinks, too large): then `name`,
  // `source` identify it and a files row is created.
  virtual Status RecordFileQuarantined(int64_t file_id, const std::string& source, const std::string& name,
                                       const std::string& reason) = 0;
  // Records every record of a parsed file in ONE transaction: accepted ones go into the outbox
  // (RECORD_ACCEPTED) unless their messageId is already there (RECORD_DUPLICATE), rejected ones
  // are RECORD_REJECTED. With `reject_file` nothing enters the outbox and every record that was
  // valid is reported as rejected with reason "file rejected: …". State becomes "parsed".
  // Returns the intake receipt's rows in record order.
  virtual Result<std::vector<IntakeRow>> RecordFileParsed(int64_t file_id, const std::vector<RecordOutcomeIn>& records,
                                                          bool reject_file) = 0;
  // The same for a file too large to hold its records at once: AppendRecords for each chunk in
  // record order (returns how many of the chunk were duplicates), then FinishParsed. Call them
  // inside one Journal::Batch (with FILE_RECEIVED) so that the file's records commit together or
  // not at all. `file_reason` is what valid records of a file rejected as a whole are told.
  virtual Result<int64_t> AppendRecords(int64_t file_id, const std::vector<RecordOutcomeIn>& chunk, bool reject_file,
                                        const std::string& file_reason) = 0;
  virtual Status FinishParsed(int64_t file_id) = 0;
  virtual Result<std::vector<FileRow>> FilesInState(const std::string& state) = 0;
  // The latest file of `source` with this name and content, if one was received before.
  virtual Result<std::optional<FileRow>> FindFile(const std::string& source, const std::string& name,
                                                  const std::string& sha256) = 0;
  virtual Result<FileRow> GetFile(int64_t file_id) = 0;
  // The receipt_seq (FileRow) that the next file of this name from `source` would get, for the
  // receipt of a file not yet recorded (a stuck file).
  virtual Result<int> NextReceiptSeq(const std::string& source, const std::string& name) = 0;
  // The intake rows again (to rewrite a receipt after a crash), read from the file's RECORD_* events;
  // a quarantined file's reason is a rejected row of record 0.
  virtual Result<std::vector<IntakeRow>> IntakeRows(int64_t file_id) = 0;
  // IntakeRows and the delivery rows one by one, in record order, for receipts of any size
  // (FilesAwaitingDeliveryReceipt tells when every delivery row is final). `fn` must not call
  // back into the journal.
  virtual Status ForEachIntakeRow(int64_t file_id, const std::function<void(const IntakeRow&)>& fn) = 0;
  virtual Status ForEachDeliveryRow(int64_t file_id, const std::function<void(const DeliveryRow&)>& fn) = 0;
  // RECEIPT_WRITTEN; kind "intake" or "delivery". When both are written the file becomes "done".
  virtual Status RecordReceiptWritten(int64_t file_id, const std::string& kind, const std::string& receipt_name) = 0;
  // Files whose delivery receipt is due (all final, not yet written).
  virtual Result<std::vector<FileRow>> FilesAwaitingDeliveryReceipt() = 0;

  // ---- batches (the scheduler)
  // Takes up to `max_items` pending updates for `destination`, oldest first, into a new batch
  // with a fresh v4 batchId (BATCH_CREATED). nullopt when nothing is pending. Reads and writes
  // only those items (an index range), whatever the backlog behind them.
  virtual Result<std::optional<BatchRow>> CreateBatch(const std::string& destination, int max_items) = 0;
  virtual Result<std::optional<BatchRow>> GetBatch(const std::string& batch_id) = 0;
  // BATCH_ATTEMPT with the outcome of one attempt. When `next_attempt` is set the batch stays
  // open for a retry then; the http status / request id / error are stored on the batch.
  virtual Status RecordAttempt(const std::string& batch_id, int http_status, const std::string& request_id,
                               const std::string& error, std::optional<SysTime> next_attempt) = 0;
  // BATCH_DELIVERED: each item final (delivered, or ITEM_REJECTED_BY_RECEIVER). Items missing
  // from `items` count as delivered (file destinations answer for the batch as a whole).
  virtual Status MarkBatchDelivered(const std::string& batch_id, const std::string& request_id,
                                    const std::vector<ItemResultIn>& items) = 0;
  // BATCH_FAILED: the batch and its items are final "failed" (until RequeueBatch).
  virtual Status MarkBatchFailed(const std::string& batch_id, const std::string& reason) = 0;
  // liitos retry: a failed batch goes back to "open" with the same batchId (BATCH_REQUEUED), and
  // to its place in the line (see HeadBatch). Its items that a later delivered update of the same
  // case has overtaken are superseded instead (see HeadBatch); when none is left to send, the
  // batch is final at once, without a send (BATCH_SUPERSEDED).
  virtual Status RequeueBatch(const std::string& batch_id) = 0;
  virtual Result<std::vector<std::string>> FailedBatchIds() = 0;

  // ---- the line of a destination (SPEC §5.6 "Order", G7)
  // A destination's open batches form a line in the order they were made; the scheduler sends
  // only its head, and only once the head is final does the next one go. A batch requeued by
  // `liitos retry` keeps its place, which puts it at the head, ahead of every batch made after
  // it: an older update of a case never follows a newer one that is still to be sent.
  //
  // The head of the line, with the items still to send (oldest first); nullopt when no batch of
  // `destination` is open. When a batch made after the head has already been delivered (the
  // head was requeued, or an older version let the line be overtaken), the head's items that a
  // later delivered update of the same case (same destination and lvCaseId, accepted later into
  // the outbox) has overtaken are first made final "superseded": ITEM_SUPERSEDED with the
  // messageId, batchId, lvCaseId and the overtaking messageId; their delivery receipt says
  // "superseded". A head left with nothing to send becomes final (BATCH_SUPERSEDED) and the next
  // batch is looked at. Loads one batch: memory O(max_batch_items), whatever the line's length.
  virtual Result<std::optional<BatchRow>> HeadBatch(const std::string& destination) = 0;

  // ---- status, housekeeping
  virtual Result<std::vector<DestinationStats>> Stats(const std::vector<std::string>& destinations) = 0;
  // Files received since `since` in `state` ("" = any state) from `source` ("" = every source).
  virtual Result<int64_t> CountFiles(const std::string& source, const std::string& state, SysTime since) = 0;
  // Deletes payloads of delivered items delivered before `older_than`. Events are kept.
  virtual Result<int64_t> PurgePayloads(SysTime older_than) = 0;

  // ---- feeds (SPEC §11)
  // The lines of an order file taken into the spool (state "received" -> "parsed"), in one
  // transaction: FETCH_ORDERED for each id (with one new X-Road-Id per part of `parts`), and for a
  // rejected line FETCH_FAILED with outcome "rejected" and its reason (final at once).
  virtual Status RecordOrders(int64_t file_id, const std::string& feed, const std::string& output,
                              const std::vector<OrderLineIn>& lines, const std::vector<std::string>& parts) = 0;
  // Pending orders of `feed` after `after_id`, oldest first, at most `limit`: those due at `now`;
  // with `config_faults` also those waiting after a configuration fault; with `all` every one.
  virtual Result<std::vector<FetchOrder>> DueOrders(const std::string& feed, SysTime now, bool config_faults, bool all,
                                                    int64_t after_id, int limit) = 0;
  // The earliest next attempt of a pending order of `feed` (UTC ms), or "" when none waits.
  virtual Result<std::string> NextOrderAttempt(const std::string& feed) = 0;
  // What was last written of an application: {digest, import file}; nullopt when never.
  virtual Result<std::optional<std::pair<std::string, std::string>>> ApplicationDigest(
      const std::string& feed, const std::string& external_id) = 0;
  // An attempt that did not end the order: FETCH_ATTEMPT with `attempt_detail` (a JSON object);
  // `fault` "retry" (tried again at `next_attempt`) or "config" (at `next_attempt`, and at every
  // start of the service).
  virtual Status RecordFetchAttempt(const FetchOrder& order, const std::string& output, const std::string& attempt_detail,
                                    const std::string& fault, const std::string& error, SysTime next_attempt) = 0;
  // Fetched, in one transaction: FETCH_ATTEMPT, APPLICATION_FETCHED (each part's size and SHA-256),
  // then IMPORT_WRITTEN (`written`; `digest` and `import_file` remembered for the next time) or
  // IMPORT_UNCHANGED. The order ends "fetched" or "unchanged".
  virtual Status RecordFetched(const FetchOrder& order, const std::string& output, const std::string& attempt_detail,
                               const std::vector<PartDigest>& parts, const std::string& digest,
                               const std::string& import_file, const std::string& import_sha256, bool written) = 0;
  // Final without an import file: FETCH_ATTEMPT (unless `attempt_detail` is empty), then
  // APPLICATION_FETCHED when `parts` is not empty (fetched, but the file could not be made), then
  // FETCH_FAILED with `outcome` (not-found | rejected | failed) and `reason`.
  virtual Status RecordFetchFailed(const FetchOrder& order, const std::string& output, const std::string& attempt_detail,
                                   const std::vector<PartDigest>& parts, const std::string& outcome,
                                   const std::string& reason) = 0;
  // Order files of `source` whose every line is final and whose receipt is not yet written.
  virtual Result<std::vector<FileRow>> OrderFilesAwaitingReceipt(const std::string& source) = 0;
  // Every line of an order file, in line order.
  virtual Result<std::vector<OrderOutcome>> OrderOutcomes(int64_t file_id) = 0;
  // RECEIPT_WRITTEN (kind "fetch"); the order file becomes "done".
  virtual Status RecordOrderReceiptWritten(int64_t file_id, const std::string& receipt_name) = 0;
  virtual Result<FeedStats> FeedStatsOf(const std::string& feed) = 0;

 protected:
  Journal() = default;
  virtual Status BeginBatch(Mode mode) = 0;
  virtual Status EndBatch(bool commit) = 0;
};

using JournalPtr = std::unique_ptr<Journal>;

// The name key (base/crypto/name_vault.h) of the journal at `journal_path`: `name.key` beside it.
std::string NameKeyPath(const std::string& journal_path);

}  // namespace liitos
