#include "transports/registry.h"

#include <functional>
#include <vector>

#include "transports/dir/dir_config.h"
#include "transports/dir/dir_destination.h"
#include "transports/dir/dir_file_sink.h"
#include "transports/dir/dir_source.h"
#include "transports/sftp/sftp_config.h"
#include "transports/sftp/sftp_destination.h"
#include "transports/sftp/sftp_file_sink.h"
#include "transports/sftp/sftp_source.h"
#include "transports/xroad/xroad_config.h"
#include "transports/xroad/xroad_destination.h"

namespace liitos {
namespace {

using MakeSourceFn = std::function<Result<SourcePtr>(const SourceConfig&, const TransportContext&)>;
using MakeDestinationFn = std::function<Result<DestinationPtr>(const DestinationConfig&, const TransportContext&)>;
using MakeFileSinkFn = std::function<Result<FileSinkPtr>(const DestinationConfig&, const TransportContext&)>;

struct SourceTransport {
  SourceKindSpec spec;  // kind, its keys, its parser
  MakeSourceFn make;
};

struct DestinationTransport {
  DestinationKindSpec spec;
  MakeDestinationFn make;
  MakeFileSinkFn make_file_sink;  // empty when the kind takes no import files
};

// The one table of transports, in the order messages list the kinds.
const std::vector<SourceTransport>& SourceTransports() {
  static const std::vector<SourceTransport> kTable = {
      {DirSourceSpec(), [](auto& c, auto& x) { return MakeDirSource(c, x); }},
      {SftpSourceSpec(), [](auto& c, auto& x) { return MakeSftpSource(c, x); }},
  };
  return kTable;
}

const std::vector<DestinationTransport>& DestinationTransports() {
  static const std::vector<DestinationTransport> kTable = {
      {XroadDestinationSpec(), [](auto& c, auto& x) { return MakeXroadDestination(c, x); }, nullptr},
      {DirDestinationSpec(), [](auto& c, auto& x) { return MakeDirDestination(c, x); },
       [](auto& c, auto& x) { return MakeDirFileSink(c, x); }},
      {SftpDestinationSpec(), [](auto& c, auto& x) { return MakeSftpDestination(c, x); },
       [](auto& c, auto& x) { return MakeSftpFileSink(c, x); }},
  };
  return kTable;
}

template <class T>
const T* Find(const std::vector<T>& table, const std::string& kind) {
  for (const T& t : table)
    if (t.spec.kind == kind) return &t;
  return nullptr;
}

}  // namespace

const KindSpecs& TransportKinds() {
  static const KindSpecs kKinds = [] {
    KindSpecs k;
    for (const auto& t : SourceTransports()) k.sources.push_back(t.spec);
    for (const auto& t : DestinationTransports()) k.destinations.push_back(t.spec);
    return k;
  }();
  return kKinds;
}

Result<SourcePtr> MakeSource(const SourceConfig& cfg, const TransportContext& ctx) {
  if (const SourceTransport* t = Find(SourceTransports(), cfg.kind)) return t->make(cfg, ctx);
  return Status::Invalid("source " + cfg.name + ": unknown kind");
}

Result<DestinationPtr> MakeDestination(const DestinationConfig& cfg, const TransportContext& ctx) {
  if (const DestinationTransport* t = Find(DestinationTransports(), cfg.kind)) return t->make(cfg, ctx);
  return Status::Invalid("destination " + cfg.name + ": unknown kind");
}

Result<FileSinkPtr> MakeFileSink(const DestinationConfig& cfg, const TransportContext& ctx) {
  const DestinationTransport* t = Find(DestinationTransports(), cfg.kind);
  if (t && t->make_file_sink) return t->make_file_sink(cfg, ctx);
  return Status::Invalid("destination " + cfg.name + ": import files go to a destination of kind dir or sftp");
}

}  // namespace liitos
