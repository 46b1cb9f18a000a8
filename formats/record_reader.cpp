#include "formats/record_reader.h"

#include "formats/csv_reader.h"
#include "formats/xml_reader.h"

namespace liitos {

std::vector<std::optional<std::string>> RawRecord::Values() const {
  std::vector<std::optional<std::string>> out;
  for (size_t i = 0; i < value_count(); ++i) {
    auto v = value(i);
    out.push_back(v ? std::optional<std::string>(*v) : std::nullopt);
  }
  return out;
}

Result<RecordReaderPtr> OpenRecordReader(const ProfileConfig& profile, const std::string& path) {
  switch (profile.format) {
    case RecordFormat::kCsv: return CsvReader::Open(profile, path);
    case RecordFormat::kXml: return XmlReader::Open(profile, path);
  }
  return Status::Invalid("unknown record format");
}

}  // namespace liitos
