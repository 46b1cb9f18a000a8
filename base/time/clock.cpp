#include "base/time/clock.h"

namespace liitos {
namespace {
class SystemClock final : public Clock {
 public:
  SysTime Now() const override { return std::chrono::system_clock::now(); }
  MonoTime Monotonic() const override { return std::chrono::steady_clock::now(); }
};
}  // namespace

Clock& RealClock() {
  static SystemClock clock;
  return clock;
}

FakeClock::FakeClock(SysTime start) : now_(start), mono_(std::chrono::hours(1)) {}
SysTime FakeClock::Now() const {
  std::lock_guard<std::mutex> l(mu_);
  return now_;
}
MonoTime FakeClock::Monotonic() const {
  std::lock_guard<std::mutex> l(mu_);
  return mono_;
}
void FakeClock::Advance(Millis d) {
  std::lock_guard<std::mutex> l(mu_);
  now_ += d;
  mono_ += d;
}
void FakeClock::SetNow(SysTime t) {
  std::lock_guard<std::mutex> l(mu_);
  now_ = t;
}

}  // namespace liitos
