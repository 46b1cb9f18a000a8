#include "transports/dir/dir_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace liitos {

namespace {
constexpr uint32_t kWatchMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_DELETE |
                                IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
}  // namespace

DirWatch::DirWatch(std::string dir, Millis rescan, const Clock* clock)
    : dir_(std::move(dir)), rescan_(rescan), clock_(clock) {
  fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  AddWatch();
}

DirWatch::~DirWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void DirWatch::AddWatch() {
  if (fd_ < 0 || wd_ >= 0) return;
  wd_ = ::inotify_add_watch(fd_, dir_.c_str(), kWatchMask);
  if (wd_ >= 0) dirty_ = true;  // files may have come while nothing watched
}

void DirWatch::Drain() {
  if (fd_ < 0) return;
  alignas(struct inotify_event) char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN: queue empty
    for (ssize_t off = 0; off < n;) {
      struct inotify_event ev;
      std::memcpy(&ev, buf + off, sizeof ev);
      off += static_cast<ssize_t>(sizeof(struct inotify_event) + ev.len);
      dirty_ = true;
      if (ev.wd == wd_ && (ev.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))) {
        // The watched inbox went away or moved: watch the path again at the next ScanDue().
        if (ev.mask & IN_MOVE_SELF) ::inotify_rm_watch(fd_, wd_);
        wd_ = -1;
      }
    }
  }
}

bool DirWatch::ScanDue() {
  Drain();
  AddWatch();
  if (dirty_ || !scanned_once_ || wd_ < 0) return true;
  return clock_->Monotonic() - last_scan_ >= rescan_;
}

void DirWatch::Scanned() {
  dirty_ = false;
  scanned_once_ = true;
  last_scan_ = clock_->Monotonic();
}

}  // namespace liitos
