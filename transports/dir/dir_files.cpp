#include "transports/dir/dir_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "base/fs.h"

namespace liitos {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 || errno != ENOENT;
}

std::string CandidateName(const std::string& name, int i) {
  if (i == 0) return name;
  std::filesystem::path p(name);
  return p.stem().string() + "." + std::to_string(i) + p.extension().string();
}

// Moves `from` to the new name `to` on another filesystem: a regular file only.
Status CopyAcross(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (in < 0) return Status::FromErrno("open " + from, errno);
  struct stat st;
  if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(in);
    return Status::IoError("cannot move " + from + " across filesystems: not a regular file");
  }
  std::string tmp = ParentOf(to) + "/." + std::filesystem::path(to).filename().string() + ".tmp";
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

std::string SiblingOf(const std::string& path, const std::string& name) {
  return JoinPath(ParentOf(path), name);
}

Status CopyFdDurable(int in, const std::string& from_label, const std::string& to, uint64_t* bytes,
                     Sha256* hash) {
  // Straight to `to`: spool names are unique, and a copy cut short by a crash is an unjournaled
  // spool file, removed at the next start (Intake::ResumeSpooled).
  uint64_t total = 0;
  Status s = CopyToNewFile(in, from_label, to, &total, hash);
  if (!s.ok()) return s;
  s = FsyncDir(ParentOf(to));
  if (!s.ok()) {
    ::unlink(to.c_str());
    return s;
  }
  if (bytes) *bytes = total;
  return Status::Ok();
}

Result<std::string> MoveIntoDir(const std::string& from, const std::string& dir, const std::string& name,
                                const std::string& companion_suffix) {
  Status s = MakeDirs(dir);
  if (!s.ok()) return s;
  struct stat from_st, dir_st;
  if (::lstat(from.c_str(), &from_st) != 0) return Status::FromErrno("lstat " + from, errno);
  if (::stat(dir.c_str(), &dir_st) != 0) return Status::FromErrno("stat " + dir, errno);
  bool across = from_st.st_dev != dir_st.st_dev;
  for (int i = 0; i < 100000; ++i) {
    std::string target = JoinPath(dir, CandidateName(name, i));
    // A rename that refuses to replace (RenameNoReplace) finds a taken name by itself; a copy
    // across filesystems, and a name whose companion is taken, need a look first.
    bool look = across || !companion_suffix.empty();
    if (look && (Exists(target) || (!companion_suffix.empty() && Exists(target + companion_suffix)))) continue;
    s = across ? CopyAcross(from, target) : RenameNoReplace(from, target);
    if (s.code() == Status::Code::kInvalid) continue;  // taken meanwhile: next number
    if (!s.ok()) return s;
    s = FsyncDir(dir);
    if (s.ok()) s = FsyncDir(ParentOf(from));
    if (!s.ok()) return s;
    return target;
  }
  return Status::IoError("no free name for " + name + " in " + dir);
}

Status RemoveIfPresent(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Status::FromErrno("unlink " + path, errno);
  return Status::Ok();
}

Status TouchDurable(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno("create " + path, errno);
  Status s = FsyncFile(fd, path);
  ::close(fd);
  if (!s.ok()) return s;
  return FsyncDir(ParentOf(path));
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
