// journal list | trace | export (journal/audit/audit.h).
#include "journal/audit/audit.h"

#include "base/crypto/name_vault.h"
#include "base/text/safe_text.h"

#include <set>

#include "base/time/helsinki_time.h"
#include "journal/audit/audit_db.h"
#include "journal/event_writer.h"
#include "journal/journal_sql.h"

namespace liitos {
namespace {

// Writes every row of `q` (selecting LIITOS_EVENT_COLS) to `w`.
Status WriteRows(Query& q, EventWriter& w) {
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    w.Write(ReadEvent(q));
  }
}

Result<std::optional<std::string>> InstantBound(const std::optional<std::string>& text, const char* name) {
  if (!text) return std::optional<std::string>();
  auto t = ParseIsoInstant(*text);
  if (!t) return Status::Invalid(std::string("--") + name + ": not a date or time: '" + *text + "'");
  return std::optional<std::string>(FormatUtcMillis(*t));
}

// Collects single-column text values of `sql` bound to `arg`.
Status Collect(Db& db, const char* sql, const std::string& arg, std::set<std::string>& out) {
  Query q(db, sql);
  q.Bind(1, arg);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    if (!q.IsNull(0)) out.insert(q.Text(0));
  }
}

Status CollectSeqs(Db& db, const char* sql, const std::string& arg, std::set<int64_t>& out) {
  Query q(db, sql);
  q.Bind(1, arg);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    out.insert(q.Int(0));
  }
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(const std::string& name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  return std::nullopt;
}

Status ListEvents(const std::string& db_path, const EventFilter& f, OutputFormat format, std::ostream& out) {
  auto since = InstantBound(f.since, "since");
  if (!since.ok()) return since.status();
  auto until = InstantBound(f.until, "until");
  if (!until.ok()) return until.status();
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  // The most selective indexed filter drives the query; the others are checked on each row.
  const char* sql = f.message_id ? sql::kListByMessage
                    : f.batch_id ? sql::kListByBatch
                    : f.lv_case_id ? sql::kListByCase
                    : f.file ? sql::kListByFile
                    : *since ? sql::kListByTime
                             : sql::kListAll;
  Query q(**db, sql);
  auto bind = [&](int i, const std::optional<std::string>& v) {
    if (v) q.Bind(i, *v);
    else q.BindNull(i);
  };
  bind(1, *since);
  bind(2, *until);
  bind(3, f.source);
  bind(4, f.file);
  bind(5, f.lv_case_id);
  bind(6, f.message_id);
  bind(7, f.batch_id);
  bind(8, f.kind);
  auto w = MakeEventWriter(format, out);
  Status s = WriteRows(q, *w);
  if (!s.ok()) return s;
  w->Finish();
  return Status::Ok();
}

// A file's name as the journal recorded it (SPEC G6): found by the HMAC of the real name when the
// name key beside the journal can be read; otherwise the name made safe the same way.
static std::string RecordedName(Db& db, const std::string& db_path, const std::string& x) {
  auto vault = NameVault::Load(NameKeyPath(db_path), /*create=*/false);
  if (vault.ok()) {
    Query q(db, sql::kNameByHmac);
    q.Bind(1, (*vault)->Hmac(x));
    auto r = q.Step();
    if (r.ok() && *r) return q.Text(0);
  }
  return SafeText(x);
}

Status TraceEntity(const std::string& db_path, const std::string& given, OutputFormat format, std::ostream& out) {
  auto opened = OpenAuditDb(db_path);
  if (!opened.ok()) return opened.status();
  Db& db = **opened;
  const std::string x = RecordedName(db, db_path, given);
  std::set<int64_t> seqs;
  std::set<std::string> messages, batches;
  Status s;
  for (const char* q : {sql::kSeqsByFile, sql::kSeqsByCase, sql::kSeqsByMessage, sql::kSeqsByBatch})
    if (s.ok()) s = CollectSeqs(db, q, x, seqs);
  for (const char* q : {sql::kMessagesOfFileEvents, sql::kMessagesOfCaseEvents, sql::kMessagesOfBatchEvents,
                        sql::kMessagesOfBatchOutbox})
    if (s.ok()) s = Collect(db, q, x, messages);
  for (const auto& m : messages) {
    if (s.ok()) s = Collect(db, sql::kBatchOfMessage, m, batches);
    if (s.ok()) s = Collect(db, sql::kBatchesOfMessageEvents, m, batches);
  }
  if (s.ok()) s = Collect(db, sql::kBatchOfMessage, x, batches);
  if (s.ok()) s = Collect(db, sql::kBatchesOfMessageEvents, x, batches);
  for (const auto& m : messages)
    if (s.ok()) s = CollectSeqs(db, sql::kSeqsByMessage, m, seqs);
  for (const auto& b : batches)
    if (s.ok()) s = CollectSeqs(db, sql::kSeqsByBatch, b, seqs);
  if (!s.ok()) return s;
  if (seqs.empty()) return Status::NotFound("no journal event concerns '" + SafeText(given) + "'");
  auto w = MakeEventWriter(format, out);
  for (int64_t seq : seqs) {
    Query q(db, sql::kEventBySeq);
    q.Bind(1, seq);
    s = WriteRows(q, *w);
    if (!s.ok()) return s;
  }
  w->Finish();
  return Status::Ok();
}

}  // namespace liitos
