// Journal: open, append, transactions, files and records (issue 3).

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "journal/audit/audit.h"
#include "journal/journal_sql.h"
#include "journal/sqlite_journal.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;
using journal_test::Rejected;

TEST(JournalFilesTest, OpenCreatesWalSchemaWithTriggers) {
  Fixture f;
  ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Scalar("PRAGMA user_version"), std::to_string(sql::kSchemaVersion));
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'intake'"), "0");  // read from events
  EXPECT_NE(raw.Scalar("SELECT sql FROM sqlite_master WHERE name = 'events_message'").find("<> 'RECORD_ACCEPTED'"),
            std::string::npos);  // v6: accepted events are found through the outbox
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'events_head'"), "0");
  EXPECT_EQ(raw.Scalar("SELECT seq FROM chain_head WHERE id = 1"), "1");  // written by the journal itself
  EXPECT_NE(raw.Exec("UPDATE events SET kind = 'X'"), "");
  EXPECT_NE(raw.Exec("DELETE FROM events"), "");
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "1");
  EXPECT_EQ(raw.Scalar("SELECT time FROM events"), "2027-01-15T08:00:00.000Z");
}

TEST(JournalFilesTest, OpenReopenContinuesTheChain) {
  Fixture f;
  ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
  f.Reopen();
  NewEvent e = journal_test::Ev(ev::kConfigLoaded);
  e.detail_json = R"({"path":"/etc/liitos/liitos.toml"})";
  ASSERT_TRUE(f.j->Append(e).ok());
  auto v = VerifyJournal(f.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
  EXPECT_EQ(v->events, 2);
}

// SyncCommitted syncs the write-ahead log from any thread, also while the journal thread holds a
// transaction open.
TEST(JournalFilesTest, BatchSyncCommittedFromAnotherThread) {
  Fixture f;
  {
    Journal::Batch tx(*f.j, Journal::Mode::kAllOrNothingUnsynced);
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  ASSERT_TRUE(std::filesystem::exists(f.path + "-wal"));
  Status synced = Status::Invalid("not run");
  {
    Journal::Batch tx(*f.j, Journal::Mode::kAllOrNothingUnsynced);  // open while the other syncs
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kConfigLoaded)).ok());
    std::thread worker([&] { synced = f.j->SyncCommitted(); });
    worker.join();
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_TRUE(synced.ok()) << synced.ToString();
  EXPECT_TRUE(f.j->SyncCommitted().ok());
  f.Reopen();
  EXPECT_EQ(RawDb(f.path).Scalar("SELECT count(*) FROM events"), "2");
}

// A journal reached through a symbolic link: SQLite keeps its log beside the real file, and
// SyncCommitted syncs that one (a log it cannot find is an error, never "nothing to sync").
TEST(JournalFilesTest, BatchSyncCommittedFindsTheLogThroughASymlink) {
  Fixture f;
  f.j.reset();
  const std::string link = f.path + ".link";
  std::filesystem::create_symlink(f.path, link);
  auto j = Journal::Open(link, f.clock);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  {
    Journal::Batch tx(**j, Journal::Mode::kAllOrNothingUnsynced);
    ASSERT_TRUE((*j)->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_TRUE((*j)->SyncCommitted().ok());
  EXPECT_TRUE(std::filesystem::exists(f.path + "-wal") || std::filesystem::exists(link + "-wal"));
}

TEST(JournalFilesTest, OpenReadOnlyRefusesWritesButReads) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1")});
  auto ro = Journal::Open(f.path, f.clock, /*read_only=*/true);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_FALSE((*ro)->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
  auto st = (*ro)->Stats({"lupapiste"});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ((*st)[0].pending, 1);
  EXPECT_FALSE(Journal::Open(f.path + ".missing", f.clock, true).ok());
}

TEST(JournalFilesTest, BatchGroupsCallsIntoOneTransaction) {
  Fixture f;
  RawDb raw(f.path);
  {
    Journal::Batch outer(*f.j);
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
    {
      Journal::Batch inner(*f.j);
      ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kConfigLoaded)).ok());
    }
    EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "0");  // not committed yet
    // A failing call inside the batch is undone alone.
    EXPECT_FALSE(f.j->RecordFileParsed(999, {}, false).ok());
    ASSERT_TRUE(outer.Commit().ok());
  }
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "2");
  ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStopped)).ok());
  auto v = VerifyJournal(f.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
  EXPECT_EQ(v->events, 3);
}

TEST(JournalFilesTest, BatchAllOrNothingKeepsEverythingOrNothing) {
  Fixture f;
  RawDb raw(f.path);
  {
    Journal::Batch tx(*f.j, Journal::Mode::kAllOrNothing);
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
    ASSERT_TRUE(f.j->RecordFileReceived("rakval", "a.csv", std::string(64, 'a'), 1, "/spool/a").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "2");
  {
    Journal::Batch tx(*f.j, Journal::Mode::kAllOrNothing);
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kConfigLoaded)).ok());
    EXPECT_FALSE(f.j->RecordFileParsed(999, {}, false).ok());  // spoils the batch
    EXPECT_FALSE(f.j->Append(journal_test::Ev(ev::kConfigLoaded)).ok());
    EXPECT_FALSE(tx.Commit().ok());
  }
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "2");
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM files"), "1");
  EXPECT_EQ(raw.Scalar("SELECT seq FROM chain_head WHERE id = 1"), "2");  // the rolled-back head is gone too
  // The chain goes on from the last committed event.
  ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStopped)).ok());
  auto v = VerifyJournal(f.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
  EXPECT_EQ(v->events, 3);
}

// PRAGMA synchronous of the journal's connection, -1 when it cannot be read.
int SyncLevel(SqliteJournal& j) {
  auto r = j.Synchronous();
  return r.ok() ? *r : -1;
}

TEST(JournalFilesTest, BatchUnsyncedBatchCommitsThenSyncsAgain) {
  Fixture f;
  RawDb raw(f.path);
  auto* sj = dynamic_cast<SqliteJournal*>(f.j.get());
  ASSERT_NE(sj, nullptr);
  EXPECT_EQ(SyncLevel(*sj), 2);  // FULL
  {
    Journal::Batch tx(*f.j, Journal::Mode::kAllOrNothingUnsynced);
    EXPECT_EQ(SyncLevel(*sj), 1);  // NORMAL for this transaction only
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(SyncLevel(*sj), 2);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "1");
  {  // a spoiled one rolls back whole, and also leaves the connection synced
    Journal::Batch tx(*f.j, Journal::Mode::kAllOrNothingUnsynced);
    ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kConfigLoaded)).ok());
    EXPECT_FALSE(f.j->RecordFileParsed(999, {}, false).ok());
    EXPECT_FALSE(tx.Commit().ok());
  }
  EXPECT_EQ(SyncLevel(*sj), 2);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), "1");
  ASSERT_TRUE(f.j->Append(journal_test::Ev(ev::kDaemonStopped)).ok());
  f.Reopen();
  auto v = VerifyJournal(f.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
  EXPECT_EQ(v->events, 2);
}

// The unsynced mode is a speed trick only (synchronous=NORMAL for one transaction, synced later
// by SyncCommitted): the same calls in a synced batch and in an unsynced one leave the same
// chain of events, and the connection synced again.
TEST(JournalBatch, AnUnsyncedBatchKeepsWhatASyncedOneKeeps) {
  auto run = [](Journal::Mode mode) {
    Fixture f;
    for (int round = 0; round < 3; ++round) {
      Journal::Batch tx(*f.j, mode);
      auto file = f.j->RecordFileReceived("rakval", "r" + std::to_string(round) + ".csv", std::string(64, 'e'), 10,
                                          "/spool/r" + std::to_string(round));
      EXPECT_TRUE(file.ok());
      if (file.ok()) {
        auto rec = Accepted(1, "LV-" + std::to_string(round), "m-" + std::to_string(round));
        EXPECT_TRUE(f.j->RecordFileParsed(file->id, {rec}, false).ok());
      }
      EXPECT_TRUE(tx.Commit().ok());
    }
    EXPECT_TRUE(f.j->SyncCommitted().ok());
    auto* sj = dynamic_cast<SqliteJournal*>(f.j.get());
    EXPECT_EQ(SyncLevel(*sj), 2);
    RawDb raw(f.path);
    return raw.Scalar("SELECT group_concat(seq || ' ' || kind || ' ' || coalesce(file, '') || ' ' || hash, '|') "
                      "FROM (SELECT * FROM events ORDER BY seq)");
  };
  const std::string synced = run(Journal::Mode::kAllOrNothing);
  EXPECT_NE(synced.find("RECORD_ACCEPTED"), std::string::npos) << synced;
  EXPECT_EQ(run(Journal::Mode::kAllOrNothingUnsynced), synced);
}

TEST(JournalFiles, ReceivedParsedAcceptedRejectedDuplicate) {
  Fixture f;
  auto id = f.j->RecordFileReceived("rakval", "tilat.csv", std::string(64, 'b'), 1234, "/spool/tilat.csv");
  ASSERT_TRUE(id.ok());
  auto file = f.j->GetFile(id->id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->state, "received");
  EXPECT_EQ(file->size, 1234u);
  EXPECT_EQ(file->received_at, "2027-01-15T08:00:00.000Z");
  auto rows = f.j->RecordFileParsed(id->id,
                                    {Accepted(1, "LV-1", "m1"), Rejected(2, "LV-2", "status", "row 2: unknown status 'X'"),
                                     Accepted(3, "LV-3", "m3"), Accepted(4, "LV-1", "m1")},
                                    false);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].outcome, "accepted");
  EXPECT_EQ((*rows)[1].outcome, "rejected");
  EXPECT_EQ((*rows)[1].reason, "row 2: unknown status 'X'");
  EXPECT_EQ((*rows)[2].outcome, "accepted");
  EXPECT_EQ((*rows)[3].outcome, "duplicate");
  EXPECT_EQ((*rows)[3].message_id, "m1");
  EXPECT_EQ(f.j->GetFile(id->id)->state, "parsed");
  // A later file bringing m3 again: duplicate, nothing new in the outbox.
  int64_t id2 = f.File("snapshot.csv", {Accepted(1, "LV-3", "m3")});
  auto again = f.j->IntakeRows(id2);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].outcome, "duplicate");
  auto intake = f.j->IntakeRows(id->id);  // read back from the events: the same rows
  ASSERT_TRUE(intake.ok());
  ASSERT_EQ(intake->size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*intake)[i].record, (*rows)[i].record) << i;
    EXPECT_EQ((*intake)[i].lv_case_id, (*rows)[i].lv_case_id) << i;
    EXPECT_EQ((*intake)[i].message_id, (*rows)[i].message_id) << i;
    EXPECT_EQ((*intake)[i].outcome, (*rows)[i].outcome) << i;
    EXPECT_EQ((*intake)[i].reason, (*rows)[i].reason) << i;
  }
  EXPECT_EQ((*intake)[1].reason, "row 2: unknown status 'X'");
  EXPECT_EQ((*f.j->Stats({"lupapiste"}))[0].pending, 2);
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events WHERE kind = 'RECORD_DUPLICATE'"), "2");
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events WHERE kind = 'RECORD_ACCEPTED'"), "2");
  // Parsing twice is refused.
  EXPECT_FALSE(f.j->RecordFileParsed(id->id, {}, false).ok());
}

TEST(JournalFiles, RejectFileKeepsEverythingOutOfTheOutbox) {
  Fixture f;
  int64_t id = f.File("bad.csv", {Accepted(1, "LV-1", "m1"), Rejected(2, "", "lvCaseId", "row 2: lvCaseId is missing")},
                      /*reject_file=*/true);
  auto rows = f.j->IntakeRows(id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].outcome, "rejected");
  EXPECT_EQ((*rows)[0].reason.rfind("file rejected: ", 0), 0u);
  EXPECT_EQ((*rows)[1].reason, "row 2: lvCaseId is missing");
  EXPECT_EQ((*f.j->Stats({"lupapiste"}))[0].pending, 0);
  auto d = journal_test::FinalDeliveryRows(*f.j, id);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->has_value());
  EXPECT_TRUE((*d)->empty());
}

// A file offered again is looked up through an index, by its name's HMAC or (recorded before
// names had one) by its name: never a walk of every file of the source, which made taking
// 10,000 files quadratic.
TEST(JournalFiles, FindingAFileOfferedAgainIsAnIndexSearch) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1")});
  RawDb raw(f.path);
  for (const char* sql : {sql::kFindFileByHmac, sql::kFindFileByName}) {
    std::string plan;
    for (const auto& d : raw.PlanDetails(sql)) plan += d + "; ";
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
    EXPECT_TRUE(plan.find("files_hmac") != std::string::npos || plan.find("files_name") != std::string::npos) << plan;
  }
}

// A version 4 journal kept intake rows in a table of their own; opening it drops the table, and
// the rows are read from the events as before. Other files' events are not mixed in.
TEST(JournalFiles, MigrationFromVersion4DropsTheIntakeTable) {
  Fixture f;
  int64_t id = f.File("a.csv", {Accepted(1, "LV-1", "m1"), Rejected(2, "LV-2", "status", "row 2: unknown status 'X'")});
  f.File("b.csv", {Accepted(1, "LV-9", "m9")});
  f.j.reset();
  {
    RawDb raw(f.path);
    ASSERT_EQ(raw.Exec("CREATE TABLE intake(id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, record INTEGER NOT NULL, "
                       "lv_case_id TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '', outcome TEXT NOT "
                       "NULL, reason TEXT NOT NULL DEFAULT ''); DROP INDEX files_hmac; ALTER TABLE files DROP COLUMN "
                       "name_hmac; ALTER TABLE files DROP COLUMN name_sealed; ALTER TABLE files DROP COLUMN "
                       "receipt_seq; DROP INDEX files_receipt; ALTER TABLE files DROP COLUMN receipt_key; DROP INDEX outbox_file; "
                       "CREATE INDEX outbox_file ON outbox(file_id); DROP TABLE fetch_orders; DROP TABLE applications; "
                       "UPDATE outbox SET payload = (SELECT payload FROM outbox_payloads p WHERE p.file_id = "
                       "outbox.file_id AND p.record = outbox.record); DROP TABLE outbox_payloads; DROP INDEX outbox_final; "
                       "DROP TABLE purge_horizon; "
                       "PRAGMA user_version=4;"),
              "");
  }
  f.Reopen();
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("PRAGMA user_version"), std::to_string(sql::kSchemaVersion));
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'intake'"), "0");
  auto rows = f.j->IntakeRows(id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].lv_case_id, "LV-1");
  EXPECT_EQ((*rows)[0].message_id, "m1");
  EXPECT_EQ((*rows)[0].outcome, "accepted");
  EXPECT_EQ((*rows)[1].record, 2);
  EXPECT_EQ((*rows)[1].message_id, "");
  EXPECT_EQ((*rows)[1].reason, "row 2: unknown status 'X'");
  auto v = VerifyJournal(f.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
}

// A file named with a henkilötunnus: its events carry the name redacted (G6), and its intake
// rows are still found.
TEST(JournalFiles, IntakeRowsOfAFileNamedWithAPersonId) {
  Fixture f;
  int64_t id = f.File("export_131052-308T.csv", {Accepted(1, "LV-1", "m1"), Rejected(2, "LV-2", "status", "row 2: bad")});
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events WHERE file LIKE '%131052%'"), "0");
  auto rows = f.j->IntakeRows(id);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].outcome, "accepted");
  EXPECT_EQ((*rows)[1].reason, "row 2: bad");
  // Nowhere in the journal's readable text; the pipeline still gets the real name back.
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM files WHERE name LIKE '%131052%'"), "0");
  EXPECT_EQ(raw.Scalar("SELECT name FROM files"), "export_<hetu>.csv");
  EXPECT_EQ(f.j->GetFile(id)->name, "export_131052-308T.csv");
  auto found = f.j->FindFile("rakval", "export_131052-308T.csv", f.j->GetFile(id)->sha256);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, id);
}

// Names are bytes (SPEC §3): a name that is not UTF-8, or holds a line break, is recorded as safe
// text and given back whole; a second file of a name gets its own receipt number.
TEST(JournalFiles, NamesAreBytesAndRepeatsAreNumbered) {
  Fixture f;
  const std::string latin1 = "tila\xe4\n.csv";
  auto a = f.j->RecordFileReceived("rakval", latin1, "s1", 1, "/spool/1");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT name FROM files"), "tila\\xe4\\n.csv");
  EXPECT_EQ(raw.Scalar("SELECT file FROM events WHERE kind = 'FILE_RECEIVED'"), "tila\\xe4\\n.csv");
  EXPECT_EQ(f.j->GetFile(a->id)->name, latin1);
  EXPECT_EQ(a->receipt_seq, 0);
  EXPECT_EQ(*f.j->NextReceiptSeq("rakval", latin1), 1);
  auto b = f.j->RecordFileReceived("rakval", latin1, "s2", 1, "/spool/2");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->receipt_seq, 1);
  EXPECT_EQ(f.j->GetFile(b->id)->receipt_seq, 1);
  EXPECT_EQ(*f.j->NextReceiptSeq("other", latin1), 0);
  // A real file whose name is the numbered twin's gets a number of its own.
  auto c = f.j->RecordFileReceived("rakval", "tila\xe4\n.1.csv", "s3", 1, "/spool/3");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->receipt_seq, 1);  // "tila\xe4\n.1.1.csv"
  EXPECT_TRUE(VerifyJournal(f.path)->ok);
}

TEST(JournalFiles, Quarantine) {
  Fixture f;
  auto id = f.j->RecordFileReceived("rakval", "broken.xml", "c", 1, "/spool/broken.xml");
  ASSERT_TRUE(f.j->RecordFileQuarantined(id->id, "", "", "line 3: <!DOCTYPE refused").ok());
  EXPECT_EQ(f.j->GetFile(id->id)->state, "quarantined");
  auto rows = f.j->IntakeRows(id->id);  // what a receipt written again after a crash says
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].record, 0);
  EXPECT_EQ((*rows)[0].outcome, "rejected");
  EXPECT_EQ((*rows)[0].reason, "line 3: <!DOCTYPE refused");
  ASSERT_TRUE(f.j->RecordFileQuarantined(0, "rakval", "link.csv", "symlink refused").ok());
  auto q = f.j->FilesInState("quarantined");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ((*q)[1].name, "link.csv");
  EXPECT_EQ(*f.j->CountFiles("rakval", "quarantined", f.clock.Now()), 2);
  EXPECT_EQ(*f.j->CountFiles("", "quarantined", f.clock.Now()), 2);
  EXPECT_EQ(*f.j->CountFiles("other", "quarantined", f.clock.Now()), 0);
  EXPECT_EQ(*f.j->CountFiles("rakval", "quarantined", f.clock.Now() + std::chrono::seconds(1)), 0);
  EXPECT_FALSE(f.j->RecordFileQuarantined(77, "", "", "x").ok());
}

TEST(JournalFiles, ReceiptsMakeTheFileDone) {
  Fixture f;
  int64_t id = f.File("a.csv", {Accepted(1, "LV-1", "m1")});
  ASSERT_TRUE(f.j->RecordReceiptWritten(id, "intake", "a.csv.receipt.csv").ok());
  EXPECT_TRUE(f.j->GetFile(id)->intake_receipt_written);
  EXPECT_TRUE(f.j->FilesAwaitingDeliveryReceipt()->empty());  // m1 still pending
  EXPECT_FALSE(journal_test::FinalDeliveryRows(*f.j, id)->has_value());
  auto b = f.j->CreateBatch("lupapiste", 10);
  ASSERT_TRUE(b.ok() && b->has_value());
  ASSERT_TRUE(f.j->MarkBatchDelivered((*b)->batch_id, "req-1", {}).ok());
  auto due = f.j->FilesAwaitingDeliveryReceipt();
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, id);
  ASSERT_TRUE(f.j->RecordReceiptWritten(id, "delivery", "a.csv.delivery.csv").ok());
  EXPECT_EQ(f.j->GetFile(id)->state, "done");
  EXPECT_TRUE(f.j->FilesAwaitingDeliveryReceipt()->empty());
  EXPECT_EQ(f.j->FilesInState("done")->size(), 1u);
  EXPECT_FALSE(f.j->RecordReceiptWritten(id, "other", "x").ok());
}

}  // namespace
}  // namespace liitos

namespace liitos {
namespace {

TEST(JournalFilesTest, PrivacyPersonIdsNeverReachAnEvent) {
  journal_test::Fixture f;
  NewEvent e = journal_test::Ev(ev::kRecordRejected);
  e.file = "export_131052-308T.csv";
  e.detail_json = R"({"reason":"row 3: customer 131052-308T is not a business id; 0737546-2 ok; 1310520308T"})";
  ASSERT_TRUE(f.j->Append(e).ok());
  journal_test::RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT file FROM events"), "export_<hetu>.csv");
  EXPECT_EQ(raw.Scalar("SELECT detail FROM events"),
            R"({"reason":"row 3: customer <hetu> is not a business id; 0737546-2 ok; 1310520308T"})");
  EXPECT_TRUE(VerifyJournal(f.path)->ok);
}

}  // namespace
}  // namespace liitos
