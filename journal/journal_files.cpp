// The pipeline's calls: files taken from sources, their records, their receipts.
#include <nlohmann/json.hpp>

#include "journal/journal_sql.h"
#include "base/file_names.h"
#include "base/crypto/hash.h"
#include "base/text/safe_text.h"
#include "journal/sqlite_journal.h"

namespace liitos {

namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  return out;
}

// A detail object as text; bytes that are not UTF-8 never throw (callers pass SafeText anyway).
std::string Dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

FileRow ReadFileRow(const Query& q, const NameVault* vault) {
  FileRow f;
  f.id = q.Int(0);
  f.source = q.Text(1);
  f.name = q.Text(2);
  f.sha256 = q.Text(3);
  f.size = static_cast<uint64_t>(q.Int(4));
  f.spool_path = q.Text(5);
  f.received_at = q.Text(6);
  f.state = q.Text(7);
  f.intake_receipt_written = q.Int(8) != 0;
  f.delivery_receipt_written = q.Int(9) != 0;
  if (!q.IsNull(10) && vault) {
    auto real = vault->Unseal(FromHex(q.Text(10)));
    if (real.ok()) f.name = std::move(*real);  // else the recorded (safe) name stands in
  }
  f.receipt_seq = static_cast<int>(q.Int(11));
  return f;
}

std::string SqliteJournal::NameKey(const std::string& name) const {
  return vault_ ? vault_->Hmac(name) : SafeText(name);
}

Result<int> SqliteJournal::FreeReceiptSeq(const std::string& source, const std::string& name) {
  for (int seq = 0;; ++seq) {
    Query q(*db_, sql::kReceiptKeyTaken);
    q.Bind(1, source).Bind(2, NameKey(NumberedName(name, seq)));
    auto taken = q.Step();
    if (!taken.ok()) return taken.status();
    if (!*taken) return seq;
  }
}

Result<int> SqliteJournal::NextReceiptSeq(const std::string& source, const std::string& name) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  return FreeReceiptSeq(source, name);
}

Result<FileRow> SqliteJournal::InsertFile(const std::string& source, const std::string& name,
                                          const std::string& sha256, uint64_t size, const std::string& spool_path,
                                          const char* state) {
  const std::string shown = SafeText(name);
  const std::string hmac = vault_ ? vault_->Hmac(name) : "";
  auto seq = FreeReceiptSeq(source, name);
  if (!seq.ok()) return seq.status();
  FileRow f{0, source, name, sha256, spool_path, size, Now(), state};
  f.receipt_seq = *seq;
  std::string sealed;
  if (shown != name && vault_) {
    std::string raw = vault_->Seal(name);
    sealed = ToHex(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
  }
  Query q(*db_, sql::kInsertFile);
  q.Bind(1, source).Bind(2, shown).Bind(3, sha256).Bind(4, static_cast<int64_t>(size)).Bind(5, spool_path);
  q.Bind(6, f.received_at).Bind(7, f.state).Bind(8, hmac).BindOrNull(9, sealed).Bind(10, int64_t{f.receipt_seq});
  q.Bind(11, NameKey(NumberedName(name, f.receipt_seq)));
  Status st = q.Run();
  if (!st.ok()) return st;
  f.id = sqlite3_last_insert_rowid(db_->raw());
  return f;
}

Result<std::optional<FileRow>> SqliteJournal::LoadFile(int64_t file_id) {
  Query q(*db_, sql::kGetFile);
  q.Bind(1, file_id);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<FileRow>();
  return std::optional<FileRow>(ReadFileRow(q, vault_.get()));
}

static NewEvent FileEvent(const char* kind, const FileRow& f, nlohmann::json detail) {
  NewEvent e;
  e.kind = kind;
  e.source = f.source;
  e.file = f.name;
  e.file_sha256 = f.sha256;
  e.detail_json = Dump(detail);
  return e;
}

Result<FileRow> SqliteJournal::RecordFileReceived(const std::string& source, const std::string& name,
                                                  const std::string& sha256, uint64_t size,
                                                  const std::string& spool_path) {
  FileRow f;
  Status s = Write([&]() -> Status {
    auto inserted = InsertFile(source, name, sha256, size, spool_path, "received");
    if (!inserted.ok()) return inserted.status();
    f = std::move(*inserted);
    return AppendLocked(FileEvent(ev::kFileReceived, f, {{"size", size}, {"spool", spool_path}})).status();
  });
  if (!s.ok()) return s;
  return f;
}

Status SqliteJournal::RecordFileQuarantined(int64_t file_id, const std::string& source, const std::string& name,
                                            const std::string& reason) {
  return Write([&]() -> Status {
    FileRow f;
    if (file_id == 0) {
      auto inserted = InsertFile(source, name, "", 0, "", "quarantined");
      if (!inserted.ok()) return inserted.status();
      f = std::move(*inserted);
    } else {
      auto loaded = LoadFile(file_id);
      if (!loaded.ok()) return loaded.status();
      if (!*loaded) return Status::NotFound("journal: no file with id " + std::to_string(file_id));
      f = **loaded;
      Status st = Query(*db_, sql::kSetFileState).Bind(1, file_id).Bind(2, "quarantined").Run();
      if (!st.ok()) return st;
    }
    return AppendLocked(FileEvent(ev::kFileQuarantined, f, {{"reason", SafeText(reason)}})).status();
  });
}

Status SqliteJournal::AppendRecordsLocked(const FileRow& f, const std::vector<RecordOutcomeIn>& records,
                                          bool reject_file, const std::string& file_reason,
                                          std::vector<IntakeRow>* rows, int64_t* duplicates) {
  const std::string now = Now();
  for (const auto& r : records) {
    IntakeRow row{r.record, r.lv_case_id, "", "", ""};
    NewEvent e = FileEvent(ev::kRecordRejected, f, nlohmann::json::object());
    e.record = r.record;
    e.lv_case_id = r.lv_case_id;
    if (!r.accepted || reject_file) {
      row.outcome = "rejected";
      row.reason = r.accepted ? file_reason : r.reason;
      e.detail_json = Dump({{"field", r.accepted ? "" : r.field}, {"reason", SafeText(row.reason)}});
    } else {
      row.message_id = r.message_id;
      e.message_id = r.message_id;
      e.destination = r.destination;
      // The outbox row first, pointing at the event appended next (seq last + 1): it is not
      // inserted when the messageId is already there (G2), and then the event says duplicate.
      Query ins(*db_, sql::kInsertOutbox);
      ins.Bind(1, r.message_id).Bind(2, f.id).Bind(3, r.record).Bind(4, r.lv_case_id).Bind(5, r.destination);
      Status st = ins.Bind(6, now).Bind(7, last_seq_ + 1).Run();
      if (!st.ok()) return st;
      const bool dup = ins.Changes() == 0;
      if (!dup) {
        st = Query(*db_, sql::kInsertPayload).Bind(1, f.id).Bind(2, r.record).Bind(3, r.payload).Run();
        if (!st.ok()) return st;
      }
      row.outcome = dup ? "duplicate" : "accepted";
      e.kind = dup ? ev::kRecordDuplicate : ev::kRecordAccepted;
      e.detail_json = "{}";
      if (dup && duplicates) ++*duplicates;
    }
    auto seq = AppendLocked(e);  // also the record's intake row (IntakeRows reads it back)
    if (!seq.ok()) return seq.status();
    if (rows) rows->push_back(std::move(row));
  }
  return Status::Ok();
}

Result<FileRow> SqliteJournal::LoadReceived(int64_t file_id) {
  auto loaded = LoadFile(file_id);
  if (!loaded.ok()) return loaded.status();
  if (!*loaded) return Status::NotFound("journal: no file with id " + std::to_string(file_id));
  if ((*loaded)->state != "received")
    return Status::Invalid("journal: file " + SafeText((*loaded)->name) + " is already " + (*loaded)->state);
  return **loaded;
}

Result<std::vector<IntakeRow>> SqliteJournal::RecordFileParsed(int64_t file_id,
                                                               const std::vector<RecordOutcomeIn>& records,
                                                               bool reject_file) {
  std::vector<IntakeRow> rows;
  Status s = Write([&]() -> Status {
    rows.clear();
    auto f = LoadReceived(file_id);
    if (!f.ok()) return f.status();
    int64_t invalid = 0;
    for (const auto& r : records) invalid += r.accepted ? 0 : 1;
    const std::string file_reason = "file rejected: " + std::to_string(invalid) + " invalid record(s)";
    Status st = AppendRecordsLocked(*f, records, reject_file, file_reason, &rows, nullptr);
    if (!st.ok()) return st;
    return Query(*db_, sql::kSetFileState).Bind(1, file_id).Bind(2, "parsed").Run();
  });
  if (!s.ok()) return s;
  return rows;
}

Result<int64_t> SqliteJournal::AppendRecords(int64_t file_id, const std::vector<RecordOutcomeIn>& chunk,
                                             bool reject_file, const std::string& file_reason) {
  int64_t duplicates = 0;
  Status s = Write([&]() -> Status {
    duplicates = 0;
    auto f = LoadReceived(file_id);
    if (!f.ok()) return f.status();
    return AppendRecordsLocked(*f, chunk, reject_file, file_reason, nullptr, &duplicates);
  });
  if (!s.ok()) return s;
  return duplicates;
}

Status SqliteJournal::FinishParsed(int64_t file_id) {
  return Write([&]() -> Status {
    auto f = LoadReceived(file_id);
    if (!f.ok()) return f.status();
    return Query(*db_, sql::kSetFileState).Bind(1, file_id).Bind(2, "parsed").Run();
  });
}

Result<std::vector<FileRow>> SqliteJournal::FilesInState(const std::string& state) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<FileRow> out;
  Query q(*db_, sql::kFilesInState);
  q.Bind(1, state);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return out;
    out.push_back(ReadFileRow(q, vault_.get()));
  }
}

Result<std::optional<FileRow>> SqliteJournal::FindFile(const std::string& source, const std::string& name,
                                                       const std::string& sha256) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::optional<FileRow> found;
  auto look = [&](const char* sql, const std::string& key) -> Status {
    Query q(*db_, sql);
    auto r = q.Bind(1, source).Bind(2, key).Bind(3, sha256).Step();
    if (!r.ok()) return r.status();
    if (*r && (!found || q.Int(0) > found->id)) found = ReadFileRow(q, vault_.get());
    return Status::Ok();
  };
  if (vault_)
    if (Status s = look(sql::kFindFileByHmac, vault_->Hmac(name)); !s.ok()) return s;
  if (Status s = look(sql::kFindFileByName, SafeText(name)); !s.ok()) return s;
  return found;
}

Result<FileRow> SqliteJournal::GetFile(int64_t file_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto f = LoadFile(file_id);
  if (!f.ok()) return f.status();
  if (!*f) return Status::NotFound("journal: no file with id " + std::to_string(file_id));
  return **f;
}

Result<std::vector<IntakeRow>> SqliteJournal::IntakeRows(int64_t file_id) {
  std::vector<IntakeRow> out;
  Status s = ForEachIntakeRow(file_id, [&](const IntakeRow& row) { out.push_back(row); });
  if (!s.ok()) return s;
  return out;
}

Status SqliteJournal::ForEachIntakeRow(int64_t file_id, const std::function<void(const IntakeRow&)>& fn) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto f = LoadFile(file_id);
  if (!f.ok()) return f.status();
  if (!*f) return Status::Ok();
  // Events name the file as AppendLocked wrote it: as safe text.
  std::string name = SafeText((*f)->name), source = SafeText((*f)->source);
  Query q(*db_, sql::kIntakeEvents);
  q.Bind(1, name).Bind(2, source).Bind(3, (*f)->sha256);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    IntakeRow row{q.IsNull(0) ? 0 : q.Int(0), q.Text(1), q.Text(2), "", ""};
    const std::string kind = q.Text(3);  // FILE_QUARANTINED: a row of record 0 with the reason
    if (kind == ev::kRecordAccepted) {
      row.outcome = "accepted";
    } else if (kind == ev::kRecordDuplicate) {
      row.outcome = "duplicate";
    } else {
      row.outcome = "rejected";
      auto detail = nlohmann::json::parse(q.Text(4), nullptr, /*allow_exceptions=*/false);
      if (detail.is_object() && detail.contains("reason") && detail["reason"].is_string())
        row.reason = detail["reason"].get<std::string>();
    }
    fn(row);
  }
}

Status SqliteJournal::ForEachDeliveryRow(int64_t file_id, const std::function<void(const DeliveryRow&)>& fn) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Query q(*db_, sql::kDeliveryRows);
  q.Bind(1, file_id);
  DeliveryRow row;
  std::string request_of;  // the batch whose request id `request` is
  std::string request;
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
    row.record = q.Int(0);
    row.lv_case_id = q.Text(1);
    row.message_id = q.Text(2);
    row.outcome = q.Text(3);
    row.batch_id = q.Text(4);
    row.at = q.Text(5);
    row.reason = q.Text(6);
    if (row.batch_id != request_of) {
      request_of = row.batch_id;
      request.clear();
      if (!request_of.empty()) {
        Query b(*db_, sql::kBatchRequestId);
        auto found = b.Bind(1, request_of).Step();
        if (!found.ok()) return found.status();
        if (*found) request = b.Text(0);
      }
    }
    // A superseded update was never sent: no request id of its batch is its own.
    row.xroad_request_id = row.outcome == "superseded" ? "" : request;
    fn(row);
  }
}

Status SqliteJournal::RecordReceiptWritten(int64_t file_id, const std::string& kind,
                                           const std::string& receipt_name) {
  if (kind != "intake" && kind != "delivery") return Status::Invalid("journal: unknown receipt kind '" + kind + "'");
  return Write([&]() -> Status {
    auto loaded = LoadFile(file_id);
    if (!loaded.ok()) return loaded.status();
    if (!*loaded) return Status::NotFound("journal: no file with id " + std::to_string(file_id));
    Status st = Query(*db_, kind == "intake" ? sql::kSetIntakeWritten : sql::kSetDeliveryWritten).Bind(1, file_id).Run();
    if (st.ok()) st = Query(*db_, sql::kFileDoneIfBoth).Bind(1, file_id).Run();
    if (!st.ok()) return st;
    return AppendLocked(FileEvent(ev::kReceiptWritten, **loaded, {{"kind", kind}, {"receipt", SafeText(receipt_name)}})).status();
  });
}

Result<std::vector<FileRow>> SqliteJournal::FilesAwaitingDeliveryReceipt() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<FileRow> out;
  Query q(*db_, sql::kFilesAwaitingDelivery);
  for (;;) {
    auto r = q.Step();
    if (!r.ok()) return r.status();
    if (!*r) return out;
    out.push_back(ReadFileRow(q, vault_.get()));
  }
}

}  // namespace liitos
