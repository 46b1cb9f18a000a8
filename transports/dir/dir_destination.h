#pragma once
// The batch-file destination (`kind = "dir"`, SPEC §5.5): each batch is written to `path` as
// `{prefix}{created_at_compact}_{batch_id}.json`, first under the dotfile name ".NAME.tmp" (which
// pickers ignore), then fsync'd, renamed and the directory fsync'd; then, when `done_marker` is
// set, an empty NAME + done_marker is created. Delivered = renamed. Sending the same batch again
// rewrites the same name (idempotent). Disk errors answer Retry with the errno text; the scheduler
// owns backoff. A batch id or timestamp that would make an unsafe file name answers Fatal.

#include <string>

#include "transports/destination.h"
#include "transports/dir/dir_config.h"
#include "transports/transport_context.h"

namespace liitos {

// Builds a dir destination. Fails (kInvalid) for an empty path. The folder need not exist yet.
Result<DestinationPtr> MakeDirDestination(const DestinationConfig& cfg, const TransportContext& ctx);

class DirDestination : public Destination {
 public:
  explicit DirDestination(const DestinationConfig& cfg) : cfg_(cfg), folder_(DirDestinationSettingsOf(cfg)) {}

  const DestinationConfig& config() const override { return cfg_; }
  SendResult Send(const OutgoingBatch& batch) override;
  Status Check(std::vector<std::string>* report) override;

  // The final file name of a batch: "{prefix}{created_at_compact}_{batch_id}.json".
  std::string FileNameFor(const OutgoingBatch& batch) const;

 private:
  Status WriteBatch(const std::string& name, const std::string& document);

  DestinationConfig cfg_;
  FolderSettings folder_;  // cfg_'s own keys
};

}  // namespace liitos
