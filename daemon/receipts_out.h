#pragma once
// Receipts to the legacy side (SPEC §6): rendered by formats/receipts, written by the file's
// source (atomically), journaled as RECEIPT_WRITTEN.

#include <string>
#include <vector>

#include "config/config.h"
#include "journal/journal.h"
#include "transports/source.h"

namespace liitos {

class ReceiptWriter {
 public:
  ReceiptWriter(const Config& cfg, Journal& journal) : cfg_(cfg), journal_(journal) {}

  // Intake receipt NAME.receipt.csv|xml. Journals RECEIPT_WRITTEN on success.
  Status WriteIntake(Source& src, const FileRow& file, const std::vector<IntakeRow>& rows);
  // The same without the journal: the caller records RECEIPT_WRITTEN (with *name, empty when
  // the source writes no receipts) once the receipt is durable. Touches only the source.
  Status WriteIntakeFile(Source& src, const FileRow& file, const std::vector<IntakeRow>& rows, std::string* name);
  // Only the rendering (no I/O): *name as for WriteIntakeFile, *data the receipt's bytes (empty
  // when the source writes no receipts); src.WriteReceipt(*name, *data) then writes it.
  Status RenderIntake(const SourceConfig& s, const FileRow& file, const std::vector<IntakeRow>& rows,
                      std::string* name, std::string* data) const;
  // Delivery receipt NAME.delivery.csv|xml.
  Status WriteDelivery(Source& src, const FileRow& file, const std::vector<DeliveryRow>& rows);

 private:
  // "csv" or "xml": receipt_format, else the profile's format.
  std::string FormatFor(const SourceConfig& s) const;
  const Config& cfg_;
  Journal& journal_;
};

}  // namespace liitos
