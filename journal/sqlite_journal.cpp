#include "journal/sqlite_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/time/helsinki_time.h"
#include "base/logging.h"
#include "journal/event_hash.h"
#include "journal/journal_sql.h"
#include "base/text/safe_text.h"

namespace liitos {

Result<std::unique_ptr<Journal>> Journal::Open(const std::string& path, Clock& clock, bool read_only) {
  auto db = Db::Open(path, read_only);
  if (!db.ok()) return db.status();
  // The key beside the journal (in the state directory). A read-only open without access to it
  // still reads everything but the sealed real names.
  auto vault = NameVault::Load(NameKeyPath(path), !read_only);
  if (!vault.ok() && !read_only) return vault.status();
  auto j = std::make_unique<SqliteJournal>(std::move(*db), clock, vault.ok() ? *vault : nullptr);
  Status s = j->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<Journal>(std::move(j));
}

Journal::Batch::Batch(Journal& j, Mode mode) : j_(j) {
  begin_status_ = j_.BeginBatch(mode);
  done_ = !begin_status_.ok();
}

Journal::Batch::~Batch() {
  if (!done_) (void)j_.EndBatch(true);
}

Status Journal::Batch::Commit() {
  if (done_) return begin_status_;
  done_ = true;
  return j_.EndBatch(true);
}

Status Journal::Batch::Rollback() {
  if (done_) return begin_status_;
  done_ = true;
  return j_.EndBatch(false);
}

std::string NameKeyPath(const std::string& journal_path) {
  size_t slash = journal_path.rfind('/');
  return (slash == std::string::npos ? std::string(".") : journal_path.substr(0, slash)) + "/name.key";
}

SqliteJournal::SqliteJournal(std::unique_ptr<Db> db, Clock& clock, NameVaultPtr vault)
    : db_(std::move(db)), clock_(clock), vault_(std::move(vault)) {
  if (const char* main = sqlite3_db_filename(db_->raw(), "main"); main && *main)
    wal_path_ = sqlite3_filename_wal(main);
}

SqliteJournal::~SqliteJournal() {
  if (batch_depth_ > 0) Exec(sql::kRollback);
}

Status SqliteJournal::Exec(const char* sql) { return Query(*db_, sql).Run(); }

std::string SqliteJournal::Now() const { return FormatUtcMillis(clock_.Now()); }

Status SqliteJournal::Init() {
  if (!db_->read_only()) {
    Status s = db_->Exec(sql::kPragmasWrite);
    if (!s.ok()) return s;
    s = Exec(sql::kBeginImmediate);
    if (!s.ok()) return s;
    int64_t version = 0;
    {
      Query q(*db_, sql::kUserVersion);
      auto r = q.Step();
      if (!r.ok()) s = r.status();
      else version = q.Int(0);
    }
    if (s.ok() && version > sql::kSchemaVersion)
      s = Status::Invalid("journal schema version " + std::to_string(version) + " is newer than this liitos knows (" +
                          std::to_string(sql::kSchemaVersion) + ")");
    for (int64_t v = version; s.ok() && v < sql::kSchemaVersion; ++v) {
      s = db_->Exec(sql::kMigrations[v]);
      if (s.ok()) s = db_->Exec(sql::kSetUserVersion[v]);
    }
    if (s.ok()) s = Exec(sql::kCommit);
    if (!s.ok()) {
      Exec(sql::kRollback);
      return s;
    }
  } else {
    Query q(*db_, sql::kUserVersion);
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (q.Int(0) < 1 || q.Int(0) > sql::kSchemaVersion)
      return Status::Invalid("not a journal this liitos can read (schema version " + std::to_string(q.Int(0)) + ")");
  }
  Query q(*db_, sql::kLastEvent);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  last_seq_ = *r ? q.Int(0) : 0;
  last_hash_ = *r ? q.Text(1) : kGenesisHash;
  return Status::Ok();
}

Status SqliteJournal::Write(const std::function<Status()>& body) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (db_->read_only()) return Status::Invalid("the journal is open read-only");
  const bool outer = batch_depth_ == 0;
  if (!outer && !batch_savepoints_) {
    // All or nothing: a failure spoils the batch, which EndBatch then rolls back whole.
    if (batch_failed_) return Status::Invalid("journal batch already failed");
    Status s = body();
    if (!s.ok()) batch_failed_ = true;
    return s;
  }
  const int64_t seq0 = last_seq_;
  const std::string hash0 = last_hash_;
  Status s = outer ? RestoreSync() : Status::Ok();
  if (s.ok()) s = Exec(outer ? sql::kBeginImmediate : sql::kSavepoint);
  if (!s.ok()) return s;
  s = body();
  if (s.ok() && outer && last_seq_ != seq0) s = WriteHead();
  if (s.ok()) {
    s = Exec(outer ? sql::kCommit : sql::kRelease);
    if (s.ok()) return s;
  }
  if (outer) {
    (void)Exec(sql::kRollback);
  } else {
    (void)Exec(sql::kRollbackTo);
    (void)Exec(sql::kRelease);
  }
  last_seq_ = seq0;
  last_hash_ = hash0;
  return s;
}

Status SqliteJournal::BeginBatch(Mode mode) {
  mu_.lock();
  if (db_->read_only()) {
    mu_.unlock();
    return Status::Invalid("the journal is open read-only");
  }
  if (batch_depth_ == 0) {
    // synchronous can only change outside a transaction: set before BEGIN, restored after COMMIT.
    Status s = RestoreSync();
    if (s.ok() && mode == Mode::kAllOrNothingUnsynced) batch_unsynced_ = Exec(sql::kSynchronousNormal).ok();
    if (s.ok()) s = Exec(sql::kBeginImmediate);
    if (!s.ok()) {
      (void)RestoreSync();
      mu_.unlock();
      return s;
    }
    txn_seq_ = last_seq_;
    txn_hash_ = last_hash_;
    batch_failed_ = false;
    batch_savepoints_ = mode == Mode::kSavepoints;
  }
  ++batch_depth_;
  return Status::Ok();  // mu_ stays locked until the matching EndBatch
}

Status SqliteJournal::EndBatch(bool commit) {
  Status s;
  if (!commit) batch_failed_ = true;
  if (--batch_depth_ == 0) {
    if (!batch_failed_ && last_seq_ != txn_seq_) s = WriteHead();
    if (!batch_failed_ && s.ok()) s = Exec(sql::kCommit);
    if (batch_failed_ || !s.ok()) {
      (void)Exec(sql::kRollback);
      last_seq_ = txn_seq_;
      last_hash_ = txn_hash_;
      if (s.ok() && commit) s = Status::Invalid("journal batch rolled back: a call in it failed or an inner batch was abandoned");
    }
    // The transaction's own outcome stands; a failed restore makes the next write fail instead.
    if (Status r = RestoreSync(); !r.ok()) spdlog::error("journal: synchronous=FULL not restored: {}", r.message());
  }
  mu_.unlock();
  return s;
}

Result<int> SqliteJournal::Synchronous() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Query q(*db_, sql::kSynchronous);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Status::Invalid("journal: PRAGMA synchronous gave no row");
  return static_cast<int>(q.Int(0));
}

Status SqliteJournal::RestoreSync() {
  if (!batch_unsynced_) return Status::Ok();
  // Should this fail, batch_unsynced_ stays set and every later transaction tries again before
  // it begins, and fails rather than commit unsynced.
  Status s = Exec(sql::kSynchronousFull);
  if (s.ok()) batch_unsynced_ = false;
  return s;
}

Status SqliteJournal::SyncCommitted() {
  if (sync_failed_) return Status::IoError("journal: an earlier sync of " + wal_path_ + " failed; restart liitos");
  // The log exists as long as the journal's connection is open (SQLite removes it only when the
  // last connection closes): a missing log is an error, not "nothing to sync".
  int fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("journal: cannot open " + wal_path_, errno);
  Status s;  // fdatasync of the log itself: a failure is remembered (sync_failed_)
  if (::fdatasync(fd) != 0) {
    s = Status::FromErrno("journal: fdatasync " + wal_path_, errno);
    sync_failed_ = true;
  }
  ::close(fd);
  return s;
}

Status SqliteJournal::WriteHead() {
  return Query(*db_, sql::kSetChainHead).Bind(1, last_seq_).Bind(2, last_hash_).Run();
}

Status SqliteJournal::Append(const NewEvent& e) {
  return Write([&]() { return AppendLocked(e).status(); });
}

Result<int64_t> SqliteJournal::AppendLocked(const NewEvent& e) {
  Event ev;
  static_cast<NewEvent&>(ev) = e;
  if (ev.detail_json.empty()) ev.detail_json = "{}";
  for (std::string* field : {&ev.source, &ev.file, &ev.message_id, &ev.batch_id, &ev.destination, &ev.lv_case_id,
                             &ev.detail_json})
    *field = SafeText(*field);
  ev.seq = last_seq_ + 1;
  ev.time = Now();
  ev.prev_hash = last_hash_;
  ev.hash = EventHash(ev.prev_hash, ev);
  Query q(*db_, sql::kInsertEvent);
  q.Bind(1, ev.seq).Bind(2, ev.time).Bind(3, ev.kind).BindOrNull(4, ev.source).BindOrNull(5, ev.file);
  q.BindOrNull(6, ev.file_sha256);
  if (ev.record) q.Bind(7, *ev.record);
  else q.BindNull(7);
  q.BindOrNull(8, ev.message_id).BindOrNull(9, ev.batch_id).BindOrNull(10, ev.destination);
  q.BindOrNull(11, ev.lv_case_id).Bind(12, ev.detail_json).Bind(13, ev.prev_hash).Bind(14, ev.hash);
  Status s = q.Run();
  if (!s.ok()) return s;
  last_seq_ = ev.seq;
  last_hash_ = ev.hash;
  return ev.seq;
}

}  // namespace liitos
