#pragma once
// Tells a DirSource when its inbox must be listed again. Hides the inotify backend and the
// rescan fallback behind one header (STYLE.md practice 6, fluent-bit in_tail's tail_fs.h):
// - inotify on the inbox (close-after-write, moved-in, create, attrib, delete) marks it dirty;
// - a queue overflow, a lost watch (the inbox was removed) or no inotify at all also does;
// - every `rescan` a full listing is due anyway: the safety net for missed events and for network
//   filesystems where inotify sees nothing.
//
// Threading: owned by one DirSource; not thread-safe.

#include <atomic>
#include <string>

#include "base/time/clock.h"

namespace liitos {

class DirWatch {
 public:
  DirWatch(std::string dir, Millis rescan, const Clock* clock);
  ~DirWatch();
  DirWatch(const DirWatch&) = delete;
  DirWatch& operator=(const DirWatch&) = delete;

  // The inotify descriptor (non-blocking; readable when the inbox may have changed), or -1 when
  // inotify is unavailable. Stays the same for the life of the object.
  int fd() const { return fd_; }

  // Reads every queued event without blocking; remembers whether the inbox changed.
  void Drain();

  // True when the inbox should be listed now. Drains pending events first and (re)adds the watch
  // if it was lost.
  bool ScanDue();

  // Records that a full listing has just been made.
  void Scanned();

  // Forces a listing at the next ScanDue() (e.g. after a failed listing).
  void MarkDirty() { dirty_ = true; }

  bool watching() const { return wd_ >= 0; }

 private:
  void AddWatch();

  std::string dir_;
  Millis rescan_;
  const Clock* clock_;
  int fd_ = -1;
  int wd_ = -1;
  std::atomic<bool> dirty_ = true;  // set from the intake's threads too
  bool scanned_once_ = false;
  MonoTime last_scan_{};
};

}  // namespace liitos
