#pragma once
// The process's heap, set once at start (SPEC §10: memory does not grow with a file's size or a
// queue's length).

namespace liitos {

// glibc gives every thread that allocates an arena of its own, and memory freed into one arena
// is kept there for that arena's next use: intake's rounds are converted on one thread, journaled
// on another and settled on a third, so each arena came to hold a round's worth of records.
// One arena for the process: 95 MiB peak RSS fell to 67 MiB for 32 exports of 7,900 short rows
// each, with the same times (docs/performance.md, "Memory of many small exports"). The plain
// fallback is glibc's default, one arena per thread; MALLOC_ARENA_MAX in the environment wins.
void UseOneMallocArena();

}  // namespace liitos
