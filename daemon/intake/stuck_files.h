#pragma once
// Files that cannot be taken (SPEC §3 "Nothing is stuck in silence"): unreadable by the service
// user, or an archive or error folder that refuses the move. Each is reported once per cause (the
// caller journals FILE_STUCK, logs one warning and writes a receipt when Report says so), rests
// until its next try is due (not tried again at every poll), and is forgotten once taken.
//
// Thread-safety: every method may be called from any thread.

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "base/time/clock.h"

namespace liitos {

class StuckFiles {
 public:
  // A stuck file is tried again `retry_every` after its last try.
  StuckFiles(Clock& clock, Millis retry_every) : clock_(clock), retry_every_(retry_every) {}

  // True while `name` of `source` rests after a failed try.
  bool Resting(const std::string& source, const std::string& name) const;
  // Records a failed try. True when this cause is new for the file (report it); false when the
  // same cause was reported before (stay quiet).
  bool Report(const std::string& source, const std::string& name, const std::string& cause);
  // The file was taken (or left the drop): it is no longer stuck.
  void Clear(const std::string& source, const std::string& name);
  // Forgets the stuck files of `source` that are no longer offered (gone from the drop).
  void Retain(const std::string& source, const std::set<std::string>& offered);
  // How many files are stuck now (for `run --once`'s exit code and metrics).
  size_t Count() const;

 private:
  struct Entry {
    std::string cause;
    MonoTime last_try;
  };
  static std::string Key(const std::string& source, const std::string& name) { return source + '\0' + name; }
  Clock& clock_;
  const Millis retry_every_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> stuck_;
};

}  // namespace liitos
