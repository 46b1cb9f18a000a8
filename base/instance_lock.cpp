#include "base/instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

#include "base/fs.h"

namespace liitos {
namespace {

// How long one refused waits for the holder's PID to appear (see HolderPid), and how often it looks.
constexpr auto kPidWait = std::chrono::milliseconds(200);
constexpr auto kPidPoll = std::chrono::milliseconds(2);

// The PID in the lock file when it names a running process, or "" (an empty file, or the PID a
// killed holder left behind).
std::string WrittenPid(int fd) {
  char buf[32];
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string_view text(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  bool digits = !text.empty() && text.size() < 10 && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits) return "";
  const pid_t pid = static_cast<pid_t>(std::stol(std::string(text)));
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return "";
  return std::string(text);
}

// The PID of the holder, or "unknown". The holder writes it right after taking the lock, so a
// file that names no running process means it is between the two (two services started in the
// same instant): the PID is waited for a moment.
std::string HolderPid(int fd) {
  const auto until = std::chrono::steady_clock::now() + kPidWait;
  for (;;) {
    std::string pid = WrittenPid(fd);
    if (!pid.empty()) return pid;
    if (std::chrono::steady_clock::now() >= until) return "unknown";
    std::this_thread::sleep_for(kPidPoll);
  }
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
