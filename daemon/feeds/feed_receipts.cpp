// The receipts of fetch orders (SPEC §11): `NAME.receipt.csv|xml` in the orders source's receipts
// location, written once every line of the order is final (or at once for an order refused as a
// whole), then RECEIPT_WRITTEN.

#include "base/file_names.h"
#include "base/time/helsinki_time.h"
#include "base/logging.h"
#include "base/text/safe_text.h"
#include "daemon/feeds/feed.h"
#include "formats/encoding.h"
#include "formats/import/order_receipt.h"
#include "formats/receipts.h"

namespace liitos {
namespace {

std::string AtHelsinki(const std::string& utc) {
  auto t = ParseIsoInstant(utc);
  return t ? FormatHelsinki(*t) : utc;
}

}  // namespace

Status Feed::WriteOrderReceipt(const FileRow& file, const std::vector<OrderReceiptRow>& rows, bool refused) {
  const SourceConfig& s = source_->config();
  if (!s.receipts_enabled()) return Status::Ok();
  const std::string format = s.receipt_format.value_or("csv");
  std::string data;
  if (format == "xml") {
    data = RenderXmlOrderReceipt(file.name, file.sha256, rows);
  } else {
    bool csv_order = order_profile_->id_column.has_value();
    Encoding enc = ParseEncoding(order_profile_->encoding).value_or(Encoding::kUtf8);
    data = RenderCsvOrderReceipt(rows, csv_order ? order_profile_->delimiter : ';', enc);
  }
  const std::string name = ReceiptFileName(NumberedName(file.name, file.receipt_seq), ReceiptKind::kIntake, format);
  if (Status st = source_->WriteReceipt(name, data); !st.ok()) return st;
  // A refused order stays "quarantined"; one whose lines are all final is "done".
  return refused ? journal_.RecordReceiptWritten(file.id, "intake", name)
                 : journal_.RecordOrderReceiptWritten(file.id, name);
}

void Feed::WriteReceipts() {
  auto files = journal_.OrderFilesAwaitingReceipt(source_->config().name);
  if (!files.ok()) {
    spdlog::error("{}: journal: {}", feed_.name, files.status().message());
    return;
  }
  for (const FileRow& f : *files) {
    auto lines = journal_.OrderOutcomes(f.id);
    if (!lines.ok()) continue;
    std::vector<OrderReceiptRow> rows;
    for (const OrderOutcome& l : *lines)
      rows.push_back({static_cast<size_t>(l.line), l.external_id, l.outcome, l.import_file, AtHelsinki(l.at), l.reason});
    if (Status s = WriteOrderReceipt(f, rows, /*refused=*/false); !s.ok())
      spdlog::error("{}: {}: order receipt: {}", f.source, SafeText(f.name), s.message());
  }
}

void Feed::WriteRefusedReceipt(const FileRow& file, const std::string& reason) {
  OrderReceiptRow row{0, "", "rejected", "", FormatHelsinki(clock_.Now()), reason};
  if (Status s = WriteOrderReceipt(file, {row}, /*refused=*/true); !s.ok())
    spdlog::error("{}: {}: order receipt: {}", file.source, SafeText(file.name), s.message());
}

}  // namespace liitos
