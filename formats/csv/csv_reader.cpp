#include "formats/csv/csv_reader.h"

#include <charconv>

#include <fmt/format.h>

namespace liitos {

CsvReader::CsvReader(std::unique_ptr<CsvScanner> scanner, Encoding enc)
    : scanner_(std::move(scanner)), enc_(enc) {}

Result<RecordReaderPtr> CsvReader::Open(const ProfileConfig& profile, const std::string& path,
                                        size_t max_record) {
  std::optional<Encoding> enc = ParseEncoding(profile.encoding);
  if (!enc)
    return Status::Invalid(fmt::format("unsupported encoding '{}'", profile.encoding));
  auto scanner = CsvScanner::Open(path, profile.delimiter, max_record);
  if (!scanner.ok())
    return scanner.status();
  auto reader = std::make_unique<CsvReader>(std::move(scanner).value(), *enc);
  for (const auto& [field, column] : profile.fields) reader->field_names_.push_back(field);
  Status s = profile.header ? reader->ReadHeader(profile) : reader->MapColumnNumbers(profile);
  if (!s.ok())
    return s;
  return RecordReaderPtr(std::move(reader));
}

// A UTF-8 byte order mark in a file the profile says is single-byte: the export is in fact
// UTF-8, and reading it as windows-1252 would silently garble every non-ASCII letter.
Status CsvReader::CheckBom() const {
  if (scanner_->had_utf8_bom() && enc_ != Encoding::kUtf8)
    return Status::Invalid(
        fmt::format("the file starts with a UTF-8 byte order mark but the profile's encoding is {}",
                    EncodingName(enc_)));
  return Status::Ok();
}

Status CsvReader::ScanError(const Status& s, const char* what) const {
  if (s.code() != Status::Code::kInvalid)
    return s;
  return Status::Invalid(
      fmt::format("{} (line {}): {}", what, scanner_->error_line(), s.message()));
}

Status CsvReader::ReadHeader(const ProfileConfig& profile) {
  for (;;) {
    auto r = scanner_->Next(&row_);
    if (!r.ok())
      return ScanError(r.status(), "header row");
    if (!*r)
      return Status::Invalid("file is empty: no header row");
    if (!row_.blank())
      break;
  }
  bom_checked_ = true;
  if (Status s = CheckBom(); !s.ok())
    return s;
  std::vector<std::string> names;
  std::string name;
  for (size_t c = 0; c < row_.fields.size(); ++c) {
    std::string_view text = CsvFieldText(row_.fields[c], &scratch_);
    size_t bad = 0;
    if (!DecodeToUtf8(text, enc_, &name, &bad))
      return Status::Invalid(fmt::format("header row (line {}): {} in column {}", row_.line,
                                         DescribeInvalidByte(text, enc_, bad), c + 1));
    names.push_back(name);
  }
  for (const auto& [field, column] : profile.fields) {
    size_t c = 0;
    while (c < names.size() && names[c] != column) ++c;  // the first column of that name
    if (c == names.size())
      return Status::Invalid(
          fmt::format("the header row has no column '{}' (for {})", column, field));
    // Two columns of that name: which one holds the value is a guess (SPEC §4).
    for (size_t again = c + 1; again < names.size(); ++again)
      if (names[again] == column)
        return Status::Invalid(fmt::format(
            "the header row names column '{}' (for {}) twice: columns {} and {}", column, field,
            c + 1, again + 1));
    columns_.push_back(c);
    labels_.push_back(fmt::format("column '{}'", column));
  }
  return Status::Ok();
}

Status CsvReader::MapColumnNumbers(const ProfileConfig& profile) {
  for (const auto& [field, column] : profile.fields) {
    std::string_view t = TrimBlanks(column);
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || ptr != t.data() + t.size() || n == 0)
      return Status::Invalid(
          fmt::format("'{}' (for {}) is not a column number (header = false)", column, field));
    columns_.push_back(n - 1);
    labels_.push_back(fmt::format("column {}", n));
  }
  return Status::Ok();
}

Result<bool> CsvReader::Next(RawRecord* rec) {
  for (;;) {
    auto r = scanner_->Next(&row_);
    if (!r.ok())
      return ScanError(r.status(), fmt::format("row {}", rows_ + 1).c_str());
    if (!bom_checked_) {
      bom_checked_ = true;
      if (Status s = CheckBom(); !s.ok())
        return s;
    }
    if (!*r)
      return false;
    if (!row_.blank())
      break;
  }
  rec->number = ++rows_;
  rec->ResetValues(columns_.size());
  rec->error_field.reset();
  rec->error_reason.reset();
  std::string* text = rec->text();
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] >= row_.fields.size())
      continue;  // a short row: the column is absent
    const CsvField& field = row_.fields[columns_[i]];
    if (field.ascii) {  // the same text in every encoding we read: nothing to decode
      rec->SetValue(i, TrimBlanks(field.raw));
      continue;
    }
    std::string_view raw = CsvFieldText(field, &scratch_);
    const size_t begin = text->size();
    size_t bad = 0;
    if (AppendDecodedUtf8(raw, enc_, text, &bad)) {
      rec->EndValue(i, begin);
      continue;
    }
    text->resize(begin);
    if (!rec->error_field) {
      rec->error_field = field_names_[i];
      rec->error_reason = DescribeInvalidByte(raw, enc_, bad) + " in " + labels_[i];
    }
  }
  return true;
}

}  // namespace liitos
