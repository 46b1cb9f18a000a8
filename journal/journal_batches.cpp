// The scheduler's calls: batches of pending updates, their attempts and outcomes, and the line
// of a destination (its head; items a later delivered update overtook, made final "superseded").
// Every call reads and writes one batch's rows through an index: O(batch), whatever the backlog.
#include <nlohmann/json.hpp>

#include "base/time/helsinki_time.h"
#include "base/crypto/uuid.h"
#include "base/text/safe_text.h"
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

Result<std::optional<BatchRow>> SqliteJournal::LoadBatch(const std::string& batch_id, bool with_items) {
  std::optional<BatchRow> b;
  {
    Query q(*db_, sql::kGetBatch);
    auto r = q.Bind(1, batch_id).Step();
    if (!r.ok()) return r.status();
    if (!*r) return b;
    b = ReadBatchRow(q);
  }
  if (!with_items) return b;
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
    // One statement takes the oldest pending items (an index range); then they are read back.
    Query take(*db_, sql::kTakePending);
    Status st = take.Bind(1, destination).Bind(2, b.batch_id).Bind(3, int64_t{max_items}).Run();
    if (!st.ok()) return st;
    if (take.Changes() == 0) return Status::Ok();
    {
      Query q(*db_, sql::kBatchItems);
      q.Bind(1, b.batch_id);
      for (;;) {
        auto r = q.Step();
        if (!r.ok()) return r.status();
        if (!*r) break;
        b.message_ids.push_back(q.Text(0));
        b.payloads.push_back(q.Text(1));
      }
    }
    st = Query(*db_, sql::kInsertBatch).Bind(1, b.batch_id).Bind(2, destination).Bind(3, b.created_at).Run();
    if (st.ok()) st = AppendLocked(BatchEvent(ev::kBatchCreated, b, {{"items", b.message_ids.size()}})).status();
    if (st.ok()) out = std::move(b);
    return st;
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<BatchRow>> SqliteJournal::GetBatch(const std::string& batch_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return LoadBatch(batch_id);
}

Status SqliteJournal::RecordAttempt(const std::string& batch_id, int http_status, const std::string& request_id,
                                    const std::string& error, std::optional<SysTime> next_attempt) {
  return Write([&]() -> Status {
    auto b = LoadBatch(batch_id, /*with_items=*/false);
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
    auto loaded = LoadBatch(batch_id, /*with_items=*/false);
    if (!loaded.ok()) return loaded.status();
    if (!*loaded) return Status::NotFound("journal: no batch " + batch_id);
    const BatchRow& b = **loaded;
    if (b.state != "open") return Status::Invalid("journal: batch " + batch_id + " is already " + b.state);
    const std::string now = Now();
    // The receiver's rejections one by one (few), then every other item of the batch at once.
    int64_t rejected = 0;
    for (const auto& it : items) {
      if (it.delivered) continue;
      std::string case_id;
      {
        Query c(*db_, sql::kBatchedItemCase);
        auto r = c.Bind(1, batch_id).Bind(2, it.message_id).Step();
        if (!r.ok()) return r.status();
        if (!*r) continue;  // not an item of this batch still open
        case_id = c.Text(0);
      }
      // The receiver's words, kept as safe text: no control bytes, no henkilötunnus (G6).
      const std::string reason = SafeText(it.error_code + ": " + it.error_message);
      Query fin(*db_, sql::kFinishItem);
      Status st = fin.Bind(1, batch_id).Bind(2, it.message_id).Bind(3, "rejected").Bind(4, now).Bind(5, reason).Run();
      if (!st.ok()) return st;
      ++rejected;
      NewEvent e = BatchEvent(ev::kItemRejectedByReceiver, b, {{"code", it.error_code}, {"message", it.error_message}});
      e.message_id = it.message_id;
      e.lv_case_id = case_id;
      st = AppendLocked(e).status();
      if (!st.ok()) return st;
    }
    Query deliver(*db_, sql::kDeliverItems);
    Status st = deliver.Bind(1, batch_id).Bind(2, now).Run();
    if (!st.ok()) return st;
    const int64_t delivered = deliver.Changes();
    Query fb(*db_, sql::kFinishBatch);
    st = fb.Bind(1, batch_id).Bind(2, "delivered").Bind(3, now).Bind(4, request_id).Bind(5, "").Run();
    if (!st.ok()) return st;
    nlohmann::json d{{"delivered", delivered}, {"rejected", rejected}};
    if (!request_id.empty()) d["xroad_request_id"] = request_id;
    return AppendLocked(BatchEvent(ev::kBatchDelivered, b, d)).status();
  });
}

Status SqliteJournal::MarkBatchFailed(const std::string& batch_id, const std::string& reason) {
  return Write([&]() -> Status {
    auto b = LoadBatch(batch_id, /*with_items=*/false);
    if (!b.ok()) return b.status();
    if (!*b) return Status::NotFound("journal: no batch " + batch_id);
    if ((*b)->state != "open") return Status::Invalid("journal: batch " + batch_id + " is already " + (*b)->state);
    const std::string now = Now();
    const std::string said = SafeText(reason);  // may quote a receiver's answer
    Status st = Query(*db_, sql::kFailItems).Bind(1, batch_id).Bind(2, now).Bind(3, said).Run();
    if (st.ok())
      st = Query(*db_, sql::kFinishBatch).Bind(1, batch_id).Bind(2, "failed").Bind(3, now).Bind(4, "").Bind(5, said).Run();
    if (!st.ok()) return st;
    return AppendLocked(BatchEvent(ev::kBatchFailed, **b, {{"reason", said}, {"attempts", (*b)->attempts}})).status();
  });
}

Status SqliteJournal::RequeueBatch(const std::string& batch_id) {
  return Write([&]() -> Status {
    auto b = LoadBatch(batch_id, /*with_items=*/false);
    if (!b.ok()) return b.status();
    if (!*b) return Status::NotFound("journal: no batch " + batch_id);
    if ((*b)->state != "failed") return Status::Invalid("journal: batch " + batch_id + " is " + (*b)->state + ", not failed");
    Query items(*db_, sql::kRequeueItems);
    Status st = items.Bind(1, batch_id).Run();
    const int64_t requeued = st.ok() ? items.Changes() : 0;
    if (st.ok()) st = Query(*db_, sql::kRequeueBatch).Bind(1, batch_id).Run();
    if (st.ok()) st = Query(*db_, sql::kReopenDeliveryReceipts).Bind(1, batch_id).Run();
    if (!st.ok()) return st;
    st = AppendLocked(BatchEvent(ev::kBatchRequeued, **b, {{"items", requeued}})).status();
    if (!st.ok()) return st;
    (*b)->state = "open";
    auto superseded = SupersedeOvertakenLocked(**b);
    if (!superseded.ok()) return superseded.status();
    return FinishIfEmptyLocked(**b).status();
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

Result<std::optional<BatchRow>> SqliteJournal::HeadBatch(const std::string& destination) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  for (;;) {
    std::optional<BatchRow> head;
    {
      Query q(*db_, sql::kHeadBatch);
      auto r = q.Bind(1, destination).Step();
      if (!r.ok()) return r.status();
      if (!*r) return head;
      head = ReadBatchRow(q);
    }
    // The usual head: nothing after it delivered yet, so nothing to supersede; read only.
    auto overtaken = DeliveredAfterLocked(*head);
    if (!overtaken.ok()) return overtaken.status();
    if (!*overtaken) {
      auto loaded = LoadBatch(head->batch_id);
      if (!loaded.ok() || !*loaded || !(*loaded)->message_ids.empty()) return loaded;
    }
    bool finished = false;
    Status s = Write([&]() -> Status {
      auto superseded = SupersedeOvertakenLocked(*head);
      if (!superseded.ok()) return superseded.status();
      auto f = FinishIfEmptyLocked(*head);
      if (!f.ok()) return f.status();
      finished = *f;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!finished) return LoadBatch(head->batch_id);
  }
}

Result<bool> SqliteJournal::DeliveredAfterLocked(const BatchRow& b) {
  Query later(*db_, sql::kDeliveredAfter);
  auto r = later.Bind(1, b.destination).Bind(2, b.batch_id).Step();
  if (!r.ok()) return r.status();
  return *r;
}

Result<int64_t> SqliteJournal::SupersedeOvertakenLocked(const BatchRow& b) {
  // Only a batch made after this one can hold a later update (batches take the oldest pending
  // updates), and only a delivered one counts: one index seek says whether to look item by item.
  auto overtaken = DeliveredAfterLocked(b);
  if (!overtaken.ok()) return overtaken.status();
  if (!*overtaken) return int64_t{0};
  struct Item {
    int64_t rowid;
    std::string message_id, lv_case_id;
  };
  std::vector<Item> items;
  {
    Query q(*db_, sql::kBatchedItems);
    q.Bind(1, b.batch_id);
    for (;;) {
      auto r = q.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      items.push_back({q.Int(0), q.Text(1), q.Text(2)});
    }
  }
  const std::string now = Now();
  int64_t superseded = 0;
  for (const auto& it : items) {
    std::string by, by_batch;
    {
      const std::string event_case = SafeText(it.lv_case_id);  // as AppendLocked wrote it into the events
      Query q(*db_, sql::kLaterDeliveredOfCase);
      auto r = q.Bind(1, event_case).Bind(2, it.lv_case_id).Bind(3, b.destination).Bind(4, it.rowid).Step();
      if (!r.ok()) return r.status();
      if (!*r) continue;
      by = q.Text(0);
      by_batch = q.Text(1);
    }
    const std::string reason = "superseded by a later update of the same case (" + by + "), delivered in batch " +
                               by_batch;
    Status st = Query(*db_, sql::kSupersedeItem).Bind(1, b.batch_id).Bind(2, it.message_id).Bind(3, now)
                    .Bind(4, reason).Run();
    if (!st.ok()) return st;
    NewEvent e = BatchEvent(ev::kItemSuperseded, b, {{"by", by}, {"by_batch", by_batch}});
    e.message_id = it.message_id;
    e.lv_case_id = it.lv_case_id;
    st = AppendLocked(e).status();
    if (!st.ok()) return st;
    ++superseded;
  }
  return superseded;
}

Result<bool> SqliteJournal::FinishIfEmptyLocked(const BatchRow& b) {
  Query count(*db_, sql::kCountBatchedItems);
  auto r = count.Bind(1, b.batch_id).Step();
  if (!r.ok()) return r.status();
  if (count.Int(0) > 0) return false;
  Status st = Query(*db_, sql::kFinishBatch).Bind(1, b.batch_id).Bind(2, "superseded").Bind(3, Now()).Bind(4, "")
                  .Bind(5, "").Run();
  if (!st.ok()) return st;
  st = AppendLocked(BatchEvent(ev::kBatchSuperseded, b, {{"sent", false}})).status();
  if (!st.ok()) return st;
  return true;
}

}  // namespace liitos
