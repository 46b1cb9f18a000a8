#pragma once
// A whole file into mapped records (SPEC §4 on_invalid_record, G3): its RecordReader, then the
// Mapper, in one pipeline (formats/convert.cpp).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "formats/mapping.h"

namespace liitos {

// The outcome of converting one whole file.
struct FileOutcome {
  std::optional<Rejection> file_error;  // the file as a whole was refused (record 0)
  std::vector<MappedRecord> records;    // in input order (empty when file_error)
  // on_invalid_record = "reject-file" and some record was rejected: no update of the file goes
  // anywhere; `records` still lists every record's own outcome.
  bool rejected_as_whole = false;
};

// Reads and maps a whole file. `display_name` is the file name used in reasons and provenance.
// With `sink` set, records are passed to it one by one as they are mapped (streaming; `records`
// stays empty) — valid only for skip-record profiles: for a reject-file profile the sink is
// never called and `records` is filled as without a sink. A read error in the middle of a file
// sets `file_error` after the sink has already seen the records before it; the caller must then
// treat the file as refused as a whole.
// A record's reader-reported problem (RawRecord::error_reason) becomes that record's rejection.
FileOutcome ConvertFile(const ProfileConfig& profile, const InterfaceConfig& iface,
                        const std::string& source_name, const std::string& path, const std::string& display_name,
                        const std::function<void(const MappedRecord&)>& sink = nullptr);

// ConvertFile that streams every profile's records to `sink`, in input order, and never fills
// `records`: with on_invalid_record = "reject-file" the sink sees the valid records before an
// invalid one is found, and `rejected_as_whole` says at the end whether one was (the caller
// then undoes what it did with them). A sink that throws stops the conversion; the exception
// reaches the caller (the service abandons a file this way when it stops).
FileOutcome StreamFile(const ProfileConfig& profile, const InterfaceConfig& iface, const std::string& source_name,
                       const std::string& path, const std::string& display_name,
                       const std::function<void(const MappedRecord&)>& sink);

}  // namespace liitos
