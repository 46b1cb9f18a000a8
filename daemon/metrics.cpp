#include "daemon/metrics.h"

#include <fmt/format.h>

#include "base/time/helsinki_time.h"

namespace liitos {
namespace {

// Label values escaped per the exposition format: backslash, double quote, line feed.
std::string Esc(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void Family(std::string* out, const char* name, const char* type, const char* help) {
  *out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void Metrics::FileReceived(const std::string& source) {
  std::lock_guard<std::mutex> l(mu_);
  received_[source]++;
}

void Metrics::FileQuarantined(const std::string& source) {
  std::lock_guard<std::mutex> l(mu_);
  quarantined_[source]++;
}

void Metrics::Records(const std::string& source, int64_t accepted, int64_t duplicate, int64_t rejected) {
  std::lock_guard<std::mutex> l(mu_);
  records_[{source, "accepted"}] += accepted;
  records_[{source, "duplicate"}] += duplicate;
  records_[{source, "rejected"}] += rejected;
}

void Metrics::Batch(const std::string& destination, const std::string& outcome) {
  std::lock_guard<std::mutex> l(mu_);
  batches_[{destination, outcome}]++;
}

std::string Metrics::Render(const Config& cfg, Journal& journal, const std::vector<Connection>& connections,
                            SysTime now) const {
  // The journal first, without mu_: the intake counts records while it holds the journal's lock,
  // so holding mu_ around a journal call would order the two locks both ways.
  std::vector<std::string> names;
  for (const auto& d : cfg.destinations) names.push_back(d.name);
  auto stats = journal.Stats(names);
  std::vector<DestinationStats> st = stats.ok() ? *stats : std::vector<DestinationStats>{};
  std::lock_guard<std::mutex> l(mu_);
  std::string out;
  auto get = [](const auto& m, const auto& k) {
    auto it = m.find(k);
    return it == m.end() ? int64_t{0} : it->second;
  };
  Family(&out, "liitos_up", "gauge", "1 while the service runs.");
  out += "liitos_up 1\n";
  Family(&out, "liitos_files_received_total", "counter", "Files taken into the spool.");
  for (const auto& s : cfg.sources)
    out += fmt::format("liitos_files_received_total{{source=\"{}\"}} {}\n", Esc(s.name), get(received_, s.name));
  Family(&out, "liitos_files_quarantined_total", "counter", "Files refused as a whole.");
  for (const auto& s : cfg.sources)
    out += fmt::format("liitos_files_quarantined_total{{source=\"{}\"}} {}\n", Esc(s.name), get(quarantined_, s.name));
  Family(&out, "liitos_records_total", "counter", "Records read, by outcome.");
  for (const auto& s : cfg.sources)
    for (const char* o : {"accepted", "duplicate", "rejected"})
      out += fmt::format("liitos_records_total{{source=\"{}\",outcome=\"{}\"}} {}\n", Esc(s.name), o,
                         get(records_, std::make_pair(s.name, std::string(o))));

  Family(&out, "liitos_outbox_pending", "gauge", "Status updates waiting for a batch.");
  for (const auto& s : st)
    out += fmt::format("liitos_outbox_pending{{destination=\"{}\"}} {}\n", Esc(s.destination), s.pending);
  Family(&out, "liitos_outbox_oldest_age_seconds", "gauge", "Age of the oldest pending status update.");
  for (const auto& s : st) {
    int64_t since = UnixSeconds(s.oldest_pending_at);
    int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    out += fmt::format("liitos_outbox_oldest_age_seconds{{destination=\"{}\"}} {}\n", Esc(s.destination),
                       s.pending > 0 && since > 0 ? std::max<int64_t>(0, now_s - since) : 0);
  }
  Family(&out, "liitos_batches_total", "counter", "Batch attempts, by outcome.");
  for (const auto& d : cfg.destinations)
    for (const char* o : {"delivered", "retried", "failed"})
      out += fmt::format("liitos_batches_total{{destination=\"{}\",outcome=\"{}\"}} {}\n", Esc(d.name), o,
                         get(batches_, std::make_pair(d.name, std::string(o))));
  Family(&out, "liitos_batches_open", "gauge", "Batches waiting for their first attempt or a retry.");
  for (const auto& s : st)
    out += fmt::format("liitos_batches_open{{destination=\"{}\"}} {}\n", Esc(s.destination), s.open_batches);
  Family(&out, "liitos_batches_failed", "gauge", "Failed batches waiting for liitos retry.");
  for (const auto& s : st)
    out += fmt::format("liitos_batches_failed{{destination=\"{}\"}} {}\n", Esc(s.destination), s.failed_batches);
  Family(&out, "liitos_last_delivery_timestamp_seconds", "gauge", "Unix time of the last successful delivery.");
  for (const auto& s : st)
    out += fmt::format("liitos_last_delivery_timestamp_seconds{{destination=\"{}\"}} {}\n", Esc(s.destination),
                       UnixSeconds(s.last_delivery_at));
  Family(&out, "liitos_connection_up", "gauge", "1 when the SFTP connection of an endpoint is up.");
  for (const auto& c : connections)
    out += fmt::format("liitos_connection_up{{endpoint=\"{}\",kind=\"{}\"}} {}\n", Esc(c.endpoint), c.kind,
                       c.up ? 1 : 0);
  return out;
}

}  // namespace liitos
