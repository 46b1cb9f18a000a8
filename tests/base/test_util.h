#pragma once
// Helpers shared by the base/ tests: a scratch directory that is removed afterwards, and UTC instants.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/clock.h"

namespace liitos::test_util {

// A fresh directory under TMPDIR (or /tmp), deleted with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/liitos-base-test.XXXXXX";
    char* made = ::mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The UTC instant y-m-d h:mi:s (+ ms).
inline SysTime Utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  return SysTime(sys_days(year(y) / month(m) / day(d)).time_since_epoch() + hours(h) + minutes(mi) + seconds(s) +
                 milliseconds(ms));
}

}  // namespace liitos::test_util
