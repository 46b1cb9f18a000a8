#pragma once
// File operations of the dir transports that base/fs.h does not have: copying from an already
// opened descriptor (so the bytes copied are those of the file that was checked), moving into a
// folder under a unique name even across filesystems, and small lstat helpers.
// Every create and rename is fsync'd together with its directory.

#include <sys/stat.h>

#include <string>

#include "base/fs.h"
#include "base/crypto/hash.h"
#include "base/status.h"
#include "transports/dir/settle.h"

namespace liitos {

FileStamp StampOf(const struct stat& st);

// `path` + `suffix` (`error/NAME.reason.txt`), its name fitted to NAME_MAX (base/file_names.h).
std::string CompanionPath(const std::string& path, const std::string& suffix);
// "dir/name".
std::string JoinPath(const std::string& dir, const std::string& name);
// The folder holding `path` ("." when none).
std::string ParentOf(const std::string& path);
// A sibling of `path` called `name`: "/srv/x/in" -> "/srv/x/archive".
std::string SiblingOf(const std::string& path, const std::string& name);

// Copies the open regular file `in` (read from its current offset to EOF) into `to`, a fresh
// name nothing else reads before this returns (a spool copy): written in place, its data and
// directory synced through `batch` (durable once the caller has flushed it). On failure nothing
// is left at `to`.
Status CopyFdDurable(int in, const std::string& from_label, const std::string& to, uint64_t* bytes,
                     Sha256* hash, SyncBatch* batch);

// Moves `from` into `dir` (created if missing) as `name`, or `stem.N.ext` when that name — or the
// name plus `companion_suffix`, when not empty — is taken; never overwrites. Symlinks are moved as
// links, never followed. Across filesystems a regular file is copied durably and then unlinked.
// Both directories are fsync'd, through `batch` when given (a copy across filesystems is synced
// before its original is unlinked, whatever `batch`). Returns the final path.
Result<std::string> MoveIntoDir(const std::string& from, const std::string& dir, const std::string& name,
                                const std::string& companion_suffix, SyncBatch* batch = nullptr);

// unlink(2); a missing file is fine. Does not fsync.
Status RemoveIfPresent(const std::string& path);

// Writes an empty file at `path` (truncating) and fsyncs it and its directory (through `batch`
// when given).
Status TouchDurable(const std::string& path, SyncBatch* batch = nullptr);

// Ok when `dir` is a directory this process can write into, or does not exist yet but its nearest
// existing ancestor is one (so it can be created).
Status CheckWritableOrCreatable(const std::string& dir);

}  // namespace liitos
