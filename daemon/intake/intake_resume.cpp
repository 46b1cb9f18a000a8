// Intake after a restart (see intake.h): what a crash left between the spool and the journal is
// finished from the journal, so that every file ends as if the crash had not happened (SPEC §2
// G1–G3):
//   - received, not parsed: parsed from its spool copy now, its copy then dropped;
//   - parsed or quarantined without an intake receipt: the receipt written from the journal;
//   - a spool file the journal never heard of (a crash between the copy and FILE_RECEIVED):
//     removed, its original is still in the drop and is taken again.
#include <unistd.h>

#include <filesystem>
#include <set>

#include "base/logging.h"
#include "daemon/intake/intake.h"

namespace liitos {
namespace fs = std::filesystem;

namespace {

Source* FindSource(const std::vector<Source*>& sources, const std::string& name) {
  for (auto* s : sources)
    if (s->config().name == name) return s;
  return nullptr;
}

}  // namespace

void Intake::ResumeSpooled(const std::vector<Source*>& sources) {
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
  std::set<std::string> known;  // spool copies kept for the next start
  if (auto received = journal_.FilesInState("received"); received.ok()) {
    for (const auto& f : *received) {
      Source* src = FindSource(sources, f.source);
      if (!src) {
        spdlog::warn("{}: {}: source no longer configured; file left in the spool", f.source, f.name);
        known.insert(f.spool_path);
      } else if (!ResumeReceived(*src, f)) {
        known.insert(f.spool_path);
      }
    }
  }
  // Parsed or quarantined files whose intake receipt was not written before a crash: written
  // from the journal a chunk at a time (a file of a million records was read whole).
  for (const char* state : {"parsed", "quarantined"}) {
    auto files = journal_.FilesInState(state);
    if (!files.ok()) continue;
    for (const auto& f : *files) {
      if (f.intake_receipt_written) continue;
      Source* src = FindSource(sources, f.source);
      if (!src) continue;
      WriteStreamedIntakeReceipt(*src, f, {});
      if (std::string(state) == "parsed") ::unlink(f.spool_path.c_str());
    }
  }
  if (auto still = journal_.FilesInState("received"); still.ok())
    for (const auto& f : *still) known.insert(f.spool_path);
  for (auto* s : sources) RemoveUnjournaled(*s, known);
}

bool Intake::ResumeReceived(Source& src, const FileRow& f) {
  std::error_code ec;
  if (!fs::exists(f.spool_path, ec)) {
    spdlog::error("{}: {}: spool copy missing; quarantining", f.source, f.name);
    (void)journal_.RecordFileQuarantined(f.id, f.source, f.name, "spool copy lost");
    return true;
  }
  spdlog::info("{}: {}: resuming from the spool", f.source, f.name);
  // A copy too large to convert at once is streamed, as when it was taken (SPEC §10).
  Result<Recorded> rec = Status::Invalid("not recorded");
  if (fs::file_size(f.spool_path, ec) > kConvertAheadBytes && !ec) {
    StreamedFile s = StreamRecords(src.config(), f.name, f.sha256, f.size, f.spool_path, &f);
    if (s.end == StreamedFile::End::kAbandoned || s.end == StreamedFile::End::kFailed) return false;
    if (s.end == StreamedFile::End::kRecorded) {
      rec = std::move(s.rec);
    } else {
      Converted refused;
      refused.file_error = s.file_error;
      rec = Record(src.config(), f, refused);
    }
  } else {
    rec = Record(src.config(), f, Convert(src.config(), f.spool_path, f.name));
  }
  if (!rec.ok()) {
    spdlog::error("{}: {}: journal: {}", f.source, f.name, rec.status().message());
    return false;
  }
  if (!rec->summary.empty()) spdlog::info("{}: {}: {}", f.source, f.name, rec->summary);
  // The original may be gone from the drop: keep the refused content in quarantine. When the
  // original is offered again it is recognised (FindFile) and moved to quarantine too.
  if (!rec->quarantine_reason.empty()) {
    Status qs = src.QuarantineSpooled(f.name, f.spool_path, rec->quarantine_reason);
    if (!qs.ok()) spdlog::error("{}: {}: quarantine: {}", f.source, f.name, qs.message());
    else spdlog::warn("{}: {}: quarantined: {}", f.source, f.name, rec->quarantine_reason);
  }
  ::unlink(f.spool_path.c_str());
  if (rec->streamed) WriteStreamedIntakeReceipt(src, f, rec->rows);
  else WriteIntakeReceipt(src, f.id, rec->rows);
  return true;
}

void Intake::RemoveUnjournaled(Source& src, const std::set<std::string>& known) {
  std::error_code ec;
  const std::string dir = SpoolDir(src.config().name);
  if (!fs::is_directory(dir, ec)) return;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (known.count(entry.path().string())) continue;
    spdlog::info("{}: removing unjournaled spool file {}", src.config().name, entry.path().filename().string());
    fs::remove(entry.path(), ec);
  }
}

}  // namespace liitos
