#include "transports/dir/settle.h"

namespace liitos {

void SettleTracker::EndScan() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.generation != generation_) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

bool SettleTracker::Observe(const std::string& name, const FileStamp& stamp, MonoTime now) {
  auto [it, inserted] = entries_.try_emplace(name);
  Entry& e = it->second;
  e.generation = generation_;
  if (inserted || !(e.stamp == stamp)) {
    e.stamp = stamp;
    e.since = now;
  }
  e.settled = now - e.since >= settle_;
  return e.settled;
}

std::optional<MonoTime> SettleTracker::NextSettle() const {
  std::optional<MonoTime> next;
  for (const auto& [name, e] : entries_) {
    if (e.settled) continue;
    MonoTime at = e.since + settle_;
    if (!next || at < *next) next = at;
  }
  return next;
}

size_t SettleTracker::pending() const {
  size_t n = 0;
  for (const auto& [name, e] : entries_) {
    if (!e.settled) ++n;
  }
  return n;
}

}  // namespace liitos
