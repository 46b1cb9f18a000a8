#pragma once
// Helpers shared by the journal tests: a journal on a fake clock, records
// to feed RecordFileParsed, and a raw sqlite3 connection for tampering.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "journal/audit/checkpoint_key.h"
#include "journal/journal.h"
#include "tests/scratch_dir.h"
#include "tests/test_keys.h"

namespace liitos::journal_test {

inline NewEvent Ev(const char* kind) {
  NewEvent e;
  e.kind = kind;
  return e;
}

inline RecordOutcomeIn Accepted(int64_t record, const std::string& case_id, const std::string& message_id,
                                const std::string& destination = "lupapiste") {
  RecordOutcomeIn r;
  r.record = record;
  r.lv_case_id = case_id;
  r.message_id = message_id;
  r.payload = "{\"messageId\":\"" + message_id + "\",\"lvCaseId\":\"" + case_id + "\"}";
  r.destination = destination;
  r.accepted = true;
  return r;
}

inline RecordOutcomeIn Rejected(int64_t record, const std::string& case_id, const std::string& field,
                                const std::string& reason) {
  RecordOutcomeIn r;
  r.record = record;
  r.lv_case_id = case_id;
  r.field = field;
  r.reason = reason;
  return r;
}

// A journal at dir/journal.db on a fake clock.
struct Fixture {
  test_util::ScratchDir dir;
  FakeClock clock;
  std::string path = dir / "journal.db";
  JournalPtr j;

  Fixture() { Reopen(); }
  void Reopen() {
    j.reset();
    auto r = Journal::Open(path, clock);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    j = std::move(*r);
  }
  // A received and parsed file with `records`; returns its id.
  int64_t File(const std::string& name, const std::vector<RecordOutcomeIn>& records, bool reject_file = false) {
    auto id = j->RecordFileReceived("rakval", name, std::string(64, 'a'), 100, "/spool/" + name);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    auto rows = j->RecordFileParsed(id->id, records, reject_file);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return id->id;
  }
};

// A file's delivery receipt rows as the service writes them (ForEachDeliveryRow), once every
// accepted record of it is final; nullopt while one is pending or batched.
inline Result<std::optional<std::vector<DeliveryRow>>> FinalDeliveryRows(Journal& j, int64_t file_id) {
  std::vector<DeliveryRow> out;
  bool complete = true;
  Status s = j.ForEachDeliveryRow(file_id, [&](const DeliveryRow& d) {
    if (d.outcome == "pending" || d.outcome == "batched") complete = false;
    out.push_back(d);
  });
  if (!s.ok()) return s;
  if (!complete) return std::optional<std::vector<DeliveryRow>>();
  return std::optional<std::vector<DeliveryRow>>(std::move(out));
}

// A fresh Ed25519 checkpoint key, made as an operator makes one (`openssl genpkey`, operations.md);
// `pem` receives the private key's PEM and `pub_pem` the public key's, when given.
inline CheckpointKey NewCheckpointKey(std::string* pem = nullptr, std::string* pub_pem = nullptr) {
  test_util::ScratchDir dir;
  const std::string key = dir / "checkpoint.key";
  test_util::PemKeyPair pair = test_util::NewEd25519Pem();
  EXPECT_FALSE(pair.private_pem.empty());
  {
    std::ofstream(key, std::ios::binary) << pair.private_pem;
  }
  std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  if (pem) *pem = pair.private_pem;
  if (pub_pem) *pub_pem = pair.public_pem;
  auto k = CheckpointKey::LoadPrivate(key);
  EXPECT_TRUE(k.ok()) << k.status().ToString();
  return *k;
}

// A plain sqlite3 connection, as an attacker with write access to the file would use.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  // Runs `sql`; returns SQLite's error message, or "" on success.
  std::string Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = rc == SQLITE_OK ? "" : (err ? err : "error");
    sqlite3_free(err);
    return msg;
  }
  // The first column of the first row of `sql` as text ("" when none).
  std::string Scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
  // What EXPLAIN QUERY PLAN says of `sql` (its detail column), a row each.
  std::vector<std::string> PlanDetails(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::vector<std::string> out;
    if (sqlite3_prepare_v2(db_, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) == SQLITE_OK)
      while (sqlite3_step(st) == SQLITE_ROW) out.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
    sqlite3_finalize(st);
    return out;
  }
  // The first column of every row of `sql` as text.
  std::vector<std::string> Column(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::vector<std::string> out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK)
      while (sqlite3_step(st) == SQLITE_ROW)
        out.emplace_back(sqlite3_column_text(st, 0) ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "");
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace liitos::journal_test
