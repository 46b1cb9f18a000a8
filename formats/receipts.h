#pragma once
// Receipts to the legacy side (SPEC §6): the intake receipt (right after parsing) and the delivery
// receipt (once every accepted record is final), as CSV in the source's delimiter and encoding or
// as UTF-8 XML. Rendering only: writing the bytes atomically is the caller's (daemon's) job.
// Reason texts are passed through RedactPersonIds once more (G6).

#include <string>
#include <vector>

#include "formats/encoding.h"
#include "formats/convert.h"

namespace liitos {

enum class ReceiptKind { kIntake, kDelivery };

// One receipt row. Empty strings are absent (an empty CSV cell, no XML attribute).
struct ReceiptRow {
  size_t record = 0;  // 0 for the file as a whole
  std::string lv_case_id;
  std::string message_id;
  std::string outcome;  // intake: accepted | duplicate | rejected; delivery: delivered | rejected | failed
  std::string reason;
  // delivery receipts only
  std::string batch_id;
  std::string at;  // when the outcome became final, e.g. "2026-11-20T14:15:03+02:00"
  std::string xroad_request_id;
};

// "tilat_20261120.csv" → "tilat_20261120.csv.receipt.csv" (intake) or
// "tilat_20261120.csv.delivery.xml" (delivery, format "xml"). NAME is the whole input file name,
// as in "NAME.reason.txt" (SPEC §3), so that a.csv and a.xml never share a receipt. `format` is
// "csv" or "xml".
std::string ReceiptFileName(const std::string& input_name, ReceiptKind kind, const std::string& format);

// The column names in order: intake "record, lvCaseId, messageId, outcome, reason"; delivery
// "record, lvCaseId, messageId, outcome, batchId, at, reason, xroadRequestId".
const std::vector<std::string>& ReceiptColumns(ReceiptKind kind);

// A CSV receipt: a header row with the column names, then one row per entry; RFC 4180 quoting
// (only when a cell holds the delimiter, a quote, CR or LF, or surrounding blanks), CRLF line
// ends, encoded into `encoding` (characters it cannot hold become '?').
std::string RenderCsvReceipt(ReceiptKind kind, const std::vector<ReceiptRow>& rows, char delimiter,
                             Encoding encoding);

// An XML receipt, UTF-8:
//   <?xml version="1.0" encoding="UTF-8"?>
//   <Kuittaus xmlns="urn:liitos:receipt:1" kind="intake" file="…" sha256="…">
//     <Tietue record="1" lvCaseId="…" messageId="…" outcome="accepted"/>
//   </Kuittaus>
// Attributes in column order, absent when empty (record always written).
std::string RenderXmlReceipt(ReceiptKind kind, const std::string& file_name, const std::string& sha256,
                             const std::vector<ReceiptRow>& rows);

// The same piece by piece, for receipts too large to hold whole (a file of a million records):
// Head(), then Rows() for each chunk of rows in order, then Tail(); the pieces concatenated are
// the receipt RenderCsvReceipt / RenderXmlReceipt would give (`xml` picks which; `file_name`
// and `sha256` are XML only, the file name written as SafeText).
class ReceiptRenderer {
 public:
  ReceiptRenderer(ReceiptKind kind, bool xml, std::string file_name, std::string sha256, char delimiter,
                  Encoding encoding);
  std::string Head() const;
  std::string Rows(const std::vector<ReceiptRow>& rows) const;
  std::string Tail() const;

 private:
  ReceiptKind kind_;
  bool xml_;
  std::string file_name_, sha256_;
  char delimiter_;
  Encoding encoding_;
};

// The intake rows of a converted file:
//  - file_error: one row, record 0, outcome "rejected", its reason;
//  - rejected_as_whole: a record-0 row "rejected as a whole: N of M records are invalid
//    (on_invalid_record = reject-file)", then every record: invalid ones with their own reason,
//    valid ones "rejected" with reason "not sent: the file was rejected as a whole";
//  - otherwise one row per record: "accepted" with messageId, or "rejected" with the reason.
// The caller turns "accepted" into "duplicate" for messageIds already in the outbox.
std::vector<ReceiptRow> IntakeRows(const FileOutcome& outcome);

}  // namespace liitos
