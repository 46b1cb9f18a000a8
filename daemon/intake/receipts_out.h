#pragma once
// Receipts to the legacy side (SPEC §6): rendered by formats/receipts, written by the file's
// source (atomically), journaled as RECEIPT_WRITTEN.

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "formats/receipts.h"
#include "journal/journal.h"
#include "transports/source.h"

namespace liitos {

class ReceiptWriter {
 public:
  ReceiptWriter(const Config& cfg, Journal& journal) : cfg_(cfg), journal_(journal) {}

  // Intake receipt NAME.receipt.csv|xml, synced. Journals RECEIPT_WRITTEN on success.
  Status WriteIntake(Source& src, const FileRow& file, const std::vector<IntakeRow>& rows);
  // The same without the journal, synced through `sync`: the caller records RECEIPT_WRITTEN
  // (with *name, empty when the source writes no receipts) once it has flushed `sync`. Touches
  // only the source.
  Status WriteIntakeFile(Source& src, const FileRow& file, const std::vector<IntakeRow>& rows, std::string* name,
                         SyncBatch& sync);
  // The intake receipt, and the delivery receipt NAME.delivery.csv|xml, with their rows read
  // from the journal one chunk at a time, for files of any size (memory does not grow with the
  // file): staged in {state_dir}/spool/.receipts, then handed to the source
  // (Source::WriteReceiptFile). The intake receipt starts with `head_rows` (the record-0 row of a
  // file rejected as a whole), synced through `sync`; the caller records RECEIPT_WRITTEN with
  // *name once it has flushed `sync`. The delivery receipt likewise (*name is empty when the
  // source writes no receipts: RECEIPT_WRITTEN is still recorded, naming none).
  Status WriteIntakeFromJournal(Source& src, const FileRow& file, const std::vector<IntakeRow>& head_rows,
                                std::string* name, SyncBatch& sync);
  // The intake receipt from the journal, synced, and RECEIPT_WRITTEN journaled (as WriteIntake).
  Status WriteIntakeFromJournal(Source& src, const FileRow& file, const std::vector<IntakeRow>& head_rows);
  Status WriteDeliveryFromJournal(Source& src, const FileRow& file, std::string* name, SyncBatch& sync);

 private:
  // "csv" or "xml": receipt_format, else the profile's format.
  std::string FormatFor(const SourceConfig& s) const;
  // The renderer of this source's receipts of a file: its format, delimiter and encoding.
  ReceiptRenderer RendererFor(const SourceConfig& s, ReceiptKind kind, const FileRow& file) const;
  // Only the rendering (no I/O): *name as for WriteIntakeFile, *data the receipt's bytes (empty
  // when the source writes no receipts).
  Status RenderIntake(const SourceConfig& s, const FileRow& file, const std::vector<IntakeRow>& rows,
                      std::string* name, std::string* data) const;
  // Renders head, the rows `produce` hands to its callback, and tail into a staging file, then
  // has the source write it as `name`.
  using RowSink = std::function<void(const ReceiptRow&)>;
  Status WriteStreamed(Source& src, ReceiptKind kind, const FileRow& file, const std::string& name,
                       const std::function<Status(const RowSink&)>& produce, SyncBatch& sync);
  const Config& cfg_;
  Journal& journal_;
};

}  // namespace liitos
