#include "daemon/metrics.h"

#include <fmt/format.h>

#include "base/fs.h"
#include "base/helsinki_time.h"

namespace liitos {

std::string Metrics::Render() const {
  std::string out;
  std::vector<std::string> names;
  for (const auto& d : cfg_.destinations) names.push_back(d.name);
  auto stats = journal_.Stats(names);
  out += "# HELP liitos_outbox_pending Status updates waiting for a batch.\n# TYPE liitos_outbox_pending gauge\n";
  if (stats.ok())
    for (const auto& s : *stats)
      out += fmt::format("liitos_outbox_pending{{destination=\"{}\"}} {}\n", s.destination, s.pending);
  out += "# HELP liitos_batches_open Batches waiting for their first attempt or a retry.\n"
         "# TYPE liitos_batches_open gauge\n";
  if (stats.ok())
    for (const auto& s : *stats)
      out += fmt::format("liitos_batches_open{{destination=\"{}\"}} {}\n", s.destination, s.open_batches);
  out += "# HELP liitos_batches_failed Batches that failed and wait for `liitos retry`.\n"
         "# TYPE liitos_batches_failed gauge\n";
  if (stats.ok())
    for (const auto& s : *stats)
      out += fmt::format("liitos_batches_failed{{destination=\"{}\"}} {}\n", s.destination, s.failed_batches);
  out += "# HELP liitos_last_delivery_timestamp_seconds Time of the last successful delivery.\n"
         "# TYPE liitos_last_delivery_timestamp_seconds gauge\n";
  if (stats.ok())
    for (const auto& s : *stats) {
      auto t = ParseIsoInstant(s.last_delivery_at);
      long secs = t ? static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count()) : 0;
      out += fmt::format("liitos_last_delivery_timestamp_seconds{{destination=\"{}\"}} {}\n", s.destination, secs);
    }
  return out;
}

Status Metrics::Write() const {
  if (!cfg_.service.metrics_file) return Status::Ok();
  return WriteFileAtomic(*cfg_.service.metrics_file, Render());
}

}  // namespace liitos
