#pragma once
// Intake: taking files from a source into the spool and the journal, then parsing them into the
// outbox (SPEC §2 G1–G3, §3). The order is what G1 rests on:
//   Fetch into the spool (fsync'd) -> FILE_RECEIVED committed -> parse -> records (or the
//   quarantine) committed -> the original archived/deleted (or moved to error/) -> intake receipt
//   -> spool copy removed.
// A crash at any point resumes from the journal and the spool (ResumeSpooled); an original that
// was still in the drop is recognised by name and SHA-256 when it is offered again, and only
// taken out of the drop, never recorded twice.

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "daemon/metrics.h"
#include "daemon/receipts_out.h"
#include "daemon/spool_pool.h"
#include "journal/journal.h"
#include "transports/source.h"

namespace liitos {

class Intake {
 public:
  // `metrics` may be null; it must outlive the Intake.
  Intake(const Config& cfg, Journal& journal, Clock& clock, Metrics* metrics);

  // Takes a round of candidates from one source: all FILE_RECEIVED in one transaction, then the
  // originals released, then every file parsed (one transaction), then receipts. Returns how
  // many files were taken or quarantined.
  size_t TakeRound(Source& src, const std::vector<Candidate>& candidates);

  // After a restart: files journaled as received but not parsed are parsed from the spool;
  // parsed files without an intake receipt get it; spool files the journal does not know are
  // removed (their originals are still in the drop).
  void ResumeSpooled(const std::vector<Source*>& sources);

 private:
  struct Taken {
    const Candidate* cand;
    int64_t file_id;  // 0 when the same name and content was received before
    std::string spool_path;
    std::optional<FileRow> earlier;
    std::string quarantine_reason;  // set when the content was refused
  };
  void QuarantineRefused(Source& src, const Candidate& c);
  // Parses a received file and records its records (or its quarantine) in the journal. Sets
  // *quarantine_reason when the file is refused as a whole; returns the intake receipt's rows.
  std::vector<IntakeRow> ParseAndRecord(Source& src, const FileRow& file, std::string* quarantine_reason);
  // Takes the original out of the drop once the journal has the file's outcome.
  void Settle(Source& src, const Taken& t);
  void WriteIntakeReceipt(Source& src, int64_t file_id, const std::vector<IntakeRow>& rows);
  std::string SpoolDir(const std::string& source) const;

  const Config& cfg_;
  Journal& journal_;
  Clock& clock_;
  ReceiptWriter receipts_;
  Metrics* metrics_;
  SpoolPool spool_pool_;
};

}  // namespace liitos
