#pragma once
// Prometheus text exposition written atomically to service.metrics_file (node_exporter's textfile
// collector) every 15 s and at exit (SPEC §10).

#include <string>

#include "config/config.h"
#include "journal/journal.h"

namespace liitos {

class Metrics {
 public:
  Metrics(const Config& cfg, Journal& journal) : cfg_(cfg), journal_(journal) {}
  // Renders the exposition text from the journal's counters.
  std::string Render() const;
  // Writes it to metrics_file when one is configured.
  Status Write() const;

 private:
  const Config& cfg_;
  Journal& journal_;
};

}  // namespace liitos
