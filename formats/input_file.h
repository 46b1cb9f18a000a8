#pragma once
// Opening an export for a reader (SPEC §8: convert "never hangs on a FIFO or an endless device").
// Only a regular file is read: a FIFO, a device, a socket or a directory is refused before a byte
// is read, and the open itself never blocks (O_NONBLOCK: a FIFO without a writer would otherwise
// wait for one).

#include <sys/types.h>

#include <string>

#include "base/status.h"

namespace liitos {

// "a directory", "a FIFO", "a character device", …: what a file of mode `mode` is, for a refusal.
const char* FileKindName(mode_t mode);

// Opens `path` read-only and close-on-exec without blocking, then checks with fstat(2) that it is
// a regular file. Returns the descriptor, blocking again (the caller owns and closes it).
// Errors: open(2) and fstat(2) failures as Status::FromErrno(context, errno) (kNotFound for a
// missing file); kInvalid "PATH is not a regular file (a FIFO)" for anything else.
Result<int> OpenRegularFile(const std::string& path, const std::string& context);

// The whole content of the regular file `path`, opened as OpenRegularFile does ("open PATH" as
// its context).
Result<std::string> ReadRegularFile(const std::string& path);

}  // namespace liitos
