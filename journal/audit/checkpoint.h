#pragma once
// Checkpoints (SPEC §7): the chain head — sequence number and hash — with the time, signed with
// an Ed25519 key that lives outside the journal, written as one line to a folder meant to be
// another machine's share or write-once storage. Someone who rewrites an event and recomputes
// every hash after it keeps `journal verify` content, but not the checkpoints: a signed
// (seq, hash) that the chain no longer holds gives the rewrite away.
//
// A checkpoint line (version 1), one per line, fields separated by one space:
//   liitos-checkpoint-v1 seq=<n> hash=<64 hex> time=<Helsinki time with offset> key=<fingerprint> sig=<base64>
// `sig` is the Ed25519 signature of every byte of the line before " sig=". `key` is the signing
// key's fingerprint (CheckpointKey::fingerprint).
//
// Every function opens the journal read-only: checkpoints are taken and checked while the service
// writes, and from any copy of the journal.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time/clock.h"
#include "base/status.h"
#include "journal/audit/checkpoint_key.h"

namespace liitos {

namespace ev {
// The service's journal event for each checkpoint it writes (SPEC §7): detail seq, hash, key,
// signature, and the checkpoint file (or why it could not be written).
inline constexpr const char* kCheckpoint = "CHECKPOINT";
}  // namespace ev

// The file in the checkpoint folder that the service and `journal checkpoint` append to.
inline constexpr const char* kCheckpointFile = "liitos.checkpoints";

struct Checkpoint {
  int64_t seq = 0;        // the last event the checkpoint covers; 0 for an empty journal
  std::string hash;       // that event's hash (kGenesisHash for an empty journal)
  std::string time;       // when it was signed: "2026-11-20T14:05:00+02:00"
  std::string key;        // the key's fingerprint
  std::string signature;  // base64

  // The line without its newline.
  std::string Line() const;
  // What `signature` signs: Line() up to " sig=".
  std::string SignedText() const;
};

// Parses one line (without its newline). Invalid with the reason when it is not a v1 checkpoint.
Result<Checkpoint> ParseCheckpoint(std::string_view line);

// Signs the head of the journal at `db_path` as it is now (the last committed event), after
// syncing the journal's files so that the head it signs survives a power cut.
Result<Checkpoint> TakeCheckpoint(const std::string& db_path, const CheckpointKey& key, SysTime now);

// Appends `c` as a line to `dir`/kCheckpointFile (created mode 0640) and syncs it. The folder
// must exist: it is meant to be another machine's share, and a missing mount must not turn into a
// local folder that nobody keeps.
Status AppendCheckpoint(const std::string& dir, const Checkpoint& c);

struct CheckpointsResult {
  int64_t checked = 0;             // well-formed lines whose signature and (seq, hash) were checked
  int64_t latest_seq = 0;          // the highest seq a valid checkpoint covers
  std::string latest_time;         // that checkpoint's time
  std::vector<std::string> files;  // the checkpoint files read
  // Checkpoints of events after the journal's last one, when the journal is a copy (`copy`): the
  // copy was taken before them. Not checked, not problems.
  int64_t after_copy = 0;
  // Every problem: "FILE:LINE: why". Empty when every checkpoint is signed by `key` and still on
  // the chain.
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// Checks every line of every regular file named *.checkpoints in `dir` against the journal at
// `db_path`: the line parses, is signed by `key` and its signature is valid, and event `seq` is in
// the journal with hash `hash`. A checkpoint of an event after the journal's last one is a problem
// (events were cut off the end) unless `copy` says the journal is a copy taken earlier (a backup):
// then it is counted in after_copy. A Status error only when the folder or the journal cannot be
// read.
Result<CheckpointsResult> VerifyCheckpoints(const std::string& db_path, const std::string& dir,
                                            const CheckpointKey& key, bool copy = false);

}  // namespace liitos
