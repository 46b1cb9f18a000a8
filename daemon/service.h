#pragma once
// The service loop (liitos run): wiring only. Sources are polled (woken by inotify or a timer),
// files go through Intake, destinations through Delivery, delivery receipts follow, and systemd
// hears READY / STATUS / WATCHDOG. SIGTERM stops intake between files and exits 0; SIGHUP reloads
// the config and keeps the old one when the new one is invalid.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "base/instance_lock.h"
#include "config/config.h"
#include "daemon/checkpoints.h"
#include "daemon/delivery.h"
#include "daemon/feeds/feeds.h"
#include "daemon/intake/intake.h"
#include "daemon/metrics.h"
#include "daemon/notify.h"
#include "daemon/signals.h"
#include "journal/journal.h"
#include "transports/registry.h"

namespace liitos {

class Service {
 public:
  Service(std::string config_path, Config cfg, Clock& clock);
  ~Service();

  // Takes the state_dir's lock, opens the journal and the transports and resumes what a previous
  // run left. Non-ok: exit 1 (also when another liitos holds the lock: the message names its pid).
  Status Start();
  // Runs until SIGTERM (returns 0) or, with `once`, until the work at hand is done (0 when nothing
  // is left pending or failed, 1 otherwise).
  int Run(bool once);

 private:
  // Everything built from one Config; replaced as a whole on reload.
  struct Wiring {
    Config cfg;
    std::vector<SourcePtr> sources;
    std::vector<DestinationPtr> destinations;
    std::unique_ptr<Intake> intake;
    std::unique_ptr<Delivery> delivery;
    std::unique_ptr<CheckpointWriter> checkpoints;  // null when none are configured
    std::unique_ptr<Feeds> feeds;  // SPEC §11: owns the orders sources and import outputs
  };
  Result<std::unique_ptr<Wiring>> Wire(Config cfg);
  void Reload();
  // One pass over every source; returns files handled.
  size_t PollSources();
  // Sources whose drop could not be listed at the last poll, with why.
  std::map<std::string, std::string> unlistable_;
  void WriteDeliveryReceipts();
  void WaitForWork(Millis max_wait);
  void Housekeeping(bool force);
  void WriteMetrics();
  int OnceExitCode();

  std::string config_path_;
  Clock& clock_;
  std::unique_ptr<InstanceLock> lock_;  // {state_dir}/lock, held from Start() to destruction
  SignalState& signals_;
  std::atomic<bool> stop_flag_{false};
  JournalPtr journal_;
  std::unique_ptr<Wiring> w_;
  Notifier notifier_;
  Metrics metrics_;
  MonoTime last_housekeeping_{};
  Config initial_cfg_;
};

}  // namespace liitos
