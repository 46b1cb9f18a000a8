#include "daemon/intake/intake.h"

#include <fmt/format.h>


#include <nlohmann/json.hpp>

#include "base/logging.h"
#include "base/text/safe_text.h"
#include "formats/interface/interface.h"
#include "formats/convert.h"
#include "formats/mapping.h"

namespace liitos {

Intake::Intake(const Config& cfg, Journal& journal, Clock& clock, Metrics* metrics)
    : cfg_(cfg), journal_(journal), clock_(clock), receipts_(cfg, journal), metrics_(metrics),
      spool_pool_(cfg.service.state_dir + "/spool/.free"), stuck_(clock, std::chrono::seconds(60)) {}

std::string Intake::SpoolDir(const std::string& source) const {
  return cfg_.service.state_dir + "/spool/" + source;
}

bool Intake::QuarantineRefused(Source& src, const Candidate& c) {
  const std::string& source = src.config().name;
  const std::string reason = *c.refused_reason;
  Status s = src.QuarantineOriginal(c, reason);
  if (!s.ok()) {
    ReportStuck(src, c.name, "cannot move it to quarantine (" + reason + "): " + s.message());
    return false;
  }
  stuck_.Clear(source, c.name);
  s = journal_.RecordFileQuarantined(0, source, c.name, reason);
  if (!s.ok()) {
    spdlog::error("{}: {}: journal: {}", source, c.name, s.message());
    return true;
  }
  spdlog::warn("{}: {}: quarantined: {}", source, c.name, reason);
  if (metrics_) metrics_->FileQuarantined(source);
  IntakeRow row;
  row.record = 0;
  row.outcome = "rejected";
  row.reason = reason;
  auto file = journal_.FindFile(source, c.name, "");
  if (!file.ok() || !*file) return true;
  Status rs = receipts_.WriteIntake(src, **file, {row});
  if (!rs.ok()) spdlog::error("{}: {}: intake receipt: {}", source, c.name, rs.message());
  return true;
}

void Intake::ReportStuck(Source& src, const std::string& name, const std::string& cause, bool receipt) {
  const std::string& source = src.config().name;
  if (!stuck_.Report(source, name, cause)) {
    spdlog::debug("{}: {}: still not taken: {}", source, name, cause);
    return;
  }
  spdlog::warn("{}: {}: cannot be taken, left in the drop and tried again at each rescan: {}", source, name, cause);
  NewEvent e;
  e.kind = ev::kFileStuck;
  e.source = source;
  e.file = name;
  e.detail_json = nlohmann::json{{"reason", SafeText(cause)}}.dump();
  if (Status s = journal_.Append(e); !s.ok()) spdlog::error("{}: {}: journal: {}", source, name, s.message());
  if (!receipt) return;
  // A receipt where one can be written: under the name the file's own receipts will take, so
  // that the real intake receipt replaces it once the file is taken.
  auto seq = journal_.NextReceiptSeq(source, name);
  if (!seq.ok()) return;
  FileRow file;
  file.source = source;
  file.name = name;
  file.receipt_seq = *seq;
  IntakeRow row;
  row.outcome = "rejected";
  row.reason = "not taken: " + cause + "; the file stays in the drop and is tried again";
  std::string receipt_name;
  SyncBatch sync;
  Status s = receipts_.WriteIntakeFile(src, file, {row}, &receipt_name, sync);
  if (s.ok()) s = sync.Flush();
  if (!s.ok()) spdlog::debug("{}: {}: no receipt for the stuck file: {}", source, name, s.message());
}

Intake::Converted Intake::Convert(const SourceConfig& scfg, const std::string& spool_path,
                                  const std::string& name) const {
  const ProfileConfig* profile = cfg_.FindProfile(scfg.profile);
  // The name as it travels (source.file) and appears in reasons: escaped, henkilötunnus masked.
  FileOutcome out = ConvertFile(*profile, cfg_.interface, scfg.name, spool_path, SafeText(name));
  Converted c;
  if (out.file_error) {
    c.file_error = out.file_error->reason;
    return c;
  }
  c.rejected_as_whole = out.rejected_as_whole;
  c.records.reserve(out.records.size());
  for (const auto& m : out.records) {
    c.records.push_back(ToRecordOutcome(scfg, m));
    ++(c.records.back().accepted ? c.accepted : c.rejected);
  }
  return c;
}

Result<Intake::Recorded> Intake::Record(const SourceConfig& scfg, const FileRow& file, const Converted& conv) {
  Recorded rec;
  if (conv.file_error) {
    rec.quarantine_reason = *conv.file_error;
    Status s = journal_.RecordFileQuarantined(file.id, scfg.name, file.name, rec.quarantine_reason);
    if (!s.ok()) return s;
    // Logged once the original (or the spool copy) is in quarantine: if it cannot be moved, the
    // one warning is the stuck file's.
    if (metrics_) metrics_->FileQuarantined(scfg.name);
    IntakeRow row;
    row.outcome = "rejected";
    row.reason = rec.quarantine_reason;
    rec.rows.push_back(row);
    return rec;
  }
  auto rows = journal_.RecordFileParsed(file.id, conv.records, conv.rejected_as_whole);
  if (!rows.ok()) return rows.status();
  rec.rows = std::move(*rows);
  if (conv.rejected_as_whole) {
    // SPEC §6: a file rejected as a whole gets a row with record 0, then every record.
    IntakeRow whole;
    whole.outcome = "rejected";
    whole.reason = fmt::format("file rejected as a whole: {} of {} records are invalid (on_invalid_record = "
                               "reject-file)",
                               conv.rejected, conv.records.size());
    rec.rows.insert(rec.rows.begin(), whole);
  }
  size_t dup = 0;
  for (const auto& r : rec.rows) dup += r.outcome == "duplicate";
  const size_t fresh = conv.accepted - std::min(conv.accepted, dup);
  if (metrics_)
    metrics_->Records(scfg.name, static_cast<int64_t>(fresh), static_cast<int64_t>(dup),
                      static_cast<int64_t>(conv.rejected));
  rec.summary = fmt::format("{} records: {} accepted, {} duplicate, {} rejected{}", conv.records.size(), fresh, dup,
                            conv.rejected, conv.rejected_as_whole ? " (file rejected as a whole)" : "");
  return rec;
}

void Intake::ConvertItem(const SourceConfig& scfg, Item& item) const {
  item.converted = Convert(scfg, item.spool_path, item.cand->name);
  item.conversion_done = true;
}

void Intake::WriteStreamedIntakeReceipt(Source& src, const FileRow& file, const std::vector<IntakeRow>& head_rows) {
  Status s = receipts_.WriteIntakeFromJournal(src, file, head_rows);
  if (!s.ok()) spdlog::error("{}: {}: intake receipt: {}", file.source, file.name, s.message());
}

void Intake::WriteIntakeReceipt(Source& src, int64_t file_id, const std::vector<IntakeRow>& rows) {
  auto file = journal_.GetFile(file_id);
  if (!file.ok()) return;
  Status s = receipts_.WriteIntake(src, *file, rows);
  if (!s.ok()) spdlog::error("{}: {}: intake receipt: {}", file->source, file->name, s.message());
}

}  // namespace liitos
