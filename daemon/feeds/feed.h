#pragma once
// One [[feed]] (SPEC §11): fetch orders are taken from its orders source, each application is
// fetched from Luvat ja valvonta over X-Road REST, written as an import file to its output, and
// each order file gets its receipt once every line is final. Wiring only: the wire format and the
// import files are formats/import's, the GETs transports/xroad/fetcher's, the writes
// transports/file_sink's, the bookkeeping the journal's.
//
// The order of steps, for every application, is what makes a crash harmless: the import file is
// in place (and durable) before its IMPORT_WRITTEN is committed; an order whose outcome was not
// committed is still pending and is fetched again (with the same X-Road-Ids) — written again only
// when what the service sent changed.
//
// Fetching runs in rounds of at most kRound orders; each round's GETs go out on `connections`
// threads, each with its own kept-open connection (Fetcher), each writing its import files in
// batches (FileSink::PutAll: one sync of the folder per batch, not per file), and the round's
// outcomes are journaled in one transaction once its files are in place. Orders of the same application within a round are done one after
// the other, in order. Everything else of a Feed runs on the thread that calls it.

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"
#include "daemon/metrics.h"
#include "daemon/intake/stuck_files.h"
#include "formats/import/order_receipt.h"
#include "journal/journal.h"
#include "transports/file_sink.h"
#include "transports/registry.h"
#include "transports/source.h"
#include "transports/xroad/fetcher.h"

namespace liitos {

class Feed {
 public:
  static constexpr int kRound = 256;
  // A worker writes its pending import files once they pass this many bytes, and at the end of
  // the round.
  static constexpr size_t kWriteBatchBytes = 16u << 20;

  // Makes the feed's orders source, its fetchers and its output. `stop` (may be null) abandons
  // GETs in flight and ends rounds early; it and `metrics` (may be null) must outlive the Feed.
  static Result<std::unique_ptr<Feed>> Make(const Config& cfg, const FeedConfig& feed, Journal& journal, Clock& clock,
                                            const TransportContext& ctx, const std::atomic<bool>* stop,
                                            Metrics* metrics = nullptr);

  const FeedConfig& config() const { return feed_; }
  Source& orders() { return *source_; }
  // Whether the orders source's connection was up at its last poll (nullopt: it has none). Safe
  // from any thread, while the feed's own thread drives the source.
  std::optional<bool> OrdersConnected() const {
    int up = orders_up_.load();
    return up < 0 ? std::nullopt : std::optional<bool>(up > 0);
  }
  FileSink& output() { return *sink_; }

  // Order files (feed_orders.cpp).
  // Polls the orders source once and takes every complete order file. Returns files taken.
  size_t TakeOrders();
  // After a restart: order files taken into the spool whose lines were not yet recorded.
  void ResumeOrders();
  // Files that could not be taken and wait for their next try (`run --once` exits 1 then).
  size_t StuckCount() const { return stuck_.Count(); }

  // Fetching (feed_fetch.cpp). Attempts every order due now — with `all`, every pending order,
  // once — and journals the outcomes. The first call after Make also takes the orders that wait
  // after a configuration fault (it may be fixed now). Returns how many orders were attempted.
  size_t FetchDue(bool all);
  // How long until a pending order's next attempt is due (nullopt: none waits).
  std::optional<Millis> UntilNextAttempt();

  // Receipts (feed_receipts.cpp): every order file whose lines are all final gets its receipt.
  void WriteReceipts();

  Feed(const Config& cfg, const FeedConfig& feed, Journal& journal, Clock& clock, const std::atomic<bool>* stop);

 // Internal to daemon/feed*.cpp (daemon/feeds/feed_fetch.h).
  struct Task;
  struct Outcome;

 private:
  // Orders (feed_orders.cpp).
  void TakeOne(const Candidate& c);
  // Reads the order's spool copy and records its lines (or refuses it as a whole).
  Status RecordOrder(const Candidate& c, const FileRow& file, const std::string& spool);
  void QuarantineRefused(const Candidate& c);
  void ReportStuck(const std::string& name, const std::string& cause);
  // Receipts (feed_receipts.cpp).
  Status WriteOrderReceipt(const FileRow& file, const std::vector<OrderReceiptRow>& rows, bool refused);
  void WriteRefusedReceipt(const FileRow& file, const std::string& reason);
  // Fetching (feed_fetch.cpp, feed_fetch_one.cpp).
  std::vector<Task> Tasks(std::vector<FetchOrder> orders);
  void RunTasks(std::vector<Task>& tasks);
  void FetchTask(Fetcher& fetcher, Task& task) const;
  // Writes the pending import files of `tasks` in one go and settles their outcomes.
  void WriteImports(const std::vector<Task*>& tasks) const;
  Outcome FetchOne(Fetcher& fetcher, const FetchOrder& order, const std::optional<std::pair<std::string, std::string>>&
                                                                  written) const;
  void Record(const Outcome& outcome);
  bool Stopping() const { return stop_ != nullptr && stop_->load(); }

  const Config& cfg_;
  const FeedConfig& feed_;
  const ProfileConfig* order_profile_ = nullptr;
  const ImportProfileConfig* import_profile_ = nullptr;
  const DestinationConfig* output_cfg_ = nullptr;
  Journal& journal_;
  Clock& clock_;
  const std::atomic<bool>* stop_;
  Metrics* metrics_ = nullptr;
  SourcePtr source_;
  FileSinkPtr sink_;
  std::vector<FetcherPtr> fetchers_;  // one per connection
  StuckFiles stuck_;
  bool config_faults_due_ = true;
  std::atomic<int> orders_up_{-1};  // OrdersConnected(): -1 none, 0 down, 1 up  // the first pass takes orders that waited after a configuration fault
};

using FeedPtr = std::unique_ptr<Feed>;

}  // namespace liitos
