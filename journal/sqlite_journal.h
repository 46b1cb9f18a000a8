#pragma once
// The SQLite implementation of Journal (journal/journal.h). Split by concern:
//   sqlite_journal.cpp  open, migrations, transactions, Append and the hash chain
//   journal_files.cpp   the pipeline's file and record calls
//   journal_batches.cpp the scheduler's batch calls, the line of a destination (SPEC §5.6 Order)
//   journal_status.cpp  Stats, CountFiles, PurgePayloads
//   journal_feeds.cpp   the feeds' orders and applications (SPEC §11)

#include <atomic>
#include <functional>
#include <mutex>

#include "base/crypto/name_vault.h"
#include "journal/journal.h"
#include "journal/sqlite_db.h"

namespace liitos {

class SqliteJournal final : public Journal {
 public:
  // `vault` (may be null: a read-only open without access to the key) hides and finds real names.
  SqliteJournal(std::unique_ptr<Db> db, Clock& clock, NameVaultPtr vault);
  ~SqliteJournal() override;

  // Creates/migrates the schema (writable) or checks its version (read-only); loads the chain head.
  Status Init();
  // The write connection's PRAGMA synchronous (2 = FULL, 1 = NORMAL inside an unsynced batch).
  Result<int> Synchronous();

  Status Append(const NewEvent& e) override;

  Result<FileRow> RecordFileReceived(const std::string& source, const std::string& name, const std::string& sha256,
                                     uint64_t size, const std::string& spool_path) override;
  Status RecordFileQuarantined(int64_t file_id, const std::string& source, const std::string& name,
                               const std::string& reason) override;
  Result<std::vector<IntakeRow>> RecordFileParsed(int64_t file_id, const std::vector<RecordOutcomeIn>& records,
                                                  bool reject_file) override;
  Result<std::vector<FileRow>> FilesInState(const std::string& state) override;
  Result<std::optional<FileRow>> FindFile(const std::string& source, const std::string& name,
                                          const std::string& sha256) override;
  Result<FileRow> GetFile(int64_t file_id) override;
  Result<int> NextReceiptSeq(const std::string& source, const std::string& name) override;
  Result<std::vector<IntakeRow>> IntakeRows(int64_t file_id) override;
  Result<int64_t> AppendRecords(int64_t file_id, const std::vector<RecordOutcomeIn>& chunk, bool reject_file,
                                const std::string& file_reason) override;
  Status FinishParsed(int64_t file_id) override;
  Status ForEachIntakeRow(int64_t file_id, const std::function<void(const IntakeRow&)>& fn) override;
  Status ForEachDeliveryRow(int64_t file_id, const std::function<void(const DeliveryRow&)>& fn) override;
  Status RecordReceiptWritten(int64_t file_id, const std::string& kind, const std::string& receipt_name) override;
  Result<std::vector<FileRow>> FilesAwaitingDeliveryReceipt() override;

  Result<std::optional<BatchRow>> CreateBatch(const std::string& destination, int max_items) override;
  Result<std::optional<BatchRow>> GetBatch(const std::string& batch_id) override;
  Status RecordAttempt(const std::string& batch_id, int http_status, const std::string& request_id,
                       const std::string& error, std::optional<SysTime> next_attempt) override;
  Status MarkBatchDelivered(const std::string& batch_id, const std::string& request_id,
                            const std::vector<ItemResultIn>& items) override;
  Status MarkBatchFailed(const std::string& batch_id, const std::string& reason) override;
  Status RequeueBatch(const std::string& batch_id) override;
  Result<std::vector<std::string>> FailedBatchIds() override;
  Result<std::optional<BatchRow>> HeadBatch(const std::string& destination) override;

  Result<std::vector<DestinationStats>> Stats(const std::vector<std::string>& destinations) override;
  Result<int64_t> CountFiles(const std::string& source, const std::string& state, SysTime since) override;
  Result<int64_t> PurgePayloads(SysTime older_than) override;

  Status SyncCommitted() override;

  // journal_feeds.cpp (SPEC §11)
  Status RecordOrders(int64_t file_id, const std::string& feed, const std::string& output,
                      const std::vector<OrderLineIn>& lines, const std::vector<std::string>& parts) override;
  Result<std::vector<FetchOrder>> DueOrders(const std::string& feed, SysTime now, bool config_faults, bool all,
                                            int64_t after_id, int limit) override;
  Result<std::string> NextOrderAttempt(const std::string& feed) override;
  Result<std::optional<std::pair<std::string, std::string>>> ApplicationDigest(const std::string& feed,
                                                                              const std::string& external_id) override;
  Status RecordFetchAttempt(const FetchOrder& order, const std::string& output, const std::string& attempt_detail,
                            const std::string& fault, const std::string& error, SysTime next_attempt) override;
  Status RecordFetched(const FetchOrder& order, const std::string& output, const std::string& attempt_detail,
                       const std::vector<PartDigest>& parts, const std::string& digest, const std::string& import_file,
                       const std::string& import_sha256, bool written) override;
  Status RecordFetchFailed(const FetchOrder& order, const std::string& output, const std::string& attempt_detail,
                           const std::vector<PartDigest>& parts, const std::string& outcome,
                           const std::string& reason) override;
  Result<std::vector<FileRow>> OrderFilesAwaitingReceipt(const std::string& source) override;
  Result<std::vector<OrderOutcome>> OrderOutcomes(int64_t file_id) override;
  Status RecordOrderReceiptWritten(int64_t file_id, const std::string& receipt_name) override;
  Result<FeedStats> FeedStatsOf(const std::string& feed) override;

 protected:
  Status BeginBatch(Mode mode) override;
  Status EndBatch(bool commit) override;

 private:
  // Runs `body` as one transaction (or a savepoint inside a Journal::Batch). On failure the
  // database and the in-memory chain head are as before the call.
  Status Write(const std::function<Status()>& body);
  // Appends within the current transaction; returns the new event's seq.
  Result<int64_t> AppendLocked(const NewEvent& e);
  // The chain's head record (schema v4): written in every transaction that appended events,
  // just before it commits, so that events cut off at the end are detected by verify.
  Status WriteHead();
  Status RestoreSync();  // back to synchronous=FULL after an unsynced batch
  std::string Now() const;
  Status Exec(const char* sql);
  // The batch's row, and with `items` its items but the superseded ones (oldest first).
  Result<std::optional<BatchRow>> LoadBatch(const std::string& batch_id, bool items = true);
  // Whether a batch of b's destination made after b has been delivered: only then can a later
  // update have overtaken one of b's (one index seek).
  Result<bool> DeliveredAfterLocked(const BatchRow& b);
  // Within a write: supersedes the items of open batch `b` that a later delivered update of the
  // same case has overtaken (ITEM_SUPERSEDED each); returns how many.
  Result<int64_t> SupersedeOvertakenLocked(const BatchRow& b);
  // Within a write: makes open batch `b`, left with nothing to send, final (BATCH_SUPERSEDED) when
  // it is so; returns whether it was.
  Result<bool> FinishIfEmptyLocked(const BatchRow& b);
  Result<std::optional<FileRow>> LoadFile(int64_t file_id);
  // A files row for a file taken (or refused) now: its name recorded as SafeText, with its HMAC
  // and (when they differ) the real name sealed; receipt_seq counts the earlier files of that name.
  // The records of a file in state "received" (RecordFileParsed, AppendRecords).
  Status AppendRecordsLocked(const FileRow& f, const std::vector<RecordOutcomeIn>& records, bool reject_file,
                             const std::string& file_reason, std::vector<IntakeRow>* rows, int64_t* duplicates);
  Result<FileRow> LoadReceived(int64_t file_id);
  // What finds a name in the journal without writing it down: its HMAC (SafeText without a key).
  std::string NameKey(const std::string& name) const;
  // The first n for which no file of `source` names its receipts NumberedName(name, n).
  Result<int> FreeReceiptSeq(const std::string& source, const std::string& name);
  Result<FileRow> InsertFile(const std::string& source, const std::string& name, const std::string& sha256,
                             uint64_t size, const std::string& spool_path, const char* state);

  std::unique_ptr<Db> db_;
  Clock& clock_;
  NameVaultPtr vault_;
  // For SyncCommitted() on any thread: the log as SQLite names it (symbolic links resolved), and
  // whether a sync ever failed. A failed fdatasync is reported once, to the descriptors open at
  // the time; a later one on a new descriptor may succeed without the lost pages ever reaching
  // the disk, so after one failure every later call fails too.
  std::string wal_path_;
  std::atomic<bool> sync_failed_{false};
  std::recursive_mutex mu_;
  int batch_depth_ = 0;
  bool batch_failed_ = false;
  bool batch_savepoints_ = true;  // the outermost batch's Mode
  bool batch_unsynced_ = false;   // the outermost batch runs with synchronous=NORMAL
  int64_t last_seq_ = 0;
  std::string last_hash_;
  // The chain head when the outermost transaction began, restored on rollback.
  int64_t txn_seq_ = 0;
  std::string txn_hash_;
};

// Reads a files row from a statement selecting LIITOS_FILE_COLS; the real name is unsealed when
// `vault` is given.
FileRow ReadFileRow(const Query& q, const NameVault* vault);

}  // namespace liitos
