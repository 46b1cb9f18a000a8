#include "daemon/intake/stuck_files.h"

namespace liitos {

bool StuckFiles::Resting(const std::string& source, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stuck_.find(Key(source, name));
  return it != stuck_.end() && clock_.Monotonic() - it->second.last_try < retry_every_;
}

bool StuckFiles::Report(const std::string& source, const std::string& name, const std::string& cause) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = stuck_[Key(source, name)];
  e.last_try = clock_.Monotonic();
  if (e.cause == cause) return false;
  e.cause = cause;
  return true;
}

void StuckFiles::Clear(const std::string& source, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  stuck_.erase(Key(source, name));
}

void StuckFiles::Retain(const std::string& source, const std::set<std::string>& offered) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string prefix = source + '\0';
  for (auto it = stuck_.lower_bound(prefix); it != stuck_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    if (offered.count(it->first.substr(prefix.size()))) ++it;
    else it = stuck_.erase(it);
  }
}

size_t StuckFiles::Count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stuck_.size();
}

}  // namespace liitos
