// A whole file through its reader and the Mapper (SPEC §4 on_invalid_record, G3).

#include "formats/mapping.h"
#include "formats/reasons.h"

namespace liitos {

FileOutcome ConvertFile(const ProfileConfig& profile, const InterfaceConfig& iface, const std::string& source_name,
                        const std::string& path, const std::string& display_name,
                        const std::function<void(const MappedRecord&)>& sink) {
  FileOutcome out;
  auto file_error = [&](const Status& s) {
    out.file_error = Rejection{0, "", RedactPersonIds(display_name + ": " + s.message())};
    out.records.clear();
    out.rejected_as_whole = false;
    return out;
  };
  auto reader = OpenRecordReader(profile, path);
  if (!reader.ok()) return file_error(reader.status());
  RecordReader& r = **reader;
  Mapper mapper(profile, iface, source_name, display_name, r.RecordNoun());
  const bool strict = profile.on_invalid_record == OnInvalidRecord::kRejectFile;
  const bool streaming = sink && !strict;
  while (true) {
    RawRecord raw;
    auto more = r.Next(&raw);
    if (!more.ok()) return file_error(more.status());
    if (!*more) break;
    MappedRecord m = mapper.Map(raw);
    if (!m.accepted() && strict) out.rejected_as_whole = true;
    if (streaming) {
      sink(m);
    } else {
      out.records.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace liitos
