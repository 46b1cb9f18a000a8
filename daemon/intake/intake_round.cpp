// Intake's rounds on base/pipeline.h (see intake.h). The steps of a round:
//   Fetch (source, thread 1)           spool copies synced; small files' records converted
//   JournalRound (calling thread)      larger files converted; FILE_RECEIVED + records in one
//                                      transaction, committed unsynced
//   Settle (thread 2)                  the journal synced; originals out of the drop; receipts
//                                      rendered, written and synced
//   RecordReceipts (calling thread)    RECEIPT_WRITTEN in one transaction
// Each step's errors are per file (logged, the file left for its next try): a step returns Ok.
#include <exception>
#include <filesystem>
#include <set>

#include "base/fs.h"
#include "base/crypto/hash.h"
#include "base/logging.h"
#include "base/pipeline.h"
#include "base/crypto/uuid.h"
#include "daemon/intake/intake.h"

namespace liitos {

namespace {

// Runs `fn`, logging what it throws (nothing is expected to: errors are Status values), so that
// one round's surprise does not stop the others.
template <class F>
Status Guarded(const char* what, F&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    spdlog::error("intake {}: {}", what, e.what());
  }
  return Status::Ok();
}

constexpr int kFetchThread = 1;
constexpr int kSettleThread = 2;

}  // namespace

size_t Intake::Take(Source& src, const std::vector<Candidate>& candidates, const std::atomic<bool>* stop) {
  const std::string& source = src.config().name;
  stop_ = stop;
  size_t handled = 0;
  // Refused before taking (symlinks, oversized files): one by one, before the rounds start.
  // A file that could not be taken rests until its next try (StuckFiles), so that a stuck file
  // is neither retried at every poll nor counted as work done.
  std::vector<const Candidate*> todo;
  std::set<std::string> offered;
  for (const auto& c : candidates) {
    offered.insert(c.name);
    if (!stuck_.Resting(source, c.name)) todo.push_back(&c);
  }
  stuck_.Retain(source, offered);
  for (const Candidate* c : todo) {
    if (c->refused_reason && QuarantineRefused(src, *c)) ++handled;
  }
  const auto plan = PlanRounds(todo);
  if (plan.empty()) return handled;
  if (Status s = MakeDirs(SpoolDir(source)); !s.ok()) {
    spdlog::error("{}: spool: {}", source, s.message());
    return handled;
  }
  return handled + RunRounds(src, plan);
}

size_t Intake::RunRounds(Source& src, const std::vector<std::vector<const Candidate*>>& plan) {
  size_t handled = 0;
  size_t next = 0;
  Pipeline<Round> rounds(kRoundsInFlight);
  rounds.Source(
      [&](Round& r) -> Result<bool> {
        if (next == plan.size()) return false;
        r = Round();
        r.items.resize(plan[next].size());
        for (size_t i = 0; i < r.items.size(); ++i) r.items[i].cand = plan[next][i];
        ++next;
        return Guarded("fetch", [&] { Fetch(src, r); }).ok();
      },
      kFetchThread);
  rounds.Stage([&](Round& r) { return Guarded("journal", [&] { JournalRound(src, r); }); }, Pipeline<Round>::kCallerThread);
  rounds.Stage([&](Round& r) { return Guarded("settle", [&] { Settle(src, r); }); }, kSettleThread);
  rounds.Stage(
      [&](Round& r) {
        Guarded("journal", [&] { RecordReceipts(r); });
        for (const auto& item : r.items) handled += item.out.recorded && item.settled ? 1 : 0;
        r = Round();  // finished: its memory goes
        return Status::Ok();
      },
      Pipeline<Round>::kCallerThread);
  // When `stop` becomes true no further round is fetched; those fetched are finished.
  rounds.StopWhen([&] { return stop_ && stop_->load(); });
  // Fetching and settling are mostly file system calls that wait on the kernel: on their own
  // threads they overlap each other and the journal's work. Only a source that lets Fetch run
  // beside Release may (Source::Overlaps).
  const bool overlap = plan.size() > 1 && src.Overlaps();
  Status s = rounds.Run(overlap ? PipelineMode::kThreaded : PipelineMode::kSerial);
  if (!s.ok()) spdlog::error("{}: intake: {}", src.config().name, s.message());
  return handled;
}

std::vector<std::vector<const Candidate*>> Intake::PlanRounds(const std::vector<const Candidate*>& todo) const {
  std::vector<std::vector<const Candidate*>> plan;
  std::vector<const Candidate*> round;
  uint64_t bytes = 0;
  auto close = [&] {
    if (!round.empty()) plan.push_back(std::move(round));
    round.clear();
    bytes = 0;
  };
  for (const Candidate* c : todo) {
    if (c->refused_reason) continue;
    // A file to be streamed is a round of its own (JournalRound).
    const bool alone = c->size > kConvertAheadBytes;
    if (alone || round.size() >= kRoundFiles || bytes + c->size > kRoundBytes) close();
    round.push_back(c);
    bytes += c->size;
    if (alone) close();
  }
  close();
  return plan;
}

void Intake::Fetch(Source& src, Round& r) {
  const SourceConfig& scfg = src.config();
  SyncBatch sync;  // the spool copies' data and directory, synced once before the journal commit
  size_t ahead = 0;  // records converted ahead in this round (kAheadRecords)
  for (auto& item : r.items) {
    FetchItem(src, item, sync);
    // Small files are converted here, right after the copy: in a burst the journal thread is
    // the busier one (journal 4.4 s, fetching and settling 2.7 s of wall time for 10,000 files
    // before this move).
    if (item.fetched && !Streamed(item) && ahead < kAheadRecords) {
      ConvertItem(scfg, item);
      ahead += item.converted.records.size();
    }
  }
  Status s = sync.Flush();
  r.spool_synced = s.ok();
  if (!s.ok()) {
    // The copies may not survive a crash: nothing of the round is recorded, every original
    // stays in the drop and is taken again next time (Settle drops the copies).
    spdlog::error("{}: spool copies not synced, files stay in the drop: {}", scfg.name, s.message());
  }
}

void Intake::FetchItem(Source& src, Item& item, SyncBatch& sync) {
  const SourceConfig& scfg = src.config();
  const Candidate& c = *item.cand;
  // The spool names a copy by a UUID alone: the file's name (up to 255 bytes of anything) is in
  // the journal, and a longer spool name could pass NAME_MAX.
  item.spool_path = SpoolDir(scfg.name) + "/" + UuidV4();
  spool_pool_.Place(item.spool_path);
  Fetched fetched;
  Status s = src.Fetch(c, item.spool_path, sync, &fetched);
  if (!s.ok()) {
    // A file that changed or went away is simply looked at again; anything else (unreadable, a
    // disk error) is a stuck file, reported when the round is settled.
    bool passing = s.code() == Status::Code::kRetry || s.code() == Status::Code::kNotFound;
    if (passing) spdlog::info("{}: {}: not taken this time: {}", scfg.name, c.name, s.message());
    else item.fetch_failure = "cannot copy it into the spool: " + s.message();
    return;
  }
  item.size = fetched.size;
  item.sha256 = fetched.sha256;
  if (item.sha256.empty()) {  // the source did not hash it on the way
    auto sha = Sha256File(item.spool_path);
    if (!sha.ok()) {
      item.fetch_failure = "cannot read its spool copy: " + sha.status().message();
      spool_pool_.Recycle(item.spool_path);
      return;
    }
    item.sha256 = *sha;
    std::error_code ec;
    item.size = std::filesystem::file_size(item.spool_path, ec);
  }
  item.fetched = true;
}

void Intake::JournalRound(Source& src, Round& r) {
  const SourceConfig& scfg = src.config();
  if (!r.spool_synced) return;
  if (r.items.size() == 1 && r.items[0].fetched && Streamed(r.items[0])) {
    JournalStreamed(scfg, r.items[0]);
    return;
  }
  // A file's records go once they are in the transaction; the fallback below converts again
  // what it needs (conversion is deterministic).
  auto journal_one = [&](Item& item) {
    if (item.fetched && !item.conversion_done) ConvertItem(scfg, item);
    const bool ok = JournalItem(scfg, item);
    item.converted = Converted();
    item.conversion_done = false;
    return ok;
  };
  {
    // The whole round in one transaction without savepoints; if any call fails, nothing of it
    // is kept and the files are recorded again one by one, so that one bad file does not hold
    // back the others. Committed without waiting for the disk: Settle syncs the journal
    // (SyncCommitted) before anything of the round leaves the drop, while this thread goes on
    // with the next round.
    Journal::Batch tx(journal_, Journal::Mode::kAllOrNothingUnsynced);
    bool ok = true;
    for (auto& item : r.items) {
      if (!(ok = journal_one(item))) break;
    }
    Status s = tx.Commit();
    if (ok && s.ok()) return;
    spdlog::warn("{}: journal round of {} files failed ({}); recording them one by one", scfg.name, r.items.size(),
                 s.message());
    for (auto& item : r.items) item.out = JournalOutcome();
  }
  for (auto& item : r.items) (void)journal_one(item);  // each call its own transaction
}

bool Intake::JournalItem(const SourceConfig& scfg, Item& item) {
  if (!item.fetched) return true;
  const Candidate& c = *item.cand;
  auto earlier = journal_.FindFile(scfg.name, c.name, item.sha256);
  if (earlier.ok() && *earlier) {
    // Received before (a crash left the original in the drop, or an identical re-export):
    // recorded once, so only the original leaves the drop now.
    item.out.earlier = **earlier;
    item.out.recorded = true;
    return true;
  }
  auto file = journal_.RecordFileReceived(scfg.name, c.name, item.sha256, item.size, item.spool_path);
  if (!file.ok()) {
    spdlog::error("{}: {}: journal: {}", scfg.name, c.name, file.status().message());
    return false;
  }
  item.out.file_id = file->id;
  item.out.file = std::move(*file);
  auto rec = Record(scfg, item.out.file, item.converted);
  if (!rec.ok()) {
    // Not recorded: the file stays "received" with its spool copy and its original, and is
    // parsed from the spool at the next start.
    spdlog::error("{}: {}: journal: {}", scfg.name, c.name, rec.status().message());
    return false;
  }
  item.out.rec = std::move(*rec);
  item.out.recorded = true;
  return true;
}

void Intake::Settle(Source& src, Round& r) {
  // G1: the round's FILE_RECEIVED and records are durable before any original leaves the drop.
  // If they cannot be made so, nothing of the round is settled: the originals stay (and are
  // recognised when offered again), and the receipts are written at the next start.
  if (Status s = journal_.SyncCommitted(); !s.ok()) {
    spdlog::error("{}: journal not synced, originals stay in the drop: {}", src.config().name, s.message());
    for (auto& item : r.items)
      if (item.fetched && item.out.file_id == 0) spool_pool_.Recycle(item.spool_path);  // never journaled
    return;
  }
  SyncBatch sync;  // the drop, archive and error folders, and every receipt's data and folder
  for (auto& item : r.items) {
    if (!item.fetch_failure.empty()) ReportStuck(src, item.cand->name, item.fetch_failure);
    if (!item.fetched) continue;
    if (!item.out.recorded) {
      // Not journaled (sync or commit failed): the original stays, the copy goes. A file whose
      // FILE_RECEIVED went in without its records keeps its copy for ResumeSpooled.
      if (item.out.file_id == 0) spool_pool_.Recycle(item.spool_path);
      continue;
    }
    SettleItem(src, item, sync);
    if (!item.out.earlier) WriteReceipt(src, item, sync);
  }
  Status s = sync.Flush();
  r.receipts_synced = s.ok();
  // Not durable: RECEIPT_WRITTEN is not recorded, so the receipts are written again at start.
  if (!s.ok()) spdlog::error("{}: intake receipts not synced: {}", src.config().name, s.message());
}

void Intake::SettleItem(Source& src, Item& item, SyncBatch& sync) {
  const std::string& source = src.config().name;
  const Candidate& c = *item.cand;
  const Recorded& rec = item.out.rec;
  Status s;
  if (item.out.earlier) {
    bool refused = item.out.earlier->state == "quarantined";
    spdlog::info("{}: {}: same name and content as a file received {}; not recorded again", source, c.name,
                 item.out.earlier->received_at);
    s = refused ? src.QuarantineOriginal(c, "refused earlier (same name and content): see its intake receipt", sync)
                : src.Release(c, sync);
  } else if (!rec.quarantine_reason.empty()) {
    s = src.QuarantineOriginal(c, rec.quarantine_reason, sync);
    if (s.ok()) spdlog::warn("{}: {}: quarantined: {}", source, c.name, rec.quarantine_reason);
  } else {
    s = src.Release(c, sync);
    if (s.ok())  // one line per file
      spdlog::info("{}: {}: taken ({} bytes), {}; original {}", source, c.name, c.size, rec.summary,
                   src.config().after == AfterTake::kDelete ? "deleted" : "archived");
  }
  if (!s.ok()) {
    // Recorded, but still in the drop: offered again, it is recognised (FindFile) and only this
    // step is tried again.
    ReportStuck(src, c.name, "cannot take the original out of the drop: " + s.message(), /*receipt=*/false);
  } else {
    item.settled = true;
    stuck_.Clear(source, c.name);
  }
  if (item.out.file_id != 0 && metrics_) metrics_->FileReceived(source);
  spool_pool_.Recycle(item.spool_path);
}

void Intake::WriteReceipt(Source& src, Item& item, SyncBatch& sync) {
  // Rendered here, not on the journal's thread (the busier one in a burst): it needs only what
  // the journal step recorded.
  const Recorded& rec = item.out.rec;
  Status s = rec.streamed ? receipts_.WriteIntakeFromJournal(src, item.out.file, rec.rows, &item.out.receipt_name, sync)
                          : receipts_.WriteIntakeFile(src, item.out.file, rec.rows, &item.out.receipt_name, sync);
  if (!s.ok()) {
    spdlog::error("{}: {}: intake receipt: {}", src.config().name, item.cand->name, s.message());
    return;
  }
  item.receipt_written = true;
}

void Intake::RecordReceipts(Round& r) {
  if (!r.receipts_synced) return;
  // If this fails, nothing is recorded and the receipts are written again at the next start; so
  // too if the machine (not the process) crashes before the next synced commit: no fsync of its
  // own for this transaction.
  Journal::Batch tx(journal_, Journal::Mode::kAllOrNothingUnsynced);
  for (const auto& item : r.items) {
    if (!item.receipt_written || item.out.file_id == 0) continue;
    Status s = journal_.RecordReceiptWritten(item.out.file_id, "intake", item.out.receipt_name);
    if (!s.ok()) spdlog::error("{}: {}: journal: {}", item.out.file.source, item.out.file.name, s.message());
  }
  if (Status s = tx.Commit(); !s.ok()) spdlog::error("intake receipts: journal commit failed: {}", s.message());
}

}  // namespace liitos
