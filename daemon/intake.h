#pragma once
// Intake: taking files from a source into the spool and the journal, then parsing them into the
// outbox (SPEC §2 G1–G3, §3). The order is what G1 rests on, for every file:
//   Fetch into the spool (synced) -> FILE_RECEIVED and the records (or the quarantine) committed
//   and synced -> the original archived/deleted (or moved to error/) -> intake receipt (synced) ->
//   RECEIPT_WRITTEN committed. The spool copy is dropped once the original has left the drop.
// A crash at any point resumes from the journal and the spool (ResumeSpooled); an original that
// was still in the drop is recognised by name and SHA-256 when it is offered again, and only
// taken out of the drop, never recorded twice.
//
// Files are taken in rounds (at most kRoundFiles files or kRoundBytes bytes), each round's
// journal work in one transaction. For a dir source (Source::Overlaps) the rounds overlap on
// three threads: a fetcher copies rounds into the spool and converts their small files (at most
// two rounds ahead of the journal); a settler, once a round is journaled, archives its originals
// and renders and writes its receipts; the calling thread converts the larger files, journals
// each fetched round and records RECEIPT_WRITTEN once its receipts are synced. The fetcher and
// the settler only touch the Source, the spool and pure conversion and rendering; the calling
// thread only the journal and pure conversion; each waits only for the round it needs next
// (intake_round.cpp). An SFTP source's rounds run one after the other on the calling thread (its
// session may call back into the journal).

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "daemon/metrics.h"
#include "daemon/receipts_out.h"
#include "daemon/spool_pool.h"
#include "daemon/stuck_files.h"
#include "formats/mapping.h"
#include "journal/journal.h"
#include "transports/source.h"

namespace liitos {

// A mapped record as the journal takes it (RecordFileParsed, AppendRecords): an accepted one
// with its messageId, payload and destination, a rejected one with its field and reason.
RecordOutcomeIn ToRecordOutcome(const SourceConfig& scfg, const MappedRecord& m);

class Intake {
 public:
  static constexpr size_t kRoundFiles = 200;
  // A round's converted records are held until it is journaled, and up to three rounds are in
  // flight: 4 MiB of exports is some 30 MiB of records (SPEC §10: under 100 MB in all).
  static constexpr uint64_t kRoundBytes = 4u << 20;
  // Files up to this size are converted by the fetcher as soon as they are fetched. A larger file
  // is a round of its own and is streamed: its records go into the journal chunk by chunk inside
  // the file's one transaction, and its receipts are written from the journal (intake_stream.cpp),
  // so that memory does not grow with a file's size.
  static constexpr uint64_t kConvertAheadBytes = 1u << 20;
  static constexpr size_t kStreamChunk = 1024;

  // `metrics` may be null; it must outlive the Intake.
  Intake(const Config& cfg, Journal& journal, Clock& clock, Metrics* metrics);

  // Takes every candidate (in order), round by round. When `stop` becomes true no further round
  // is fetched; the rounds already fetched are finished. Returns how many files were taken or
  // quarantined.
  size_t Take(Source& src, const std::vector<Candidate>& candidates, const std::atomic<bool>* stop = nullptr);

  // After a restart: files journaled as received but not parsed are parsed from the spool;
  // parsed files without an intake receipt get it; spool files the journal does not know are
  // removed (their originals are still in the drop); receipts staged in spool/.receipts and the
  // sources' temporaries (Source::RemoveTemporaries), left by a write that a crash cut short, are
  // removed first.
  void ResumeSpooled(const std::vector<Source*>& sources);

  // Files that could not be taken and wait for their next try (SPEC §3): `run --once` exits 1
  // while any is left.
  size_t StuckCount() const { return stuck_.Count(); }

 private:
  // A file's records, converted but not yet journaled.
  struct Converted {
    std::optional<std::string> file_error;  // refused as a whole (its reason)
    std::vector<RecordOutcomeIn> records;
    bool rejected_as_whole = false;
    size_t accepted = 0, rejected = 0;
  };
  // What the journal step made of one file.
  struct JournalOutcome {
    int64_t file_id = 0;  // 0 when not journaled, or received before (`earlier`)
    std::optional<FileRow> earlier;
    FileRow file;
    bool recorded = false;  // its outcome is committed: the original may leave the drop
    std::string quarantine_reason;
    std::vector<IntakeRow> rows;
    std::string summary;  // "10 records: 10 accepted, …", logged with the file's settle line
    std::string receipt_name;  // empty when the source writes no receipts
    // A streamed file: `rows` stays empty, its receipt is written from the journal after
    // `head_rows` (the record-0 row of a file rejected as a whole).
    bool streamed = false;
    std::vector<IntakeRow> head_rows;
  };
  // One file of a round on its way through the steps.
  struct Item {
    const Candidate* cand = nullptr;
    std::string spool_path;
    bool fetched = false;
    std::string sha256;
    uint64_t size = 0;
    Converted converted;
    bool conversion_done = false;  // `converted` is set (by the fetcher for small files)
    JournalOutcome out;  // set by the journal step (reset whole when a round is recorded again)
    // Why the file could not be fetched (not a passing change): reported as stuck by the settler.
    std::string fetch_failure;
    // Set by the settle step.
    bool settled = false;  // out of the drop (archived, deleted or quarantined)
    bool receipt_written = false;
  };
  struct Round {
    std::vector<Item> items;
    bool spool_synced = false;
    bool receipts_synced = false;
  };

  // Worker side (file system and Source only).
  void Fetch(Source& src, Round& r);
  void SettleAndWriteReceipts(Source& src, Round& r);
  void Settle(Source& src, Item& item);
  Converted Convert(const SourceConfig& scfg, const std::string& spool_path, const std::string& name) const;
  // Converts a fetched item into item.converted (pure: either thread may call it).
  void ConvertItem(const SourceConfig& scfg, Item& item) const;
  // Journal side.
  void JournalRound(Source& src, Round& r);
  // FILE_RECEIVED and the records of one file (or that it was received before). False when the
  // journal refused a call.
  bool JournalItem(const SourceConfig& scfg, Item& item);
  // The same for a file too large to convert at once (intake_stream.cpp): its own transaction,
  // records in chunks. A stop abandons it (rolled back: the original stays in the drop and is
  // taken again, whole, after a restart).
  void JournalStreamed(const SourceConfig& scfg, Item& item);
  // True when the file is streamed rather than converted at once.
  static bool Streamed(const Item& item) { return item.size > kConvertAheadBytes; }
  void RecordReceipts(Round& r);
  // Records a converted file's records (or its quarantine). Returns the intake receipt's rows;
  // *ok is false when the journal refused the records (the file stays "received").
  // *summary (when given) receives the counts for the log line, when the records were recorded.
  std::vector<IntakeRow> Record(const SourceConfig& scfg, const FileRow& file, const Converted& conv,
                                std::string* quarantine_reason, bool* ok, std::string* summary = nullptr);

  // True when the refused file left the drop (into quarantine).
  bool QuarantineRefused(Source& src, const Candidate& c);
  // A file that cannot be taken now (SPEC §3): the first time for a cause, FILE_STUCK, one
  // warning and (`receipt`: for a file not yet recorded, whose own receipt would replace it) an
  // intake receipt saying so; later tries stay quiet.
  void ReportStuck(Source& src, const std::string& name, const std::string& cause, bool receipt = true);
  void WriteIntakeReceipt(Source& src, int64_t file_id, const std::vector<IntakeRow>& rows);
  std::string SpoolDir(const std::string& source) const;

  const Config& cfg_;
  Journal& journal_;
  Clock& clock_;
  ReceiptWriter receipts_;
  Metrics* metrics_;
  SpoolPool spool_pool_;  // fetcher and settler side only
  StuckFiles stuck_;
  const std::atomic<bool>* stop_ = nullptr;  // the stop flag of the Take in progress
};

}  // namespace liitos
