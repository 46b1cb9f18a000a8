#pragma once
// The CSV reader (SPEC §4): a RecordReader over a CsvScanner. Maps profile fields to columns by
// header name (header = true) or 1-based column number (header = false), decodes the profile's
// encoding to UTF-8 and trims surrounding blanks.
//
// Record numbers: RawRecord::number is the 1-based count of data rows, the header not counted
// and blank lines (nothing but spaces/tabs) skipped without being counted. File-level errors
// name that row number and the physical line: "row 12 (line 14): unclosed quote".

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "formats/csv/csv_scanner.h"
#include "formats/encoding.h"
#include "formats/record_reader.h"

namespace liitos {

class CsvReader : public RecordReader {
 public:
  // Opens the file and, with header = true, reads the header row. Fails when the file cannot be
  // opened, the encoding is unknown, the header is missing ("file is empty: no header row"),
  // unreadable, lacks a column the profile names or names one of them twice. An empty file with header = false is not an
  // error: it has zero records. `max_record` bounds one record's bytes (a file-level error).
  static Result<RecordReaderPtr> Open(const ProfileConfig& profile, const std::string& path,
                                      size_t max_record = CsvScanner::kDefaultMaxRecord);

  Result<bool> Next(RawRecord* rec) override;
  const char* RecordNoun() const override { return "row"; }

  CsvReader(std::unique_ptr<CsvScanner> scanner, Encoding enc);

 private:
  Status ReadHeader(const ProfileConfig& profile);
  Status MapColumnNumbers(const ProfileConfig& profile);
  Status CheckBom() const;
  Status ScanError(const Status& s, const char* what) const;

  std::unique_ptr<CsvScanner> scanner_;
  Encoding enc_;
  std::vector<std::string> field_names_;  // interface field per profile entry
  std::vector<size_t> columns_;           // 0-based column per profile entry
  std::vector<std::string> labels_;       // "'Viesti'" or "5": how errors name the column
  CsvRecord row_;
  std::string scratch_;
  size_t rows_ = 0;
  bool bom_checked_ = false;
};

}  // namespace liitos
