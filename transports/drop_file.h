#pragma once
// Puts a file into a source's own inbox, as the legacy side would (`liitos fetch` writes a fetch
// order there, SPEC §11): under a temporary name that the source ignores, then renamed, then the
// source's done marker when it has one. A local inbox is synced; an SFTP inbox is reached with the
// source's own connection settings (host key checked against its known_hosts).

#include <string>
#include <string_view>

#include "base/status.h"
#include "config/config.h"
#include "transports/transport_context.h"

namespace liitos {

// Writes `data` as `name` in the inbox (`path`) of `src`. Fails when `name` exists there already.
// Returns where it went ("/srv/in/NAME" or "user@host:port:/in/NAME").
Result<std::string> DropFileIntoInbox(const SourceConfig& src, const TransportContext& ctx, const std::string& name,
                                      std::string_view data);

// True when the source would take a file of this name (its include globs, not an ignored name).
bool SourceWouldTake(const SourceConfig& src, const std::string& name);

}  // namespace liitos
