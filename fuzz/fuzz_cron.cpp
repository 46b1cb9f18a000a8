// libFuzzer target: cron expressions (config/cron.h). The first 4 bytes pick a start instant in
// 1990…2126; the rest is the expression. Properties: Parse never crashes; for an accepted
// expression Next() is strictly after its argument and strictly increasing, and an expression
// that parses once parses again from its own text.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "config/cron.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using liitos::fuzz::Check;
  if (size < 4) return 0;
  uint32_t minutes = 0;
  std::memcpy(&minutes, data, 4);
  const std::string text(reinterpret_cast<const char*>(data) + 4, size - 4);
  auto expr = liitos::CronExpr::Parse(text);
  if (!expr.ok()) {
    Check(!expr.status().message().empty(), "a refusal says why");
    return 0;
  }
  Check(liitos::CronExpr::Parse(expr->text()).ok(), "its own text parses again");
  // 1990-01-01T00:00Z plus up to 2^32 seconds (about 136 years).
  liitos::SysTime t = liitos::SysTime(std::chrono::seconds(631152000)) + std::chrono::seconds(minutes);
  for (int i = 0; i < 4; ++i) {
    liitos::SysTime next = expr->Next(t);
    if (next == liitos::SysTime::max()) break;
    Check(next > t, "Next is strictly after its argument");
    Check(std::chrono::duration_cast<std::chrono::seconds>(next.time_since_epoch()).count() % 60 == 0,
          "Next falls on a whole minute");
    t = next;
  }
  return 0;
}
