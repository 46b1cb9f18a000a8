#include "daemon/intake/spool_pool.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "base/fs.h"

namespace liitos {

SpoolPool::SpoolPool(std::string dir, size_t max_free) : dir_(std::move(dir)), max_free_(max_free) {}

void SpoolPool::LoadLocked() {
  loaded_ = true;
  if (!MakeDirs(dir_).ok()) return;
  DIR* d = ::opendir(dir_.c_str());
  if (!d) return;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.empty() || name[0] == '.') continue;
    char* end = nullptr;
    uint64_t n = std::strtoull(name.c_str(), &end, 10);
    if (end && *end == '\0') next_ = std::max(next_, n + 1);
    free_.push_back(dir_ + "/" + name);
  }
  ::closedir(d);
}

void SpoolPool::Place(const std::string& path) {
  for (;;) {
    std::string from;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!loaded_) LoadLocked();
      if (free_.empty()) return;
      from = std::move(free_.back());
      free_.pop_back();
    }
    if (::rename(from.c_str(), path.c_str()) == 0) return;
  }
}

void SpoolPool::Recycle(const std::string& path) {
  std::string to;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!loaded_) LoadLocked();
    if (free_.size() < max_free_) to = dir_ + "/" + std::to_string(next_++);
  }
  if (!to.empty() && ::truncate(path.c_str(), 0) == 0 && ::rename(path.c_str(), to.c_str()) == 0) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(to));
    return;
  }
  ::unlink(path.c_str());
}

}  // namespace liitos
