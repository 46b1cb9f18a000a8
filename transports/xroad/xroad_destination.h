#pragma once
// Delivery over X-Road REST (SPEC §5.4): POST of the batch document to the authority's own
// security server, answered Ok / Retry / Fatal as xroad_outcome.h describes. The receiver's body
// comes back raw in SendResult::body; formats/interface parses it (this folder never does).
//
// Its keys are declared and parsed in xroad_config.h (XroadSettings); of those, give_up_after is
// the scheduler's, as are schedule, interval and max_batch_items.
//
// Threading: one thread drives the destination; the libcurl handle is reused between sends so
// the connection to the security server stays open (keep-alive).

#include <string>

#include "base/status.h"
#include "config/config.h"
#include "transports/destination.h"
#include "transports/transport_context.h"
#include "transports/xroad/xroad_config.h"

namespace liitos {

// `xroad_client` is the sender's identity ("FI/MUN/0204819-8/liitos"), sent as X-Road-Client.
// Fails (kInvalid) when cfg is not an xroad destination, the url is neither http:// nor https://,
// or xroad_client is empty. A plain http:// url without allow_plain_http is accepted here, but
// every Send answers kFatal "plain http refused" and Check fails: config validation is expected
// to have stopped start-up already.
Result<DestinationPtr> MakeXroadDestination(const DestinationConfig& cfg, const std::string& xroad_client,
                                            const TransportContext& ctx);
// The same with ctx.xroad_client.
Result<DestinationPtr> MakeXroadDestination(const DestinationConfig& cfg, const TransportContext& ctx);

// Where the client key is read from: `configured` when that file exists; otherwise, when systemd
// passed credentials ($CREDENTIALS_DIRECTORY) and <that dir>/<basename of configured> exists,
// that file; otherwise `configured` (and the send will fail on it).
std::string ResolveCredentialFile(const std::string& configured);

}  // namespace liitos
