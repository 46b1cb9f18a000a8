#pragma once
// The stability tracker of a drop folder: a file is complete when what lstat says about it (size,
// mtime, ctime, inode) has stayed the same for `settle`, measured on liitos's own monotonic clock
// between observations (SPEC §3). The file's mtime is never compared with "now": copies keep old
// mtimes. The first observation starts the timer; any change restarts it.
//
// Threading: owned by one DirSource; not thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/time/clock.h"

namespace liitos {

// What one lstat said about a file; equal stamps mean "unchanged".
struct FileStamp {
  uint64_t dev = 0;
  uint64_t ino = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

class SettleTracker {
 public:
  explicit SettleTracker(Millis settle) : settle_(settle) {}

  // Starts a full listing: entries not observed again before EndScan() are forgotten.
  void BeginScan() { ++generation_; }
  // Forgets every entry the listing since BeginScan() did not observe (the file went away).
  void EndScan();

  // Records that `name` looks like `stamp` at `now`. True when the stamp has been unchanged for at
  // least `settle` (a settle of zero takes a file on its first observation).
  bool Observe(const std::string& name, const FileStamp& stamp, MonoTime now);


  void Forget(const std::string& name) { entries_.erase(name); }
  // Entries observed but not settled yet: while there are any, the folder must be looked at again
  // even if nothing announced a change.
  size_t pending() const;
  // When the earliest pending entry will have been unchanged for `settle` (if it stays so), or
  // nullopt when nothing is pending.
  std::optional<MonoTime> NextSettle() const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    FileStamp stamp;
    MonoTime since;  // when `stamp` was first seen
    uint64_t generation = 0;
    bool settled = false;
  };
  Millis settle_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace liitos
