#pragma once
// Every [[feed]] of a configuration (SPEC §11), for the service loop: in `liitos run` the feeds run
// on a thread of their own — a slow or retrying security server never holds up the status
// intake and delivery — and with `--once` on the calling thread, step by step like the rest.
//
// Lifetime: made by Service::Wire with the rest of a configuration; Start() once it is the
// running configuration; Stop() (or destruction) abandons GETs in flight, finishes the journal
// work of the round at hand and joins the thread.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"
#include "daemon/feeds/feed.h"
#include "daemon/metrics.h"
#include "journal/journal.h"
#include "transports/registry.h"

namespace liitos {

class Feeds {
 public:
  // `metrics` (may be null) counts the order files taken and refused; it must outlive the Feeds.
  static Result<std::unique_ptr<Feeds>> Make(const Config& cfg, Journal& journal, Clock& clock,
                                             const TransportContext& ctx, Metrics* metrics = nullptr);
  ~Feeds();
  Feeds(const Feeds&) = delete;
  Feeds& operator=(const Feeds&) = delete;

  bool empty() const { return feeds_.empty(); }

  // After a restart (before Start): order files left in the spool are read and recorded.
  void Resume();
  // `liitos run`: the feeds' thread.
  void Start();
  void Stop();

  // `liitos run --once`, on the calling thread: one poll of every orders source (files taken);
  // then every pending order attempted once and the receipts written. FetchAll returns early,
  // abandoning GETs in flight, when `stop` becomes true.
  size_t TakeOrders();
  void FetchAll(const std::atomic<bool>& stop);
  // Pending orders, or order files stuck in a drop: `run --once` exits 1.
  bool Unfinished();

  // SFTP connections of the orders sources and outputs, for the metrics (any thread).
  void AddConnections(std::vector<Metrics::Connection>* out) const;

 private:
  Feeds(Journal& journal, const Config& cfg) : journal_(journal), cfg_(cfg) {}
  void Loop();
  // How long the loop may sleep: until a file may have settled or an order is due (≤ 1 s).
  Millis Wait();

  Journal& journal_;
  const Config& cfg_;
  std::atomic<bool> stop_{false};
  int wake_fd_ = -1;  // an eventfd: Stop() wakes the loop
  std::vector<FeedPtr> feeds_;
  std::thread thread_;
};

}  // namespace liitos
