#include "transports/dir/dir_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "base/fs.h"
#include "base/crypto/hash.h"
#include "transports/dir/dir_files.h"
#include "transports/dir/dir_names.h"

namespace liitos {

namespace {

Status CheckName(const std::string& name) {
  if (!IsPlainFileName(name)) return Status::Invalid("not a plain file name: '" + name + "'");
  return Status::Ok();
}

std::string OrDefault(const std::string& value, const std::string& inbox, const char* sibling) {
  return value.empty() ? SiblingOf(inbox, sibling) : value;
}

// Closes a DIR* on every path out of Scan().
struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

}  // namespace

Result<SourcePtr> MakeDirSource(const SourceConfig& cfg, const TransportContext& ctx) {
  if (cfg.kind != "dir") return Status::Invalid("source " + cfg.name + ": not a dir source");
  if (cfg.path.empty()) return Status::Invalid("source " + cfg.name + ": path is empty");
  const Clock* clock = ctx.clock ? ctx.clock : &RealClock();
  return SourcePtr(std::make_unique<DirSource>(cfg, clock));
}

DirSource::DirSource(const SourceConfig& cfg, const Clock* clock)
    : cfg_(cfg),
      clock_(clock),
      archive_(OrDefault(DirSourceSettingsOf(cfg).archive, cfg.path, "archive")),
      error_(OrDefault(DirSourceSettingsOf(cfg).error, cfg.path, "error")),
      receipts_(cfg.receipts_enabled() ? OrDefault(cfg.receipts, cfg.path, "receipts") : ""),
      tracker_(cfg.settle),
      watch_(cfg.path, DirSourceSettingsOf(cfg).rescan, clock) {}

std::optional<Millis> DirSource::PollDelay() const {
  std::unique_lock<std::mutex> lock(mu_);
  auto next = tracker_.NextSettle();
  lock.unlock();
  if (!next) return std::nullopt;
  auto left = std::chrono::ceil<Millis>(*next - clock_->Monotonic());
  return std::max(left, Millis(1));
}

Result<std::vector<Candidate>> DirSource::Poll() {
  std::lock_guard<std::mutex> lock(mu_);
  bool due = watch_.ScanDue();
  if (!due && tracker_.pending() == 0) {
    if (!forgotten_.empty()) {
      offered_.erase(std::remove_if(offered_.begin(), offered_.end(),
                                    [&](const Candidate& c) { return forgotten_.count(c.name) > 0; }),
                     offered_.end());
      forgotten_.clear();
    }
    return offered_;
  }
  return Scan();
}

Result<std::vector<Candidate>> DirSource::Scan() {
  std::unique_ptr<DIR, DirCloser> dir(::opendir(cfg_.path.c_str()));
  if (!dir) {
    watch_.MarkDirty();
    return Status::Retry(Status::FromErrno("cannot list inbox " + cfg_.path, errno).message());
  }
  // One pass for the names (done markers are looked up among them), one to examine them.
  std::vector<std::pair<std::string, unsigned char>> entries;
  std::unordered_set<std::string> names;
  for (;;) {
    errno = 0;
    struct dirent* e = ::readdir(dir.get());
    if (!e) {
      if (errno != 0) {
        watch_.MarkDirty();
        return Status::Retry(Status::FromErrno("cannot list inbox " + cfg_.path, errno).message());
      }
      break;
    }
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (cfg_.done_marker) names.insert(name);
    if (IsIgnoredName(name, cfg_.done_marker) || !MatchesInclude(name, cfg_.include)) continue;
    entries.emplace_back(std::move(name), e->d_type);
  }
  // Kept open: each file is examined relative to it, without walking the inbox's path again.
  const int dir_fd = ::dirfd(dir.get());

  watch_.Scanned();
  tracker_.BeginScan();
  MonoTime now = clock_->Monotonic();
  std::vector<std::pair<int64_t, Candidate>> found;
  std::map<std::string, FileStamp> seen;
  for (const auto& [name, type] : entries) {
    FileStamp stamp;
    auto c = Examine(dir_fd, name, type, names, now, &stamp);
    if (!c) continue;
    seen[name] = stamp;
    found.emplace_back(stamp.mtime_ns, std::move(*c));
  }
  tracker_.EndScan();

  // Oldest first, so that exports are taken in the order they were written.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.name < b.second.name;
  });
  offered_.clear();
  forgotten_.clear();
  offered_.reserve(found.size());
  for (auto& f : found) offered_.push_back(std::move(f.second));
  seen_ = std::move(seen);
  return offered_;
}

std::optional<Candidate> DirSource::Examine(int dir_fd, const std::string& name, unsigned char d_type,
                                            const std::unordered_set<std::string>& all_names,
                                            MonoTime now, FileStamp* stamp) {
  if (d_type == DT_DIR) return std::nullopt;  // subfolders (archive/error may live here) are not ours
  struct stat st;
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;  // gone meanwhile
  if (S_ISDIR(st.st_mode)) return std::nullopt;
  *stamp = StampOf(st);
  Candidate c;
  c.name = name;
  c.size = stamp->size;
  if (S_ISLNK(st.st_mode)) {
    c.refused_reason = "symlink refused";
    return c;
  }
  if (!S_ISREG(st.st_mode)) {
    c.refused_reason = "not a regular file";
    return c;
  }
  bool complete = cfg_.done_marker ? all_names.count(name + *cfg_.done_marker) > 0
                                   : tracker_.Observe(name, *stamp, now);
  if (!complete) return std::nullopt;
  if (c.size > cfg_.max_file_size) {
    c.refused_reason = fmt::format("file too large: {} bytes > {}", c.size, cfg_.max_file_size);
  }
  return c;
}

Status DirSource::DoFetch(const Candidate& c, const std::string& spool_path, SyncBatch& sync, Fetched* out) {
  Status s = CheckName(c.name);
  if (!s.ok()) return s;
  if (c.refused_reason) return Status::Invalid(c.name + ": refused: " + *c.refused_reason);
  std::string path = JoinPath(cfg_.path, c.name);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    watch_.MarkDirty();
    if (errno == ELOOP) return Status::Retry(path + ": symlink refused");
    return Status::FromErrno("open " + path, errno);
  }
  struct stat before;
  if (::fstat(fd, &before) != 0) {
    s = Status::FromErrno("fstat " + path, errno);
    ::close(fd);
    return s;
  }
  FileStamp stamp = StampOf(before);
  bool same = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = seen_.find(c.name);
    same = S_ISREG(before.st_mode) && (it != seen_.end() ? it->second == stamp : stamp.size == c.size);
  }
  if (!same) {
    ::close(fd);
    watch_.MarkDirty();  // look again: the settle timer restarts
    return Status::Retry(path + " changed since it was found complete");
  }
  uint64_t bytes = 0;
  Sha256 hash;
  s = CopyFdDurable(fd, path, spool_path, &bytes, &hash, &sync);
  struct stat after;
  bool changed = ::fstat(fd, &after) != 0 || !(StampOf(after) == stamp);
  ::close(fd);
  if (!s.ok()) return s;
  if (bytes != stamp.size || changed) {
    ::unlink(spool_path.c_str());
    watch_.MarkDirty();
    return Status::Retry(fmt::format("{} changed while being copied ({} bytes copied, {} expected)", path,
                                     bytes, stamp.size));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    fetched_[c.name] = stamp;
  }
  if (out) {
    out->size = bytes;
    out->sha256 = hash.HexDigest();
  }
  return Status::Ok();
}

}  // namespace liitos
