#pragma once
// 5-field cron expressions (minute hour day-of-month month day-of-week) evaluated in
// Europe/Helsinki civil time: numbers, `*`, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`.
// Day-of-week 0 or 7 is Sunday. When both day fields are restricted, either may match (as in
// Vixie cron).

#include <bitset>
#include <optional>
#include <string>

#include "base/time/clock.h"
#include "base/status.h"

namespace liitos {

class CronExpr {
 public:
  // Parses `text`; on error the Status names the field and the problem.
  static Result<CronExpr> Parse(const std::string& text);

  // The first instant strictly after `after` whose Helsinki civil time matches. Local times that
  // do not exist (spring forward) never match; a repeated local hour (autumn) fires once, at its
  // first occurrence. Walks by months, days and hours, not minute by minute. SysTime::max() if
  // nothing matches within 30 years (Parse refuses expressions that can never match).
  SysTime Next(SysTime after) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_;  // 0..6, Sunday = 0
  bool dom_star_ = true, dow_star_ = true;
};

}  // namespace liitos
