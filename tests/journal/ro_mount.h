#pragma once
// A folder bind-mounted read-only elsewhere, as a backup on read-only media is seen: SQLite can
// create nothing beside a database there (no -wal, no -shm). Needs root (the tests run as root in
// CI); `skip_reason()` says why when it could not be made. Unmounted at destruction.

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace liitos::test_mount {

class ReadOnlyBindMount {
 public:
  ReadOnlyBindMount(const std::string& source, const std::string& target) : target_(target) {
    if (::geteuid() != 0) {
      skip_ = "bind mounts need root";
      return;
    }
    std::filesystem::create_directories(target);
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      skip_ = std::string("mount --bind: ") + std::strerror(errno);
      return;
    }
    mounted_ = true;
    if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
      skip_ = std::string("mount -o remount,ro,bind: ") + std::strerror(errno);
  }
  ~ReadOnlyBindMount() {
    if (mounted_) ::umount2(target_.c_str(), MNT_DETACH);
  }
  ReadOnlyBindMount(const ReadOnlyBindMount&) = delete;
  ReadOnlyBindMount& operator=(const ReadOnlyBindMount&) = delete;

  // Empty when the read-only mount is in place.
  const std::string& skip_reason() const { return skip_; }

 private:
  std::string target_;
  std::string skip_;
  bool mounted_ = false;
};

}  // namespace liitos::test_mount
