// journal verify: an honest journal passes; every kind of tampering an attacker with write access
// to the file could do (after DROP TRIGGER) is found (SPEC G4, issue 3 item 5).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "journal/audit/audit.h"
#include "tests/journal/consistency.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;
using journal_test::Rejected;

// A journal of 3 files with deliveries: about 20 events. Closed afterwards.
struct Honest : Fixture {
  Honest() {
    for (int i = 1; i <= 3; ++i) {
      std::string n = std::to_string(i);
      File("f" + n + ".csv", {Accepted(1, "LV-" + n, "m" + n), Rejected(2, "LV-9", "status", "row 2: bad status")});
      clock.Advance(std::chrono::seconds(1));
      auto b = j->CreateBatch("lupapiste", 10);
      EXPECT_TRUE(j->MarkBatchDelivered((*b)->batch_id, "req", {}).ok());
    }
    j.reset();
  }
  VerifyResult Verify() {
    auto v = VerifyJournal(path);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : VerifyResult{};
  }
  // Runs `sql` as an attacker: the append-only triggers dropped first.
  void Tamper(const std::string& sql) {
    RawDb raw(path);
    ASSERT_EQ(raw.Exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"), "");
    ASSERT_EQ(raw.Exec(sql), "");
  }
};

TEST(AuditVerifyTest, VerifyHonestJournalPasses) {
  Honest h;
  VerifyResult v = h.Verify();
  EXPECT_TRUE(v.ok) << v.why;
  EXPECT_EQ(v.events, 15);
  EXPECT_EQ(v.first_bad_seq, 0);
  EXPECT_TRUE(journal_test::CheckConsistency(h.path)->empty());
  EXPECT_FALSE(VerifyJournal(h.path + ".missing").ok());
}

TEST(AuditVerifyTest, VerifyChangedField) {
  Honest h;
  h.Tamper("UPDATE events SET lv_case_id = 'LV-666' WHERE seq = 7");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 7);
  EXPECT_NE(v.why.find("field was changed"), std::string::npos) << v.why;
}

TEST(AuditVerifyTest, VerifyChangedDetail) {
  Honest h;
  h.Tamper("UPDATE events SET detail = '{\"reason\":\"ok\"}' WHERE seq = 3");
  EXPECT_EQ(h.Verify().first_bad_seq, 3);
}

TEST(AuditVerifyTest, VerifyDeletedRow) {
  Honest h;
  h.Tamper("DELETE FROM events WHERE seq = 5");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 6);
  EXPECT_EQ(v.events, 4);
  EXPECT_NE(v.why.find("event 5 is missing"), std::string::npos) << v.why;
}

TEST(AuditVerifyTest, VerifyDeletedRowsAtTheEnd) {
  Honest h;
  // The last RECORD_ACCEPTED (seq 11) and everything after it; the outbox still points at it.
  h.Tamper("DELETE FROM events WHERE seq >= 11");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.why.find("deleted from the end"), std::string::npos) << v.why;
}

TEST(AuditVerifyTest, VerifyDeletedLastEventThatNothingPointsAt) {
  Honest h;
  // The very last event (no outbox row refers to it): only the chain's head record tells.
  h.Tamper("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.why.find("head record"), std::string::npos) << v.why;
}

TEST(AuditVerifyTest, VerifyDeletedFirstRow) {
  Honest h;
  h.Tamper("DELETE FROM events WHERE seq = 1");
  EXPECT_EQ(h.Verify().first_bad_seq, 2);
}

TEST(AuditVerifyTest, VerifyInsertedRowWithRenumbering) {
  Honest h;
  // Make room after seq 4 and insert a forged copy of event 4 that links to it correctly: the
  // renumbered events after it no longer match their hashes' seq, nor the forged link.
  h.Tamper(
      "UPDATE events SET seq = -seq WHERE seq > 4; UPDATE events SET seq = 1 - seq WHERE seq < 0;"
      "INSERT INTO events SELECT 5, time, 'RECORD_REJECTED', source, file, file_sha256, record, message_id, "
      "batch_id, destination, lv_case_id, detail, hash, hash FROM events WHERE seq = 4;");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 5);
}

TEST(AuditVerifyTest, VerifyInsertedRowAtTheEnd) {
  Honest h;
  h.Tamper(
      "INSERT INTO events SELECT seq + 1, time, 'BATCH_DELIVERED', source, file, file_sha256, record, "
      "message_id, batch_id, destination, lv_case_id, detail, hash, hash FROM events ORDER BY seq DESC LIMIT 1");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 16);
  EXPECT_EQ(v.events, 15);
}

TEST(AuditVerifyTest, VerifySwappedRows) {
  Honest h;
  // Swap the contents of events 6 and 7 (all columns but seq): the order of the story changes.
  h.Tamper(
      "CREATE TEMP TABLE t AS SELECT * FROM events WHERE seq IN (6, 7);"
      "DELETE FROM events WHERE seq IN (6, 7);"
      "INSERT INTO events SELECT 13 - seq, time, kind, source, file, file_sha256, record, message_id, batch_id, "
      "destination, lv_case_id, detail, prev_hash, hash FROM t;");
  VerifyResult v = h.Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 6);
  EXPECT_NE(v.why.find("reordered"), std::string::npos) << v.why;
}

TEST(AuditVerifyTest, VerifyBrokenPrevLink) {
  Honest h;
  h.Tamper("UPDATE events SET prev_hash = (SELECT hash FROM events WHERE seq = 2) WHERE seq = 9");
  EXPECT_EQ(h.Verify().first_bad_seq, 9);
}

TEST(AuditVerifyTest, VerifyTruncatedDatabaseFile) {
  Honest h;
  ASSERT_FALSE(std::filesystem::exists(h.path + "-wal"));  // checkpointed at close
  auto size = std::filesystem::file_size(h.path);
  std::filesystem::resize_file(h.path, size / 2);
  auto v = VerifyJournal(h.path);
  if (v.ok()) {
    EXPECT_FALSE(v->ok);
    EXPECT_NE(v->why.find("corrupt"), std::string::npos) << v->why;
  } else {
    EXPECT_EQ(v.status().code(), Status::Code::kCorruption) << v.status().ToString();
  }
}

TEST(AuditVerifyTest, VerifyFlippedByteInTheFile) {
  Honest h;
  // Change a file name wherever it is in the raw file, bypassing SQLite altogether.
  std::string bytes;
  {
    std::ifstream in(h.path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  size_t found = 0;
  for (size_t at = bytes.find("f2.csv"); at != std::string::npos; at = bytes.find("f2.csv", at + 1), ++found)
    bytes[at + 1] = '7';
  ASSERT_GT(found, 0u);
  {
    std::ofstream out(h.path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto v = VerifyJournal(h.path);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->ok);
}

}  // namespace
}  // namespace liitos
