#pragma once
// The scheduler: at each destination's tick (cron schedule in Helsinki time, or interval) every
// pending update goes out in batches of at most max_batch_items, oldest first. The destination
// answers Ok / Retry / Fatal; this class owns the backoff (30 s doubling to 30 min, Retry-After
// honoured, give_up_after -> failed) and the journal bookkeeping (STYLE.md practices 3 and 4).

#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
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

  // Runs what is due now: retries whose time has come, and new batches for destinations whose
  // tick has passed. With `force` every destination sends everything now, ignoring schedules and
  // retry times (liitos run --once). Returns the number of batches attempted.
  size_t RunDue(bool force);

  // Milliseconds until the next tick of any destination (for the loop's sleep).
  Millis UntilNextTick() const;

  // One line for sd_notify STATUS / logs: "3 pending, last delivery 14:15".
  std::string Summary() const;

 private:
  struct Slot {
    Destination* dst;
    SysTime next_tick;
  };
  SysTime NextTick(const DestinationConfig& d, SysTime after) const;
  // Sends one batch and journals the outcome. Returns false when the destination asked to retry
  // (so no further new batches are created for it now).
  bool SendBatch(Slot& slot, const BatchRow& batch);
  void HandleRetry(const Slot& slot, const BatchRow& batch, int http, const std::string& request_id,
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
