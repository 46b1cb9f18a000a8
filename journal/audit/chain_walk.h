#pragma once
// The hash chain's walk for `journal verify` (journal/audit/audit.h), in parallel: the chain checks
// each event against stored values only — its hash against SHA-256(its prev_hash ‖ canonical
// event), its prev_hash against the stored hash of the event before — so ranges of seq can be
// checked side by side and joined at their edges. Each thread reads its range on a read-only
// connection of its own; rows are hashed from SQLite's buffers without building an Event
// (CanonicalEvent's encoding, journal/event_hash.h; a test holds the two equal).

#include <cstdint>
#include <string>

#include "base/status.h"

namespace liitos {

struct ChainWalk {
  bool ok = false;
  int64_t events = 0;         // events found good before the first bad one (all, when ok)
  int64_t first_bad_seq = 0;  // the first bad event (0 when ok)
  std::string why;            // as VerifyJournal words it
  int64_t last_seq = 0;       // the last event walked (when ok)
  std::string last_hash;      // its hash (kGenesisHash for an empty chain)
};

// Walks events 1 … `last_seq` of the journal at `db_path` on up to `threads` threads, each taking
// at least `min_per_thread` events (below that a thread costs more than it saves). The verdict is
// the one a walk on one thread gives. A Status error when the file cannot be read at all; a
// damaged row is a bad event like any other.
Result<ChainWalk> WalkChain(const std::string& db_path, int64_t last_seq, int threads,
                            int64_t min_per_thread = 200'000);

}  // namespace liitos
