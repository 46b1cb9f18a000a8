// The report's questions to the journal (journal/audit/report_data.h).
#include "journal/audit/report_data.h"

#include <nlohmann/json.hpp>

#include <map>
#include <utility>

#include "journal/audit/audit_db.h"
#include "journal/event_writer.h"
#include "journal/audit/report_sql.h"

namespace liitos {
namespace {

void BindSource(Query& q, int i, const std::optional<std::string>& source) {
  if (source) q.Bind(i, *source);
  else q.BindNull(i);
}

// Steps `q` to the end, calling `row` on each row.
template <class Fn>
Status EachRow(Query& q, Fn&& row) {
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    row();
  }
}

Status ReadEvents(Query& q, std::vector<Event>* out) { return EachRow(q, [&] { out->push_back(ReadEvent(q)); }); }

// The bucket of the UTC hour "2026-11-20T12": the first that ends after the hour begins (buckets
// are consecutive runs of whole UTC hours, the first and last possibly cut short), or
// buckets.size() when none does.
size_t BucketOfHour(const std::vector<TimeBucket>& buckets, const std::string& hour) {
  const std::string at = hour + ":00:00.000Z";
  for (size_t i = 0; i < buckets.size(); ++i)
    if (at < buckets[i].to) return i;
  return buckets.size();
}

}  // namespace

Result<JournalIdentity> ReadJournalIdentity(const std::string& db_path) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  JournalIdentity id;
  Query first(**db, sql::kReportFirstEvent);
  Status s = EachRow(first, [&] {
    id.first_seq = first.Int(0);
    id.first_time = first.Text(1);
  });
  Query last(**db, sql::kReportLastEvent);
  if (s.ok()) s = EachRow(last, [&] {
    id.last_seq = last.Int(0);
    id.last_time = last.Text(1);
    id.head_hash = last.Text(2);
  });
  Query count(**db, sql::kReportEventCount);
  if (s.ok()) s = EachRow(count, [&] { id.events = count.Int(0); });
  if (!s.ok()) return s;
  return id;
}

Result<std::vector<KindCount>> CountEvents(const std::string& db_path, const std::vector<TimeBucket>& buckets,
                                           const std::optional<std::string>& source) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  std::vector<KindCount> out;
  for (size_t i = 0; i < buckets.size(); ++i) {
    Query q(**db, sql::kReportCounts);
    q.Bind(1, buckets[i].from).Bind(2, buckets[i].to);
    BindSource(q, 3, source);
    Status s = EachRow(q, [&] { out.push_back({i, q.Text(0), q.Text(1), q.Int(2)}); });
    if (!s.ok()) return s;
    if (source) continue;
    Query d(**db, sql::kReportDelivered);
    d.Bind(1, buckets[i].from).Bind(2, buckets[i].to);
    s = EachRow(d, [&] { out.push_back({i, kRecordsDelivered, d.Text(0), d.Int(1)}); });
    if (!s.ok()) return s;
  }
  if (!source || buckets.empty()) return out;
  // One source's updates: one pass over its files' updates, per UTC hour, folded into buckets.
  std::map<std::pair<size_t, std::string>, std::pair<int64_t, int64_t>> final_counts;
  Query q(**db, sql::kReportFinalOfSource);
  q.Bind(1, buckets.front().from).Bind(2, buckets.back().to).Bind(3, *source);
  Status s = EachRow(q, [&] {
    size_t b = BucketOfHour(buckets, q.Text(0));
    if (b == buckets.size()) return;
    auto& c = final_counts[{b, q.Text(1)}];
    c.first += q.Int(2);
    c.second += q.Int(3);
  });
  if (!s.ok()) return s;
  for (const auto& [key, c] : final_counts) {
    if (c.first) out.push_back({key.first, kRecordsDelivered, key.second, c.first});
    if (c.second) out.push_back({key.first, ev::kItemRejectedByReceiver, key.second, c.second});
  }
  return out;
}

Result<std::vector<std::string>> OldestPending(const std::string& db_path, const std::vector<TimeBucket>& buckets,
                                               const std::optional<std::string>& source) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  std::vector<std::string> out;
  std::string from;  // no update open at a bucket's end was created before this
  for (const TimeBucket& b : buckets) {
    Query q(**db, source ? sql::kReportOldestOpenOfSource : sql::kReportOldestOpen);
    q.Bind(1, from).Bind(2, b.to);
    if (source) q.Bind(3, *source);
    std::string oldest;
    Status s = EachRow(q, [&] { oldest = q.Text(0); });
    if (!s.ok()) return s;
    from = oldest.empty() ? b.to : oldest;
    out.push_back(std::move(oldest));
  }
  return out;
}

Result<std::vector<Event>> ListNotable(const std::string& db_path, const std::vector<std::string>& kinds,
                                       const TimeBucket& period, const std::optional<std::string>& source,
                                       int64_t limit, std::map<std::string, int64_t>* totals) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  Query q(**db, sql::kReportNotable);
  q.Bind(1, period.from).Bind(2, period.to).Bind(3, nlohmann::json(kinds).dump()).Bind(4, limit);
  BindSource(q, 5, source);
  std::vector<Event> out;
  Status s = EachRow(q, [&] {
    out.push_back(ReadEvent(q));
    (*totals)[q.Text(15)] = q.Int(14);
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Event>> StoryOf(const std::string& db_path, const Event& e, int64_t limit, bool* truncated) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  std::vector<Event> out;
  Status s;
  if (!e.message_id.empty()) {
    Query q(**db, sql::kStoryOfMessage);
    q.Bind(1, e.message_id).Bind(2, e.batch_id).Bind(4, limit + 1);
    s = ReadEvents(q, &out);
  } else if (!e.batch_id.empty()) {
    Query q(**db, sql::kStoryOfBatch);
    q.Bind(1, e.batch_id).Bind(4, limit + 1);
    s = ReadEvents(q, &out);
  } else if (!e.file.empty()) {
    Query q(**db, sql::kStoryOfFile);
    q.Bind(1, e.file).BindOrNull(2, e.source).Bind(3, e.file_sha256).Bind(4, limit + 1);
    s = ReadEvents(q, &out);
  } else {
    out.push_back(e);
  }
  if (!s.ok()) return s;
  *truncated = static_cast<int64_t>(out.size()) > limit;
  if (*truncated) out.resize(static_cast<size_t>(limit));
  return out;
}

}  // namespace liitos
