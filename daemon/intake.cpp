#include "daemon/intake.h"

#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "base/logging.h"
#include "base/safe_text.h"
#include "formats/interface/interface.h"
#include "formats/convert.h"
#include "formats/mapping.h"

namespace liitos {
namespace fs = std::filesystem;

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
  Status s = receipts_.WriteIntakeFile(src, file, {row}, &receipt_name);
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

std::vector<IntakeRow> Intake::Record(const SourceConfig& scfg, const FileRow& file, const Converted& conv,
                                      std::string* quarantine_reason, bool* ok, std::string* summary) {
  *ok = true;
  std::vector<IntakeRow> rows;
  if (conv.file_error) {
    *quarantine_reason = *conv.file_error;
    Status s = journal_.RecordFileQuarantined(file.id, scfg.name, file.name, *quarantine_reason);
    if (!s.ok()) {
      spdlog::error("{}: {}: journal: {}", scfg.name, file.name, s.message());
      *ok = false;
      return rows;
    }
    // Logged once the original (or the spool copy) is in quarantine: if it cannot be moved, the
    // one warning is the stuck file's.
    if (metrics_) metrics_->FileQuarantined(scfg.name);
    IntakeRow row;
    row.outcome = "rejected";
    row.reason = *quarantine_reason;
    rows.push_back(row);
    return rows;
  }
  auto result = journal_.RecordFileParsed(file.id, conv.records, conv.rejected_as_whole);
  if (!result.ok()) {
    spdlog::error("{}: {}: journal: {}", scfg.name, file.name, result.status().message());
    *ok = false;
    return rows;
  }
  rows = std::move(*result);
  if (conv.rejected_as_whole) {
    // SPEC §6: a file rejected as a whole gets a row with record 0, then every record.
    IntakeRow whole;
    whole.outcome = "rejected";
    whole.reason = fmt::format("file rejected as a whole: {} of {} records are invalid (on_invalid_record = "
                               "reject-file)",
                               conv.rejected, conv.records.size());
    rows.insert(rows.begin(), whole);
  }
  size_t dup = 0;
  for (const auto& r : rows) dup += r.outcome == "duplicate";
  size_t accepted = conv.accepted;
  if (metrics_)
    metrics_->Records(scfg.name, static_cast<int64_t>(accepted - std::min(accepted, dup)), static_cast<int64_t>(dup),
                      static_cast<int64_t>(conv.rejected));
  if (summary)
    *summary = fmt::format("{} records: {} accepted, {} duplicate, {} rejected{}", conv.records.size(),
                           accepted - std::min(accepted, dup), dup, conv.rejected,
                           conv.rejected_as_whole ? " (file rejected as a whole)" : "");
  return rows;
}

void Intake::WriteIntakeReceipt(Source& src, int64_t file_id, const std::vector<IntakeRow>& rows) {
  auto file = journal_.GetFile(file_id);
  if (!file.ok()) return;
  Status s = receipts_.WriteIntake(src, *file, rows);
  if (!s.ok()) spdlog::error("{}: {}: intake receipt: {}", file->source, file->name, s.message());
}

void Intake::ResumeSpooled(const std::vector<Source*>& sources) {
  auto find = [&](const std::string& name) -> Source* {
    for (auto* s : sources)
      if (s->config().name == name) return s;
    return nullptr;
  };
  // What a write cut short by a crash left: receipts staged for copying (each is rendered again
  // from the journal below), and the sources' temporary files.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cfg_.service.state_dir + "/spool/.receipts", ec))
    fs::remove(entry.path(), ec);
  for (auto* s : sources) {
    auto removed = s->RemoveTemporaries();
    if (!removed.ok())
      spdlog::warn("{}: temporary files: {}", s->config().name, removed.status().message());
    else if (*removed > 0)
      spdlog::info("{}: removed {} temporary files left by an interrupted write", s->config().name, *removed);
  }
  std::set<std::string> known;
  auto received = journal_.FilesInState("received");
  if (received.ok()) {
    for (const auto& f : *received) {
      Source* src = find(f.source);
      if (!src) {
        spdlog::warn("{}: {}: source no longer configured; file left in the spool", f.source, f.name);
        known.insert(f.spool_path);
        continue;
      }
      std::error_code ec;
      if (!fs::exists(f.spool_path, ec)) {
        spdlog::error("{}: {}: spool copy missing; quarantining", f.source, f.name);
        (void)journal_.RecordFileQuarantined(f.id, f.source, f.name, "spool copy lost");
        continue;
      }
      spdlog::info("{}: {}: resuming from the spool", f.source, f.name);
      std::string reason;
      bool recorded = false;
      std::string summary;
      auto rows =
          Record(src->config(), f, Convert(src->config(), f.spool_path, f.name), &reason, &recorded, &summary);
      if (!summary.empty()) spdlog::info("{}: {}: {}", f.source, f.name, summary);
      if (!recorded) {
        known.insert(f.spool_path);  // kept for the next start
        continue;
      }
      // The original may be gone from the drop: keep the refused content in quarantine. When the
      // original is offered again it is recognised (FindFile) and moved to quarantine too.
      if (!reason.empty()) {
        Status qs = src->QuarantineSpooled(f.name, f.spool_path, reason);
        if (!qs.ok()) spdlog::error("{}: {}: quarantine: {}", f.source, f.name, qs.message());
        else spdlog::warn("{}: {}: quarantined: {}", f.source, f.name, reason);
      }
      ::unlink(f.spool_path.c_str());
      WriteIntakeReceipt(*src, f.id, rows);
    }
  }
  // Parsed or quarantined files whose intake receipt was not written before a crash.
  for (const char* state : {"parsed", "quarantined"}) {
    auto files = journal_.FilesInState(state);
    if (!files.ok()) continue;
    for (const auto& f : *files) {
      if (f.intake_receipt_written) continue;
      Source* src = find(f.source);
      if (!src) continue;
      auto rows = journal_.IntakeRows(f.id);
      if (rows.ok()) WriteIntakeReceipt(*src, f.id, *rows);
      if (std::string(state) == "parsed") ::unlink(f.spool_path.c_str());
    }
  }
  // Spool files the journal never heard of: a crash between the copy and FILE_RECEIVED. Their
  // originals are still in the drop and will be taken again.
  for (auto* s : sources) {
    std::string dir = SpoolDir(s->config().name);
    if (!fs::is_directory(dir, ec)) continue;
    auto still = journal_.FilesInState("received");
    if (still.ok())
      for (const auto& f : *still) known.insert(f.spool_path);
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string p = entry.path().string();
      if (known.count(p)) continue;
      spdlog::info("{}: removing unjournaled spool file {}", s->config().name, entry.path().filename().string());
      fs::remove(entry.path(), ec);
    }
  }
}

}  // namespace liitos
