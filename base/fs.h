#pragma once
// Durable file operations: every write that matters is fsync'd, and so is its directory.

#include <functional>
#include <string>
#include <vector>
#include <string_view>

#include "base/status.h"

namespace liitos {

class Sha256;

class SyncBatch;

// fsync the directory at `dir` so that a rename or create inside it survives a crash. With
// `batch`, the directory is only noted, and synced once by batch->Flush(); without, now.
Status FsyncDir(const std::string& dir, SyncBatch* batch = nullptr);

// fsync the open file `fd` (its data, and the metadata needed to read it back); `path` names the
// file in errors. Without `batch` the sync happens now. With `batch`, the batch keeps a
// duplicate of `fd`, starts the data's writeback now and syncs it at Flush(): one journal commit
// of the file system for a whole round of files instead of one per file. Either way the caller
// may close `fd` at once.
Status FsyncFile(int fd, const std::string& path, SyncBatch* batch = nullptr);

// The fsyncs of a round of files, handed explicitly to every call that must honour them
// (FsyncFile, FsyncDir and the calls below that take a `SyncBatch*`): each file and directory
// noted is synced at Flush() (or destruction), files first, then directories, each directory
// once. Until Flush() has returned Ok, nothing noted may be relied on as durable: the caller
// flushes before it records anything that rests on those writes (e.g. a journal commit), and
// treats a failed Flush() as "none of them is durable". One thread uses a batch at a time.
class SyncBatch {
 public:
  SyncBatch() = default;
  ~SyncBatch();  // flushes what is left; its error is lost (call Flush() to see it)
  SyncBatch(const SyncBatch&) = delete;
  SyncBatch& operator=(const SyncBatch&) = delete;
  // Syncs every noted file and directory; the first error is returned (all are still tried).
  Status Flush();

 private:
  friend Status FsyncDir(const std::string& dir, SyncBatch* batch);
  friend Status FsyncFile(int fd, const std::string& path, SyncBatch* batch);
  struct PendingFile {
    int fd;
    std::string path;
  };
  Status FlushFiles();

  std::vector<PendingFile> files_;
  std::vector<std::string> dirs_;
};

// Writes all of `data` to `fd`, through short writes and EINTR; `label` names the file in errors.
Status WriteAll(int fd, std::string_view data, const std::string& label);

// Copies what is left of `in` into `tmp`, created fresh (mode 0640, never through a symlink),
// and syncs it with FsyncFile(…, batch) (so deferred to `batch` when given). *bytes receives the
// byte count. On failure `tmp` is removed. `from_label` names the source in errors; `in` stays
// open. When `hash` is given, every byte copied is also fed to it.
Status CopyToNewFile(int in, const std::string& from_label, const std::string& tmp, uint64_t* bytes,
                     Sha256* hash = nullptr, SyncBatch* batch = nullptr);

// Writes `data` to `path` atomically: a unique temporary name in the same directory, fsync, rename,
// fsync of the directory (both deferred to `batch` when given). Readers see the old file or the
// new one, never half of it.
Status WriteFileAtomic(const std::string& path, std::string_view data, SyncBatch* batch = nullptr);

// This thread's 1 MiB buffer for copying and hashing files: allocated once per thread, not
// zeroed, reused by every call (a fresh 1 MiB vector per small file costs more than the file).
// Valid until the thread ends; not reentrant (callers do not nest).
struct IoBuffer {
  char* data;
  size_t size;
};
IoBuffer ThreadIoBuffer();

// Reads the file at `path` in pieces of up to 1 MiB (this thread's IoBuffer: `piece` must not
// use ThreadIoBuffer itself) and hands each to `piece`; stops at the first error, the file's or
// the one `piece` returns.
Status ReadPieces(const std::string& path, const std::function<Status(std::string_view)>& piece);

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

// Moves `from` into `dir` under a unique name derived from `name`, fsyncs both directories
// (deferred to `batch` when given). Returns the final path.
Result<std::string> MoveToUnique(const std::string& from, const std::string& dir, const std::string& name,
                                 SyncBatch* batch = nullptr);

}  // namespace liitos
