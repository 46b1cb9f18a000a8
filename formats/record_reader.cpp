#include "formats/record_reader.h"

#include "formats/csv_reader.h"
#include "formats/xml_reader.h"

namespace liitos {

Result<RecordReaderPtr> OpenRecordReader(const ProfileConfig& profile, const std::string& path) {
  switch (profile.format) {
    case RecordFormat::kCsv: return CsvReader::Open(profile, path);
    case RecordFormat::kXml: return XmlReader::Open(profile, path);
  }
  return Status::Invalid("unknown record format");
}

}  // namespace liitos
