// The scheduler's calls: batches of pending updates, their attempts and outcomes.
#include <nlohmann/json.hpp>

#include <map>

#include "base/helsinki_time.h"
#include "base/uuid.h"
#include "journal/journal_sql.h"
#include "journal/sqlite_journal.h"

namespace liitos {
namespace {

BatchRow ReadBatchRow(const Query& q) {
  BatchRow b;
  b.batch_id = q.Text(0);
  b.destination = q.Text(1);
  b.state = q.Text(2);
  b.attempts = static_cast<int>(q.Int(3));
  b.created_at = q.Text(4);
  b.next_attempt_at = q.Text(5);
  b.last_error = q.Text(6);
  b.xroad_request_id = q.Text(7);
  return b;
}

NewEvent BatchEvent(const char* kind, const BatchRow& b, const nlohmann::json& detail) {
  NewEvent e;
  e.kind = kind;
  e.batch_id = b.batch_id;
  e.destination = b.destination;
  e.detail_json = detail.dump();
  return e;
}

}  // namespace

Result<std::optional<BatchRow>> SqliteJournal::LoadBatch(const std::string& batch_id) {
  std::optional<BatchRow> b;
  {
    Query q(*db_, sql::kGetBatch);
    auto r = q.Bind(1, batch_id).Step();
    if (!r.ok()) return r.status();
    if (!*r) return b;
    b = ReadBatchRow(q);
  }
  Query items(*db_, sql::kBatchItems);
  items.Bind(1, batch_id);
  for (;;) {
    auto r = items.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    b->message_ids.push_back(items.Text(0));
    b->payloads.push_back(items.Text(1));
  }
  return b;
}

Result<std::optional<BatchRow>> SqliteJournal::CreateBatch(const std::string& destination, int max_items) {
  std::optional<BatchRow> out;
  if (max_items < 1) return Status::Invalid("journal: max_items must be at least 1");
  Status s = Write([&]() -> Status {
    out.reset();
    BatchRow b;
    b.batch_id = UuidV4();
    b.destination = destination;
    b.state = "open";
    b.created_at = Now();
    std::vector<int64_t> rowids;
    {
      Query q(*db_, sql::kPendingForBatch);
      q.Bind(1, destination).Bind(2, int64_t{max_items});
      for (;;) {
        auto r = q.Step();
        if (!r.ok()) return r.status();
        if (!*r) break;
        rowids.push_back(q.Int(0));
        b.message_ids.push_back(q.Text(1));
        b.payloads.push_back(q.Text(2));
      }
    }
    if (rowids.empty()) return Status::Ok();
    Status st = Query(*db_, sql::kInsertBatch).Bind(1, b.batch_id).Bind(2, destination).Bind(3, b.created_at).Run();
    for (int64_t rowid : rowids) {
      if (!st.ok()) return st;
      st = Query(*db_, sql::kBatchItemByRowid).Bind(1, rowid).Bind(2, b.batch_id).Run();
    }
    if (!st.ok()) return st;
    st = AppendLocked(BatchEvent(ev::kBatchCreated, b, {{"items", b.message_ids.size()}})).status();
    if (st.ok()) out = std::move(b);
    return st;
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<BatchRow>> SqliteJournal::DueBatches(const std::string& destination, SysTime now,
                                                        bool ignore_time) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<std::string> ids;
  {
    Query q(*db_, sql::kDueBatches);
    q.Bind(1, destination).Bind(2, FormatUtcMillis(now)).Bind(3, int64_t{ignore_time ? 1 : 0});
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      ids.push_back(q.Text(0));
    }
  }
  std::vector<BatchRow> out;
  for (const auto& id : ids) {
    auto b = LoadBatch(id);
    if (!b.ok()) return b.status();
    if (*b) out.push_back(std::move(**b));
  }
  return out;
}

Result<std::optional<BatchRow>> SqliteJournal::GetBatch(const std::string& batch_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return LoadBatch(batch_id);
}

Status SqliteJournal::RecordAttempt(const std::string& batch_id, int http_status, const std::string& request_id,
                                    const std::string& error, std::optional<SysTime> next_attempt) {
  return Write([&]() -> Status {
    auto b = LoadBatch(batch_id);
    if (!b.ok()) return b.status();
    if (!*b) return Status::NotFound("journal: no batch " + batch_id);
    std::string next = next_attempt ? FormatUtcMillis(*next_attempt) : "";
    Query q(*db_, sql::kRecordAttempt);
    q.Bind(1, batch_id).Bind(2, int64_t{http_status}).Bind(3, request_id).Bind(4, error).BindOrNull(5, next);
    Status st = q.Run();
    if (!st.ok()) return st;
    nlohmann::json d{{"attempt", (*b)->attempts + 1}, {"http_status", http_status}};
    if (!request_id.empty()) d["xroad_request_id"] = request_id;
    if (!error.empty()) d["error"] = error;
    if (!next.empty()) d["next_attempt_at"] = next;
    return AppendLocked(BatchEvent(ev::kBatchAttempt, **b, d)).status();
  });
}

Status SqliteJournal::MarkBatchDelivered(const std::string& batch_id, const std::string& request_id,
                                         const std::vector<ItemResultIn>& items) {
  return Write([&]() -> Status {
    auto loaded = LoadBatch(batch_id);
    if (!loaded.ok()) return loaded.status();
    if (!*loaded) return Status::NotFound("journal: no batch " + batch_id);
    const BatchRow& b = **loaded;
    if (b.state != "open") return Status::Invalid("journal: batch " + batch_id + " is already " + b.state);
    std::map<std::string, const ItemResultIn*> results;
    for (const auto& it : items) results[it.message_id] = &it;
    const std::string now = Now();
    int64_t delivered = 0, rejected = 0;
    Query cases(*db_, sql::kBatchItems);
    cases.Bind(1, batch_id);
    std::vector<std::pair<std::string, std::string>> ids;  // message_id, lv_case_id
    for (;;) {
      auto r = cases.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      ids.emplace_back(cases.Text(0), cases.Text(3));
    }
    for (const auto& [message_id, case_id] : ids) {
      auto found = results.find(message_id);
      bool ok = found == results.end() || found->second->delivered;
      std::string reason;
      if (!ok) reason = found->second->error_code + ": " + found->second->error_message;
      Query fin(*db_, sql::kFinishItem);
      fin.Bind(1, batch_id).Bind(2, message_id).Bind(3, ok ? "delivered" : "rejected").Bind(4, now).Bind(5, reason);
      Status st = fin.Run();
      if (!st.ok()) return st;
      if (ok) {
        ++delivered;
        continue;
      }
      ++rejected;
      NewEvent e = BatchEvent(ev::kItemRejectedByReceiver, b,
                              {{"code", found->second->error_code}, {"message", found->second->error_message}});
      e.message_id = message_id;
      e.lv_case_id = case_id;
      st = AppendLocked(e).status();
      if (!st.ok()) return st;
    }
    Query fb(*db_, sql::kFinishBatch);
    Status st = fb.Bind(1, batch_id).Bind(2, "delivered").Bind(3, now).Bind(4, request_id).Bind(5, "").Run();
    if (!st.ok()) return st;
    nlohmann::json d{{"delivered", delivered}, {"rejected", rejected}};
    if (!request_id.empty()) d["xroad_request_id"] = request_id;
    return AppendLocked(BatchEvent(ev::kBatchDelivered, b, d)).status();
  });
}

Status SqliteJournal::MarkBatchFailed(const std::string& batch_id, const std::string& reason) {
  return Write([&]() -> Status {
    auto b = LoadBatch(batch_id);
    if (!b.ok()) return b.status();
    if (!*b) return Status::NotFound("journal: no batch " + batch_id);
    if ((*b)->state != "open") return Status::Invalid("journal: batch " + batch_id + " is already " + (*b)->state);
    const std::string now = Now();
    Status st = Query(*db_, sql::kFailItems).Bind(1, batch_id).Bind(2, now).Bind(3, reason).Run();
    if (st.ok())
      st = Query(*db_, sql::kFinishBatch).Bind(1, batch_id).Bind(2, "failed").Bind(3, now).Bind(4, "").Bind(5, reason).Run();
    if (!st.ok()) return st;
    return AppendLocked(BatchEvent(ev::kBatchFailed, **b, {{"reason", reason}, {"attempts", (*b)->attempts}})).status();
  });
}

Status SqliteJournal::RequeueBatch(const std::string& batch_id) {
  return Write([&]() -> Status {
    auto b = LoadBatch(batch_id);
    if (!b.ok()) return b.status();
    if (!*b) return Status::NotFound("journal: no batch " + batch_id);
    if ((*b)->state != "failed") return Status::Invalid("journal: batch " + batch_id + " is " + (*b)->state + ", not failed");
    Status st = Query(*db_, sql::kRequeueItems).Bind(1, batch_id).Run();
    if (st.ok()) st = Query(*db_, sql::kRequeueBatch).Bind(1, batch_id).Run();
    if (st.ok()) st = Query(*db_, sql::kReopenDeliveryReceipts).Bind(1, batch_id).Run();
    if (!st.ok()) return st;
    return AppendLocked(BatchEvent(ev::kBatchRequeued, **b, {{"items", (*b)->message_ids.size()}})).status();
  });
}

Result<std::vector<std::string>> SqliteJournal::FailedBatchIds() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<std::string> out;
  Query q(*db_, sql::kFailedBatchIds);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return out;
    out.push_back(q.Text(0));
  }
}

}  // namespace liitos
