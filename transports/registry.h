#pragma once
// The one explicit table of transports (STYLE.md practices 5 and 7): kind -> (parse, make). Each
// transport declares and parses its own config keys in its folder (e.g. transports/dir/
// dir_config.h); adding one touches its folder and one line of transports/registry.cpp. No static
// self-registration.

#include "base/status.h"
#include "config/config.h"
#include "config/kinds.h"
#include "transports/destination.h"
#include "transports/file_sink.h"
#include "transports/source.h"
#include "transports/transport_context.h"

namespace liitos {

// The kinds of sources and destinations with their keys and parsers, for LoadConfig(). Built
// once; safe to call from any thread.
const KindSpecs& TransportKinds();

Result<SourcePtr> MakeSource(const SourceConfig& cfg, const TransportContext& ctx);
Result<DestinationPtr> MakeDestination(const DestinationConfig& cfg, const TransportContext& ctx);
// Where a feed writes import files (SPEC §11): a destination whose kind takes import files
// ("dir" or "sftp").
Result<FileSinkPtr> MakeFileSink(const DestinationConfig& cfg, const TransportContext& ctx);

}  // namespace liitos
