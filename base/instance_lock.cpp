#include "base/instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "base/fs.h"

namespace liitos {
namespace {

// The PID the holder wrote, or "unknown". The holder writes it right after taking the lock, so
// an empty file means it is between the two.
std::string HolderPid(int fd) {
  char buf[32];
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string_view text(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  return digits ? std::string(text) : "unknown";
}

}  // namespace

Result<std::unique_ptr<InstanceLock>> InstanceLock::Acquire(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno("open lock file " + path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    if (e == EWOULDBLOCK) {
      std::string pid = HolderPid(fd);
      ::close(fd);
      return Status::Retry("another liitos (pid " + pid + ") holds " + path);
    }
    ::close(fd);
    return Status::FromErrno("lock " + path, e);
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  Status s;
  if (::ftruncate(fd, 0) != 0) s = Status::FromErrno("truncate " + path, errno);
  if (s.ok()) s = WriteAll(fd, pid, path);
  if (!s.ok()) {
    ::close(fd);
    return s;
  }
  return std::unique_ptr<InstanceLock>(new InstanceLock(path, fd));
}

InstanceLock::~InstanceLock() { ::close(fd_); }

}  // namespace liitos
