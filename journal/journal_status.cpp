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
  // Rows are made final at the journal's "now", so each purge needs only those made final since
  // the last one ended: from its horizon, less an hour in case the clock was set back, to the
  // cutoff. The first purge of a journal walks every final row once.
  const std::string cutoff = FormatUtcMillis(older_than);
  int64_t purged = 0;
  Status s = Write([&]() -> Status {
    purged = 0;
    std::string from;
    {
      Query h(*db_, sql::kGetPurgeHorizon);
      auto r = h.Step();
      if (!r.ok()) return r.status();
      if (*r) {
        auto at = ParseIsoInstant(h.Text(0));
        if (at) from = FormatUtcMillis(*at - std::chrono::hours(1));
      }
    }
    if (!from.empty() && cutoff <= from) return Status::Ok();
    Query q(*db_, sql::kPurgeCandidates);
    q.Bind(1, from).Bind(2, cutoff);
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      Query del(*db_, sql::kDeletePayload);
      Status st = del.Bind(1, q.Int(0)).Bind(2, q.Int(1)).Run();
      if (!st.ok()) return st;
      purged += del.Changes();
    }
    return Query(*db_, sql::kSetPurgeHorizon).Bind(1, cutoff).Run();
  });
  if (!s.ok()) return s;
  return purged;
}

}  // namespace liitos
