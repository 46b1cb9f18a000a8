#include "transports/registry.h"

#include "transports/dir/dir_destination.h"
#include "transports/dir/dir_file_sink.h"
#include "transports/dir/dir_source.h"
#include "transports/sftp/sftp_destination.h"
#include "transports/sftp/sftp_file_sink.h"
#include "transports/sftp/sftp_source.h"
#include "transports/xroad/xroad_destination.h"

namespace liitos {

// The one table of transports: kind -> factory.
Result<SourcePtr> MakeSource(const SourceConfig& cfg, const TransportContext& ctx) {
  switch (cfg.kind) {
    case SourceKind::kDir: return MakeDirSource(cfg, ctx);
    case SourceKind::kSftp: return MakeSftpSource(cfg, ctx);
  }
  return Status::Invalid("source " + cfg.name + ": unknown kind");
}

Result<DestinationPtr> MakeDestination(const DestinationConfig& cfg, const TransportContext& ctx) {
  switch (cfg.kind) {
    case DestinationKind::kDir: return MakeDirDestination(cfg, ctx);
    case DestinationKind::kSftp: return MakeSftpDestination(cfg, ctx);
    case DestinationKind::kXroad: return MakeXroadDestination(cfg, ctx.xroad_client, ctx);
  }
  return Status::Invalid("destination " + cfg.name + ": unknown kind");
}

Result<FileSinkPtr> MakeFileSink(const DestinationConfig& cfg, const TransportContext& ctx) {
  switch (cfg.kind) {
    case DestinationKind::kDir: return MakeDirFileSink(cfg, ctx);
    case DestinationKind::kSftp: return MakeSftpFileSink(cfg, ctx);
    case DestinationKind::kXroad: break;
  }
  return Status::Invalid("destination " + cfg.name + ": import files go to a destination of kind dir or sftp");
}

}  // namespace liitos
