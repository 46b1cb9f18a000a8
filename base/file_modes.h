#pragma once
// What liitos creates is not readable by others (SPEC §7): files 0640 or stricter, directories
// 0750, whatever umask the process was started with (0022 from cron, 0 from a careless shell).
//
// The rule is kept at two points: RestrictUmask() once at process start covers every file and
// directory created afterwards, by our own code and by libraries alike (SQLite creates the
// journal's -wal and -shm files with the journal's mode, itself 0644 before the umask);
// LimitMode() narrows what an earlier version, or another tool, left wider.

#include <sys/types.h>

#include <string>

#include "base/status.h"

namespace liitos {

// The mask liitos adds to any umask: no write for the group, nothing for others.
inline constexpr mode_t kUmaskBits = 027;

// Adds kUmaskBits to the process umask (umask(old | 027)). Call first thing in main().
void RestrictUmask();

// Clears the permission bits (0777) of `path` outside `allowed` (e.g. 0640, 0750); leaves a mode
// already within it, and the setuid/setgid/sticky bits, alone. Symlinks are not followed. Ok when
// `path` does not exist.
Status LimitMode(const std::string& path, mode_t allowed);

}  // namespace liitos
