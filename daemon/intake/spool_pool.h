#pragma once
// Emptied spool files, kept for the next copies instead of being deleted.
//
// A burst of small exports creates and removes a spool copy per file. On ext4 without a journal
// (as on the project's machine), every new inode makes the allocator step over each inode freed
// in the last minutes (`recently_deleted` in ext4's ialloc.c): after a few thousand files that
// was 15 % of liitos's CPU. A copy that is done with is therefore emptied (truncated to zero
// bytes: no content is kept) and renamed into `{state_dir}/spool/.free`; the next copy is
// written into such a file, renamed into place first. Nothing here needs to be durable: after a
// crash, a file left in a source's spool folder that the journal does not know is removed at
// start (Intake::ResumeSpooled), and the files in .free are adopted again.
//
// With max_free = 0 nothing is kept: each copy is created and removed when done, the plain way
// and this trick's fallback (tests/daemon/spool_pool_test.cpp holds the two equal).
//
// Place and Recycle may be called from different threads (the intake's fetching and settling).

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace liitos {

class SpoolPool {
 public:
  explicit SpoolPool(std::string dir, size_t max_free = 1024);

  // Puts an empty kept file at `path` (which must not exist) when there is one. The copy then
  // opens `path` with O_TRUNC and reuses its inode. Failing is harmless: the copy creates it.
  void Place(const std::string& path);

  // Empties the spool copy at `path` and keeps it, or removes it when the pool is full or the
  // file cannot be kept. Either way nothing of its content is left.
  void Recycle(const std::string& path);

  size_t free_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return free_.size();
  }

 private:
  void LoadLocked();

  std::string dir_;
  size_t max_free_;
  mutable std::mutex mu_;  // guards what follows
  bool loaded_ = false;
  std::vector<std::string> free_;
  uint64_t next_ = 0;
};

}  // namespace liitos
