#include "formats/import/order_reader.h"

#include <fmt/format.h>

#include "base/fs.h"
#include "formats/csv/csv_scanner.h"
#include "formats/encoding.h"
#include "formats/import/lv_service.h"

namespace liitos {
namespace {

// The text of a line or cell for checking and for reasons: decoded from the profile's encoding
// when it can be (else the bytes as they are; the reason escapes them).
std::string Decoded(std::string_view raw, Encoding enc) {
  std::string out;
  if (DecodeToUtf8(raw, enc, &out)) return out;
  return std::string(raw);
}

OrderLine Judge(size_t line, std::string_view text) {
  OrderLine out;
  out.line = line;
  if (lv::IsExternalId(text)) {
    out.external_id = lv::NormalizeExternalId(text);
  } else {
    out.reason = lv::NotAnExternalIdReason(text);
  }
  return out;
}

Result<std::vector<OrderLine>> ReadTextOrder(const std::string& path, Encoding enc) {
  auto data = ReadFile(path);
  if (!data.ok()) return data.status();
  std::string_view text = StripUtf8Bom(*data);
  std::vector<OrderLine> out;
  size_t line = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    ++line;
    std::string_view content = TrimBlanks(text.substr(pos, end - pos));
    pos = end;  // past the line end: CRLF, CR or LF
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n' && (pos == end || text[end] == '\r')) ++pos;
    if (content.empty() || content.front() == '#') continue;
    out.push_back(Judge(line, Decoded(content, enc)));
  }
  return out;
}

// The 0-based column of `id_column` in the header record.
Result<size_t> FindIdColumn(const CsvRecord& header, const std::string& id_column, Encoding enc) {
  std::string scratch;
  std::optional<size_t> found;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (Decoded(CsvFieldText(header.fields[i], &scratch), enc) != id_column) continue;
    if (found) return Status::Invalid(fmt::format("line {}: the header names column '{}' twice", header.line, id_column));
    found = i;
  }
  if (!found) return Status::Invalid(fmt::format("line {}: the header has no column '{}'", header.line, id_column));
  return *found;
}

Result<std::vector<OrderLine>> ReadCsvOrder(const ProfileConfig& p, const std::string& path, Encoding enc) {
  auto scanner = CsvScanner::Open(path, p.delimiter);
  if (!scanner.ok()) return scanner.status();
  std::optional<size_t> column;
  if (!p.header) column = std::stoul(*p.id_column) - 1;
  std::string label = p.header ? "'" + *p.id_column + "'" : *p.id_column;
  std::vector<OrderLine> out;
  CsvRecord rec;
  std::string scratch;
  for (;;) {
    auto more = (*scanner)->Next(&rec);
    if (!more.ok())
      return Status::Invalid(fmt::format("line {}: {}", (*scanner)->error_line(), more.status().message()));
    if (!*more) break;
    if (rec.blank()) continue;
    if (!rec.fields.empty() && !rec.fields[0].quoted && TrimBlanks(rec.fields[0].raw).substr(0, 1) == "#") continue;
    if (!column) {
      auto found = FindIdColumn(rec, *p.id_column, enc);
      if (!found.ok()) return found.status();
      column = *found;
      continue;
    }
    if (*column >= rec.fields.size()) {
      out.push_back(OrderLine{rec.line, "", fmt::format("the line has no column {}", label)});
      continue;
    }
    std::string value = Decoded(CsvFieldText(rec.fields[*column], &scratch), enc);
    if (value.empty()) {
      out.push_back(OrderLine{rec.line, "", fmt::format("column {} is empty", label)});
      continue;
    }
    out.push_back(Judge(rec.line, value));
  }
  if (!column) return Status::Invalid("the file is empty: no header row");
  return out;
}

}  // namespace

Result<std::vector<OrderLine>> ReadFetchOrder(const ProfileConfig& profile, const std::string& path) {
  Encoding enc = ParseEncoding(profile.encoding).value_or(Encoding::kUtf8);
  if (profile.id_column) return ReadCsvOrder(profile, path, enc);
  return ReadTextOrder(path, enc);
}

}  // namespace liitos
