#pragma once
// systemd integration through sd_notify: READY=1, STATUS=…, WATCHDOG=1, RELOADING=1, STOPPING=1.
// Harmless when not run by systemd (NOTIFY_SOCKET unset).

#include <chrono>
#include <string>

namespace liitos {

class Notifier {
 public:
  Notifier();
  void Ready(const std::string& status);
  void Status(const std::string& status);
  void Reloading();
  void Stopping();
  // Sends WATCHDOG=1 when the watchdog is on and half its interval has passed.
  void KeepAlive();
  // How long the loop may sleep and still feed the watchdog in time.
  std::chrono::milliseconds MaxSleep() const;

 private:
  std::chrono::microseconds watchdog_{0};
  std::chrono::steady_clock::time_point last_ping_{};
  std::string last_status_;
};

}  // namespace liitos
