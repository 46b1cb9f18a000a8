#include "base/time/helsinki_time.h"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <cctype>
#include <cstdio>

namespace liitos {
namespace {
using std::chrono::hours;
using std::chrono::seconds;

const date::time_zone* Helsinki() {
  static const date::time_zone* tz = date::locate_zone("Europe/Helsinki");
  return tz;
}

// The OS's tz files list Helsinki's changes up to 2037 only, and libdate's reader of them ignores
// the rule in their footer ("EET-2EEST,M3.5.0/3,M10.5.0/4"): past the last listed change it would
// keep +02:00 for ever, and a summer time of 2038 … 2199 would come out an hour wrong. So once the
// listed changes have run out in the present era (the last one after 2000, nothing listed after
// it), the EU rule carries on: summer time (+03:00) from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October, +02:00 otherwise.
bool PastListedChanges(const date::sys_info& info) {
  static const date::sys_seconds kModern = date::sys_days(date::year(2000) / 1 / 1);
  static const date::sys_seconds kNoEnd = date::sys_days(date::year(3000) / 1 / 1);
  return info.begin > kModern && info.end > kNoEnd;
}

seconds EuRuleOffset(date::sys_seconds t) {
  const date::year y = date::year_month_day(date::floor<date::days>(t)).year();
  const date::sys_seconds summer = date::sys_days(y / date::March / date::Sunday[date::last]) + hours(1);
  const date::sys_seconds winter = date::sys_days(y / date::October / date::Sunday[date::last]) + hours(1);
  return t >= summer && t < winter ? hours(3) : hours(2);
}

seconds OffsetAt(date::sys_seconds t) {
  auto info = Helsinki()->get_info(t);
  return PastListedChanges(info) ? EuRuleOffset(t) : info.offset;
}
}  // namespace

CivilTime ToHelsinki(SysTime t) {
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  if (secs > t) secs -= std::chrono::seconds(1);  // floor for instants before the epoch
  const seconds offset = OffsetAt(secs);
  auto local = secs + offset;
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd(day);
  date::hh_mm_ss<std::chrono::seconds> hms(local - day);
  CivilTime c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  c.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  c.hour = static_cast<int>(hms.hours().count());
  c.minute = static_cast<int>(hms.minutes().count());
  c.second = static_cast<int>(hms.seconds().count());
  c.weekday = static_cast<int>(date::weekday(day).c_encoding());
  c.offset_minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(offset).count());
  return c;
}

std::optional<SysTime> FromHelsinki(int year, int month, int day, int hour, int minute, int second) {
  date::year_month_day ymd{date::year(year), date::month(static_cast<unsigned>(month)),
                           date::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return std::nullopt;
  date::local_seconds local = date::local_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                              std::chrono::seconds(second);
  auto info = Helsinki()->get_info(local);
  if (info.result == date::local_info::unique && PastListedChanges(info.first)) {
    // The EU rule: the summer reading first, so that an hour repeated in autumn is its earlier
    // occurrence; neither reading holds in the hour skipped in spring.
    for (seconds offset : {hours(3), hours(2)}) {
      date::sys_seconds t(local.time_since_epoch() - offset);
      if (EuRuleOffset(t) == offset)
        return SysTime(t.time_since_epoch());
    }
    return std::nullopt;
  }
  switch (info.result) {
    case date::local_info::unique:
      return SysTime(local.time_since_epoch() - info.first.offset);
    case date::local_info::ambiguous:
      return SysTime(local.time_since_epoch() - info.first.offset);
    default:
      return std::nullopt;
  }
}

std::string FormatHelsinki(SysTime t) {
  CivilTime c = ToHelsinki(t);
  int off = c.offset_minutes;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  // By hand: fmt costs more than the rest of a record's mapping (this runs once per record).
  char b[26] = "0000-00-00T00:00:00+00:00";
  auto put = [&b](int at, int v, int digits) {
    for (int i = digits - 1; i >= 0; --i, v /= 10) b[at + i] = static_cast<char>('0' + v % 10);
  };
  if (c.year < 0 || c.year > 9999)
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute,
                       c.second, sign, off / 60, off % 60);
  put(0, c.year, 4);
  put(5, c.month, 2);
  put(8, c.day, 2);
  put(11, c.hour, 2);
  put(14, c.minute, 2);
  put(17, c.second, 2);
  b[19] = sign;
  put(20, off / 60 % 100, 2);
  put(23, off % 60, 2);
  return std::string(b, 25);
}

std::string ShowHelsinki(SysTime t, bool millis) {
  std::string s = FormatHelsinki(t);
  const size_t date_end = s.find('T');
  s[date_end] = ' ';
  if (millis) {
    auto ms = std::chrono::floor<std::chrono::milliseconds>(t) - std::chrono::floor<std::chrono::seconds>(t);
    s.insert(date_end + 9, fmt::format(".{:03}", ms.count()));
  }
  return s;
}

std::string ShowHelsinki(const std::string& iso, bool millis) {
  if (iso.empty()) return iso;
  auto t = ParseIsoInstant(iso);
  return t ? ShowHelsinki(*t, millis) : iso;
}

std::string FormatUtcMillis(SysTime t) {
  // By hand: date::format goes through an ostringstream, and the journal stamps every event.
  auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  auto day = std::chrono::floor<date::days>(ms);
  date::year_month_day ymd{day};
  int64_t in_day = (ms - day).count();
  int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) return date::format("%Y-%m-%dT%H:%M:%SZ", ms);
  auto put = [](char* p, int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
  };
  char buf[25] = "0000-00-00T00:00:00.000Z";
  put(buf, y, 4);
  put(buf + 5, static_cast<unsigned>(ymd.month()), 2);
  put(buf + 8, static_cast<unsigned>(ymd.day()), 2);
  put(buf + 11, in_day / 3600000, 2);
  put(buf + 14, in_day / 60000 % 60, 2);
  put(buf + 17, in_day / 1000 % 60, 2);
  put(buf + 20, in_day % 1000, 3);
  return std::string(buf, 24);
}

std::optional<SysTime> ParseIsoInstant(const std::string& text) {
  int y, mo, d, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return std::nullopt;
  date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)), date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  SysTime base = SysTime(date::sys_days(ymd).time_since_epoch());
  std::string rest = text.substr(static_cast<size_t>(consumed));
  if (rest.empty()) return base;
  int c2 = 0;
  if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
  if (std::sscanf(rest.c_str() + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &c2) != 3) return std::nullopt;
  ++c2;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return std::nullopt;
  SysTime t = base + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s);
  rest = rest.substr(static_cast<size_t>(c2));
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    int ms = 0, digits = 0;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      if (digits < 3) ms = ms * 10 + (rest[i] - '0'), ++digits;
      ++i;
    }
    while (digits < 3) ms *= 10, ++digits;
    t += std::chrono::milliseconds(ms);
    rest = rest.substr(i);
  }
  if (rest == "Z" || rest.empty()) return t;
  int oh, om, c3 = 0;
  if ((rest[0] == '+' || rest[0] == '-') && std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &oh, &om, &c3) == 2 &&
      static_cast<size_t>(c3) + 1 == rest.size() && oh >= 0 && oh <= 23 && om >= 0 && om <= 59) {
    auto off = std::chrono::hours(oh) + std::chrono::minutes(om);
    return rest[0] == '+' ? t - off : t + off;
  }
  return std::nullopt;
}

std::string ShowAge(const std::string& iso, SysTime now) {
  auto t = ParseIsoInstant(iso);
  if (!t) return "-";
  auto s = std::chrono::duration_cast<std::chrono::seconds>(now - *t).count();
  if (s < 120) return fmt::format("{}s", s);
  if (s < 7200) return fmt::format("{}m", s / 60);
  return fmt::format("{}h{}m", s / 3600, (s % 3600) / 60);
}

int64_t UnixSeconds(const std::string& iso) {
  auto t = ParseIsoInstant(iso);
  return t ? std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() : 0;
}

}  // namespace liitos
