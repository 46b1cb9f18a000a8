// A feed's rounds (daemon/feeds/feed.h): due orders read from the journal, grouped by application,
// fetched on the feed's connections in parallel, and their outcomes journaled in one
// transaction per round — retries with the backoff of delivery (SPEC §5.4), giving up after
// give_up_after; a configuration fault leaves the order pending and is logged as an error.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/time/helsinki_time.h"
#include "base/logging.h"
#include "daemon/delivery.h"
#include "daemon/feeds/feed_fetch.h"

namespace liitos {

using Kind = Feed::Outcome::Kind;

size_t Feed::FetchDue(bool all) {
  const bool config_faults = config_faults_due_;
  config_faults_due_ = false;
  size_t attempted = 0;
  int64_t after_id = 0;
  while (!Stopping()) {
    auto due = journal_.DueOrders(feed_.name, clock_.Now(), config_faults, all, after_id, kRound);
    if (!due.ok()) {
      spdlog::error("{}: journal: {}", feed_.name, due.status().message());
      break;
    }
    if (due->empty()) break;
    after_id = due->back().id;
    std::vector<Task> tasks = Tasks(std::move(*due));
    RunTasks(tasks);
    Journal::Batch tx(journal_);
    for (const Task& t : tasks)
      for (const Outcome& o : t.outcomes) {
        Record(o);
        ++attempted;
      }
    if (Status s = tx.Commit(); !s.ok()) spdlog::error("{}: journal: {}", feed_.name, s.message());
  }
  return attempted;
}

std::vector<Feed::Task> Feed::Tasks(std::vector<FetchOrder> orders) {
  std::vector<Task> tasks;
  std::map<std::string, size_t> by_id;
  for (FetchOrder& o : orders) {
    auto [it, fresh] = by_id.emplace(o.external_id, tasks.size());
    if (fresh) tasks.emplace_back();
    tasks[it->second].orders.push_back(std::move(o));
  }
  for (Task& t : tasks) {
    auto written = journal_.ApplicationDigest(feed_.name, t.orders.front().external_id);
    if (written.ok()) t.written = *written;
  }
  return tasks;
}

void Feed::RunTasks(std::vector<Task>& tasks) {
  const size_t workers = std::min(fetchers_.size(), tasks.size());
  std::atomic<size_t> next{0};
  auto work = [&](Fetcher* fetcher) {
    std::vector<Task*> mine;
    size_t bytes = 0;
    for (size_t i = next++; i < tasks.size(); i = next++) {
      FetchTask(*fetcher, tasks[i]);
      mine.push_back(&tasks[i]);
      for (const Outcome& o : tasks[i].outcomes) bytes += o.data.size();
      if (bytes >= kWriteBatchBytes) {
        WriteImports(mine);
        mine.clear();
        bytes = 0;
      }
    }
    WriteImports(mine);
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work, fetchers_[w].get());
  if (workers > 0) work(fetchers_[0].get());
  for (auto& t : threads) t.join();
}

void Feed::Record(const Outcome& given) {
  Outcome o = given;
  if (o.kind != Kind::kFetched && o.kind != Kind::kUnchanged) {
    // The FETCH_ATTEMPT says why the order did not come through.
    auto detail = nlohmann::json::parse(o.attempt_detail, nullptr, /*allow_exceptions=*/false);
    if (detail.is_object()) {
      detail["error"] = o.error;
      o.attempt_detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  const FetchOrder& order = o.order;
  const std::string& id = order.external_id;
  Status s;
  switch (o.kind) {
    case Kind::kFetched:
    case Kind::kUnchanged: {
      bool written = o.kind == Kind::kFetched;
      s = journal_.RecordFetched(order, feed_.output, o.attempt_detail, o.parts, o.digest, o.import_file,
                                 o.import_sha256, written);
      if (written) {
        spdlog::info("{}: {}: fetched, {} written ({} bytes)", feed_.name, id, o.import_file, o.import_size);
      } else {
        spdlog::info("{}: {}: fetched, unchanged since {} was written", feed_.name, id, o.import_file);
      }
      break;
    }
    case Kind::kNotFound:
    case Kind::kRejected:
    case Kind::kFailed: {
      const char* outcome = o.kind == Kind::kNotFound ? "not-found" : o.kind == Kind::kRejected ? "rejected" : "failed";
      s = journal_.RecordFetchFailed(order, feed_.output, o.attempt_detail, o.parts, outcome, o.error);
      if (o.kind == Kind::kFailed) spdlog::error("{}: {}: failed: {}", feed_.name, id, o.error);
      else spdlog::warn("{}: {}: {}: {}", feed_.name, id, outcome, o.error);
      break;
    }
    case Kind::kConfigFault: {
      SysTime next = clock_.Now() + RetryDelay(order.attempts + 1, std::nullopt);
      s = journal_.RecordFetchAttempt(order, feed_.output, o.attempt_detail, "config", o.error, next);
      spdlog::error("{}: {}: configuration fault, the order stays pending (tried again at {} and at every start): {}",
                    feed_.name, id, ShowHelsinki(next), o.error);
      break;
    }
    case Kind::kRetry: {
      SysTime now = clock_.Now();
      Millis delay = RetryDelay(order.attempts + 1, o.retry_after);
      SysTime first = ParseIsoInstant(order.first_failed_at).value_or(now);
      if (now + delay - first > feed_.give_up_after) {
        std::string reason = fmt::format("gave up after {} attempts: {}", order.attempts + 1, o.error);
        s = journal_.RecordFetchFailed(order, feed_.output, o.attempt_detail, {}, "failed", reason);
        spdlog::error("{}: {}: failed: {}", feed_.name, id, reason);
        break;
      }
      s = journal_.RecordFetchAttempt(order, feed_.output, o.attempt_detail, "retry", o.error, now + delay);
      spdlog::warn("{}: {}: {}; retry in {}s", feed_.name, id, o.error,
                   std::chrono::duration_cast<std::chrono::seconds>(delay).count());
      break;
    }
  }
  if (!s.ok()) spdlog::error("{}: {}: journal: {}", feed_.name, id, s.message());
}

std::optional<Millis> Feed::UntilNextAttempt() {
  auto next = journal_.NextOrderAttempt(feed_.name);
  if (!next.ok() || next->empty()) return std::nullopt;
  auto t = ParseIsoInstant(*next);
  if (!t) return std::nullopt;
  return std::max(Millis(0), std::chrono::duration_cast<Millis>(*t - clock_.Now()));
}

}  // namespace liitos
