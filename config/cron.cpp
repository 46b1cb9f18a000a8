#include "config/cron.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "base/time/helsinki_time.h"

namespace liitos {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // optional symbolic names for min..min+count-1
  int names_count;
};

const char* const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
const char* const kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const FieldSpec kFields[5] = {
    {"minute", 0, 59, nullptr, 0},
    {"hour", 0, 23, nullptr, 0},
    {"day-of-month", 1, 31, nullptr, 0},
    {"month", 1, 12, kMonthNames, 12},
    {"day-of-week", 0, 7, kDayNames, 7},
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A number or (for month and weekday) a three-letter name. Sets *out or returns an error text.
std::string ParseValue(const FieldSpec& spec, const std::string& text, int* out) {
  if (text.empty()) return "a value is missing";
  bool digits = true;
  for (char c : text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    if (text.size() > 4) return fmt::format("{} is out of range {}-{}", text, spec.min, spec.max);
    int v = std::atoi(text.c_str());
    if (v < spec.min || v > spec.max) return fmt::format("{} is out of range {}-{}", v, spec.min, spec.max);
    *out = v;
    return "";
  }
  std::string lower = Lower(text);
  for (int i = 0; i < spec.names_count; ++i) {
    if (lower == spec.names[i]) {
      *out = spec.min + i;
      return "";
    }
  }
  return fmt::format("'{}' is not a number", text);
}

// One comma-separated item: "*", "*/n", "a", "a-b", "a-b/n", "a/n". Sets bits in *bits.
std::string ParseItem(const FieldSpec& spec, const std::string& item, std::vector<bool>* bits) {
  std::string range = item;
  int step = 1;
  bool has_step = false;
  if (size_t slash = item.find('/'); slash != std::string::npos) {
    range = item.substr(0, slash);
    std::string step_text = item.substr(slash + 1);
    bool ok = !step_text.empty() && step_text.size() <= 4;
    for (char c : step_text) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    if (!ok) return fmt::format("step '{}' is not a number", step_text);
    step = std::atoi(step_text.c_str());
    if (step < 1) return "step must be at least 1";
    has_step = true;
  }
  int lo = spec.min, hi = spec.max;
  if (range == "*") {
    if (spec.max == 7) hi = 6;  // day-of-week: 7 is only an alias of Sunday
  } else if (size_t dash = range.find('-'); dash != std::string::npos) {
    if (std::string e = ParseValue(spec, range.substr(0, dash), &lo); !e.empty()) return e;
    if (std::string e = ParseValue(spec, range.substr(dash + 1), &hi); !e.empty()) return e;
    if (lo > hi) return fmt::format("range {} goes backwards", range);
  } else {
    if (std::string e = ParseValue(spec, range, &lo); !e.empty()) return e;
    hi = has_step ? spec.max : lo;  // "a/n" means a-max/n, as in Vixie cron
  }
  for (int v = lo; v <= hi; v += step) (*bits)[static_cast<size_t>(v)] = true;
  return "";
}

// The bits of one field, or an error naming the field.
Status ParseField(const FieldSpec& spec, const std::string& text, std::vector<bool>* bits) {
  bits->assign(static_cast<size_t>(spec.max) + 1, false);
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) return Status::Invalid(fmt::format("{} field '{}': empty list item", spec.name, text));
    if (std::string e = ParseItem(spec, item, bits); !e.empty())
      return Status::Invalid(fmt::format("{} field '{}': {}", spec.name, text, e));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Status::Ok();
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// 0 = Sunday (Sakamoto's method).
int Weekday(int y, int m, int d) {
  static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (m < 3) y -= 1;
  return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

// A local wall-clock minute that Next walks forward.
struct LocalMinute {
  int year, month, day, hour, minute;

  void NextDay() {
    hour = 0;
    minute = 0;
    if (++day > DaysInMonth(year, month)) {
      day = 1;
      NextMonthStart();
    }
  }
  void NextMonthStart() {
    day = 1;
    hour = 0;
    minute = 0;
    if (++month > 12) {
      month = 1;
      ++year;
    }
  }
  void NextHour() {
    minute = 0;
    if (++hour > 23) NextDay();
  }
  void NextMinute() {
    if (++minute > 59) NextHour();
  }
};

template <size_t N>
int FirstSetFrom(const std::bitset<N>& bits, int from) {
  for (int i = from; i < static_cast<int>(N); ++i)
    if (bits[static_cast<size_t>(i)]) return i;
  return -1;
}

}  // namespace

Result<CronExpr> CronExpr::Parse(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> parts;
  for (std::string part; in >> part;) parts.push_back(part);
  if (parts.size() != 5)
    return Status::Invalid(fmt::format(
        "expected 5 fields (minute hour day-of-month month day-of-week), got {}", parts.size()));
  std::vector<bool> bits[5];
  for (int i = 0; i < 5; ++i) {
    Status s = ParseField(kFields[i], parts[static_cast<size_t>(i)], &bits[i]);
    if (!s.ok()) return s;
  }
  CronExpr cron;
  cron.text_ = text;
  for (size_t v = 0; v < 60; ++v) cron.minutes_[v] = bits[0][v];
  for (size_t v = 0; v < 24; ++v) cron.hours_[v] = bits[1][v];
  for (size_t v = 1; v <= 31; ++v) cron.days_[v] = bits[2][v];
  for (size_t v = 1; v <= 12; ++v) cron.months_[v] = bits[3][v];
  for (size_t v = 0; v <= 7; ++v)
    if (bits[4][v]) cron.weekdays_[v % 7] = true;
  // As in Vixie cron, a day field counts as unrestricted when it starts with '*' (also "*/2").
  cron.dom_star_ = parts[2][0] == '*';
  cron.dow_star_ = parts[4][0] == '*';
  if (!cron.dom_star_ && cron.dow_star_) {
    // Only day-of-month restricts the day: some chosen month must have some chosen day.
    bool possible = false;
    for (int m = 1; m <= 12 && !possible; ++m)
      for (int d = 1; d <= DaysInMonth(2024, m) && !possible; ++d)
        possible = cron.months_[static_cast<size_t>(m)] && cron.days_[static_cast<size_t>(d)];
    if (!possible) return Status::Invalid("day-of-month and month never match: the schedule would never fire");
  }
  return cron;
}

SysTime CronExpr::Next(SysTime after) const {
  CivilTime c = ToHelsinki(after);
  LocalMinute t{c.year, c.month, c.day, c.hour, c.minute};
  t.NextMinute();
  const int last_year = t.year + 30;  // Feb 29 on a Monday recurs within 28 years
  while (t.year <= last_year) {
    if (!months_[static_cast<size_t>(t.month)]) {
      t.NextMonthStart();
      continue;
    }
    bool dom = days_[static_cast<size_t>(t.day)];
    bool dow = weekdays_[static_cast<size_t>(Weekday(t.year, t.month, t.day))];
    bool day_ok = (dom_star_ || dow_star_) ? (dom && dow) : (dom || dow);
    if (!day_ok) {
      t.NextDay();
      continue;
    }
    int hour = FirstSetFrom(hours_, t.hour);
    if (hour < 0) {
      t.NextDay();
      continue;
    }
    if (hour != t.hour) {
      t.hour = hour;
      t.minute = 0;
    }
    int minute = FirstSetFrom(minutes_, t.minute);
    if (minute < 0) {
      t.NextHour();
      continue;
    }
    t.minute = minute;
    // A skipped local time (spring) has no instant; a repeated one resolves to its first
    // occurrence, which is not after `after` when we are already in the second one.
    std::optional<SysTime> instant = FromHelsinki(t.year, t.month, t.day, t.hour, t.minute, 0);
    if (instant && *instant > after) return *instant;
    t.NextMinute();
  }
  return SysTime::max();
}

}  // namespace liitos
