// DirSource: what happens to a file after it was found — archive/delete, quarantine, receipts —
// and the `check --connect` probe. Discovery and fetching live in dir_source.cpp.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include <fmt/format.h>

#include "base/file_names.h"
#include "base/fs.h"
#include "base/time/helsinki_time.h"
#include "transports/dir/dir_files.h"
#include "transports/dir/dir_names.h"
#include "transports/dir/dir_source.h"

namespace liitos {

namespace {

constexpr char kReasonSuffix[] = ".reason.txt";

Status CheckName(const std::string& name) {
  if (!IsPlainFileName(name)) return Status::Invalid("not a plain file name: '" + name + "'");
  return Status::Ok();
}

std::string ReasonText(const std::string& reason) {
  return reason.empty() || reason.back() != '\n' ? reason + "\n" : reason;
}

}  // namespace

void DirSource::Forget(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  forgotten_.insert(name);  // dropped from offered_ at the next Poll (one pass, not one per file)
  seen_.erase(name);
  fetched_.erase(name);
  tracker_.Forget(name);
}

Status DirSource::RemoveMarker(const std::string& name) {
  if (!cfg_.done_marker || cfg_.done_marker->empty()) return Status::Ok();
  return RemoveIfPresent(JoinPath(cfg_.path, name + *cfg_.done_marker));
}

std::string DirSource::ArchiveDirFor(SysTime t) const {
  CivilTime h = ToHelsinki(t);
  return JoinPath(archive_, fmt::format("{:04}/{:02}/{:02}", h.year, h.month, h.day));
}

Status DirSource::DoRelease(const Candidate& c, SyncBatch& sync) {
  Status s = CheckName(c.name);
  if (!s.ok()) return s;
  std::string path = JoinPath(cfg_.path, c.name);
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::FromErrno("lstat " + path, errno);
    // Already released (e.g. a crash between the move and the journal): finish the job.
    s = RemoveMarker(c.name);
    if (s.ok()) s = FsyncDir(cfg_.path, &sync);
    if (s.ok()) Forget(c.name);
    return s;
  }
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto fetched = fetched_.find(c.name);
    changed = fetched != fetched_.end() && !(fetched->second == StampOf(st));
  }
  if (changed) {
    // What we copied is gone or was changed (a new export took its name; inode numbers get
    // reused, so the whole stamp is compared): that file is not ours to archive yet.
    Forget(c.name);
    watch_.MarkDirty();
    return Status::Ok();
  }
  if (cfg_.after == AfterTake::kArchive) {
    auto moved = MoveIntoDir(path, ArchiveDirFor(clock_->Now()), c.name, "", &sync);
    if (!moved.ok()) return moved.status();
  } else {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Status::FromErrno("unlink " + path, errno);
  }
  s = RemoveMarker(c.name);
  if (s.ok()) s = FsyncDir(cfg_.path, &sync);
  Forget(c.name);
  return s;
}

Status DirSource::DoQuarantineOriginal(const Candidate& c, const std::string& reason, SyncBatch& sync) {
  Status s = CheckName(c.name);
  if (!s.ok()) return s;
  std::string path = JoinPath(cfg_.path, c.name);
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::FromErrno("lstat " + path, errno);
    Forget(c.name);  // already moved away
    return Status::Ok();
  }
  auto moved = MoveIntoDir(path, error_, c.name, kReasonSuffix, &sync);  // moves a symlink as a link
  if (!moved.ok()) return moved.status();
  s = WriteFileAtomic(CompanionPath(*moved, kReasonSuffix), ReasonText(reason), &sync);
  Status m = RemoveMarker(c.name);
  if (m.ok()) m = FsyncDir(cfg_.path, &sync);
  Forget(c.name);
  return s.ok() ? m : s;
}

Status DirSource::QuarantineSpooled(const std::string& name, const std::string& spool_path,
                                    const std::string& reason) {
  Status s = CheckName(name);
  if (!s.ok()) return s;
  auto moved = MoveIntoDir(spool_path, error_, name, kReasonSuffix);
  if (!moved.ok()) return moved.status();
  return WriteFileAtomic(CompanionPath(*moved, kReasonSuffix), ReasonText(reason));
}

Status DirSource::DoWriteReceipt(const std::string& name, std::string_view data, SyncBatch& sync) {
  if (!cfg_.receipts_enabled()) return Status::Ok();
  Status s = CheckName(name);
  if (!s.ok()) return s;
  s = MakeDirs(receipts_);
  if (!s.ok()) return s;
  return WriteFileAtomic(JoinPath(receipts_, name), data, &sync);
}

Status DirSource::DoWriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& sync) {
  if (!cfg_.receipts_enabled()) return Status::Ok();
  Status s = CheckName(name);
  if (s.ok()) s = MakeDirs(receipts_);
  if (!s.ok()) return s;
  int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0) return Status::FromErrno("open " + path, errno);
  const std::string tmp = JoinPath(receipts_, TempNameFor(name));
  uint64_t bytes = 0;
  s = CopyToNewFile(in, path, tmp, &bytes, nullptr, &sync);
  ::close(in);
  if (s.ok() && ::rename(tmp.c_str(), JoinPath(receipts_, name).c_str()) != 0)
    s = Status::FromErrno("rename to " + JoinPath(receipts_, name), errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return FsyncDir(receipts_, &sync);
}

Result<size_t> DirSource::RemoveTemporaries() {
  size_t removed = 0;
  for (const std::string& dir : {receipts_, error_}) {
    if (dir.empty()) continue;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
    if (!d) {
      if (errno == ENOENT) continue;
      return Status::FromErrno("list " + dir, errno);
    }
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d.get()))
      if (e->d_type != DT_DIR && IsTempName(e->d_name)) names.emplace_back(e->d_name);
    for (const auto& name : names) {
      if (::unlinkat(::dirfd(d.get()), name.c_str(), 0) == 0) ++removed;
      else if (errno != ENOENT && errno != EISDIR) return Status::FromErrno("remove " + JoinPath(dir, name), errno);
    }
  }
  return removed;
}

Status DirSource::Check(std::vector<std::string>* report) {
  auto say = [&](const std::string& line) {
    if (report) report->push_back("source " + cfg_.name + ": " + line);
  };
  struct stat st;
  if (::stat(cfg_.path.c_str(), &st) != 0) {
    Status s = Status::FromErrno("inbox " + cfg_.path, errno);
    say("FAILED " + s.message());
    return s;
  }
  if (!S_ISDIR(st.st_mode) || ::access(cfg_.path.c_str(), R_OK | X_OK) != 0) {
    Status s = Status::Invalid("inbox " + cfg_.path + " is not a readable directory");
    say("FAILED " + s.message());
    return s;
  }
  say("inbox " + cfg_.path + " is a readable directory" +
      (watch_.watching() ? " (inotify)" : " (no inotify: rescans only)"));
  std::vector<std::pair<std::string, std::string>> dirs;
  if (cfg_.after == AfterTake::kArchive) dirs.emplace_back("archive", archive_);
  dirs.emplace_back("error", error_);
  if (cfg_.receipts_enabled()) dirs.emplace_back("receipts", receipts_);
  for (const auto& [what, dir] : dirs) {
    Status s = CheckWritableOrCreatable(dir);
    if (!s.ok()) {
      say("FAILED " + what + " " + dir + ": " + s.message());
      return s;
    }
    say(what + " " + dir + " is writable");
  }
  return Status::Ok();
}

}  // namespace liitos
