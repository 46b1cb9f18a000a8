#pragma once
// FileSink (transports/file_sink.h) into a local folder: `.NAME.tmp`, fsync, rename over NAME,
// fsync of the folder, then NAME + done_marker (synced). The folder is created when missing.
// Put() keeps no state and may run on any number of threads.

#include "transports/file_sink.h"
#include "transports/transport_context.h"

namespace liitos {

// Fails (kInvalid) when cfg is not a dir destination or its path is empty.
Result<FileSinkPtr> MakeDirFileSink(const DestinationConfig& cfg, const TransportContext& ctx);

}  // namespace liitos
