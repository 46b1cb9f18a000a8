#pragma once
// One running service per state directory (SPEC §10): an exclusive, non-blocking flock(2) on a lock
// file that also holds the PID of the process that has it, so that the one refused can say who.
// The kernel drops the lock when the holder exits, however it exits; a lock file left behind by a
// killed process is simply taken again.

#include <memory>
#include <string>

#include "base/status.h"

namespace liitos {

class InstanceLock {
 public:
  // Takes the lock on `path` (created mode 0640 when missing, never through a symlink) without
  // waiting, and writes this process's PID into it. Retry with "another liitos (pid N) holds PATH"
  // when another process holds it; a holder that has not written its PID yet (or whose file still
  // names a process that is gone) is given a moment (at most 200 ms) to write it, and N is
  // "unknown" if it does not. IoError when the file cannot be opened or locked.
  static Result<std::unique_ptr<InstanceLock>> Acquire(const std::string& path);

  // Releases the lock (the file stays; its PID is then stale and means nothing without the lock).
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  InstanceLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

}  // namespace liitos
