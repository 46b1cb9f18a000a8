#include "formats/receipts.h"

#include "base/file_names.h"

#include <fmt/format.h>

#include "formats/reasons.h"

namespace liitos {
namespace {

// The row's cells in ReceiptColumns(kind) order.
std::vector<std::string> Cells(ReceiptKind kind, const ReceiptRow& r) {
  std::string record = std::to_string(r.record);
  std::string reason = SafeText(r.reason);
  if (kind == ReceiptKind::kIntake) return {record, r.lv_case_id, r.message_id, r.outcome, reason};
  return {record, r.lv_case_id, r.message_id, r.outcome, r.batch_id, r.at, reason, r.xroad_request_id};
}

bool NeedsQuotes(const std::string& cell, char delimiter) {
  if (cell.empty()) return false;
  if (cell.front() == ' ' || cell.back() == ' ' || cell.front() == '\t' || cell.back() == '\t') return true;
  // One pass (find_first_of with a set calls memchr on the set for every byte of the cell: a
  // tenth of a delivery receipt's time).
  for (char ch : cell)
    if (ch == delimiter || ch == '"' || ch == '\r' || ch == '\n') return true;
  return false;
}

void AppendCsvRow(const std::vector<std::string>& cells, char delimiter, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) *out += delimiter;
    const std::string& c = cells[i];
    if (!NeedsQuotes(c, delimiter)) {
      *out += c;
      continue;
    }
    *out += '"';
    for (char ch : c) {
      if (ch == '"') *out += '"';
      *out += ch;
    }
    *out += '"';
  }
  *out += "\r\n";
}

// Escaped for a double-quoted XML attribute; line breaks and tabs survive attribute-value
// normalization as character references; other C0 controls (not allowed in XML 1.0) become '?'.
std::string XmlAttr(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t': out += "&#9;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) out += '?';
        else out += ch;
    }
  }
  return out;
}

}  // namespace

std::string ReceiptFileName(const std::string& input_name, ReceiptKind kind, const std::string& format) {
  return FitName(input_name, (kind == ReceiptKind::kIntake ? ".receipt." : ".delivery.") + format);
}

const std::vector<std::string>& ReceiptColumns(ReceiptKind kind) {
  static const std::vector<std::string> intake = {"record", "lvCaseId", "messageId", "outcome", "reason"};
  static const std::vector<std::string> delivery = {"record",  "lvCaseId", "messageId", "outcome",
                                                    "batchId", "at",       "reason",    "xroadRequestId"};
  return kind == ReceiptKind::kIntake ? intake : delivery;
}

ReceiptRenderer::ReceiptRenderer(ReceiptKind kind, bool xml, std::string file_name, std::string sha256,
                                 char delimiter, Encoding encoding)
    : kind_(kind), xml_(xml), file_name_(std::move(file_name)), sha256_(std::move(sha256)),
      delimiter_(delimiter), encoding_(encoding) {}

std::string ReceiptRenderer::Head() const {
  if (!xml_) {
    std::string utf8;
    AppendCsvRow(ReceiptColumns(kind_), delimiter_, &utf8);
    return EncodeFromUtf8(utf8, encoding_);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  // file and sha256 are absent when unknown (a file refused before it was read has no digest).
  out += fmt::format("<Kuittaus xmlns=\"urn:liitos:receipt:1\" kind=\"{}\"",
                     kind_ == ReceiptKind::kIntake ? "intake" : "delivery");
  if (!file_name_.empty()) out += fmt::format(" file=\"{}\"", XmlAttr(SafeText(file_name_)));
  if (!sha256_.empty()) out += fmt::format(" sha256=\"{}\"", XmlAttr(sha256_));
  out += ">\n";
  return out;
}

std::string ReceiptRenderer::Rows(const std::vector<ReceiptRow>& rows) const {
  std::string out;
  if (!xml_) {
    out.reserve(rows.size() * 160);
    for (const auto& r : rows) AppendCsvRow(Cells(kind_, r), delimiter_, &out);
    return EncodeFromUtf8(out, encoding_);
  }
  const auto& columns = ReceiptColumns(kind_);
  for (const auto& r : rows) {
    auto cells = Cells(kind_, r);
    out += "  <Tietue";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0 && cells[i].empty()) continue;
      out += fmt::format(" {}=\"{}\"", columns[i], XmlAttr(cells[i]));
    }
    out += "/>\n";
  }
  return out;
}

std::string ReceiptRenderer::Tail() const { return xml_ ? "</Kuittaus>\n" : ""; }

std::string RenderCsvReceipt(ReceiptKind kind, const std::vector<ReceiptRow>& rows, char delimiter,
                             Encoding encoding) {
  ReceiptRenderer r(kind, /*xml=*/false, "", "", delimiter, encoding);
  return r.Head() + r.Rows(rows) + r.Tail();
}

std::string RenderXmlReceipt(ReceiptKind kind, const std::string& file_name, const std::string& sha256,
                             const std::vector<ReceiptRow>& rows) {
  ReceiptRenderer r(kind, /*xml=*/true, file_name, sha256, ';', Encoding::kUtf8);
  return r.Head() + r.Rows(rows) + r.Tail();
}

std::vector<ReceiptRow> IntakeRows(const FileOutcome& outcome) {
  std::vector<ReceiptRow> rows;
  if (outcome.file_error) {
    rows.push_back(ReceiptRow{0, "", "", "rejected", outcome.file_error->reason, "", "", ""});
    return rows;
  }
  if (outcome.rejected_as_whole) {
    size_t invalid = 0;
    for (const auto& m : outcome.records) invalid += m.accepted() ? 0 : 1;
    rows.push_back(ReceiptRow{0, "", "", "rejected",
                              fmt::format("rejected as a whole: {} of {} records are invalid "
                                          "(on_invalid_record = reject-file)",
                                          invalid, outcome.records.size()),
                              "", "", ""});
  }
  for (const auto& m : outcome.records) {
    ReceiptRow row;
    row.record = m.number;
    row.lv_case_id = m.lv_case_id.value_or("");
    if (const auto* u = std::get_if<StatusUpdate>(&m.outcome)) {
      if (outcome.rejected_as_whole) {
        row.outcome = "rejected";
        row.reason = "not sent: the file was rejected as a whole";
      } else {
        row.outcome = "accepted";
        row.message_id = u->message_id;
      }
    } else {
      row.outcome = "rejected";
      row.reason = std::get<Rejection>(m.outcome).reason;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace liitos
