#include "transports/dir/dir_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "base/file_modes.h"
#include "base/file_names.h"
#include "base/fs.h"

namespace liitos {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 || errno != ENOENT;
}


// Moves the symlink or FIFO `from` to `to` on another filesystem: made again there (a link as a
// link, never followed; a FIFO never opened), then removed here.
Status RemakeAcross(const std::string& from, const struct stat& st, const std::string& to) {
  if (S_ISLNK(st.st_mode)) {
    std::vector<char> target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1);
    ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
    if (n < 0) return Status::FromErrno("readlink " + from, errno);
    if (::symlink(std::string(target.data(), static_cast<size_t>(n)).c_str(), to.c_str()) != 0)
      return errno == EEXIST ? Status::Invalid(to + " exists") : Status::FromErrno("symlink " + to, errno);
  } else if (S_ISFIFO(st.st_mode)) {
    if (::mkfifo(to.c_str(), 0640) != 0)
      return errno == EEXIST ? Status::Invalid(to + " exists") : Status::FromErrno("mkfifo " + to, errno);
  } else {
    return Status::IoError("cannot move " + from + " across filesystems: not a file, link or FIFO");
  }
  Status s = FsyncDir(ParentOf(to));
  if (!s.ok()) return s;
  if (::unlink(from.c_str()) != 0 && errno != ENOENT) return Status::FromErrno("unlink " + from, errno);
  return Status::Ok();
}

// Moves `from` to the new name `to` on another filesystem.
Status CopyAcross(const std::string& from, const std::string& to) {
  struct stat lst;
  if (::lstat(from.c_str(), &lst) != 0) return Status::FromErrno("lstat " + from, errno);
  if (!S_ISREG(lst.st_mode)) return RemakeAcross(from, lst, to);
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (in < 0) return Status::FromErrno("open " + from, errno);
  struct stat st;
  if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(in);
    return Status::IoError("cannot move " + from + " across filesystems: not a regular file");
  }
  std::string tmp = ParentOf(to) + "/" + TempNameFor(std::filesystem::path(to).filename().string());
  uint64_t bytes = 0;
  Status s = CopyToNewFile(in, from, tmp, &bytes);
  ::close(in);
  if (!s.ok()) return s;
  s = RenameNoReplace(tmp, to);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  s = FsyncDir(ParentOf(to));
  if (!s.ok()) return s;
  if (::unlink(from.c_str()) != 0 && errno != ENOENT) return Status::FromErrno("unlink " + from, errno);
  return Status::Ok();
}

}  // namespace

FileStamp StampOf(const struct stat& st) {
  FileStamp f;
  f.dev = static_cast<uint64_t>(st.st_dev);
  f.ino = static_cast<uint64_t>(st.st_ino);
  f.size = static_cast<uint64_t>(st.st_size);
  f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  f.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return f;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string ParentOf(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();  // "/a/b/" -> "/a/b"
  auto parent = std::filesystem::path(trimmed).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string CompanionPath(const std::string& path, const std::string& suffix) {
  return JoinPath(ParentOf(path), FitName(std::filesystem::path(path).filename().string(), suffix));
}

std::string SiblingOf(const std::string& path, const std::string& name) {
  return JoinPath(ParentOf(path), name);
}

Status CopyFdDurable(int in, const std::string& from_label, const std::string& to, uint64_t* bytes,
                     Sha256* hash, SyncBatch* batch) {
  // Straight to `to`: spool names are unique, and a copy cut short by a crash is an unjournaled
  // spool file, removed at the next start (Intake::ResumeSpooled).
  uint64_t total = 0;
  Status s = CopyToNewFile(in, from_label, to, &total, hash, batch);
  if (!s.ok()) return s;
  s = FsyncDir(ParentOf(to), batch);
  if (!s.ok()) {
    ::unlink(to.c_str());
    return s;
  }
  if (bytes) *bytes = total;
  return Status::Ok();
}

Result<std::string> MoveIntoDir(const std::string& from, const std::string& dir, const std::string& name,
                                const std::string& companion_suffix, SyncBatch* batch) {
  Status s = MakeDirs(dir);
  if (!s.ok()) return s;
  struct stat from_st, dir_st;
  if (::lstat(from.c_str(), &from_st) != 0) return Status::FromErrno("lstat " + from, errno);
  if (::stat(dir.c_str(), &dir_st) != 0) return Status::FromErrno("stat " + dir, errno);
  bool across = from_st.st_dev != dir_st.st_dev;
  for (int i = 0; i < 100000; ++i) {
    std::string target = JoinPath(dir, NumberedName(name, i));
    // A rename that refuses to replace (RenameNoReplace) finds a taken name by itself; a copy
    // across filesystems, and a name whose companion is taken, need a look first.
    bool look = across || !companion_suffix.empty();
    if (look && (Exists(target) || (!companion_suffix.empty() && Exists(CompanionPath(target, companion_suffix)))))
      continue;
    s = across ? CopyAcross(from, target) : RenameNoReplace(from, target);
    if (s.code() == Status::Code::kInvalid) continue;  // taken meanwhile: next number
    if (!s.ok()) return s;
    // An archive or error copy is liitos's: 0640 at most, whatever mode its writer gave it (SPEC §7).
    s = LimitMode(target, 0640);
    if (s.ok()) s = FsyncDir(dir, batch);
    if (s.ok()) s = FsyncDir(ParentOf(from), batch);
    if (!s.ok()) return s;
    return target;
  }
  return Status::IoError("no free name for " + name + " in " + dir);
}

Status RemoveIfPresent(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Status::FromErrno("unlink " + path, errno);
  return Status::Ok();
}

Status TouchDurable(const std::string& path, SyncBatch* batch) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno("create " + path, errno);
  Status s = FsyncFile(fd, path, batch);
  ::close(fd);
  if (!s.ok()) return s;
  return FsyncDir(ParentOf(path), batch);
}

Status CheckWritableOrCreatable(const std::string& dir) {
  std::string p = dir;
  for (int depth = 0; depth < 64; ++depth) {
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return Status::Invalid(p + " is not a directory");
      if (::access(p.c_str(), W_OK | X_OK) != 0) return Status::FromErrno(p + " is not writable", errno);
      return Status::Ok();
    }
    if (errno != ENOENT) return Status::FromErrno("stat " + p, errno);
    std::string parent = ParentOf(p);
    if (parent == p) break;
    p = parent;
  }
  return Status::NotFound("no existing parent of " + dir);
}

}  // namespace liitos
