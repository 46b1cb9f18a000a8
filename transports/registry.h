#pragma once
// The one explicit table of transports (STYLE.md practice 5): kind -> factory. No static
// self-registration.

#include <atomic>
#include <functional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "transports/destination.h"
#include "transports/file_sink.h"
#include "transports/source.h"

namespace liitos {

// Context shared by the transports of one service.
struct TransportContext {
  Clock* clock = nullptr;
  std::string state_dir;
  std::string xroad_client;  // the sender's X-Road client id (interface.xroad_client)
  // Set when the service is asked to stop: long transfers may give up early (safely: nothing is
  // marked done that was not).
  const std::atomic<bool>* stop = nullptr;
  // Called when an SFTP host key is refused: (endpoint "user@host:port", offered fingerprint).
  std::function<void(const std::string&, const std::string&)> on_hostkey_refused;
};

Result<SourcePtr> MakeSource(const SourceConfig& cfg, const TransportContext& ctx);
Result<DestinationPtr> MakeDestination(const DestinationConfig& cfg, const TransportContext& ctx);
// Where a feed writes import files (SPEC §11): a destination of kind "dir" or "sftp".
Result<FileSinkPtr> MakeFileSink(const DestinationConfig& cfg, const TransportContext& ctx);

}  // namespace liitos
