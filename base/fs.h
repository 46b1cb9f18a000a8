#pragma once
// Durable file operations: every write that matters is fsync'd, and so is its directory.

#include <string>
#include <vector>
#include <string_view>

#include "base/status.h"

namespace liitos {

// fsync the directory at `dir` so that a rename or create inside it survives a crash. While a
// DirSyncBatch lives on this thread, the directory is only noted, and synced once by the batch.
Status FsyncDir(const std::string& dir);

// Groups the directory fsyncs of a round of files: each directory named by FsyncDir on this
// thread while the batch lives is synced once, at Flush() (or destruction). The caller must
// Flush() before anything relies on those entries being durable (e.g. a journal commit).
// Nests: an inner batch hands its directories to the outer one.
class DirSyncBatch {
 public:
  DirSyncBatch();
  ~DirSyncBatch();
  DirSyncBatch(const DirSyncBatch&) = delete;
  DirSyncBatch& operator=(const DirSyncBatch&) = delete;
  // Syncs every noted directory; the first error is returned (all are still tried).
  Status Flush();

 private:
  friend Status FsyncDir(const std::string& dir);
  DirSyncBatch* outer_;
  std::vector<std::string> dirs_;
};

// Writes `data` to `path` atomically: a unique temporary name in the same directory, fsync, rename,
// fsync of the directory. Readers see the old file or the new one, never half of it.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// Copies `from` to `to` (created fresh, mode 0640) and fsyncs the copy and its directory.
// `bytes_copied` receives the byte count. The copy is written under `to` + ".tmp" first.
Status CopyFileDurable(const std::string& from, const std::string& to, uint64_t* bytes_copied);

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
