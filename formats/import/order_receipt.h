#pragma once
// The receipt of a fetch order (SPEC §11), written once every line of the order is final:
// `NAME.receipt.csv` (or `.xml` with receipt_format = "xml") with the columns
//   line, externalId, outcome (fetched | unchanged | not-found | rejected | failed), file, at, reason
// CSV in the order profile's delimiter and encoding with a header row, CRLF; XML in UTF-8:
//   <Kuittaus xmlns="urn:liitos:receipt:1" kind="fetch" file="…" sha256="…">
//     <Tilaus line="1" externalId="…" outcome="fetched" file="hakemus_….xml" at="…"/>
//   </Kuittaus>
// An order refused as a whole gets one row of line 0. Rendering only; reasons pass SafeText.

#include <string>
#include <vector>

#include "formats/encoding.h"

namespace liitos {

struct OrderReceiptRow {
  size_t line = 0;
  std::string external_id, outcome, file;
  std::string at;  // Helsinki time with its offset
  std::string reason;
};

const std::vector<std::string>& OrderReceiptColumns();

std::string RenderCsvOrderReceipt(const std::vector<OrderReceiptRow>& rows, char delimiter, Encoding encoding);
std::string RenderXmlOrderReceipt(const std::string& order_name, const std::string& sha256,
                                  const std::vector<OrderReceiptRow>& rows);

}  // namespace liitos
