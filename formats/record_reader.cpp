#include "formats/record_reader.h"

#include "formats/csv/csv_reader.h"
#include "formats/xml/xml_reader.h"

namespace liitos {

std::vector<std::optional<std::string>> RawRecord::Values() const {
  std::vector<std::optional<std::string>> out;
  for (size_t i = 0; i < value_count(); ++i)
    out.push_back(has_value(i) ? std::optional<std::string>(value_text(i)) : std::nullopt);
  return out;
}

Result<RecordReaderPtr> OpenRecordReader(const ProfileConfig& profile, const std::string& path) {
  switch (profile.format) {
    case RecordFormat::kCsv: return CsvReader::Open(profile, path);
    case RecordFormat::kXml: return XmlReader::Open(profile, path);
    case RecordFormat::kFetchOrder:
      return Status::Invalid("profile " + profile.name + " reads fetch orders (SPEC §11), not status records");
  }
  return Status::Invalid("unknown record format");
}

}  // namespace liitos
