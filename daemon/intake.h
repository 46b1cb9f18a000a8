#pragma once
// Intake: taking files from a source into the spool and the journal, then parsing them into the
// outbox (SPEC §2 G1–G3, §3). The order is what G1 rests on:
//   Fetch into the spool (fsync'd) -> FILE_RECEIVED committed -> Release the original
//   -> parse -> records committed to the outbox -> intake receipt -> spool copy removed.
// A crash at any point resumes from the journal and the spool (ResumeSpooled).

#include <string>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "daemon/metrics.h"
#include "daemon/receipts_out.h"
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
    int64_t file_id;
    std::string spool_path;
  };
  void QuarantineRefused(Source& src, const Candidate& c);
  // Parses a received file and records its records; returns the intake rows to write.
  void ParseAndRecord(Source& src, const FileRow& file, std::vector<IntakeRow>* rows, bool* quarantined);
  void WriteIntakeReceipt(Source& src, int64_t file_id, const std::vector<IntakeRow>& rows);
  std::string SpoolDir(const std::string& source) const;

  const Config& cfg_;
  Journal& journal_;
  Clock& clock_;
  ReceiptWriter receipts_;
  Metrics* metrics_;
};

}  // namespace liitos
