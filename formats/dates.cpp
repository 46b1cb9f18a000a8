#include "formats/dates.h"

#include <fmt/format.h>

#include <chrono>

#include "base/time/helsinki_time.h"

namespace liitos {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads between min_digits and max_digits digits at text[*pos]. False when fewer are there.
bool ReadNumber(std::string_view text, size_t* pos, int min_digits, int max_digits, int* out) {
  int n = 0, digits = 0;
  while (*pos < text.size() && digits < max_digits && IsDigit(text[*pos])) {
    n = n * 10 + (text[*pos] - '0');
    ++*pos;
    ++digits;
  }
  *out = n;
  return digits >= min_digits;
}

// "Z", "+HH:MM", "-HH:MM", "+HHMM".
bool ReadOffset(std::string_view text, size_t* pos, int* minutes) {
  if (*pos >= text.size()) return false;
  char c = text[*pos];
  if (c == 'Z') {
    ++*pos;
    *minutes = 0;
    return true;
  }
  if (c != '+' && c != '-') return false;
  ++*pos;
  int h = 0, m = 0;
  if (!ReadNumber(text, pos, 2, 2, &h)) return false;
  if (*pos < text.size() && text[*pos] == ':') ++*pos;
  if (!ReadNumber(text, pos, 2, 2, &m)) return false;
  if (h > 23 || m > 59) return false;
  *minutes = (c == '-' ? -1 : 1) * (h * 60 + m);
  return true;
}

bool TimeIsReal(const LegacyDateTime& v) {
  return v.hour >= 0 && v.hour <= 23 && v.minute >= 0 && v.minute <= 59 && v.second >= 0 && v.second <= 59;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Seconds since the epoch of the value's UTC instant: plain integers, so that any year 1–9999
// fits; only values inside SPEC §4's range ever become a SysTime (nanoseconds, which cannot
// hold years past 2262).
long UtcSeconds(const LegacyDateTime& v) {
  return DaysFromCivil(v.year, v.month, v.day) * 86400L + v.hour * 3600L + v.minute * 60L + v.second -
         v.offset_minutes.value_or(0) * 60L;
}

// SPEC §4 "Dates": the range accepted, as (year, month, day, hour, minute, second) tuples that
// compare in order.
struct Civil {
  int year, month, day, hour, minute, second;
  bool operator<(const Civil& o) const {
    if (year != o.year) return year < o.year;
    if (month != o.month) return month < o.month;
    if (day != o.day) return day < o.day;
    if (hour != o.hour) return hour < o.hour;
    if (minute != o.minute) return minute < o.minute;
    return second < o.second;
  }
};
constexpr Civil kFirstDate{1900, 1, 1, 0, 0, 0};
constexpr Civil kFirstDateTime{1921, 5, 1, 0, 0, 0};  // since then Helsinki keeps whole-hour offsets
constexpr Civil kLast{2199, 12, 31, 23, 59, 59};

Civil CivilOf(const LegacyDateTime& v) { return {v.year, v.month, v.day, v.hour, v.minute, v.second}; }
Civil CivilOf(const CivilTime& c) { return {c.year, c.month, c.day, c.hour, c.minute, c.second}; }
Civil DateOf(int y, int m, int d) { return {y, m, d, 0, 0, 0}; }

bool InRange(const Civil& c, const Civil& first) { return !(c < first) && !(kLast < c); }

Status OutOfRange(bool date_time) {
  return Status::Invalid(date_time ? "is out of range (1921-05-01 … 2199-12-31)"
                                   : "is out of range (1900-01-01 … 2199-12-31)");
}

// The instant of a value with an offset; nullopt when the value's own year shows it
// out of range already. An offset moves a value by less than a day, so a year next to the range
// may still land inside it: those are converted (they fit a SysTime) and the caller checks the
// result against the range.
std::optional<SysTime> InstantOfOffsetValue(const LegacyDateTime& v, const Civil& first) {
  if (v.year < first.year - 1 || v.year > kLast.year + 1) return std::nullopt;
  return SysTime(std::chrono::seconds(UtcSeconds(v)));
}

std::string FormatDate(int y, int m, int d) {
  if (y < 0 || y > 9999) return fmt::format("{:04}-{:02}-{:02}", y, m, d);
  char b[10] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                static_cast<char>('0' + m / 10 % 10), static_cast<char>('0' + m % 10), '-',
                static_cast<char>('0' + d / 10 % 10), static_cast<char>('0' + d % 10)};
  return std::string(b, 10);
}

Status NotADate() { return Status::Invalid("is not a date"); }

}  // namespace

bool IsCalendarDate(int year, int month, int day) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

std::optional<LegacyDateTime> ParseWithFormat(std::string_view text, std::string_view format) {
  LegacyDateTime v;
  bool has_year = false, has_month = false, has_day = false;
  size_t pos = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char f = format[i];
    if (f != '%' || i + 1 == format.size()) {
      if (pos >= text.size() || text[pos] != f) return std::nullopt;
      ++pos;
      continue;
    }
    bool ok = true;
    switch (format[++i]) {
      case 'd': ok = has_day = ReadNumber(text, &pos, 1, 2, &v.day); break;
      case 'm': ok = has_month = ReadNumber(text, &pos, 1, 2, &v.month); break;
      case 'Y': ok = has_year = ReadNumber(text, &pos, 4, 4, &v.year); break;
      case 'H': ok = v.has_time = ReadNumber(text, &pos, 1, 2, &v.hour); break;
      case 'M': ok = v.has_time = ReadNumber(text, &pos, 1, 2, &v.minute); break;
      case 'S': ok = v.has_time = ReadNumber(text, &pos, 1, 2, &v.second); break;
      case 'z': {
        int off = 0;
        ok = ReadOffset(text, &pos, &off);
        v.offset_minutes = off;
        break;
      }
      case '%': ok = pos < text.size() && text[pos++] == '%'; break;
      default: return std::nullopt;  // an unsupported directive never matches
    }
    if (!ok) return std::nullopt;
  }
  if (pos != text.size() || !has_year || !has_month || !has_day) return std::nullopt;
  if (!IsCalendarDate(v.year, v.month, v.day) || !TimeIsReal(v)) return std::nullopt;
  return v;
}

std::optional<LegacyDateTime> ParseIso8601(std::string_view text) {
  LegacyDateTime v;
  size_t pos = 0;
  auto lit = [&](char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  if (!ReadNumber(text, &pos, 4, 4, &v.year) || !lit('-') || !ReadNumber(text, &pos, 2, 2, &v.month) ||
      !lit('-') || !ReadNumber(text, &pos, 2, 2, &v.day))
    return std::nullopt;
  if (pos < text.size()) {
    if (!lit('T') && !lit(' ')) return std::nullopt;
    v.has_time = true;
    if (!ReadNumber(text, &pos, 2, 2, &v.hour) || !lit(':') || !ReadNumber(text, &pos, 2, 2, &v.minute))
      return std::nullopt;
    if (lit(':')) {
      if (!ReadNumber(text, &pos, 2, 2, &v.second)) return std::nullopt;
      if (lit('.') || lit(',')) {
        int ignored = 0;
        if (!ReadNumber(text, &pos, 1, 9, &ignored)) return std::nullopt;
      }
    }
    if (pos < text.size()) {
      int off = 0;
      if (!ReadOffset(text, &pos, &off) || pos != text.size()) return std::nullopt;
      v.offset_minutes = off;
    }
  }
  if (!IsCalendarDate(v.year, v.month, v.day) || !TimeIsReal(v)) return std::nullopt;
  return v;
}

std::optional<LegacyDateTime> ParseLegacyDate(std::string_view text, const std::vector<std::string>& formats) {
  for (const auto& f : formats) {
    if (auto v = ParseWithFormat(text, f)) return v;
  }
  return ParseIso8601(text);
}

Result<std::string> NormalizeDateTime(std::string_view text, const std::vector<std::string>& formats) {
  auto v = ParseLegacyDate(text, formats);
  if (!v) return NotADate();
  if (!v->has_time) {
    if (!InRange(CivilOf(*v), kFirstDate)) return OutOfRange(false);
    return FormatDate(v->year, v->month, v->day);
  }
  if (v->offset_minutes) {
    auto t = InstantOfOffsetValue(*v, kFirstDateTime);
    if (!t || !InRange(CivilOf(ToHelsinki(*t)), kFirstDateTime)) return OutOfRange(true);
    return FormatHelsinki(*t);
  }
  if (!InRange(CivilOf(*v), kFirstDateTime)) return OutOfRange(true);
  auto t = FromHelsinki(v->year, v->month, v->day, v->hour, v->minute, v->second);
  if (!t) return Status::Invalid("is not a valid time in Europe/Helsinki");
  return FormatHelsinki(*t);
}

Result<std::string> NormalizeDateOnly(std::string_view text, const std::vector<std::string>& formats) {
  auto v = ParseLegacyDate(text, formats);
  if (!v) return NotADate();
  if (v->has_time && v->offset_minutes) {
    auto t = InstantOfOffsetValue(*v, kFirstDate);
    if (!t) return OutOfRange(false);
    const CivilTime h = ToHelsinki(*t);
    if (!InRange(DateOf(h.year, h.month, h.day), kFirstDate)) return OutOfRange(false);
    return FormatDate(h.year, h.month, h.day);
  }
  if (!InRange(DateOf(v->year, v->month, v->day), kFirstDate)) return OutOfRange(false);
  return FormatDate(v->year, v->month, v->day);
}

}  // namespace liitos
