#pragma once
// Durable file operations: every write that matters is fsync'd, and so is its directory.

#include <string>
#include <vector>
#include <string_view>

#include "base/status.h"

namespace liitos {

class Sha256;

// fsync the directory at `dir` so that a rename or create inside it survives a crash. While a
// SyncBatch lives on this thread, the directory is only noted, and synced once by the batch.
Status FsyncDir(const std::string& dir);

// fsync the open file `fd` (its data, and the metadata needed to read it back). While a
// SyncBatch lives on this thread, the batch keeps a duplicate of `fd`, starts the data's
// writeback now and syncs it at Flush(): one journal commit of the file system for a whole round
// instead of one per file. `path` names the file in errors. The caller may close `fd` at once.
Status FsyncFile(int fd, const std::string& path);

// Groups the fsyncs of a round of files: each file (FsyncFile) and directory (FsyncDir) named on
// this thread while the batch lives is synced at Flush() (or destruction): files first, then
// directories, each directory once. The caller must Flush() before anything relies on those
// writes being durable (e.g. a journal commit), and must treat a failed Flush() as "none of
// them is durable". Nests: an inner batch hands what it noted to the outer one.
class SyncBatch {
 public:
  SyncBatch();
  ~SyncBatch();
  SyncBatch(const SyncBatch&) = delete;
  SyncBatch& operator=(const SyncBatch&) = delete;
  // Syncs every noted file and directory; the first error is returned (all are still tried).
  Status Flush();

 private:
  friend Status FsyncDir(const std::string& dir);
  friend Status FsyncFile(int fd, const std::string& path);
  struct PendingFile {
    int fd;
    std::string path;
  };
  Status FlushFiles();

  SyncBatch* outer_;
  std::vector<PendingFile> files_;
  std::vector<std::string> dirs_;
};

// Writes all of `data` to `fd`, through short writes and EINTR; `label` names the file in errors.
Status WriteAll(int fd, std::string_view data, const std::string& label);

// Copies what is left of `in` into `tmp`, created fresh (mode 0640, never through a symlink),
// and syncs it with FsyncFile (so deferred under a SyncBatch). *bytes receives the byte count.
// On failure `tmp` is removed. `from_label` names the source in errors; `in` stays open. When
// `hash` is given, every byte copied is also fed to it.
Status CopyToNewFile(int in, const std::string& from_label, const std::string& tmp, uint64_t* bytes,
                     Sha256* hash = nullptr);

// Writes `data` to `path` atomically: a unique temporary name in the same directory, fsync, rename,
// fsync of the directory. Readers see the old file or the new one, never half of it.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// This thread's 1 MiB buffer for copying and hashing files: allocated once per thread, not
// zeroed, reused by every call (a fresh 1 MiB vector per small file costs more than the file).
// Valid until the thread ends; not reentrant (callers do not nest).
struct IoBuffer {
  char* data;
  size_t size;
};
IoBuffer ThreadIoBuffer();

// Reads a whole file.
Result<std::string> ReadFile(const std::string& path);

// Creates the directory and its parents (mode 0750) if missing.
Status MakeDirs(const std::string& dir);

// A name in `dir` that does not exist yet: `name`, else `stem.1.ext`, `stem.2.ext`, …
// (never overwrites). The existence check and the later use are not atomic; callers that race
// with each other must link/rename with RENAME_NOREPLACE (see RenameNoReplace).
std::string UniqueName(const std::string& dir, const std::string& name);

// rename(2) that refuses to replace an existing target (renameat2 RENAME_NOREPLACE, falling back
// to link+unlink). Returns a kInvalid status with "exists" when the target is there.
Status RenameNoReplace(const std::string& from, const std::string& to);

// Moves `from` into `dir` under a unique name derived from `name`, fsyncs both directories.
// Returns the final path.
Result<std::string> MoveToUnique(const std::string& from, const std::string& dir, const std::string& name);

}  // namespace liitos
