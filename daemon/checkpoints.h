#pragma once
// The service's checkpoints (SPEC §7): every service.checkpoint_interval and at stop, the chain
// head signed with service.checkpoint_key, appended to service.checkpoint_dir, logged at info
// level (journald and any remote syslog keep it) and journaled as a CHECKPOINT event.
//
// Used by the service loop's thread only.

#include <memory>
#include <string>

#include "base/time/clock.h"
#include "config/config.h"
#include "journal/audit/checkpoint.h"
#include "journal/journal.h"

namespace liitos {

class CheckpointWriter {
 public:
  // nullptr (and Ok) when the config has no checkpoint_key. Invalid when the key cannot be read:
  // a configured key that does not work stops start-up (and a reload keeps the old config).
  static Result<std::unique_ptr<CheckpointWriter>> Make(const Config& cfg, Clock& clock);

  // Writes a checkpoint when checkpoint_interval has passed since the last one (or since Make).
  void MaybeWrite(Journal& journal);
  // Writes one now. A folder that cannot be written is logged as an error, and the checkpoint
  // still goes to the log and the journal.
  Status Write(Journal& journal);

 private:
  CheckpointWriter(CheckpointKey key, std::string dir, Millis interval, std::string db_path, Clock& clock);
  CheckpointKey key_;
  std::string dir_;
  Millis interval_;
  std::string db_path_;
  Clock& clock_;
  MonoTime last_;
};

// `liitos journal checkpoint`: one checkpoint now, appended to checkpoint_dir and printed.
int WriteCheckpointNow(const Config& cfg);

}  // namespace liitos
