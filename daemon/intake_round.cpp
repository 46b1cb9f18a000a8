// Intake's rounds and the three-thread pipeline over them (see intake.h). The steps of a round:
//   Fetch (fetcher)                   spool copies synced; small files' records converted
//   JournalRound (journal thread)     larger files converted; FILE_RECEIVED + records in one
//                                     transaction
//   SettleAndWriteReceipts (settler)  originals out of the drop, receipts rendered, written and
//                                     synced
//   RecordReceipts (journal thread)   RECEIPT_WRITTEN in one transaction
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "base/fs.h"
#include "base/hash.h"
#include "base/logging.h"
#include "base/uuid.h"
#include "daemon/intake.h"

namespace liitos {

namespace {

// Runs `fn`, logging what it throws (nothing is expected to: errors are Status values).
template <class F>
void Guarded(const char* what, F&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    spdlog::error("intake {}: {}", what, e.what());
  }
}

// How far the rounds of one Take have come. Rounds go fetched -> journaled -> settled ->
// receipts recorded, each count at most the one before it.
struct Progress {
  std::mutex mu;
  std::condition_variable cv;
  long fetched = 0, journaled = 0, settled = 0, recorded = 0;
  long end = 0;            // the rounds that will be fetched (less than all after a stop)
  bool fetching_done = false;
};

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
  std::vector<Round> rounds;
  {
    Round r;
    uint64_t bytes = 0;
    for (const Candidate* c : todo) {
      if (c->refused_reason) continue;
      // A file to be streamed is a round of its own (JournalRound).
      const bool alone = c->size > kConvertAheadBytes;
      if (!r.items.empty() && (alone || r.items.size() >= kRoundFiles || bytes + c->size > kRoundBytes)) {
        rounds.push_back(std::move(r));
        r = Round();
        bytes = 0;
      }
      Item item;
      item.cand = c;
      r.items.push_back(std::move(item));
      bytes += c->size;
      if (alone) {
        rounds.push_back(std::move(r));
        r = Round();
        bytes = 0;
      }
    }
    if (!r.items.empty()) rounds.push_back(std::move(r));
  }
  if (rounds.empty()) return handled;
  if (Status s = MakeDirs(SpoolDir(source)); !s.ok()) {
    spdlog::error("{}: spool: {}", source, s.message());
    return handled;
  }
  const long n = static_cast<long>(rounds.size());
  auto stopped = [&] { return stop && stop->load(); };
  auto finish = [&](Round& r) {
    for (const auto& item : r.items) handled += item.out.recorded && item.settled ? 1 : 0;
    r = Round();  // finished: its memory goes
  };
  // Only a source that lets Fetch run beside Release overlaps its rounds (not SFTP: its session
  // may also call back into the journal).
  if (n == 1 || !src.Overlaps()) {
    for (long k = 0; k < n && !stopped(); ++k) {
      Guarded("fetch", [&] { Fetch(src, rounds[k]); });
      Guarded("journal", [&] { JournalRound(src, rounds[k]); });
      Guarded("settle", [&] { SettleAndWriteReceipts(src, rounds[k]); });
      Guarded("journal", [&] { RecordReceipts(rounds[k]); });
      finish(rounds[k]);
    }
    return handled;
  }
  // Three threads, each waiting only for what its next step needs: the fetcher fetches at most
  // two rounds ahead of the journal; the settler settles each round once it is journaled; this
  // thread journals each round once it is fetched and records receipts once a round is settled.
  // Fetching and settling are mostly file system calls that wait on the kernel: on their own
  // threads they overlap each other and the journal's work.
  Progress p;
  p.end = n;
  enum class Task { kWait, kFetch, kSettle, kJournal, kRecord, kDone };
  // The next task of each thread (under p.mu).
  auto fetch_task = [&]() -> Task {
    if (!p.fetching_done && (p.fetched == n || stopped())) {
      p.fetching_done = true;
      p.end = p.fetched;
      p.cv.notify_all();
    }
    if (p.fetching_done) return Task::kDone;
    return p.fetched - p.journaled < 2 ? Task::kFetch : Task::kWait;
  };
  auto settle_task = [&]() -> Task {
    if (p.settled < p.journaled) return Task::kSettle;
    if (p.fetching_done && p.settled == p.end) return Task::kDone;
    return Task::kWait;
  };
  auto journal_task = [&]() -> Task {
    if (p.journaled < p.fetched) return Task::kJournal;
    if (p.recorded < p.settled) return Task::kRecord;
    if (p.fetching_done && p.recorded == p.end) return Task::kDone;
    return Task::kWait;
  };
  // Runs tasks chosen by `next` until it says done; `run` does one and returns the counter to bump.
  auto loop = [&](auto next, auto run) {
    for (;;) {
      Task t;
      long k = 0;
      {
        std::unique_lock<std::mutex> lock(p.mu);
        p.cv.wait(lock, [&] { return (t = next()) != Task::kWait; });
        if (t == Task::kDone) return;
        k = t == Task::kFetch ? p.fetched : t == Task::kSettle ? p.settled : t == Task::kJournal ? p.journaled
                                                                                                 : p.recorded;
      }
      long* counter = run(t, k);
      std::lock_guard<std::mutex> lock(p.mu);
      *counter = k + 1;
      p.cv.notify_all();
    }
  };
  std::thread fetcher([&] {
    loop(fetch_task, [&](Task, long k) -> long* {
      Guarded("fetch", [&] { Fetch(src, rounds[k]); });
      return &p.fetched;
    });
  });
  std::thread settler([&] {
    loop(settle_task, [&](Task, long k) -> long* {
      Guarded("settle", [&] { SettleAndWriteReceipts(src, rounds[k]); });
      return &p.settled;
    });
  });
  loop(journal_task, [&](Task t, long k) -> long* {
    if (t == Task::kJournal) {
      Guarded("journal", [&] { JournalRound(src, rounds[k]); });
      return &p.journaled;
    }
    Guarded("journal", [&] { RecordReceipts(rounds[k]); });
    finish(rounds[k]);
    return &p.recorded;
  });
  fetcher.join();
  settler.join();
  return handled;
}

void Intake::Fetch(Source& src, Round& r) {
  const SourceConfig& scfg = src.config();
  const std::string spool_dir = SpoolDir(scfg.name);
  SyncBatch sync;  // the spool copies' data and directory, synced once before the journal commit
  for (auto& item : r.items) {
    const Candidate& c = *item.cand;
    // The spool names a copy by a UUID alone: the file's name (up to 255 bytes of anything) is
    // in the journal, and a longer spool name could pass NAME_MAX.
    item.spool_path = spool_dir + "/" + UuidV4();
    spool_pool_.Place(item.spool_path);
    Fetched fetched;
    Status s = src.Fetch(c, item.spool_path, &fetched);
    if (!s.ok()) {
      // A file that changed or went away is simply looked at again; anything else (unreadable,
      // a disk error) is a stuck file, reported by the settler.
      bool passing = s.code() == Status::Code::kRetry || s.code() == Status::Code::kNotFound;
      if (passing) spdlog::info("{}: {}: not taken this time: {}", scfg.name, c.name, s.message());
      else item.fetch_failure = "cannot copy it into the spool: " + s.message();
      continue;
    }
    item.size = fetched.size;
    item.sha256 = fetched.sha256;
    if (item.sha256.empty()) {  // the source did not hash it on the way
      auto sha = Sha256File(item.spool_path);
      if (!sha.ok()) {
        item.fetch_failure = "cannot read its spool copy: " + sha.status().message();
        spool_pool_.Recycle(item.spool_path);
        continue;
      }
      item.sha256 = *sha;
      std::error_code ec;
      item.size = std::filesystem::file_size(item.spool_path, ec);
    }
    item.fetched = true;
    // Small files are converted by the fetcher, right after the copy: in a burst the journal
    // thread is the busier one (journal 4.4 s, fetching and settling 2.7 s of wall time for
    // 10,000 files before this move).
    if (!Streamed(item)) ConvertItem(scfg, item);
  }
  Status s = sync.Flush();
  r.spool_synced = s.ok();
  if (!s.ok()) {
    // The copies may not survive a crash: nothing of the round is recorded, every original
    // stays in the drop and is taken again next time (SettleAndWriteReceipts drops the copies).
    spdlog::error("{}: spool copies not synced, files stay in the drop: {}", scfg.name, s.message());
  }
}

void Intake::ConvertItem(const SourceConfig& scfg, Item& item) const {
  item.converted = Convert(scfg, item.spool_path, item.cand->name);
  item.conversion_done = true;
}

void Intake::JournalRound(Source& src, Round& r) {
  const SourceConfig& scfg = src.config();
  if (!r.spool_synced) return;
  if (r.items.size() == 1 && r.items[0].fetched && Streamed(r.items[0])) {
    JournalStreamed(scfg, r.items[0]);
    return;
  }
  for (auto& item : r.items)
    if (item.fetched && !item.conversion_done) ConvertItem(scfg, item);
  {
    // The whole round in one transaction without savepoints; if any call fails, nothing of it
    // is kept and the files are recorded again one by one, so that one bad file does not hold
    // back the others. Committed without waiting for the disk: the settler syncs the journal
    // (SyncCommitted) before anything of the round leaves the drop, while this thread goes on
    // with the next round.
    Journal::Batch tx(journal_, Journal::Mode::kAllOrNothingUnsynced);
    bool ok = true;
    for (auto& item : r.items) {
      if (!(ok = JournalItem(scfg, item))) break;
    }
    Status s = tx.Commit();
    if (ok && s.ok()) {
      for (auto& item : r.items) item.converted = Converted();  // in the journal now
      return;
    }
    spdlog::warn("{}: journal round of {} files failed ({}); recording them one by one", scfg.name, r.items.size(),
                 s.message());
    for (auto& item : r.items) item.out = JournalOutcome();
  }
  for (auto& item : r.items) {
    (void)JournalItem(scfg, item);  // each call its own transaction
    item.converted = Converted();
  }
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
  bool ok = false;
  item.out.rows = Record(scfg, item.out.file, item.converted, &item.out.quarantine_reason, &ok, &item.out.summary);
  // Not recorded: the file stays "received" with its spool copy and its original, and is
  // parsed from the spool at the next start.
  item.out.recorded = ok;
  return ok;
}

void Intake::SettleAndWriteReceipts(Source& src, Round& r) {
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
    Settle(src, item);
    if (item.out.earlier) continue;
    // Rendered here, not on the journal thread (the busier one in a burst): it needs only what
    // the journal step recorded.
    Status s = item.out.streamed
                   ? receipts_.WriteIntakeFromJournal(src, item.out.file, item.out.head_rows, &item.out.receipt_name)
                   : receipts_.WriteIntakeFile(src, item.out.file, item.out.rows, &item.out.receipt_name);
    if (!s.ok()) {
      spdlog::error("{}: {}: intake receipt: {}", src.config().name, item.cand->name, s.message());
      continue;
    }
    item.receipt_written = true;
  }
  Status s = sync.Flush();
  r.receipts_synced = s.ok();
  // Not durable: RECEIPT_WRITTEN is not recorded, so the receipts are written again at start.
  if (!s.ok()) spdlog::error("{}: intake receipts not synced: {}", src.config().name, s.message());
}

void Intake::Settle(Source& src, Item& item) {
  const std::string& source = src.config().name;
  const Candidate& c = *item.cand;
  Status s;
  if (item.out.earlier) {
    bool refused = item.out.earlier->state == "quarantined";
    spdlog::info("{}: {}: same name and content as a file received {}; not recorded again", source, c.name,
                 item.out.earlier->received_at);
    s = refused ? src.QuarantineOriginal(c, "refused earlier (same name and content): see its intake receipt")
                : src.Release(c);
  } else if (!item.out.quarantine_reason.empty()) {
    s = src.QuarantineOriginal(c, item.out.quarantine_reason);
    if (s.ok()) spdlog::warn("{}: {}: quarantined: {}", source, c.name, item.out.quarantine_reason);
  } else {
    s = src.Release(c);
    if (s.ok())  // one line per file
      spdlog::info("{}: {}: taken ({} bytes), {}; original {}", source, c.name, c.size, item.out.summary,
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

void Intake::RecordReceipts(Round& r) {
  if (!r.receipts_synced) return;
  // If this fails, nothing is recorded and the receipts are written again at the next start; so
  // too if the machine (not the process) crashes before the next synced commit: no fsync of its
  // own for this transaction (it was one per round on the journal thread).
  Journal::Batch tx(journal_, Journal::Mode::kAllOrNothingUnsynced);
  for (const auto& item : r.items) {
    if (!item.receipt_written || item.out.file_id == 0) continue;
    Status s = journal_.RecordReceiptWritten(item.out.file_id, "intake", item.out.receipt_name);
    if (!s.ok()) spdlog::error("{}: {}: journal: {}", item.out.file.source, item.out.file.name, s.message());
  }
  if (Status s = tx.Commit(); !s.ok()) spdlog::error("intake receipts: journal commit failed: {}", s.message());
}

}  // namespace liitos
