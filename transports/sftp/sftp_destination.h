#pragma once
// Delivery as files over SFTP (SPEC §5.5): `{prefix}{created_at_compact}_{batch_id}.json` in the
// remote `path`, written under a temporary name and renamed when complete, then the optional done
// marker. Re-sending the same batch replaces the same file (idempotent).
//
// Outcomes: kRetry for connection trouble (not connected, lost, backing off, host key or
// authentication refused: fixed outside liitos, then the next attempt goes through); kFatal when
// the server refuses the path itself (permission denied, no such directory): a configuration
// fault. Threading: one thread drives a destination.

#include <memory>
#include <string>
#include <vector>

#include "transports/destination.h"
#include "transports/sftp/sftp_config.h"
#include "transports/sftp/sftp_session.h"
#include "transports/transport_context.h"

namespace liitos {

Result<DestinationPtr> MakeSftpDestination(const DestinationConfig& cfg, const TransportContext& ctx);
Result<DestinationPtr> MakeSftpDestination(const DestinationConfig& cfg, const TransportContext& ctx,
                                           SftpOptions opts);

// "{prefix}{created_at_compact}_{batch_id}.json"
std::string SftpBatchFileName(const std::string& prefix, const OutgoingBatch& batch);

class SftpDestination : public Destination {
 public:
  SftpDestination(DestinationConfig cfg, TransportContext ctx, SftpOptions opts);

  const DestinationConfig& config() const override { return cfg_; }
  SendResult Send(const OutgoingBatch& batch) override;
  Status Check(std::vector<std::string>* report) override;

  std::optional<bool> Connected() const override { return session_ && session_->connected(); }

 private:
  DestinationConfig cfg_;
  SftpDestinationSettings sftp_;  // cfg_'s own keys
  std::unique_ptr<SftpSession> session_;
};

}  // namespace liitos
