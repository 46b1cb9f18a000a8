// Status and housekeeping: per-destination queue figures, file counts, payload purge.
#include "base/time/helsinki_time.h"
#include "journal/journal_sql.h"
#include "journal/sqlite_journal.h"

namespace liitos {

Result<std::vector<DestinationStats>> SqliteJournal::Stats(const std::vector<std::string>& destinations) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<DestinationStats> out;
  for (const auto& dest : destinations) {
    DestinationStats d;
    d.destination = dest;
    {
      Query q(*db_, sql::kStatsPending);
      auto r = q.Bind(1, dest).Step();
      if (!r.ok()) return r.status();
      d.pending = q.Int(0);
    }
    {
      Query q(*db_, sql::kStatsOldestPending);
      auto r = q.Bind(1, dest).Step();
      if (!r.ok()) return r.status();
      if (*r) d.oldest_pending_at = q.Text(0);
    }
    Query q(*db_, sql::kStatsBatches);
    auto r = q.Bind(1, dest).Step();
    if (!r.ok()) return r.status();
    d.open_batches = q.Int(0);
    d.failed_batches = q.Int(1);
    d.last_delivery_at = q.Text(2);
    d.next_attempt_at = q.Text(3);
    out.push_back(std::move(d));
  }
  return out;
}

Result<int64_t> SqliteJournal::CountFiles(const std::string& source, const std::string& state, SysTime since) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Query q(*db_, sql::kCountFiles);
  auto r = q.Bind(1, source).Bind(2, state).Bind(3, FormatUtcMillis(since)).Step();
  if (!r.ok()) return r.status();
  return q.Int(0);
}

Result<int64_t> SqliteJournal::PurgePayloads(SysTime older_than) {
  int64_t purged = 0;
  Status s = Write([&]() -> Status {
    Query q(*db_, sql::kPurgePayloads);
    Status st = q.Bind(1, FormatUtcMillis(older_than)).Run();
    purged = st.ok() ? q.Changes() : 0;
    return st;
  });
  if (!s.ok()) return s;
  return purged;
}

}  // namespace liitos
