#pragma once
// Dates and date-times of legacy exports (SPEC §4 "Dates"): parsed with the profile's
// `date_formats` (a small, strict strptime subset), normalized to the interface's output forms.
//
// Accepted input:
//   1. each of the profile's date_formats, in order; the first one that matches the whole value
//      AND yields a real calendar date wins;
//   2. then, always, ISO 8601 as a fallback: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS"
//      (a space may stand for the "T", a fraction of a second is accepted and dropped), with an
//      optional "Z" or "±HH:MM" offset. An export that already writes ISO values thus needs no format.
//
// Format directives: %d %m (1–2 digits), %Y (4 digits), %H %M %S (1–2 digits), %z ("Z", "±HH:MM"
// or "±HHMM"), %% (a literal %). Every other character must match itself exactly.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace liitos {

// A parsed legacy value before normalization.
struct LegacyDateTime {
  int year = 0, month = 0, day = 0;
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;
  std::optional<int> offset_minutes;  // set when the value carried an offset ("Z" = 0)
};

// True when year-month-day exists in the Gregorian calendar (years 1–9999).
bool IsCalendarDate(int year, int month, int day);

// Parses `text` with one format. nullopt unless the whole text matches and the date (and time)
// is real: "31.02.2026" is not a date, "24:00" is not a time.
std::optional<LegacyDateTime> ParseWithFormat(std::string_view text, std::string_view format);

// Parses the ISO 8601 fallback forms described above.
std::optional<LegacyDateTime> ParseIso8601(std::string_view text);

// Tries `formats` in order, then ISO 8601.
std::optional<LegacyDateTime> ParseLegacyDate(std::string_view text, const std::vector<std::string>& formats);

// The output form of statusChangedAt: "2026-11-03" for a date, "2026-11-20T14:05:00+02:00" for a
// date-time (Helsinki local when the value had no offset, converted to Helsinki time when it had
// one). A kInvalid Status whose message is the problem in plain words, to follow the quoted
// value: "is not a date", "is not a valid time in Europe/Helsinki" (the hour skipped in spring),
// or "is out of range (1921-05-01 … 2199-12-31)" (a date-time: its Helsinki time must lie in
// 1921-05-01 00:00 … 2199-12-31 23:59:59) or "is out of range (1900-01-01 … 2199-12-31)" (a date).
// An ambiguous autumn time resolves to its first occurrence (+03:00). A value out of range is
// never turned into a SysTime, whose nanoseconds end in 2262.
Result<std::string> NormalizeDateTime(std::string_view text, const std::vector<std::string>& formats);

// The output form of decision.date: always a date, 1900-01-01 … 2199-12-31 (else "is out of range
// (1900-01-01 … 2199-12-31)"). A date-time becomes its Helsinki date.
Result<std::string> NormalizeDateOnly(std::string_view text, const std::vector<std::string>& formats);

}  // namespace liitos
