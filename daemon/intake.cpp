#include "daemon/intake.h"

#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "base/fs.h"
#include "base/hash.h"
#include "base/logging.h"
#include "base/uuid.h"
#include "formats/interface.h"
#include "formats/mapping.h"

namespace liitos {
namespace fs = std::filesystem;

Intake::Intake(const Config& cfg, Journal& journal, Clock& clock, Metrics* metrics)
    : cfg_(cfg), journal_(journal), clock_(clock), receipts_(cfg, journal), metrics_(metrics),
      spool_pool_(cfg.service.state_dir + "/spool/.free") {}

std::string Intake::SpoolDir(const std::string& source) const {
  return cfg_.service.state_dir + "/spool/" + source;
}

void Intake::QuarantineRefused(Source& src, const Candidate& c) {
  const std::string& source = src.config().name;
  const std::string reason = *c.refused_reason;
  Status s = src.QuarantineOriginal(c, reason);
  if (!s.ok()) {
    spdlog::error("{}: {}: cannot quarantine: {}", source, c.name, s.message());
    return;
  }
  s = journal_.RecordFileQuarantined(0, source, c.name, reason);
  if (!s.ok()) {
    spdlog::error("{}: {}: journal: {}", source, c.name, s.message());
    return;
  }
  spdlog::warn("{}: {}: quarantined: {}", source, c.name, reason);
  if (metrics_) metrics_->FileQuarantined(source);
  IntakeRow row;
  row.record = 0;
  row.outcome = "rejected";
  row.reason = reason;
  FileRow file;
  file.source = source;
  file.name = c.name;
  Status rs = receipts_.WriteIntake(src, file, {row});
  if (!rs.ok()) spdlog::error("{}: {}: intake receipt: {}", source, c.name, rs.message());
}

size_t Intake::TakeRound(Source& src, const std::vector<Candidate>& candidates) {
  const std::string& source = src.config().name;
  size_t handled = 0;
  std::vector<Taken> taken;
  std::string spool_dir = SpoolDir(source);
  if (Status s = MakeDirs(spool_dir); !s.ok()) {
    spdlog::error("{}: spool: {}", source, s.message());
    return 0;
  }
  {
    // One transaction (one fsync) for every FILE_RECEIVED of the round, and one fsync of the
    // spool directory for all the copies.
    Journal::Batch tx(journal_);
    SyncBatch sync;  // the spool copies' data and directory, synced once before the commit
    for (const auto& c : candidates) {
      if (c.refused_reason) {
        QuarantineRefused(src, c);
        ++handled;
        continue;
      }
      std::string spool_path = spool_dir + "/" + UuidV4() + "_" + c.name;
      spool_pool_.Place(spool_path);
      Fetched fetched;
      Status s = src.Fetch(c, spool_path, &fetched);
      if (!s.ok()) {
        spdlog::warn("{}: {}: not taken this time: {}", source, c.name, s.message());
        continue;
      }
      Result<std::string> sha = fetched.sha256;
      if (fetched.sha256.empty()) {  // the source did not hash it on the way
        sha = Sha256File(spool_path);
        std::error_code ec;
        fetched.size = fs::file_size(spool_path, ec);
      }
      if (!sha.ok()) {
        spdlog::error("{}: {}: {}", source, c.name, sha.status().message());
        ::unlink(spool_path.c_str());
        continue;
      }
      auto earlier = journal_.FindFile(source, c.name, *sha);
      if (earlier.ok() && *earlier) {
        // Received before (a crash left the original in the drop, or an identical re-export):
        // recorded once, so only the original leaves the drop now.
        taken.push_back({&c, 0, spool_path, **earlier, ""});
        continue;
      }
      auto id = journal_.RecordFileReceived(source, c.name, *sha, fetched.size, spool_path);
      if (!id.ok()) {
        spdlog::error("{}: {}: journal: {}", source, c.name, id.status().message());
        ::unlink(spool_path.c_str());
        continue;
      }
      taken.push_back({&c, *id, spool_path, std::nullopt, ""});
    }
    if (Status s = sync.Flush(); !s.ok()) {
      // The copies may not survive a crash: nothing of the round is recorded, every original
      // stays in the drop and is taken again next time.
      spdlog::error("{}: spool copies not synced, files stay in the drop: {}", source, s.message());
      (void)tx.Rollback();
      for (const auto& t : taken) ::unlink(t.spool_path.c_str());
      return handled;
    }
    if (Status s = tx.Commit(); !s.ok()) {
      // Nothing of the round is committed: the originals stay in the drop and are taken again.
      spdlog::error("{}: journal commit failed, files stay in the drop: {}", source, s.message());
      for (const auto& t : taken) ::unlink(t.spool_path.c_str());
      return handled;
    }
  }
  // FILE_RECEIVED is durable. Parse every new file; all their records in one transaction.
  std::vector<std::pair<int64_t, std::vector<IntakeRow>>> receipts;
  {
    Journal::Batch tx(journal_);
    for (auto& t : taken) {
      if (t.file_id == 0) continue;
      auto file = journal_.GetFile(t.file_id);
      if (!file.ok()) continue;
      receipts.emplace_back(t.file_id, ParseAndRecord(src, *file, &t.quarantine_reason));
    }
    if (Status s = tx.Commit(); !s.ok()) {
      spdlog::error("{}: journal commit of parsed records failed (resumed at restart): {}", source, s.message());
      return handled + taken.size();
    }
  }
  // The outcome is durable: only now do the originals leave the drop (G1).
  {
    SyncBatch sync;  // the inbox, archive and error folders once per round
    for (const auto& t : taken) Settle(src, t);
  }
  {
    Journal::Batch tx(journal_);
    SyncBatch sync;  // every receipt's data and folder, synced before RECEIPT_WRITTEN commits
    for (const auto& [file_id, rows] : receipts) WriteIntakeReceipt(src, file_id, rows);
    if (Status s = sync.Flush(); !s.ok()) {
      // Not durable: RECEIPT_WRITTEN is not recorded, so the receipts are written again at start.
      spdlog::error("{}: intake receipts not synced: {}", source, s.message());
      (void)tx.Rollback();
    }
  }
  return handled + taken.size();
}

void Intake::Settle(Source& src, const Taken& t) {
  const std::string& source = src.config().name;
  const Candidate& c = *t.cand;
  Status s;
  if (t.earlier) {
    bool refused = t.earlier->state == "quarantined";
    spdlog::info("{}: {}: same name and content as a file received {}; not recorded again", source, c.name,
                 t.earlier->received_at);
    s = refused ? src.QuarantineOriginal(c, "refused earlier (same name and content): see its intake receipt")
                : src.Release(c);
  } else if (!t.quarantine_reason.empty()) {
    s = src.QuarantineOriginal(c, t.quarantine_reason);
  } else {
    s = src.Release(c);
    if (s.ok())
      spdlog::info("{}: {}: taken ({} bytes), original {}", source, c.name, c.size,
                   src.config().after == AfterTake::kDelete ? "deleted" : "archived");
  }
  if (!s.ok()) spdlog::error("{}: {}: cannot take the original out of the drop: {}", source, c.name, s.message());
  if (t.file_id != 0 && metrics_) metrics_->FileReceived(source);
  spool_pool_.Recycle(t.spool_path);
}

std::vector<IntakeRow> Intake::ParseAndRecord(Source& src, const FileRow& file, std::string* quarantine_reason) {
  const SourceConfig& scfg = src.config();
  const ProfileConfig* profile = cfg_.FindProfile(scfg.profile);
  FileOutcome out = ConvertFile(*profile, cfg_.interface, scfg.name, file.spool_path, file.name);
  std::vector<IntakeRow> rows;
  if (out.file_error) {
    *quarantine_reason = out.file_error->reason;
    Status s = journal_.RecordFileQuarantined(file.id, scfg.name, file.name, *quarantine_reason);
    if (!s.ok()) spdlog::error("{}: {}: journal: {}", scfg.name, file.name, s.message());
    spdlog::warn("{}: {}: quarantined: {}", scfg.name, file.name, *quarantine_reason);
    if (metrics_) metrics_->FileQuarantined(scfg.name);
    IntakeRow row;
    row.outcome = "rejected";
    row.reason = *quarantine_reason;
    rows.push_back(row);
    return rows;
  }
  std::vector<RecordOutcomeIn> in;
  in.reserve(out.records.size());
  size_t accepted = 0, rejected = 0;
  for (const auto& m : out.records) {
    RecordOutcomeIn r;
    r.record = static_cast<int64_t>(m.number);
    r.lv_case_id = m.lv_case_id.value_or("");
    if (const auto* u = std::get_if<StatusUpdate>(&m.outcome)) {
      r.accepted = true;
      r.message_id = u->message_id;
      r.payload = StatusUpdateToJson(*u);
      r.destination = scfg.destination;
      ++accepted;
    } else {
      const auto& rej = std::get<Rejection>(m.outcome);
      r.field = rej.field;
      r.reason = rej.reason;
      ++rejected;
    }
    in.push_back(std::move(r));
  }
  auto result = journal_.RecordFileParsed(file.id, in, out.rejected_as_whole);
  if (!result.ok()) {
    spdlog::error("{}: {}: journal: {}", scfg.name, file.name, result.status().message());
    return rows;
  }
  rows = std::move(*result);
  if (out.rejected_as_whole) {
    // SPEC §6: a file rejected as a whole gets a row with record 0, then every record.
    IntakeRow whole;
    whole.outcome = "rejected";
    whole.reason = fmt::format("file rejected as a whole: {} of {} records are invalid (on_invalid_record = "
                               "reject-file)",
                               rejected, in.size());
    rows.insert(rows.begin(), whole);
  }
  size_t dup = 0;
  for (const auto& r : rows) dup += r.outcome == "duplicate";
  if (metrics_)
    metrics_->Records(scfg.name, static_cast<int64_t>(accepted - std::min(accepted, dup)), static_cast<int64_t>(dup),
                      static_cast<int64_t>(rejected));
  spdlog::info("{}: {}: {} records: {} accepted, {} duplicate, {} rejected{}", scfg.name, file.name, in.size(),
               accepted - std::min(accepted, dup), dup, rejected,
               out.rejected_as_whole ? " (file rejected as a whole)" : "");
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
      auto rows = ParseAndRecord(*src, f, &reason);
      // The original may be gone from the drop: keep the refused content in quarantine. When the
      // original is offered again it is recognised (FindFile) and moved to quarantine too.
      if (!reason.empty()) {
        Status qs = src->QuarantineSpooled(f.name, f.spool_path, reason);
        if (!qs.ok()) spdlog::error("{}: {}: quarantine: {}", f.source, f.name, qs.message());
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
  std::error_code ec;
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
