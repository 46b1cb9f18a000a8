// Report periods in Helsinki days (report/period.h).
#include "report/period.h"

#include <fmt/format.h>

#include <chrono>
#include <regex>

#include "base/time/helsinki_time.h"

namespace liitos {
namespace {

using std::chrono::hours;

std::chrono::year_month_day DayOf(const CivilTime& c) {
  return std::chrono::year_month_day{std::chrono::year(c.year), std::chrono::month(static_cast<unsigned>(c.month)),
                                     std::chrono::day(static_cast<unsigned>(c.day))};
}

// Midnight in Helsinki is never skipped or repeated (the changes happen at 03:00 and 04:00).
SysTime Midnight(std::chrono::year_month_day d) {
  return *FromHelsinki(static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
                       static_cast<int>(static_cast<unsigned>(d.day())), 0, 0, 0);
}

std::string DayLabel(std::chrono::year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

}  // namespace

std::optional<SysTime> ParseReportTime(const std::string& text) {
  static const std::regex kDate(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (std::regex_match(text, m, kDate))
    return FromHelsinki(std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), 0, 0, 0);
  return ParseIsoInstant(text);
}

SysTime HelsinkiMidnightOf(SysTime t) { return Midnight(DayOf(ToHelsinki(t))); }

TimeBucket ReportPeriod::utc() const { return {FormatUtcMillis(since), FormatUtcMillis(until)}; }

Result<ReportPeriod> MakeReportPeriod(SysTime since, SysTime until) {
  if (until <= since) return Status::Invalid("the period is empty: --until must come after --since");
  if (until - since > hours(24 * 366 * 10)) return Status::Invalid("the period is longer than ten years");
  ReportPeriod p;
  p.since = since;
  p.until = until;
  p.by_day = until - since > hours(72);
  if (p.by_day) {
    std::chrono::year_month_day day = DayOf(ToHelsinki(since));
    for (SysTime from = since; from < until;) {
      day = std::chrono::sys_days(day) + std::chrono::days(1);
      SysTime to = std::min(Midnight(day), until);
      std::chrono::year_month_day label_day = DayOf(ToHelsinki(from));
      p.buckets.push_back({{FormatUtcMillis(from), FormatUtcMillis(to)}, DayLabel(label_day)});
      from = to;
    }
  } else {
    // Whole UTC hours (the first and last cut at since and until), labelled in Helsinki time.
    SysTime from = since;
    while (from < until) {
      SysTime to = std::chrono::floor<hours>(from) + hours(1);
      if (to > until) to = until;
      CivilTime c = ToHelsinki(from);
      p.buckets.push_back({{FormatUtcMillis(from), FormatUtcMillis(to)},
                           fmt::format("{:04}-{:02}-{:02} {:02}:00", c.year, c.month, c.day, c.hour)});
      from = to;
    }
  }
  return p;
}

}  // namespace liitos
