#include "daemon/delivery.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "base/time/helsinki_time.h"
#include "base/logging.h"
#include "formats/interface/interface.h"

namespace liitos {
namespace {
constexpr Millis kFirstRetry = std::chrono::seconds(30);
constexpr Millis kMaxRetry = std::chrono::minutes(30);

std::string CompactHelsinki(SysTime t) {
  CivilTime c = ToHelsinki(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
}
}  // namespace

Millis RetryDelay(int attempts, std::optional<Millis> retry_after) {
  if (retry_after) return std::min(*retry_after, kMaxRetry);
  Millis d = kFirstRetry;
  for (int i = 1; i < attempts && d < kMaxRetry; ++i) d *= 2;
  return std::min(d, kMaxRetry);
}

Delivery::Delivery(const Config& cfg, Journal& journal, Clock& clock, Metrics* metrics)
    : cfg_(cfg), journal_(journal), clock_(clock), metrics_(metrics) {}

void Delivery::Count(const std::string& destination, const char* outcome) {
  if (metrics_) metrics_->Batch(destination, outcome);
}

void Delivery::AddDestination(Destination* dst) {
  slots_.push_back({dst, NextTick(dst->config(), clock_.Now()), std::nullopt});
}

SysTime Delivery::NextTick(const DestinationConfig& d, SysTime after) const {
  if (d.schedule) return d.schedule->Next(after);
  Millis every = d.interval.value_or(std::chrono::minutes(10));
  if (every.count() <= 0) every = std::chrono::seconds(1);
  return after + every;
}

Millis Delivery::UntilNextTick() const {
  Millis best = std::chrono::hours(1);
  SysTime now = clock_.Now();
  for (const auto& s : slots_) {
    SysTime at = s.head_due ? std::min(s.next_tick, *s.head_due) : s.next_tick;
    auto d = std::chrono::duration_cast<Millis>(at - now);
    best = std::min(best, std::max(d, Millis(0)));
  }
  return best;
}

size_t Delivery::RunDue(bool force, const std::atomic<bool>* stop) {
  size_t attempted = 0;
  SysTime now = clock_.Now();
  for (auto& slot : slots_) attempted += RunLine(slot, force, now, stop);
  return attempted;
}

Result<std::optional<BatchRow>> Delivery::Next(const DestinationConfig& d, bool make) {
  auto head = journal_.HeadBatch(d.name);
  if (!head.ok() || *head || !make) return head;
  return journal_.CreateBatch(d.name, d.max_batch_items);
}

size_t Delivery::RunLine(Slot& slot, bool force, SysTime now, const std::atomic<bool>* stop) {
  const DestinationConfig& d = slot.dst->config();
  const bool tick = force || now >= slot.next_tick;
  if (now >= slot.next_tick) slot.next_tick = NextTick(d, now);
  slot.head_due.reset();
  size_t attempted = 0;
  auto head = Next(d, tick);
  for (;;) {
    if (stop && stop->load()) break;
    if (!head.ok()) {
      spdlog::error("{}: journal: {}", d.name, head.status().message());
      break;
    }
    if (!*head) break;
    const BatchRow batch = std::move(**head);
    if (!force && !batch.next_attempt_at.empty()) {
      auto due = ParseIsoInstant(batch.next_attempt_at);
      if (due && *due > now) {
        slot.head_due = *due;  // the whole line waits for its head
        break;
      }
    }
    ++attempted;
    SendResult r = Send(slot, batch);
    // The outcome, and the next batch when this one is final, in one commit: the next batch is
    // durable before its first attempt, for one fsync per batch.
    Journal::Batch txn(journal_);
    const bool final = Record(slot, batch, r);
    if (final) head = Next(d, tick);
    if (Status c = txn.Commit(); !c.ok()) {
      spdlog::error("{}: batch {}: journal: {}", d.name, batch.batch_id, c.message());
      break;
    }
    if (!final) break;  // the head waits for a retry: so does the line
    if (head.ok() && *head && (*head)->batch_id == batch.batch_id) {
      spdlog::error("{}: batch {}: its outcome could not be journaled; the line stops for now", d.name,
                    batch.batch_id);
      break;
    }
  }
  return attempted;
}

SendResult Delivery::Send(Slot& slot, const BatchRow& batch) {
  SysTime created = ParseIsoInstant(batch.created_at).value_or(clock_.Now());
  OutgoingBatch out;
  out.batch_id = batch.batch_id;
  out.created_at_compact = CompactHelsinki(created);
  out.document = BatchToJson(batch.batch_id, FormatHelsinki(created), cfg_.interface.xroad_client, batch.payloads);
  return slot.dst->Send(out);
}

bool Delivery::Record(Slot& slot, const BatchRow& batch, const SendResult& r) {
  const DestinationConfig& d = slot.dst->config();
  if (r.outcome == SendOutcome::kOk && r.per_item_results) {
    auto answer = ParseReceiverAnswer(r.body);
    Status bad = answer.ok() ? Status::Ok() : answer.status();
    if (bad.ok() && answer->batch_id != batch.batch_id)
      bad = Status::Invalid("answer names batch " + answer->batch_id);
    std::vector<ItemResultIn> items;
    if (bad.ok()) {
      std::unordered_map<std::string_view, const ItemResult*> by_id;
      by_id.reserve(answer->results.size());
      for (const auto& ir : answer->results) by_id[ir.message_id] = &ir;
      items.reserve(batch.message_ids.size());
      for (const auto& id : batch.message_ids) {
        auto it = by_id.find(id);
        if (it == by_id.end()) {
          bad = Status::Invalid("answer lacks a result for message " + id);
          break;
        }
        ItemResultIn in;
        in.message_id = id;
        in.delivered = it->second->result != "rejected";
        if (!in.delivered) {
          in.error_code = it->second->error_code;
          in.error_message = it->second->error_message;
        }
        items.push_back(std::move(in));
      }
    }
    if (!bad.ok()) {
      spdlog::warn("{}: batch {}: HTTP {} but the answer is not valid ({}); will retry", d.name, batch.batch_id,
                   r.http_status, bad.message());
      return HandleRetry(slot, batch, r.http_status, r.request_id, "invalid answer: " + bad.message(), std::nullopt);
    }
    (void)journal_.RecordAttempt(batch.batch_id, r.http_status, r.request_id, "", std::nullopt);
    Status s = journal_.MarkBatchDelivered(batch.batch_id, r.request_id, items);
    if (!s.ok()) spdlog::error("{}: batch {}: journal: {}", d.name, batch.batch_id, s.message());
    size_t rejected = std::count_if(items.begin(), items.end(), [](const auto& i) { return !i.delivered; });
    Count(d.name, "delivered");
    spdlog::info("{}: batch {} delivered: {} items, {} rejected by the receiver (request {})", d.name, batch.batch_id,
                 items.size(), rejected, r.request_id.empty() ? "-" : r.request_id);
    return true;
  }
  if (r.outcome == SendOutcome::kOk) {
    (void)journal_.RecordAttempt(batch.batch_id, r.http_status, r.request_id, "", std::nullopt);
    Status s = journal_.MarkBatchDelivered(batch.batch_id, r.request_id, {});
    if (!s.ok()) spdlog::error("{}: batch {}: journal: {}", d.name, batch.batch_id, s.message());
    Count(d.name, "delivered");
    spdlog::info("{}: batch {} delivered: {} items", d.name, batch.batch_id, batch.message_ids.size());
    return true;
  }
  if (r.outcome == SendOutcome::kRetry)
    return HandleRetry(slot, batch, r.http_status, r.request_id, r.error, r.retry_after);
  (void)journal_.RecordAttempt(batch.batch_id, r.http_status, r.request_id, r.error, std::nullopt);
  (void)journal_.MarkBatchFailed(batch.batch_id, r.error);
  Count(d.name, "failed");
  spdlog::error("{}: batch {} failed (configuration fault?): {}; set aside for `liitos retry`, the line moves on",
                d.name, batch.batch_id, r.error);
  return true;
}

bool Delivery::HandleRetry(Slot& slot, const BatchRow& batch, int http, const std::string& request_id,
                           const std::string& error, std::optional<Millis> retry_after) {
  const DestinationConfig& d = slot.dst->config();
  SysTime now = clock_.Now();
  Millis delay = RetryDelay(batch.attempts + 1, retry_after);
  // Time spent retrying in this series of attempts (the series restarts at `liitos retry`, which
  // resets the attempt count): the backoff delays so far plus the next one, but no more than the
  // time since the batch was made plus the next one, so that waits a Retry-After shortened do not
  // count as the backoff's longer ones.
  Millis retrying = delay;
  for (int i = 1; i <= batch.attempts; ++i) retrying += RetryDelay(i, std::nullopt);
  if (auto made = ParseIsoInstant(batch.created_at))
    retrying = std::min(retrying, std::chrono::duration_cast<Millis>(now - *made) + delay);
  if (retrying > d.give_up_after) {
    (void)journal_.RecordAttempt(batch.batch_id, http, request_id, error, std::nullopt);
    std::string reason = "gave up after " + std::to_string(batch.attempts + 1) + " attempts: " + error;
    (void)journal_.MarkBatchFailed(batch.batch_id, reason);
    Count(d.name, "failed");
    spdlog::error("{}: batch {} failed: {}; set aside for `liitos retry`, the line moves on", d.name, batch.batch_id,
                  reason);
    return true;
  }
  (void)journal_.RecordAttempt(batch.batch_id, http, request_id, error, now + delay);
  slot.head_due = now + delay;  // for UntilNextTick: the line waits for its head
  Count(d.name, "retried");
  spdlog::warn("{}: batch {}: {}; retry in {}s (the destination's later batches wait)", d.name, batch.batch_id,
               error, std::chrono::duration_cast<std::chrono::seconds>(delay).count());
  return false;
}

std::string Delivery::Summary() const {
  std::vector<std::string> names;
  for (const auto& s : slots_) names.push_back(s.dst->config().name);
  auto stats = journal_.Stats(names);
  if (!stats.ok()) return "running";
  int64_t pending = 0, open = 0, failed = 0;
  std::string last;
  for (const auto& st : *stats) {
    pending += st.pending;
    open += st.open_batches;
    failed += st.failed_batches;
    if (st.last_delivery_at > last) last = st.last_delivery_at;
  }
  std::string out = fmt::format("{} pending", pending);
  if (open) out += fmt::format(", {} batches awaiting retry", open);
  if (failed) out += fmt::format(", {} failed", failed);
  if (auto t = ParseIsoInstant(last)) {
    CivilTime c = ToHelsinki(*t);
    out += fmt::format(", last delivery {:02}:{:02}", c.hour, c.minute);
  }
  return out;
}

}  // namespace liitos
