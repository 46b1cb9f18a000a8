#pragma once
// The byte level of CSV (RFC 4180 and what real exports do): splits a file into records and
// fields, streaming through a fixed-size buffer that grows only to hold one record. Knows
// nothing of encodings beyond ASCII: the delimiter, '"', CR and LF are single bytes in all the
// encodings we read, and never part of a multi-byte UTF-8 sequence.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace liitos {

// One field of the current record: a raw byte span. `quoted` when it needs CsvFieldText to
// remove its quotes and undouble its '""'.
struct CsvField {
  std::string_view raw;
  bool quoted = false;
  bool ascii = false;  // unquoted and every byte below 0x80: its text is valid in every encoding
};

struct CsvRecord {
  std::vector<CsvField> fields;  // spans into the scanner's buffer: valid until the next Next()
  size_t line = 0;               // 1-based line where the record starts
  // True for a line holding nothing but blanks (one unquoted field of spaces/tabs, or nothing).
  bool blank() const;
};

class CsvScanner {
 public:
  static constexpr size_t kChunk = 256 * 1024;
  static constexpr size_t kDefaultMaxRecord = 64ull * 1024 * 1024;

  // Takes ownership of `fd` (closed in the destructor).
  CsvScanner(int fd, char delimiter, size_t max_record = kDefaultMaxRecord);
  ~CsvScanner();
  CsvScanner(const CsvScanner&) = delete;
  CsvScanner& operator=(const CsvScanner&) = delete;

  // Opens `path` read-only.
  static Result<std::unique_ptr<CsvScanner>> Open(const std::string& path, char delimiter,
                                                  size_t max_record = kDefaultMaxRecord);

  // Reads the next record (blank lines included: see CsvRecord::blank). Returns false at the end.
  // Errors: "unclosed quote", "record longer than N MiB" or a read error; error_line() then
  // tells where: the line of the opening quote, or where the record starts.
  Result<bool> Next(CsvRecord* rec);
  size_t error_line() const { return error_line_; }

  // True when the file started with a UTF-8 byte order mark (it is skipped). Known after the
  // first Next().
  bool had_utf8_bom() const { return had_bom_; }

 private:
  enum class Scan { kRecord, kNeedMore, kUnclosedQuote };
  Scan ScanRecord(CsvRecord* rec, size_t* consumed, size_t* lines);
  Status Fill();  // compacts the buffer and reads more; sets eof_

  int fd_;
  char delim_;
  size_t max_record_;
  std::string buf_;
  size_t begin_ = 0, end_ = 0;  // unconsumed data is buf_[begin_, end_)
  bool eof_ = false, started_ = false, had_bom_ = false;
  bool skip_lf_ = false;  // the previous record ended with CR: a following LF belongs to it
  size_t line_ = 1, error_line_ = 0;
};

// The text of a field: quotes removed and '""' undoubled (into *scratch when needed), line breaks
// inside quotes kept exactly as in the file (CRLF, LF or a lone CR), and surrounding blanks
// (space, tab, CR, LF) trimmed. The view is valid while the record and *scratch are.
std::string_view CsvFieldText(const CsvField& f, std::string* scratch);

// `s` without surrounding spaces, tabs, CRs and LFs. Inline: the reader trims every field.
inline std::string_view TrimBlanks(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t b = 0, e = s.size();
  while (b < e && blank(s[b])) ++b;
  while (e > b && blank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

}  // namespace liitos
