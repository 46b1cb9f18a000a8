#include "formats/import/order_receipt.h"

#include <fmt/format.h>

#include "base/text/safe_text.h"

namespace liitos {
namespace {

std::vector<std::string> Cells(const OrderReceiptRow& r) {
  return {std::to_string(r.line), r.external_id, r.outcome, SafeText(r.file), r.at, SafeText(r.reason)};
}

void AppendCsvRow(const std::vector<std::string>& cells, char delimiter, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) *out += delimiter;
    const std::string& c = cells[i];
    bool quote = !c.empty() && (c.front() == ' ' || c.back() == ' ' ||
                                c.find_first_of(std::string{delimiter, '"', '\r', '\n'}) != std::string::npos);
    if (!quote) {
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

// For a double-quoted attribute (the cells are SafeText: no control characters are left).
std::string XmlAttr(const std::string& s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& OrderReceiptColumns() {
  static const std::vector<std::string> columns = {"line", "externalId", "outcome", "file", "at", "reason"};
  return columns;
}

std::string RenderCsvOrderReceipt(const std::vector<OrderReceiptRow>& rows, char delimiter, Encoding encoding) {
  std::string utf8;
  AppendCsvRow(OrderReceiptColumns(), delimiter, &utf8);
  for (const auto& r : rows) AppendCsvRow(Cells(r), delimiter, &utf8);
  return EncodeFromUtf8(utf8, encoding);
}

std::string RenderXmlOrderReceipt(const std::string& order_name, const std::string& sha256,
                                  const std::vector<OrderReceiptRow>& rows) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Kuittaus xmlns=\"urn:liitos:receipt:1\" kind=\"fetch\"";
  if (!order_name.empty()) out += fmt::format(" file=\"{}\"", XmlAttr(SafeText(order_name)));
  if (!sha256.empty()) out += fmt::format(" sha256=\"{}\"", XmlAttr(sha256));
  out += ">\n";
  const auto& columns = OrderReceiptColumns();
  for (const auto& r : rows) {
    auto cells = Cells(r);
    out += "  <Tilaus";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0 && cells[i].empty()) continue;
      out += fmt::format(" {}=\"{}\"", columns[i], XmlAttr(cells[i]));
    }
    out += "/>\n";
  }
  out += "</Kuittaus>\n";
  return out;
}

}  // namespace liitos
