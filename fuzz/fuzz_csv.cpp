// libFuzzer target: the CSV reader (formats/csv/csv_reader.h) on any bytes. The first byte picks the
// profile's delimiter, encoding, header mode and the record size bound; the rest is the file.
// Properties: no crash; every record has one value per field; a record without an error holds
// valid UTF-8 values, trimmed of surrounding blanks; record numbers count up from 1.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.h"
#include "formats/csv/csv_reader.h"
#include "formats/encoding.h"
#include "fuzz/fuzz_util.h"

namespace {

liitos::ProfileConfig Profile(uint8_t sel) {
  liitos::ProfileConfig p;
  p.name = "fuzz-csv";
  p.format = liitos::RecordFormat::kCsv;
  static const char kDelimiters[] = {';', ',', '\t', '|'};
  static const char* kEncodings[] = {"utf-8", "windows-1252", "iso-8859-1", "utf-8"};
  p.delimiter = kDelimiters[sel & 3];
  p.encoding = kEncodings[(sel >> 2) & 3];
  p.header = (sel & 16) == 0;
  if (p.header) {
    p.fields = {{"lvCaseId", "Asiointitunnus"}, {"status", "Tilakoodi"}, {"statusChangedAt", "Tilan pvm"},
                {"message.fi", "Viesti"}, {"handler", "Käsittelijä"}};
  } else {
    p.fields = {{"lvCaseId", "1"}, {"status", "3"}, {"statusChangedAt", "4"}, {"message.fi", "10"}};
  }
  return p;
}

bool Blank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using liitos::fuzz::Check;
  if (size < 1) return 0;
  const liitos::ProfileConfig profile = Profile(data[0]);
  const size_t max_record = (data[0] & 32) ? 64 : liitos::CsvScanner::kDefaultMaxRecord;
  const std::string& path =
      liitos::fuzz::WriteScratch("csv", std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto reader = liitos::CsvReader::Open(profile, path, max_record);
  if (!reader.ok()) return 0;
  size_t last = 0;
  for (;;) {
    liitos::RawRecord rec;
    auto more = (*reader)->Next(&rec);
    if (!more.ok() || !*more) break;
    Check(rec.number == last + 1, "record numbers count up by one");
    last = rec.number;
    Check(rec.value_count() == profile.fields.size(), "one value per field");
    if (rec.error_field) continue;
    for (size_t i = 0; i < rec.value_count(); ++i) {
      if (!rec.has_value(i)) continue;
      std::string_view v = rec.value_text(i);
      Check(liitos::IsValidUtf8(v), "values are valid UTF-8");
      Check(v.empty() || (!Blank(v.front()) && !Blank(v.back())), "values are trimmed");
    }
  }
  return 0;
}
