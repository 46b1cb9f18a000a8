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
// journal work in one transaction. A round goes through four steps, on base/pipeline.h's
// pipeline (intake_round.cpp):
//   Fetch          copies into the spool, synced; small files' records converted
//   JournalRound   larger files converted; FILE_RECEIVED and the records committed (unsynced)
//   Settle         the journal synced; originals out of the drop; receipts written and synced
//   RecordReceipts RECEIPT_WRITTEN committed
// For a source that lets Fetch run beside Release (Source::Overlaps: a dir source) the steps run
// threaded: fetching and settling each on a thread of their own, the journal steps on the
// calling thread, at most kRoundsInFlight rounds at once. Otherwise (SFTP: its session may call
// back into the journal) they run one round after the other on the calling thread; both modes
// give the same journal, receipts and drop (tests/daemon/intake_test.cpp).
//
// One route for a file: Candidate -> Item (spool copy, sha256) -> Converted (records as the
// journal takes them) -> Recorded (the receipt's rows, committed) -> receipt. A crash at any
// point is resumed from the journal and the spool (intake_resume.cpp).

#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "base/fs.h"
#include "config/config.h"
#include "daemon/metrics.h"
#include "daemon/intake/receipts_out.h"
#include "daemon/intake/spool_pool.h"
#include "daemon/intake/stuck_files.h"
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
  // Up to three rounds are in flight, and the fetch step converts a round's files ahead of the
  // journal until the round holds kAheadRecords records; the journal step converts the rest one
  // file at a time and lets each file's records go once they are in the transaction. So memory
  // is bounded by records, not by how small the rows are (SPEC §10: under 100 MB in all). A
  // converted record with its payload is about 0.7 KB.
  static constexpr uint64_t kRoundBytes = 1u << 20;
  static constexpr size_t kAheadRecords = 8192;
  // Files up to this size are converted by the fetch step as soon as they are fetched. A larger file
  // is a round of its own and is streamed: its records go into the journal chunk by chunk inside
  // the file's one transaction, and its receipts are written from the journal (intake_stream.cpp),
  // so that memory does not grow with a file's size.
  static constexpr uint64_t kConvertAheadBytes = 256u << 10;
  static constexpr size_t kStreamChunk = 1024;

  // A file's records (or its quarantine) as committed to the journal: what its intake receipt
  // says.
  struct Recorded {
    // The receipt's rows. For a streamed file only those that come before the journal's rows
    // (the record-0 row of a file rejected as a whole): the rest are read from the journal.
    std::vector<IntakeRow> rows;
    bool streamed = false;
    std::string quarantine_reason;  // set when the file was refused as a whole
    std::string summary;            // "10 records: 10 accepted, …", for the file's settle line
  };
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
    Recorded rec;
    std::string receipt_name;  // empty when the source writes no receipts
  };
  // One file of a round on its way through the steps.
  struct Item {
    const Candidate* cand = nullptr;
    std::string spool_path;
    bool fetched = false;
    std::string sha256;
    uint64_t size = 0;
    // Why the file could not be fetched (not a passing change): reported as stuck when settling.
    std::string fetch_failure;
    Converted converted;
    bool conversion_done = false;  // `converted` is set (ahead by the fetch step, or by the journal step)
    JournalOutcome out;  // set by the journal step (reset whole when a round is recorded again)
    bool settled = false;  // out of the drop (archived, deleted or quarantined)
    bool receipt_written = false;
  };
  // A round: one item of the pipeline (its slots are reused, round after round).
  struct Round {
    std::vector<Item> items;
    bool spool_synced = false;
    bool receipts_synced = false;
  };
  // Rounds in the pipeline at once: fetching runs at most this many rounds ahead of the last
  // step, so that at most this many rounds of converted records wait for the journal
  // (kRoundBytes).
  static constexpr size_t kRoundsInFlight = 3;

  // intake_round.cpp: the rounds and their steps. Fetch and Settle touch only the Source, the
  // spool and pure conversion and rendering; JournalRound and RecordReceipts only the journal
  // and pure conversion.
  std::vector<std::vector<const Candidate*>> PlanRounds(const std::vector<const Candidate*>& todo) const;
  // Takes the planned rounds through the four steps; returns how many files were taken.
  size_t RunRounds(Source& src, const std::vector<std::vector<const Candidate*>>& plan);
  void Fetch(Source& src, Round& r);
  void FetchItem(Source& src, Item& item, SyncBatch& sync);
  void JournalRound(Source& src, Round& r);
  void Settle(Source& src, Round& r);
  void SettleItem(Source& src, Item& item, SyncBatch& sync);
  void WriteReceipt(Source& src, Item& item, SyncBatch& sync);
  void RecordReceipts(Round& r);
  // FILE_RECEIVED and the records of one file (or that it was received before). False when the
  // journal refused a call.
  bool JournalItem(const SourceConfig& scfg, Item& item);
  // The same for a file too large to convert at once (intake_stream.cpp): its own transaction,
  // records in chunks. A stop abandons it (rolled back: the original stays in the drop and is
  // taken again, whole, after a restart).
  void JournalStreamed(const SourceConfig& scfg, Item& item);
  // What streaming a file into the journal came to (StreamRecords).
  struct StreamedFile {
    enum class End { kRecorded, kFileError, kAbandoned, kFailed } end = End::kFailed;
    FileRow file;            // kRecorded: as recorded
    Recorded rec;            // kRecorded
    std::string file_error;  // kFileError: why the reader refused the file (nothing kept of it)
  };
  // The core of JournalStreamed, shared with the resume: the records of the spool copy in one
  // transaction, a chunk at a time. `received`: the file's row when its FILE_RECEIVED is committed
  // already (a resume); otherwise FILE_RECEIVED goes into the same transaction.
  StreamedFile StreamRecords(const SourceConfig& scfg, const std::string& name, const std::string& sha256,
                             uint64_t size, const std::string& spool_path, const FileRow* received);
  // True when the file is streamed rather than converted at once.
  static bool Streamed(const Item& item) { return item.size > kConvertAheadBytes; }

  // intake.cpp: conversion and recording, shared by the rounds and the resume.
  Converted Convert(const SourceConfig& scfg, const std::string& spool_path, const std::string& name) const;
  // Converts a fetched item into item.converted (pure: any thread may call it).
  void ConvertItem(const SourceConfig& scfg, Item& item) const;
  // Records a converted file's records (or its quarantine) in the journal, under `file` (in state
  // "received"). An error when the journal refused them: the file stays "received".
  Result<Recorded> Record(const SourceConfig& scfg, const FileRow& file, const Converted& conv);

  // intake_resume.cpp
  // A file received but not parsed before a crash: parsed from its spool copy, settled and
  // receipted. False when its spool copy is kept for the next start.
  bool ResumeReceived(Source& src, const FileRow& f);
  // Removes the spool files of `src` the journal does not know (not in `known`).
  void RemoveUnjournaled(Source& src, const std::set<std::string>& known);

  // True when the refused file left the drop (into quarantine).
  bool QuarantineRefused(Source& src, const Candidate& c);
  // A file that cannot be taken now (SPEC §3): the first time for a cause, FILE_STUCK, one
  // warning and (`receipt`: for a file not yet recorded, whose own receipt would replace it) an
  // intake receipt saying so; later tries stay quiet.
  void ReportStuck(Source& src, const std::string& name, const std::string& cause, bool receipt = true);
  void WriteIntakeReceipt(Source& src, int64_t file_id, const std::vector<IntakeRow>& rows);
  // The intake receipt of a streamed file (its rows read from the journal), synced and journaled.
  void WriteStreamedIntakeReceipt(Source& src, const FileRow& file, const std::vector<IntakeRow>& head_rows);
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
