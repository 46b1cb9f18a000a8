#pragma once
// Legacy readers: a RecordReader turns one export file (CSV or XML, any supported encoding) into
// raw records whose values are UTF-8 text, selected by the profile's `fields`. Readers stream: the
// CSV reader's memory does not grow with the file's size.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace liitos {

struct RawRecord {
  size_t number = 0;  // 1-based data row (CSV) or 1-based position of the record node (XML)
  // One value per entry of ProfileConfig::fields, in that order, as UTF-8. nullopt when the
  // column/node is absent; empty strings are kept as empty (the mapper treats blank as absent).
  // Values are trimmed of surrounding blanks.
  std::vector<std::optional<std::string>> values;
  // A record-level problem found while reading (e.g. an invalid byte sequence in a field):
  // the record is rejected by the mapper with this field and reason.
  std::optional<std::string> error_field;
  std::optional<std::string> error_reason;  // plain words, without the "row N:" prefix
};

class RecordReader {
 public:
  RecordReader() = default;
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  virtual ~RecordReader() = default;

  // Reads the next record into *rec. Returns true when a record was read, false at the end of
  // the file. A non-ok Status means the file as a whole cannot be read (malformed XML, an
  // unclosed quote at the end, a DOCTYPE, a missing header column…); its message names the
  // position (line:column, or row) in plain words and never the content of a field. After an
  // error the reader must not be used again. Single-threaded: one owner.
  virtual Result<bool> Next(RawRecord* rec) = 0;

  // "row" for CSV, "record" for XML: how rejection reasons name a record.
  virtual const char* RecordNoun() const = 0;
};

using RecordReaderPtr = std::unique_ptr<RecordReader>;

// Opens `path` with the reader the profile's format asks for. A non-ok Status when the file
// cannot be opened or its header/declaration is already unreadable.
Result<RecordReaderPtr> OpenRecordReader(const ProfileConfig& profile, const std::string& path);

}  // namespace liitos
