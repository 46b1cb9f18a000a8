#pragma once
// Europe/Helsinki civil time from the tz database (Debian's libhowardhinnant-date, OS tzdata):
// correct offsets on both sides of every DST change, never a fixed +02:00.

#include <cstdint>
#include <optional>
#include <string>

#include "base/time/clock.h"

namespace liitos {

struct CivilTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int weekday = 0;         // 0 = Sunday … 6 = Saturday
  int offset_minutes = 0;  // UTC offset in force, e.g. 120 or 180
};

// The Helsinki civil time of a UTC instant.
CivilTime ToHelsinki(SysTime t);

// The UTC instant of a Helsinki local time. nullopt when the local time does not exist (the hour
// skipped in spring). An ambiguous time (the hour repeated in autumn) resolves to the earlier
// instant (summer time).
std::optional<SysTime> FromHelsinki(int year, int month, int day, int hour, int minute, int second);

// "2026-11-20T14:05:00+02:00": Helsinki time with its offset, seconds always written.
std::string FormatHelsinki(SysTime t);

// "2026-11-20 14:05:00+02:00": a time as shown to people (SPEC §8), in every table, status line,
// log line and report; with `millis`, "2026-11-20 14:05:00.123+02:00" (the journal's CSV export,
// which keeps every field exactly). Machine forms keep theirs: JSON and the journal itself UTC
// (FormatUtcMillis), the interface format and receipts FormatHelsinki.
std::string ShowHelsinki(SysTime t, bool millis = false);

// ShowHelsinki of a time written as text in any form ParseIsoInstant reads (a journal time
// "2026-11-20T12:05:00.123Z"); "" for ""; the text itself when it is not a time.
std::string ShowHelsinki(const std::string& iso, bool millis = false);

// How long before `now` the time `iso` (any form ParseIsoInstant reads) was, for people: "45s",
// "12m", "3h5m"; "-" when it is not a time.
std::string ShowAge(const std::string& iso, SysTime now);

// Seconds since the Unix epoch of `iso` (any form ParseIsoInstant reads); 0 when it is not a time
// (the Prometheus form of "never").
int64_t UnixSeconds(const std::string& iso);

// "2026-11-20T12:05:00.123Z": UTC with milliseconds (journal timestamps).
std::string FormatUtcMillis(SysTime t);

// Parses FormatUtcMillis output, or a plain date "2026-11-20" (midnight UTC), or an ISO date-time
// with an offset; the date and the time may be parted by a blank instead of 'T', so that a time
// copied from ShowHelsinki output reads back. nullopt when it is none of these.
std::optional<SysTime> ParseIsoInstant(const std::string& text);

}  // namespace liitos
