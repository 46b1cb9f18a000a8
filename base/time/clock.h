#pragma once
// The clock interface. Settle times, schedules and backoff run on an injectable Clock so that tests
// do not sleep (STYLE.md practice 8). Any thread may call a Clock.

#include <atomic>
#include <chrono>
#include <mutex>

namespace liitos {

using SysTime = std::chrono::system_clock::time_point;
using MonoTime = std::chrono::steady_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  // Wall-clock time (UTC): journal timestamps, schedules, archive dates.
  virtual SysTime Now() const = 0;
  // Monotonic time: settle, backoff, timeouts. Never goes back.
  virtual MonoTime Monotonic() const = 0;
};

// The process-wide real clock; lives for the whole program.
Clock& RealClock();

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(SysTime start = SysTime(std::chrono::seconds(1'800'000'000)));
  SysTime Now() const override;
  MonoTime Monotonic() const override;
  void Advance(Millis d);
  void SetNow(SysTime t);  // moves wall time only; monotonic time is unaffected

 private:
  mutable std::mutex mu_;
  SysTime now_;
  MonoTime mono_;
};

}  // namespace liitos
