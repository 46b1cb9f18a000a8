#include "daemon/feeds/feeds.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "base/logging.h"

namespace liitos {

Result<std::unique_ptr<Feeds>> Feeds::Make(const Config& cfg, Journal& journal, Clock& clock,
                                           const TransportContext& ctx, Metrics* metrics) {
  std::unique_ptr<Feeds> feeds(new Feeds(journal, cfg));
  for (const FeedConfig& f : cfg.feeds) {
    auto feed = Feed::Make(cfg, f, journal, clock, ctx, &feeds->stop_, metrics);
    if (!feed.ok()) return feed.status();
    feeds->feeds_.push_back(std::move(*feed));
  }
  return feeds;
}

Feeds::~Feeds() {
  Stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void Feeds::Resume() {
  for (auto& f : feeds_) {
    f->ResumeOrders();
    f->WriteReceipts();  // orders whose lines all became final just before a stop
  }
}

void Feeds::Start() {
  if (feeds_.empty() || thread_.joinable()) return;
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { Loop(); });
}

void Feeds::Stop() {
  stop_ = true;
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
}

void Feeds::Loop() {
  while (!stop_) {
    size_t work = 0;
    for (auto& f : feeds_) {
      if (stop_) break;
      work += f->TakeOrders();
      work += f->FetchDue(/*all=*/false);
      f->WriteReceipts();
    }
    if (stop_ || work > 0) continue;
    std::vector<pollfd> fds = {{wake_fd_, POLLIN, 0}};
    for (auto& f : feeds_)
      if (int fd = f->orders().WakeFd(); fd >= 0) fds.push_back({fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), static_cast<int>(Wait().count()));
  }
}

Millis Feeds::Wait() {
  Millis wait(1000);
  for (auto& f : feeds_) {
    if (auto d = f->orders().PollDelay()) wait = std::min(wait, *d);
    if (auto d = f->UntilNextAttempt()) wait = std::min(wait, *d + Millis(1));
  }
  return std::max(wait, Millis(0));
}

size_t Feeds::TakeOrders() {
  size_t taken = 0;
  for (auto& f : feeds_) taken += f->TakeOrders();
  return taken;
}

void Feeds::FetchAll(const std::atomic<bool>& stop) {
  if (feeds_.empty()) return;
  // The work runs on a helper thread so that this one can pass a stop on within ~0.1 s, also
  // while a GET is in flight.
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread worker([&] {
    for (auto& f : feeds_) {
      if (stop_) break;
      f->FetchDue(/*all=*/true);
      f->WriteReceipts();
    }
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  while (!cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; }))
    if (stop) stop_ = true;
  lock.unlock();
  worker.join();
}

bool Feeds::Unfinished() {
  for (auto& f : feeds_) {
    if (f->StuckCount() > 0) return true;
    auto st = journal_.FeedStatsOf(f->config().name);
    if (!st.ok() || st->pending > 0) return true;
  }
  return false;
}

void Feeds::AddConnections(std::vector<Metrics::Connection>* out) const {
  for (const auto& f : feeds_) {
    if (auto up = f->OrdersConnected()) out->push_back({f->orders().config().name, "source", *up});
    if (auto up = f->output().Connected()) out->push_back({f->output().config().name, "destination", *up});
  }
}

}  // namespace liitos
