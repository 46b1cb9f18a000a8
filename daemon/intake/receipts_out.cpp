#include "daemon/intake/receipts_out.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/file_names.h"
#include "base/text/safe_text.h"

#include "base/fs.h"
#include "base/time/helsinki_time.h"
#include "base/crypto/uuid.h"
#include "formats/encoding.h"
#include "formats/receipts.h"

namespace liitos {
namespace {

template <class Row>
ReceiptRow CommonRow(const Row& r) {
  ReceiptRow out;
  out.record = static_cast<size_t>(r.record);
  out.lv_case_id = r.lv_case_id;
  out.message_id = r.message_id;
  out.outcome = r.outcome;
  out.reason = r.reason;
  return out;
}

// Journal times are UTC; receipts speak Helsinki time like the interface does.
std::string ToReceiptTime(const std::string& utc) {
  auto t = ParseIsoInstant(utc);
  return t ? FormatHelsinki(*t) : utc;
}

}  // namespace

std::string ReceiptWriter::FormatFor(const SourceConfig& s) const {
  if (s.receipt_format) return *s.receipt_format;
  const ProfileConfig* p = cfg_.FindProfile(s.profile);
  return p && p->format == RecordFormat::kXml ? "xml" : "csv";
}

ReceiptRenderer ReceiptWriter::RendererFor(const SourceConfig& s, ReceiptKind kind, const FileRow& file) const {
  // CSV receipts speak the export's delimiter and encoding; XML ones are UTF-8.
  const ProfileConfig* p = cfg_.FindProfile(s.profile);
  const bool csv_profile = p && p->format == RecordFormat::kCsv;
  char delimiter = csv_profile ? p->delimiter : ';';
  Encoding enc = csv_profile ? ParseEncoding(p->encoding).value_or(Encoding::kUtf8) : Encoding::kUtf8;
  return ReceiptRenderer(kind, FormatFor(s) == "xml", file.name, file.sha256, delimiter, enc);
}

Status ReceiptWriter::WriteIntake(Source& src, const FileRow& file, const std::vector<IntakeRow>& rows) {
  std::string name;
  SyncBatch sync;
  if (Status st = WriteIntakeFile(src, file, rows, &name, sync); !st.ok()) return st;
  if (Status st = sync.Flush(); !st.ok()) return st;
  if (file.id == 0) return Status::Ok();
  return journal_.RecordReceiptWritten(file.id, "intake", name);
}

Status ReceiptWriter::WriteIntakeFile(Source& src, const FileRow& file, const std::vector<IntakeRow>& rows,
                                      std::string* written, SyncBatch& sync) {
  std::string name, data;
  if (Status st = RenderIntake(src.config(), file, rows, &name, &data); !st.ok()) return st;
  if (!name.empty())
    if (Status st = src.WriteReceipt(name, data, sync); !st.ok()) return st;
  *written = name;
  return Status::Ok();
}

Status ReceiptWriter::RenderIntake(const SourceConfig& s, const FileRow& file, const std::vector<IntakeRow>& rows,
                                   std::string* name, std::string* data) const {
  name->clear();
  data->clear();
  if (!s.receipts_enabled()) return Status::Ok();
  std::vector<ReceiptRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(CommonRow(r));
  ReceiptRenderer renderer = RendererFor(s, ReceiptKind::kIntake, file);
  *data = renderer.Head() + renderer.Rows(out) + renderer.Tail();
  *name = ReceiptFileName(NumberedName(file.name, file.receipt_seq), ReceiptKind::kIntake, FormatFor(s));
  return Status::Ok();
}

Status ReceiptWriter::WriteStreamed(Source& src, ReceiptKind kind, const FileRow& file, const std::string& name,
                                   const std::function<Status(const RowSink&)>& produce, SyncBatch& sync) {
  const ReceiptRenderer renderer = RendererFor(src.config(), kind, file);

  const std::string dir = cfg_.service.state_dir + "/spool/.receipts";
  if (Status st = MakeDirs(dir); !st.ok()) return st;
  const std::string staged = dir + "/" + UuidV4();
  int fd = ::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Status::FromErrno("create " + staged, errno);
  constexpr size_t kChunk = 1024;
  std::vector<ReceiptRow> chunk;
  Status st = WriteAll(fd, renderer.Head(), staged);
  auto flush = [&] {
    if (st.ok() && !chunk.empty()) st = WriteAll(fd, renderer.Rows(chunk), staged);
    chunk.clear();
  };
  Status produced = produce([&](const ReceiptRow& row) {
    chunk.push_back(row);
    if (chunk.size() >= kChunk) flush();
  });
  flush();
  if (st.ok()) st = produced;
  if (st.ok()) st = WriteAll(fd, renderer.Tail(), staged);
  ::close(fd);
  if (st.ok()) st = src.WriteReceiptFile(name, staged, sync);
  ::unlink(staged.c_str());
  return st;
}

Status ReceiptWriter::WriteIntakeFromJournal(Source& src, const FileRow& file, const std::vector<IntakeRow>& head_rows,
                                             std::string* name, SyncBatch& sync) {
  name->clear();
  const SourceConfig& s = src.config();
  if (!s.receipts_enabled()) return Status::Ok();
  const std::string receipt = ReceiptFileName(NumberedName(file.name, file.receipt_seq), ReceiptKind::kIntake, FormatFor(s));
  Status st = WriteStreamed(src, ReceiptKind::kIntake, file, receipt, [&](const RowSink& sink) {
    for (const auto& r : head_rows) sink(CommonRow(r));
    return journal_.ForEachIntakeRow(file.id, [&](const IntakeRow& r) { sink(CommonRow(r)); });
  }, sync);
  if (st.ok()) *name = receipt;
  return st;
}

Status ReceiptWriter::WriteIntakeFromJournal(Source& src, const FileRow& file, const std::vector<IntakeRow>& head_rows) {
  std::string name;
  SyncBatch sync;
  if (Status st = WriteIntakeFromJournal(src, file, head_rows, &name, sync); !st.ok()) return st;
  if (Status st = sync.Flush(); !st.ok()) return st;
  return journal_.RecordReceiptWritten(file.id, "intake", name);
}

Status ReceiptWriter::WriteDeliveryFromJournal(Source& src, const FileRow& file, std::string* name, SyncBatch& sync) {
  const SourceConfig& s = src.config();
  name->clear();
  if (!s.receipts_enabled()) return Status::Ok();
  const std::string receipt = ReceiptFileName(NumberedName(file.name, file.receipt_seq), ReceiptKind::kDelivery, FormatFor(s));
  Status st = WriteStreamed(src, ReceiptKind::kDelivery, file, receipt, [&](const RowSink& sink) {
    return journal_.ForEachDeliveryRow(file.id, [&](const DeliveryRow& r) {
      ReceiptRow row = CommonRow(r);
      row.batch_id = r.batch_id;
      row.at = ToReceiptTime(r.at);
      row.xroad_request_id = r.xroad_request_id;
      sink(row);
    });
  }, sync);
  if (st.ok()) *name = receipt;
  return st;
}

}  // namespace liitos
