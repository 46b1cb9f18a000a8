#pragma once
// The period of an auditor's report and its time buckets: Helsinki days (or hours, for a period
// of three days or less), each a half-open run of whole UTC hours — Helsinki's offsets are whole
// hours, so a day is 23, 24 or 25 of them.

#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "journal/audit/report_data.h"

namespace liitos {

// --since / --until: a date "2026-11-01" is that day's Helsinki midnight; otherwise any form
// ParseIsoInstant takes ("2026-11-01T08:00:00+02:00", "2026-11-01T06:00:00Z"). nullopt when
// it is neither.
std::optional<SysTime> ParseReportTime(const std::string& text);

struct ReportBucket {
  TimeBucket utc;     // journal times, UTC with milliseconds
  std::string label;  // "2026-11-02" for a day, "2026-11-02 14:00" for an hour (Helsinki)
};

struct ReportPeriod {
  SysTime since, until;  // [since, until)
  bool by_day = true;
  std::vector<ReportBucket> buckets;  // consecutive; the first starts at since, the last ends at until
  TimeBucket utc() const;
};

// Buckets of [since, until): Helsinki days, the first and last cut at since and until when those
// are not midnights; Helsinki hours when the period is three days or shorter. Invalid when
// until <= since or the period is longer than ten years.
Result<ReportPeriod> MakeReportPeriod(SysTime since, SysTime until);

// The Helsinki midnight that begins the day of `t`.
SysTime HelsinkiMidnightOf(SysTime t);

}  // namespace liitos
