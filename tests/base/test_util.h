#pragma once
// Helpers shared by the base/ tests: UTC instants (and the scratch folder of tests/scratch_dir.h).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/time/clock.h"
#include "tests/scratch_dir.h"

namespace liitos::test_util {

// The UTC instant y-m-d h:mi:s (+ ms).
inline SysTime Utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  return SysTime(sys_days(year(y) / month(m) / day(d)).time_since_epoch() + hours(h) + minutes(mi) + seconds(s) +
                 milliseconds(ms));
}

}  // namespace liitos::test_util
