#include "base/fs.h"

#include "base/file_names.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <vector>

#include "base/file_names.h"
#include "base/crypto/hash.h"
#include "base/crypto/uuid.h"

namespace liitos {
namespace fs = std::filesystem;

namespace {


std::string DirOf(const std::string& path) {
  fs::path p(path);
  auto parent = p.parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

namespace {
Status SyncDirNow(const std::string& dir);
// A batch holds at most this many open files; beyond it they are synced early (still correct).
constexpr size_t kMaxPendingFiles = 256;
}  // namespace

SyncBatch::~SyncBatch() { (void)Flush(); }

Status SyncBatch::FlushFiles() {
  // The writeback of every file was started when it was noted: the first fdatasync commits the
  // file system's journal for all of them, and the rest find their blocks already on disk.
  Status first;
  for (const auto& f : files_) {
    if (::fdatasync(f.fd) != 0 && first.ok()) first = Status::FromErrno("fsync " + f.path, errno);
    ::close(f.fd);
  }
  files_.clear();
  return first;
}

Status SyncBatch::Flush() {
  Status first = FlushFiles();
  std::sort(dirs_.begin(), dirs_.end());
  dirs_.erase(std::unique(dirs_.begin(), dirs_.end()), dirs_.end());
  for (const auto& d : dirs_) {
    Status s = SyncDirNow(d);
    if (first.ok() && !s.ok()) first = s;
  }
  dirs_.clear();
  return first;
}

Status FsyncDir(const std::string& dir, SyncBatch* batch) {
  if (batch) {
    batch->dirs_.push_back(dir);
    return Status::Ok();
  }
  return SyncDirNow(dir);
}

Status FsyncFile(int fd, const std::string& path, SyncBatch* batch) {
  if (batch) {
    int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dup >= 0) {
      (void)::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // start writeback; best effort
      batch->files_.push_back({dup, path});
      if (batch->files_.size() < kMaxPendingFiles) return Status::Ok();
      return batch->FlushFiles();
    }
    // Out of descriptors: sync now, which is just slower.
  }
  if (::fsync(fd) != 0) return Status::FromErrno("fsync " + path, errno);
  return Status::Ok();
}

namespace {
Status SyncDirNow(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open directory " + dir, errno);
  int rc = ::fsync(fd);
  int e = errno;
  ::close(fd);
  if (rc != 0) return Status::FromErrno("fsync directory " + dir, e);
  return Status::Ok();
}
}  // namespace

Status WriteFileAtomic(const std::string& path, std::string_view data, SyncBatch* batch) {
  std::string dir = DirOf(path);
  std::string tmp = dir + "/" + TempNameFor(fs::path(path).filename().string());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Status::FromErrno("create " + tmp, errno);
  Status s = WriteAll(fd, data, tmp);
  if (s.ok()) s = FsyncFile(fd, tmp, batch);
  ::close(fd);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = Status::FromErrno("rename to " + path, errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  return FsyncDir(dir, batch);
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + path, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status CopyToNewFile(int in, const std::string& from_label, const std::string& tmp, uint64_t* bytes,
                     Sha256* hash, SyncBatch* batch) {
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (out < 0) return Status::FromErrno("create " + tmp, errno);
  IoBuffer buf = ThreadIoBuffer();
  uint64_t total = 0;
  Status s;
  for (;;) {
    ssize_t n = ::read(in, buf.data, buf.size);
    if (n < 0) {
      if (errno == EINTR) continue;
      s = Status::FromErrno("read " + from_label, errno);
      break;
    }
    if (n == 0) break;
    std::string_view chunk(buf.data, static_cast<size_t>(n));
    s = WriteAll(out, chunk, tmp);
    if (!s.ok()) break;
    if (hash) hash->Update(chunk);
    total += static_cast<uint64_t>(n);
  }
  if (s.ok()) s = FsyncFile(out, tmp, batch);
  if (::close(out) != 0 && s.ok()) s = Status::FromErrno("close " + tmp, errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  *bytes = total;
  return Status::Ok();
}

IoBuffer ThreadIoBuffer() {
  constexpr size_t kSize = 1 << 20;
  thread_local std::unique_ptr<char[]> buf(new char[kSize]);
  return {buf.get(), kSize};
}

Status ReadPieces(const std::string& path, const std::function<Status(std::string_view)>& piece) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  IoBuffer buf = ThreadIoBuffer();
  Status s;
  for (;;) {
    ssize_t n = ::read(fd, buf.data, buf.size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      s = Status::FromErrno("read " + path, e);
      break;
    }
    if (n == 0) break;
    if (s = piece(std::string_view(buf.data, static_cast<size_t>(n))); !s.ok()) break;
  }
  ::close(fd);
  return s;
}

Result<std::string> ReadFile(const std::string& path) {
  std::string out;
  Status s = ReadPieces(path, [&](std::string_view piece) {
    out.append(piece);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status MakeDirs(const std::string& dir) {
  // mkdir(2) each missing component with mode 0750 (std::filesystem would use 0777).
  if (dir.empty()) return Status::Invalid("create directory: empty path");
  struct stat whole {};
  if (::stat(dir.c_str(), &whole) == 0 && S_ISDIR(whole.st_mode)) return Status::Ok();  // the usual case
  fs::path prefix;
  for (const fs::path& part : fs::path(dir)) {
    prefix /= part;
    if (part.empty() || part == "/" || part == "." || part == "..") continue;
    if (::mkdir(prefix.c_str(), 0750) == 0) continue;
    int e = errno;
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;  // there already (EEXIST, EROFS…)
    if (e == EEXIST) e = ENOTDIR;
    return Status::FromErrno("create directory " + prefix.string(), e);
  }
  return Status::Ok();
}

namespace {
// True when anything, a dangling symlink included, has the name `path`.
bool NameTaken(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}
}  // namespace

std::string UniqueName(const std::string& dir, const std::string& name) {
  for (int i = 0;; ++i) {
    std::string candidate = NumberedName(name, i);
    if (!NameTaken(fs::path(dir) / candidate)) return candidate;
  }
}

Status RenameNoReplace(const std::string& from, const std::string& to) {
  if (::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
    return Status::Ok();
  if (errno == EEXIST) return Status::Invalid(to + " exists");
  if (errno != EINVAL && errno != ENOSYS) return Status::FromErrno("rename " + from + " to " + to, errno);
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return Status::Invalid(to + " exists");
    return Status::FromErrno("link " + from + " to " + to, errno);
  }
  ::unlink(from.c_str());
  return Status::Ok();
}

Result<std::string> MoveToUnique(const std::string& from, const std::string& dir, const std::string& name,
                                 SyncBatch* batch) {
  Status s = MakeDirs(dir);
  if (!s.ok()) return s;
  for (int tries = 0; tries < 1000; ++tries) {
    std::string target = dir + "/" + UniqueName(dir, name);
    s = RenameNoReplace(from, target);
    if (s.ok()) {
      s = FsyncDir(dir, batch);
      if (s.ok()) s = FsyncDir(DirOf(from), batch);
      if (!s.ok()) return s;
      return target;
    }
    if (s.code() != Status::Code::kInvalid) return s;
  }
  return Status::IoError("no free name for " + name + " in " + dir);
}

}  // namespace liitos
