// libFuzzer target: legacy date parsing (formats/dates.h). Input: a format, a newline, a value.
// Properties: no crash; a parsed value is a real calendar date and time; a normalized value
// normalizes to itself (it is ISO 8601 in range).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/dates.h"
#include "fuzz/fuzz_util.h"

namespace {

void CheckParsed(const std::optional<liitos::LegacyDateTime>& d) {
  using liitos::fuzz::Check;
  if (!d) return;
  Check(liitos::IsCalendarDate(d->year, d->month, d->day), "a parsed date is a calendar date");
  Check(d->hour >= 0 && d->hour < 24 && d->minute >= 0 && d->minute < 60 && d->second >= 0 && d->second < 60,
        "a parsed time is a time of day");
  if (d->offset_minutes) Check(*d->offset_minutes > -24 * 60 && *d->offset_minutes < 24 * 60, "an offset under a day");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using liitos::fuzz::Check;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string_view format = nl == std::string_view::npos ? std::string_view("%d.%m.%Y") : in.substr(0, nl);
  const std::string_view value = nl == std::string_view::npos ? in : in.substr(nl + 1);
  const std::vector<std::string> formats = {std::string(format)};

  CheckParsed(liitos::ParseWithFormat(value, format));
  CheckParsed(liitos::ParseIso8601(value));
  CheckParsed(liitos::ParseLegacyDate(value, formats));

  auto dt = liitos::NormalizeDateTime(value, formats);
  if (dt.ok()) {
    auto again = liitos::NormalizeDateTime(*dt, {});
    Check(again.ok() && *again == *dt, "a normalized date-time normalizes to itself: " + *dt);
  }
  auto d = liitos::NormalizeDateOnly(value, formats);
  if (d.ok()) {
    Check(d->size() == 10, "a normalized date is YYYY-MM-DD: " + *d);
    auto again = liitos::NormalizeDateOnly(*d, {});
    Check(again.ok() && *again == *d, "a normalized date normalizes to itself: " + *d);
  }
  return 0;
}
