#include "daemon/notify.h"

#include <systemd/sd-daemon.h>

namespace liitos {

Notifier::Notifier() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0) watchdog_ = std::chrono::microseconds(usec);
}

void Notifier::Ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
  last_status_ = status;
}

void Notifier::Status(const std::string& status) {
  if (status == last_status_) return;
  sd_notifyf(0, "STATUS=%s", status.c_str());
  last_status_ = status;
}

void Notifier::Reloading() { sd_notify(0, "RELOADING=1"); }
void Notifier::Stopping() { sd_notify(0, "STOPPING=1"); }

void Notifier::KeepAlive() {
  if (watchdog_.count() == 0) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ping_ >= watchdog_ / 2) {
    sd_notify(0, "WATCHDOG=1");
    last_ping_ = now;
  }
}

std::chrono::milliseconds Notifier::MaxSleep() const {
  if (watchdog_.count() == 0) return std::chrono::milliseconds(1000);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(watchdog_ / 4);
  return std::min(ms, std::chrono::milliseconds(1000));
}

}  // namespace liitos
