#pragma once
// Prometheus text exposition (SPEC §10), written atomically to service.metrics_file for
// node_exporter's textfile collector every 15 s and at exit. The metrics:
//
//   liitos_files_received_total{source}            counter  files taken into the spool
//   liitos_files_quarantined_total{source}         counter  files refused as a whole
//   liitos_records_total{source,outcome}           counter  records: accepted | duplicate | rejected
//   liitos_outbox_pending{destination}             gauge    status updates waiting for a batch
//   liitos_outbox_oldest_age_seconds{destination}  gauge    age of the oldest pending update (0 if none)
//   liitos_batches_total{destination,outcome}      counter  batch attempts: delivered | retried | failed
//   liitos_batches_open{destination}               gauge    batches waiting for their first try or a retry
//   liitos_batches_failed{destination}             gauge    failed batches waiting for `liitos retry`
//   liitos_last_delivery_timestamp_seconds{destination} gauge  Unix time of the last delivery (0: never)
//   liitos_connection_up{endpoint,kind}            gauge    1 when an SFTP connection is up, else 0
//   liitos_up                                      gauge    1 while the service runs
//
// Counters count since the service started (Prometheus handles the reset at a restart).
// Thread-safe: intake and delivery count from the service thread, Render may run anywhere.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"
#include "journal/journal.h"

namespace liitos {

class Metrics {
 public:
  void FileReceived(const std::string& source);
  void FileQuarantined(const std::string& source);
  void Records(const std::string& source, int64_t accepted, int64_t duplicate, int64_t rejected);
  void Batch(const std::string& destination, const std::string& outcome);  // delivered|retried|failed

  struct Connection {
    std::string endpoint, kind;  // kind: "source" | "destination"
    bool up = false;
  };
  // The exposition text: counters, and gauges read from the journal at `now`.
  std::string Render(const Config& cfg, Journal& journal, const std::vector<Connection>& connections,
                     SysTime now) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, int64_t> received_, quarantined_;
  std::map<std::pair<std::string, std::string>, int64_t> records_, batches_;
};

}  // namespace liitos
