#pragma once
// FileSink (transports/file_sink.h) into the remote `path` of a `kind = "sftp"` destination: the
// data under a unique temporary name, renamed over NAME (SftpSession::PutReplacing), then the
// done marker. One connection, kept open; Put() calls from several threads take turns on it.

#include "transports/file_sink.h"
#include "transports/sftp/sftp_session.h"
#include "transports/transport_context.h"

namespace liitos {

// Fails (kInvalid) when cfg is not an sftp destination or lacks host, user, identity,
// known_hosts or path.
Result<FileSinkPtr> MakeSftpFileSink(const DestinationConfig& cfg, const TransportContext& ctx,
                                     SftpOptions opts = SftpOptions{});

}  // namespace liitos
