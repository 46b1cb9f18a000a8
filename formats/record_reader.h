#pragma once
// Legacy readers: a RecordReader turns one export file (CSV or XML, any supported encoding) into
// raw records whose values are UTF-8 text, selected by the profile's `fields`. Readers stream: the
// CSV reader's memory does not grow with the file's size.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace liitos {

struct RawRecord {
  size_t number = 0;  // 1-based data row (CSV) or 1-based position of the record node (XML)
  // A record-level problem found while reading (e.g. an invalid byte sequence in a field):
  // the record is rejected by the mapper with this field and reason.
  std::optional<std::string> error_field;
  std::optional<std::string> error_reason;  // plain words, without the "row N:" prefix

  // Values: one per entry of ProfileConfig::fields, in that order, as UTF-8. Absent (nullopt)
  // when the column/node is absent; empty strings are kept as empty (the mapper treats blank as
  // absent). Values are trimmed of surrounding blanks. They are kept end to end in one string:
  // a record is a few cache lines, whichever thread reads it next.
  size_t value_count() const { return spans_.size(); }
  // Whether value i is there, and its text when it is.
  bool has_value(size_t i) const { return spans_[i].size != kAbsent; }
  std::string_view value_text(size_t i) const {
    const Span& s = spans_[i];
    return std::string_view(text_.data() + s.begin, s.size);
  }
  // Every value as its own string (tests and diagnostics).
  std::vector<std::optional<std::string>> Values() const;

  // For readers: `n` values, all absent; then each value set at most once.
  void ResetValues(size_t n) {
    text_.clear();
    spans_.assign(n, Span{0, kAbsent});
  }
  void SetValue(size_t i, std::string_view v) {
    const size_t begin = text_.size();
    text_.append(v);
    EndValue(i, begin);
  }
  // A value written straight into the text: append it to *text() after noting text()->size()
  // as `begin`, then EndValue(i, begin) makes it value i (or drop it with text()->resize(begin)).
  std::string* text() { return &text_; }
  void EndValue(size_t i, size_t begin) {
    if (text_.size() >= kAbsent) throw std::length_error("a record's values exceed 4 GiB");  // the reader's error
    spans_[i] = Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(text_.size() - begin)};
  }

 private:
  static constexpr uint32_t kAbsent = UINT32_MAX;  // values are far shorter (EndValue checks)
  struct Span {
    uint32_t begin, size;
  };
  std::string text_;
  std::vector<Span> spans_;
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
