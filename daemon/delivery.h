#pragma once
// The scheduler: at each destination's tick (cron schedule in Helsinki time, or interval) every
// pending update goes out in batches of at most max_batch_items, oldest first. The destination
// answers Ok / Retry / Fatal; this class owns the backoff (30 s doubling to 30 min, Retry-After
// honoured, give_up_after -> failed) and the journal bookkeeping (STYLE.md practices 3 and 4).
//
// Order (SPEC §5.6, G7) is kept here, not by the destinations: each destination's open batches
// form a line in the order they were made (Journal::HeadBatch), and only the head is sent. While
// the head waits for a retry nothing else goes to that destination, and no new batch is made; a
// head that fails for good (another 4xx, give_up_after passed) is set aside for `liitos retry`
// and the line moves on. A requeued batch goes back to the head (Journal::RequeueBatch), its
// overtaken items superseded. The next batch is made only when the line is empty, in the same
// commit that records the outcome of the one before, so a batch is read from the outbox when it
// is about to go: memory stays O(max_batch_items) whatever the backlog.

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"
#include "daemon/metrics.h"
#include "journal/journal.h"
#include "transports/destination.h"

namespace liitos {

class Delivery {
 public:
  // `metrics` may be null; it must outlive the Delivery.
  Delivery(const Config& cfg, Journal& journal, Clock& clock, Metrics* metrics);

  // Adds a destination; the Delivery does not own it.
  void AddDestination(Destination* dst);

  // Runs what is due now, destination by destination: the head of the line when it is due (a
  // retry whose time has come, or a batch made before a restart), then the batches behind it,
  // and, when the destination's tick has passed, new batches until nothing is pending. A head
  // that asks for a retry ends that destination's turn. With `force` (liitos run --once) ticks
  // and retry times are ignored, but not the line: a head that asks for a retry stops its
  // destination for this run. Returns the number of batches attempted.
  // `stop` (may be null): checked between batches, so that a backlog of a million updates does not
  // hold up a stop (SPEC §10); what is left stays queued.
  size_t RunDue(bool force, const std::atomic<bool>* stop = nullptr);

  // Milliseconds until the next tick of any destination, or until a head waiting for a retry
  // is due (for the loop's sleep).
  Millis UntilNextTick() const;

  // One line for sd_notify STATUS / logs: "3 pending, last delivery 14:15".
  std::string Summary() const;

 private:
  struct Slot {
    Destination* dst;
    SysTime next_tick;
    std::optional<SysTime> head_due;  // the head of the line waits for a retry until then
  };
  SysTime NextTick(const DestinationConfig& d, SysTime after) const;
  // One destination's turn of RunDue.
  size_t RunLine(Slot& slot, bool force, SysTime now, const std::atomic<bool>* stop);
  // The head of the line; when the line is empty and `make`, a new batch of pending updates.
  Result<std::optional<BatchRow>> Next(const DestinationConfig& d, bool make);
  SendResult Send(Slot& slot, const BatchRow& batch);
  // Journals the outcome of one attempt. Returns true when the batch is final (delivered, or
  // failed and set aside): the line moves on; false when it waits for a retry.
  bool Record(Slot& slot, const BatchRow& batch, const SendResult& r);
  // A retry later (the slot's head_due), or failed once give_up_after has passed. Returns true
  // when failed.
  bool HandleRetry(Slot& slot, const BatchRow& batch, int http, const std::string& request_id,
                   const std::string& error, std::optional<Millis> retry_after);

  void Count(const std::string& destination, const char* outcome);

  const Config& cfg_;
  Journal& journal_;
  Clock& clock_;
  Metrics* metrics_;
  std::vector<Slot> slots_;
};

// Backoff after the n-th failed attempt (n >= 1): 30 s doubling, capped at 30 min.
Millis RetryDelay(int attempts, std::optional<Millis> retry_after);

}  // namespace liitos
