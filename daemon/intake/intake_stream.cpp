// Intake of a file too large to hold its records at once (SPEC §10: memory does not grow with a
// file's size). The file is a round of its own; its FILE_RECEIVED and records go into the journal
// in one transaction, kStreamChunk records per call, so that G1 and the all-or-nothing of
// on_invalid_record = "reject-file" hold exactly as for a small file:
//   - a reject-file profile's first invalid record ends the inserting; the reading goes on only to
//     count, the transaction is rolled back, and a second pass records every record rejected;
//   - a file the reader refuses half-way is rolled back and recorded as quarantined;
//   - a stop (SIGTERM) abandons the file: rolled back, its original stays in the drop.
#include <fmt/format.h>

#include "base/logging.h"
#include "base/text/safe_text.h"
#include "daemon/intake/intake.h"
#include "formats/interface/interface.h"
#include "formats/convert.h"
#include "formats/mapping.h"

namespace liitos {
namespace {

struct Abandoned {};  // thrown from the sink to end a conversion at a stop

// What a streamed file's records came to.
struct Counts {
  size_t total, invalid, fresh, duplicates;
  bool reject_all;
};

// The receipt's head rows and the summary of a streamed file, once committed.
Intake::Recorded StreamedRecorded(const Counts& n) {
  Intake::Recorded rec;
  rec.streamed = true;
  if (n.reject_all) {
    IntakeRow whole;
    whole.outcome = "rejected";
    whole.reason = fmt::format("file rejected as a whole: {} of {} records are invalid (on_invalid_record = reject-file)",
                               n.invalid, n.total);
    rec.rows.push_back(whole);
  }
  rec.summary = fmt::format("{} records: {} accepted, {} duplicate, {} rejected{}", n.total, n.fresh, n.duplicates,
                            n.invalid, n.reject_all ? " (file rejected as a whole)" : "");
  return rec;
}

}  // namespace

RecordOutcomeIn ToRecordOutcome(const SourceConfig& scfg, const MappedRecord& m) {
  RecordOutcomeIn r;
  r.record = static_cast<int64_t>(m.number);
  r.lv_case_id = m.lv_case_id.value_or("");
  if (const auto* u = std::get_if<StatusUpdate>(&m.outcome)) {
    r.accepted = true;
    r.message_id = u->message_id;
    r.payload = StatusUpdateToJson(*u);
    r.destination = scfg.destination;
  } else {
    const auto& rej = std::get<Rejection>(m.outcome);
    r.field = rej.field;
    r.reason = rej.reason;
  }
  return r;
}

void Intake::JournalStreamed(const SourceConfig& scfg, Item& item) {
  const Candidate& c = *item.cand;
  auto earlier = journal_.FindFile(scfg.name, c.name, item.sha256);
  if (earlier.ok() && *earlier) {
    item.out.earlier = **earlier;
    item.out.recorded = true;
    return;
  }
  StreamedFile s = StreamRecords(scfg, c.name, item.sha256, item.size, item.spool_path, nullptr);
  item.out = JournalOutcome();
  switch (s.end) {
    case StreamedFile::End::kRecorded:
      item.out.file_id = s.file.id;
      item.out.file = std::move(s.file);
      item.out.recorded = true;
      item.out.rec = std::move(s.rec);
      return;
    case StreamedFile::End::kFileError: {
      Converted conv;
      conv.file_error = s.file_error;
      item.converted = std::move(conv);
      (void)JournalItem(scfg, item);  // FILE_RECEIVED and the quarantine, in their own transaction
      item.converted = Converted();
      return;
    }
    case StreamedFile::End::kAbandoned:
      spdlog::info("{}: {}: stopping: the file is left in the drop and taken again, whole, at the next start",
                   scfg.name, c.name);
      return;
    case StreamedFile::End::kFailed:
      return;
  }
}

Intake::StreamedFile Intake::StreamRecords(const SourceConfig& scfg, const std::string& name,
                                           const std::string& sha256, uint64_t size,
                                           const std::string& spool_path, const FileRow* received) {
  StreamedFile result;
  const ProfileConfig& profile = *cfg_.FindProfile(scfg.profile);
  const bool strict = profile.on_invalid_record == OnInvalidRecord::kRejectFile;
  size_t total = 0, invalid = 0;
  bool reject_all = false;
  for (int pass = 0; pass < 2; ++pass) {
    Journal::Batch tx(journal_, Journal::Mode::kAllOrNothingUnsynced);
    Result<FileRow> file = received ? Result<FileRow>(*received)
                                    : journal_.RecordFileReceived(scfg.name, name, sha256, size, spool_path);
    if (!file.ok()) {
      spdlog::error("{}: {}: journal: {}", scfg.name, name, file.status().message());
      (void)tx.Rollback();
      return result;
    }
    const std::string whole_reason = fmt::format("file rejected: {} invalid record(s)", invalid);
    std::vector<RecordOutcomeIn> chunk;
    Status failed;
    bool counting_only = false;  // a reject-file profile met an invalid record in the first pass
    size_t accepted = 0, duplicates = 0;
    total = invalid = 0;
    auto flush = [&] {
      if (chunk.empty() || !failed.ok()) return chunk.clear();
      auto d = journal_.AppendRecords(file->id, chunk, reject_all, whole_reason);
      if (d.ok()) duplicates += static_cast<size_t>(*d);
      else failed = d.status();
      chunk.clear();
    };
    FileOutcome out;
    try {
      out = StreamFile(profile, cfg_.interface, scfg.name, spool_path, SafeText(name),
                       [&](const MappedRecord& m) {
                         if (stop_ && stop_->load()) throw Abandoned();
                         ++total;
                         if (!m.accepted()) ++invalid;
                         else ++accepted;
                         if (strict && !reject_all && !m.accepted()) counting_only = true;
                         if (counting_only || !failed.ok()) return;
                         chunk.push_back(ToRecordOutcome(scfg, m));
                         if (chunk.size() >= kStreamChunk) flush();
                       });
    } catch (const Abandoned&) {
      (void)tx.Rollback();
      result.end = StreamedFile::End::kAbandoned;
      return result;
    }
    if (out.file_error) {
      (void)tx.Rollback();
      result.end = StreamedFile::End::kFileError;
      result.file_error = out.file_error->reason;
      return result;
    }
    if (counting_only && pass == 0) {
      (void)tx.Rollback();
      reject_all = true;  // again, every record rejected, now that `invalid` is known
      continue;
    }
    flush();
    if (failed.ok()) failed = journal_.FinishParsed(file->id);
    if (failed.ok()) failed = tx.Commit();
    if (!failed.ok()) {
      spdlog::error("{}: {}: journal: {}", scfg.name, name, failed.message());
      (void)tx.Rollback();
      return result;
    }
    result.end = StreamedFile::End::kRecorded;
    result.file = std::move(*file);
    const Counts n{total, invalid, reject_all ? 0 : accepted - std::min(accepted, duplicates),
                   reject_all ? 0 : duplicates, reject_all};
    result.rec = StreamedRecorded(n);
    if (metrics_)
      metrics_->Records(scfg.name, static_cast<int64_t>(n.fresh), static_cast<int64_t>(n.duplicates),
                        static_cast<int64_t>(n.invalid));
    return result;
  }
  return result;
}

}  // namespace liitos
