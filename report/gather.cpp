// Gathering what the report shows (report/model.h): aggregate queries of journal/audit/report_data.h;
// the chain is verified on a second thread meanwhile.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

#include "base/time/helsinki_time.h"
#include "base/text/safe_text.h"
#include "report/model.h"

namespace liitos::report_detail {
namespace {

nlohmann::json Detail(const Event& e) {
  auto j = nlohmann::json::parse(e.detail_json, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : nlohmann::json::object();
}

std::string Field(const nlohmann::json& d, const char* key) {
  auto it = d.find(key);
  if (it == d.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

struct TableSpec {
  const char* kind;
  const char* anchor;
  const char* title;
  std::vector<std::string> head;
};

// One row's cells, per kind (the columns of TableSpec::head).
std::vector<std::pair<std::string, bool>> Cells(const Event& e) {
  nlohmann::json d = Detail(e);
  if (e.kind == ev::kFileQuarantined) return {{e.source, false}, {e.file, true}, {Field(d, "reason"), false}};
  if (e.kind == ev::kBatchFailed)
    return {{e.destination, false}, {e.batch_id, true}, {Field(d, "attempts"), false}, {Field(d, "reason"), false}};
  if (e.kind == ev::kItemRejectedByReceiver)
    return {{e.destination, false}, {e.lv_case_id, true}, {e.message_id, true}, {Field(d, "code"), false},
            {Field(d, "message"), false}};
  if (e.kind == ev::kHostkeyRefused) return {{Field(d, "endpoint"), false}, {Field(d, "fingerprint"), true}};
  // CONFIG_LOADED / CONFIG_REFUSED
  std::string what = e.kind == ev::kConfigRefused ? "refused (" + Field(d, "errors") + " errors); the running one kept"
                                                  : "loaded";
  return {{what, false}, {Field(d, "config"), true}, {Field(d, "sha256"), true}};
}

std::string StoryTitle(const Event& e) {
  if (!e.message_id.empty()) return "Update " + e.message_id + " (" + e.lv_case_id + ") to " + e.destination;
  if (!e.batch_id.empty()) return "Batch " + e.batch_id + " to " + e.destination;
  if (!e.file.empty()) return "File " + e.file + " from " + e.source;
  return e.kind + " at " + ShowHelsinki(e.time);
}

std::string TraceCommand(const Event& e) {
  const std::string& x = !e.message_id.empty() ? e.message_id : !e.batch_id.empty() ? e.batch_id : e.file;
  return x.empty() ? "liitos journal list --kind " + e.kind : "liitos journal trace '" + x + "'";
}

// Every text the report shows, masked once more: the journal never records a henkilötunnus, and
// a report is the last place one could slip out.
void Mask(Event* e) {
  for (std::string* s : {&e->source, &e->file, &e->lv_case_id, &e->message_id, &e->batch_id, &e->destination,
                         &e->detail_json})
    *s = RedactPersonIds(*s);
}

Status GatherTables(const ReportOptions& o, Model* m) {
  const std::vector<TableSpec> specs = {
      {ev::kFileQuarantined, "quarantined", "Quarantined files", {"source", "file", "reason"}},
      {ev::kBatchFailed, "failed", "Failed batches", {"destination", "batch", "attempts", "reason"}},
      {ev::kItemRejectedByReceiver, "rejections", "Rejected by the receiver",
       {"destination", "lvCaseId", "messageId", "code", "message"}},
      {ev::kHostkeyRefused, "hostkeys", "Host key refusals", {"endpoint", "fingerprint offered"}},
      {ev::kConfigLoaded, "config", "Configuration changes", {"configuration", "file", "SHA-256"}},
  };
  std::vector<std::string> kinds;
  for (const auto& s : specs) kinds.push_back(s.kind);
  kinds.push_back(ev::kConfigRefused);
  std::map<std::string, int64_t> totals;
  auto events = ListNotable(o.db_path, kinds, m->period.utc(), o.source, o.max_rows, &totals);
  if (!events.ok()) return events.status();
  const std::string range = " --since " + FormatHelsinki(m->period.since) + " --until " + FormatHelsinki(m->period.until);
  for (const auto& spec : specs) {
    m->tables.push_back({spec.anchor, spec.title, "liitos journal list --kind " + std::string(spec.kind) + range,
                         spec.head, totals[spec.kind], {}});
  }
  for (Event& e : *events) {
    Mask(&e);
    size_t i = 0;
    while (i + 1 < specs.size() && e.kind != specs[i].kind) ++i;  // CONFIG_REFUSED joins the last
    m->tables[i].rows.push_back({e, Cells(e)});
    Story story{e.seq, StoryTitle(e), TraceCommand(e), {}, false};
    auto told = StoryOf(o.db_path, e, o.max_story_events, &story.truncated);
    if (!told.ok()) return told.status();
    story.events = std::move(*told);
    for (Event& s : story.events) Mask(&s);
    m->stories.push_back(std::move(story));
  }
  std::stable_sort(m->stories.begin(), m->stories.end(), [](const Story& a, const Story& b) { return a.seq < b.seq; });
  return Status::Ok();
}

}  // namespace

Counter CounterOf(const std::string& kind) {
  static const std::map<std::string, Counter> kCounters = {
      {ev::kFileReceived, kFiles},           {ev::kFileQuarantined, kQuarantined},
      {ev::kRecordAccepted, kAccepted},      {ev::kRecordDuplicate, kDuplicates},
      {ev::kRecordRejected, kRejected},      {kRecordsDelivered, kDelivered},
      {ev::kItemRejectedByReceiver, kReceiverRejected}, {ev::kBatchDelivered, kBatchesDelivered},
      {ev::kBatchFailed, kBatchesFailed}};
  auto it = kCounters.find(kind);
  return it == kCounters.end() ? kCounterCount : it->second;
}

Result<Model> Gather(const ReportOptions& o) {
  Model m;
  auto period = MakeReportPeriod(o.since, o.until);
  if (!period.ok()) return period.status();
  m.period = std::move(*period);
  auto identity = ReadJournalIdentity(o.db_path);
  if (!identity.ok()) return identity.status();
  m.identity = *identity;

  // The chain walk reads every event once; it runs beside the aggregate queries.
  Status verify_status;
  std::thread verifier([&] {
    auto v = VerifyJournal(o.db_path);
    if (!v.ok()) {
      verify_status = v.status();
      return;
    }
    m.verify = *v;
    if (o.checkpoint_dir && o.key) {
      auto c = VerifyCheckpoints(o.db_path, *o.checkpoint_dir, *o.key, o.journal_is_copy);
      if (!c.ok()) verify_status = c.status();
      else m.checkpoints = std::move(*c);
    }
  });
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{verifier};

  std::vector<TimeBucket> buckets;
  for (const auto& b : m.period.buckets) buckets.push_back(b.utc);
  auto counts = CountEvents(o.db_path, buckets, o.source);
  if (!counts.ok()) return counts.status();
  m.per_bucket.assign(buckets.size(), Counts{});
  for (const KindCount& c : *counts) {
    Counter k = CounterOf(c.kind);
    if (k == kCounterCount) continue;
    m.per_bucket[c.bucket][k] += c.count;
    auto& party = k <= kRejected ? m.per_source[c.party] : m.per_destination[c.party];
    party[k] += c.count;
  }

  // The oldest pending update at the end of each bucket, as far as the journal has got.
  std::vector<TimeBucket> until_now;
  const std::string now = FormatUtcMillis(o.now);
  for (const auto& b : buckets) {
    if (b.from >= now) break;
    until_now.push_back({b.from, std::min(b.to, now)});
    m.pending_at.push_back(*ParseIsoInstant(until_now.back().to));
  }
  auto oldest = OldestPending(o.db_path, until_now, o.source);
  if (!oldest.ok()) return oldest.status();
  m.oldest_pending = std::move(*oldest);

  if (Status s = GatherTables(o, &m); !s.ok()) return s;
  verifier.join();
  if (!verify_status.ok()) return verify_status;
  return m;
}

}  // namespace liitos::report_detail
