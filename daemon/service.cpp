#include "daemon/service.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/file_modes.h"
#include "base/fs.h"
#include "base/crypto/hash.h"
#include "base/logging.h"
#include "daemon/feeds/feed_status.h"
#include "daemon/load.h"
#include "transports/sftp/sftp_config.h"

namespace liitos {
namespace {
constexpr Millis kHousekeepingEvery = std::chrono::seconds(15);

std::string ConfigDetail(const std::string& path) {
  nlohmann::json j;
  j["config"] = path;
  auto sha = Sha256File(path);
  if (sha.ok()) j["sha256"] = *sha;
  return j.dump();
}

// What the umask now keeps narrow (daemon/main.cpp) may have been left wider by an earlier run
// under a looser umask: the state dir and spool 0750, the journal 0640 (SQLite gives its -wal and
// -shm the journal's mode). A folder owned by someone else is only warned about.
void NarrowStateModes(const std::string& state_dir, const std::string& journal) {
  const std::pair<std::string, mode_t> paths[] = {{state_dir, 0750},           {state_dir + "/spool", 0750},
                                                  {state_dir + "/lock", 0640}, {journal, 0640},
                                                  {journal + "-wal", 0640},    {journal + "-shm", 0640}};
  for (const auto& [path, mode] : paths)
    if (Status s = LimitMode(path, mode); !s.ok()) spdlog::warn("{}", s.message());
}
}  // namespace

Service::Service(std::string config_path, Config cfg, Clock& clock)
    : config_path_(std::move(config_path)), clock_(clock), signals_(InstallSignalHandlers()),
      initial_cfg_(std::move(cfg)) {}

Service::~Service() = default;

Result<std::unique_ptr<Service::Wiring>> Service::Wire(Config cfg) {
  auto w = std::make_unique<Wiring>();
  w->cfg = std::move(cfg);
  TransportContext ctx;
  ctx.clock = &clock_;
  ctx.state_dir = w->cfg.service.state_dir;
  ctx.xroad_client = w->cfg.interface.xroad_client;
  ctx.stop = &stop_flag_;
  Journal* journal = journal_.get();
  ctx.on_hostkey_refused = [journal](const std::string& endpoint, const std::string& fingerprint) {
    NewEvent e;
    e.kind = ev::kHostkeyRefused;
    nlohmann::json d;
    d["endpoint"] = endpoint;
    d["fingerprint"] = fingerprint;
    e.detail_json = d.dump();
    (void)journal->Append(e);
    spdlog::error("{}: host key {} is not in known_hosts: refused", endpoint, fingerprint);
  };
  for (const auto& s : w->cfg.sources) {
    if (w->cfg.FeedOfOrders(s.name)) continue;  // the feed's own
    auto src = MakeSource(s, ctx);
    if (!src.ok()) return Status::Invalid("source " + s.name + ": " + src.status().message());
    w->sources.push_back(std::move(*src));
  }
  for (const auto& d : w->cfg.destinations) {
    if (w->cfg.IsFeedOutput(d.name)) continue;  // the feed's own
    auto dst = MakeDestination(d, ctx);
    if (!dst.ok()) return Status::Invalid("destination " + d.name + ": " + dst.status().message());
    w->destinations.push_back(std::move(*dst));
  }
  w->intake = std::make_unique<Intake>(w->cfg, *journal_, clock_, &metrics_);
  w->delivery = std::make_unique<Delivery>(w->cfg, *journal_, clock_, &metrics_);
  for (auto& d : w->destinations) w->delivery->AddDestination(d.get());
  auto checkpoints = CheckpointWriter::Make(w->cfg, clock_);
  if (!checkpoints.ok()) return checkpoints.status();
  w->checkpoints = std::move(*checkpoints);
  auto feeds = Feeds::Make(w->cfg, *journal_, clock_, ctx, &metrics_);
  if (!feeds.ok()) return feeds.status();
  w->feeds = std::move(*feeds);
  return w;
}

Status Service::Start() {
  const auto& svc = initial_cfg_.service;
  InitLogging(svc.log_level);
  if (Status s = MakeDirs(svc.state_dir); !s.ok()) return s;
  // One service per state_dir (SPEC §10): taken before the journal or the spool is touched.
  auto lock = InstanceLock::Acquire(svc.state_dir + "/lock");
  if (!lock.ok()) return lock.status();
  lock_ = std::move(*lock);
  if (Status s = MakeDirs(svc.state_dir + "/spool"); !s.ok()) return s;
  NarrowStateModes(svc.state_dir, JournalPath(initial_cfg_));
  auto j = Journal::Open(JournalPath(initial_cfg_), clock_);
  if (!j.ok()) return j.status();
  journal_ = std::move(*j);
  NewEvent started;
  started.kind = ev::kDaemonStarted;
  started.detail_json = nlohmann::json{{"version", LIITOS_VERSION}, {"pid", ::getpid()}}.dump();
  if (Status s = journal_->Append(started); !s.ok()) return s;
  auto w = Wire(initial_cfg_);
  if (!w.ok()) return w.status();
  w_ = std::move(*w);
  NewEvent loaded;
  loaded.kind = ev::kConfigLoaded;
  loaded.detail_json = ConfigDetail(config_path_);
  (void)journal_->Append(loaded);
  w_->feeds->Resume();
  std::vector<Source*> srcs;
  for (auto& s : w_->sources) srcs.push_back(s.get());
  w_->intake->ResumeSpooled(srcs);
  WriteDeliveryReceipts();
  spdlog::info("liitos {} started: {} sources, {} destinations, journal {}", LIITOS_VERSION, w_->sources.size(),
               w_->destinations.size(), JournalPath(w_->cfg));
  return Status::Ok();
}

void Service::Reload() {
  signals_.reload = false;
  notifier_.Reloading();
  LoadResult r = LoadConfigWithTransports(config_path_);
  if (!r.errors.empty()) {
    for (const auto& e : r.errors) spdlog::error("reload refused: {}", e.ToString());
    NewEvent e;
    e.kind = ev::kConfigRefused;
    e.detail_json = nlohmann::json{{"config", config_path_}, {"errors", r.errors.size()}}.dump();
    (void)journal_->Append(e);
    spdlog::error("reload refused: {} errors in {}; the running configuration is kept", r.errors.size(),
                  config_path_);
    notifier_.Ready(w_->delivery->Summary());
    return;
  }
  auto w = Wire(std::move(*r.config));
  if (!w.ok()) {
    spdlog::error("reload refused: {}; the running configuration is kept", w.status().message());
    notifier_.Ready(w_->delivery->Summary());
    return;
  }
  w_ = std::move(*w);
  w_->feeds->Start();
  InitLogging(w_->cfg.service.log_level);
  NewEvent e;
  e.kind = ev::kConfigLoaded;
  e.detail_json = ConfigDetail(config_path_);
  (void)journal_->Append(e);
  spdlog::info("configuration reloaded from {}", config_path_);
  notifier_.Ready(w_->delivery->Summary());
}

size_t Service::PollSources() {
  size_t handled = 0;
  for (auto& src : w_->sources) {
    if (signals_.stop) break;
    src->DrainWake();
    auto cands = src->Poll();
    const std::string& name = src->config().name;
    if (!cands.ok()) {
      // A drop that cannot be listed (a missing inbox, a lost mount) is said once per cause, and
      // makes `run --once` exit 1; it is tried again at each poll.
      auto [it, fresh] = unlistable_.emplace(name, cands.status().message());
      if (fresh || it->second != cands.status().message()) {
        it->second = cands.status().message();
        spdlog::error("{}: {}", name, it->second);
      }
      continue;
    }
    if (unlistable_.erase(name) > 0) spdlog::info("{}: the drop can be listed again", name);
    handled += w_->intake->Take(*src, *cands, &signals_.stop);
  }
  return handled;
}

void Service::WriteDeliveryReceipts() {
  auto files = journal_->FilesAwaitingDeliveryReceipt();
  if (!files.ok()) return;
  ReceiptWriter writer(w_->cfg, *journal_);
  // In groups: the group's receipts written, then synced together, then their RECEIPT_WRITTEN in
  // one transaction: one fsync of the journal per group, not per file (a backlog's 1,000 files
  // took 1,000). A crash before the commit only means those receipts are written again.
  constexpr size_t kGroup = 64;
  for (size_t first = 0; first < files->size(); first += kGroup) {
    SyncBatch sync;
    std::vector<std::pair<const FileRow*, std::string>> written;
    for (size_t i = first; i < std::min(files->size(), first + kGroup); ++i) {
      const FileRow& f = (*files)[i];
      Source* src = nullptr;
      for (auto& s : w_->sources)
        if (s->config().name == f.source) src = s.get();
      if (!src) continue;
      // Every delivery row of f is final (FilesAwaitingDeliveryReceipt); read one chunk at a time.
      std::string name;
      Status s = writer.WriteDeliveryFromJournal(*src, f, &name, sync);
      if (s.ok()) written.emplace_back(&f, std::move(name));
      else spdlog::error("{}: {}: delivery receipt: {}", f.source, f.name, s.message());
    }
    if (Status s = sync.Flush(); !s.ok()) {
      spdlog::error("delivery receipts not synced, written again later: {}", s.message());
      continue;
    }
    Journal::Batch tx(*journal_);
    for (const auto& [f, name] : written) {
      Status s = journal_->RecordReceiptWritten(f->id, "delivery", name);
      if (!s.ok()) spdlog::error("{}: {}: delivery receipt: journal: {}", f->source, f->name, s.message());
    }
    if (Status s = tx.Commit(); !s.ok()) spdlog::error("delivery receipts: journal: {}", s.message());
  }
}

void Service::WaitForWork(Millis max_wait) {
  std::vector<pollfd> fds;
  fds.push_back({signals_.wake_fd, POLLIN, 0});
  for (auto& s : w_->sources)
    if (s->WakeFd() >= 0) fds.push_back({s->WakeFd(), POLLIN, 0});
  int timeout = static_cast<int>(std::max(Millis(0), max_wait).count());
  int n = ::poll(fds.data(), fds.size(), timeout);
  if (n > 0 && (fds[0].revents & POLLIN)) DrainSignalPipe();
}

void Service::Housekeeping(bool force) {
  MonoTime now = clock_.Monotonic();
  if (!force && now - last_housekeeping_ < kHousekeepingEvery) return;
  last_housekeeping_ = now;
  WriteMetrics();
  if (w_->checkpoints) w_->checkpoints->MaybeWrite(*journal_);
  auto purged = journal_->PurgePayloads(clock_.Now() - w_->cfg.journal.payload_retention);
  if (purged.ok() && *purged > 0) spdlog::info("purged {} delivered payloads past retention", *purged);
  notifier_.Status(w_->delivery->Summary());
}

void Service::WriteMetrics() {
  const auto& file = w_->cfg.service.metrics_file;
  if (!file) return;
  std::vector<Metrics::Connection> conns;
  for (const auto& s : w_->sources)
    if (auto up = s->Connected()) conns.push_back({s->config().name, "source", *up});
  for (const auto& d : w_->destinations)
    if (auto up = d->Connected()) conns.push_back({d->config().name, "destination", *up});
  w_->feeds->AddConnections(&conns);
  Status s = WriteFileAtomic(*file, metrics_.Render(w_->cfg, *journal_, conns, clock_.Now()) +
                                        FeedMetricsText(w_->cfg, *journal_, clock_.Now()));
  if (!s.ok()) spdlog::warn("metrics: {}", s.message());
}

int Service::OnceExitCode() {
  std::vector<std::string> names;
  for (const auto& d : w_->cfg.destinations) names.push_back(d.name);
  auto stats = journal_->Stats(names);
  if (!stats.ok()) return 1;
  for (const auto& s : *stats)
    if (s.pending > 0 || s.open_batches > 0 || s.failed_batches > 0) return 1;
  return 0;
}

int Service::Run(bool once) {
  notifier_.Ready(w_->delivery->Summary());
  int rc = 0;
  if (once) {
    // Take every complete file waiting now, waiting out settle (and SFTP polls) where needed.
    Millis wait = Millis(0);
    for (const auto& s : w_->cfg.sources)
      wait = std::max(wait, s.kind == "sftp" ? SftpSourceSettingsOf(s).poll + Millis(100) : s.settle);
    MonoTime deadline = clock_.Monotonic() + wait + Millis(200);
    // A file seen still changing is waited for until it settles, for at most a minute beyond the
    // settle time: a file written for longer is not complete, and is left for the next run.
    const MonoTime last_chance = deadline + std::chrono::minutes(1);
    for (;;) {
      size_t n = PollSources() + w_->feeds->TakeOrders();
      if (signals_.stop) break;
      MonoTime now = clock_.Monotonic();
      bool settling = false;
      for (auto& src : w_->sources) settling = settling || src->PollDelay().has_value();
      if (n == 0 && now >= deadline && (!settling || now >= last_chance)) break;
      if (n == 0) WaitForWork(Millis(100));
    }
    if (!signals_.stop) {
      w_->delivery->RunDue(/*force=*/true, &signals_.stop);
      WriteDeliveryReceipts();
      w_->feeds->FetchAll(signals_.stop);
    }
    rc = OnceExitCode();
    // Files left in a drop, not taken (SPEC §3), a drop that could not be listed, or orders
    // still pending (SPEC §11).
    if (w_->intake->StuckCount() > 0 || !unlistable_.empty() || w_->feeds->Unfinished()) rc = 1;
  } else {
    w_->feeds->Start();
    while (!signals_.stop) {
      if (signals_.reload) Reload();
      size_t taken = PollSources();
      if (signals_.stop) break;
      if (w_->delivery->RunDue(false, &signals_.stop) > 0 || taken > 0) WriteDeliveryReceipts();
      Housekeeping(false);
      notifier_.KeepAlive();
      Millis wait = std::min({notifier_.MaxSleep(), w_->delivery->UntilNextTick() + Millis(1), Millis(1000)});
      for (auto& s : w_->sources)  // a file seen settling is taken as soon as it has settled
        if (auto d = s->PollDelay()) wait = std::min(wait, *d);
      WaitForWork(wait);
    }
  }
  stop_flag_ = true;
  w_->feeds->Stop();
  notifier_.Stopping();
  Housekeeping(true);
  NewEvent stopped;
  stopped.kind = ev::kDaemonStopped;
  (void)journal_->Append(stopped);
  if (Status s = w_->checkpoints ? w_->checkpoints->Write(*journal_) : Status::Ok(); !s.ok())
    spdlog::error("checkpoint at stop: {}", s.message());
  spdlog::info("liitos stopped");
  return rc;
}

int CmdRun(const std::string& config_path, bool once) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return 2;
  Service service(config_path, std::move(*cfg), RealClock());
  Status s = service.Start();
  if (!s.ok()) {
    InitLogging("info");
    spdlog::error("cannot start: {}", s.message());
    return 1;
  }
  return service.Run(once);
}

}  // namespace liitos
