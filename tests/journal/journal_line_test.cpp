// Journal: the line of a destination (SPEC §5.6 "Order", G7): its head in the order batches were
// made, a requeued batch back at the head, updates overtaken by a later delivered update of the
// same case made final "superseded" (event and delivery receipt), and the query plans that keep
// every step of delivery O(batch) whatever the backlog.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "journal/audit/audit.h"
#include "journal/journal_sql.h"
#include "tests/journal/consistency.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;

BatchRow Make(Journal& j, int max_items, const std::string& dest = "lupapiste") {
  auto b = j.CreateBatch(dest, max_items);
  EXPECT_TRUE(b.ok() && b->has_value()) << b.status().ToString();
  return b.ok() && b->has_value() ? **b : BatchRow{};
}

std::string HeadId(Journal& j, const std::string& dest = "lupapiste") {
  auto h = j.HeadBatch(dest);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() && h->has_value() ? (*h)->batch_id : "";
}

void Fail(Journal& j, const BatchRow& b) {
  ASSERT_TRUE(j.RecordAttempt(b.batch_id, 400, "", "HTTP 400", std::nullopt).ok());
  ASSERT_TRUE(j.MarkBatchFailed(b.batch_id, "HTTP 400 Bad Request").ok());
}

void ExpectSound(const std::string& path) {
  auto v = VerifyJournal(path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
  auto c = journal_test::CheckConsistency(path);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty()) << (c->empty() ? "" : c->front());
}

TEST(JournalLine, TheHeadIsTheOldestOpenBatchInTheOrderMade) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2"), Accepted(3, "LV-3", "m3")});
  EXPECT_EQ(HeadId(*f.j), "");
  BatchRow b1 = Make(*f.j, 1);
  // A wall clock set back does not reorder the line: it is the order batches were made in.
  f.clock.SetNow(f.clock.Now() - 1h);
  BatchRow b2 = Make(*f.j, 1);
  BatchRow b3 = Make(*f.j, 1);
  auto head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->batch_id, b1.batch_id);
  EXPECT_EQ((*head)->message_ids, std::vector<std::string>{"m1"});
  EXPECT_EQ((*head)->payloads, b1.payloads);
  // Waiting for a retry, it stays the head.
  ASSERT_TRUE(f.j->RecordAttempt(b1.batch_id, 503, "", "HTTP 503", f.clock.Now() + 30s).ok());
  EXPECT_EQ(HeadId(*f.j), b1.batch_id);
  EXPECT_EQ(HeadId(*f.j, "other"), "");
  ASSERT_TRUE(f.j->MarkBatchDelivered(b1.batch_id, "", {}).ok());
  EXPECT_EQ(HeadId(*f.j), b2.batch_id);
  Fail(*f.j, b2);  // set aside: the line moves on
  EXPECT_EQ(HeadId(*f.j), b3.batch_id);
  // Requeued, b2 goes back to the head, ahead of b3 made after it.
  ASSERT_TRUE(f.j->RequeueBatch(b2.batch_id).ok());
  EXPECT_EQ(HeadId(*f.j), b2.batch_id);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b2.batch_id, "", {}).ok());
  EXPECT_EQ(HeadId(*f.j), b3.batch_id);
  ExpectSound(f.path);
}

TEST(JournalLine, RetryOfAFailedBatchSupersedesTheUpdatesOvertakenByALaterDeliveredOne) {
  Fixture f;
  int64_t a = f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});
  BatchRow b1 = Make(*f.j, 10);
  Fail(*f.j, b1);
  f.clock.Advance(1s);
  int64_t b = f.File("b.csv", {Accepted(1, "LV-1", "m3")});  // a newer status of LV-1
  BatchRow b2 = Make(*f.j, 10);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b2.batch_id, "req-2", {}).ok());
  ASSERT_TRUE((*journal_test::FinalDeliveryRows(*f.j, b)).has_value());

  f.clock.Advance(1s);
  ASSERT_TRUE(f.j->RequeueBatch(b1.batch_id).ok());
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm1'"), "superseded");
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm2'"), "batched");
  EXPECT_EQ(raw.Scalar("SELECT state FROM batches WHERE batch_id = '" + b1.batch_id + "'"), "open");
  EXPECT_EQ(raw.Scalar("SELECT message_id || ' ' || batch_id || ' ' || lv_case_id || ' ' || destination FROM events "
                       "WHERE kind = 'ITEM_SUPERSEDED'"),
            "m1 " + b1.batch_id + " LV-1 lupapiste");
  auto detail = nlohmann::json::parse(raw.Scalar("SELECT detail FROM events WHERE kind = 'ITEM_SUPERSEDED'"));
  EXPECT_EQ(detail["by"], "m3");
  EXPECT_EQ(detail["by_batch"], b2.batch_id);
  // Only m2 is left to send; the batch keeps its id and is the head.
  auto head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->batch_id, b1.batch_id);
  EXPECT_EQ((*head)->message_ids, std::vector<std::string>{"m2"});
  ASSERT_EQ((*head)->payloads.size(), 1u);
  EXPECT_NE((*head)->payloads[0].find("m2"), std::string::npos);
  EXPECT_EQ((*f.j->GetBatch(b1.batch_id))->message_ids, std::vector<std::string>{"m2"});
  EXPECT_FALSE(journal_test::FinalDeliveryRows(*f.j, a)->has_value());  // m2 is not final yet

  ASSERT_TRUE(f.j->MarkBatchDelivered(b1.batch_id, "req-3", {{"m2", true, "", ""}}).ok());
  auto rows = journal_test::FinalDeliveryRows(*f.j, a);
  ASSERT_TRUE(rows.ok() && rows->has_value());
  ASSERT_EQ((*rows)->size(), 2u);
  const auto& r = **rows;
  EXPECT_EQ(r[0].message_id, "m1");
  EXPECT_EQ(r[0].outcome, "superseded");
  EXPECT_EQ(r[0].batch_id, b1.batch_id);
  EXPECT_EQ(r[0].at, "2027-01-15T08:00:02.000Z");
  EXPECT_EQ(r[0].reason, "superseded by a later update of the same case (m3), delivered in batch " + b2.batch_id);
  EXPECT_EQ(r[0].xroad_request_id, "");  // never sent
  EXPECT_EQ(r[1].outcome, "delivered");
  EXPECT_EQ(r[1].xroad_request_id, "req-3");
  auto delivered = nlohmann::json::parse(raw.Scalar("SELECT detail FROM events WHERE kind = 'BATCH_DELIVERED' AND "
                                                    "batch_id = '" + b1.batch_id + "'"));
  EXPECT_EQ(delivered["delivered"], 1);
  // Superseded payloads are purged like delivered ones.
  f.clock.Advance(24h * 30);
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now()), 3);
  ExpectSound(f.path);
}

TEST(JournalLine, ABatchWhollySupersededIsFinalWithoutASend) {
  Fixture f;
  int64_t a = f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});
  BatchRow b1 = Make(*f.j, 10);
  Fail(*f.j, b1);
  f.File("b.csv", {Accepted(1, "LV-2", "m3"), Accepted(2, "LV-1", "m4"), Accepted(3, "LV-1", "m5")});
  BatchRow b2 = Make(*f.j, 10);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b2.batch_id, "", {{"m5", false, "E", "no"}}).ok());  // m3, m4 delivered

  ASSERT_TRUE(f.j->RequeueBatch(b1.batch_id).ok());
  EXPECT_EQ(HeadId(*f.j), "");
  auto got = f.j->GetBatch(b1.batch_id);
  EXPECT_EQ((*got)->state, "superseded");
  EXPECT_TRUE((*got)->message_ids.empty());
  EXPECT_TRUE(f.j->FailedBatchIds()->empty());
  auto st = f.j->Stats({"lupapiste"});
  EXPECT_EQ((*st)[0].open_batches, 0);
  EXPECT_EQ((*st)[0].failed_batches, 0);
  RawDb raw(f.path);
  EXPECT_EQ(raw.Column("SELECT kind FROM events WHERE batch_id = '" + b1.batch_id + "' ORDER BY seq"),
            (std::vector<std::string>{"BATCH_CREATED", "BATCH_ATTEMPT", "BATCH_FAILED", "BATCH_REQUEUED",
                                      "ITEM_SUPERSEDED", "ITEM_SUPERSEDED", "BATCH_SUPERSEDED"}));
  // m1 is overtaken by m4 (m5, later still, was rejected: only a delivered update overtakes).
  auto by = raw.Column("SELECT json_extract(detail, '$.by') FROM events WHERE kind = 'ITEM_SUPERSEDED' ORDER BY seq");
  EXPECT_EQ(by, (std::vector<std::string>{"m4", "m3"}));
  auto rows = journal_test::FinalDeliveryRows(*f.j, a);
  ASSERT_TRUE(rows.ok() && rows->has_value());
  for (const auto& r : **rows) EXPECT_EQ(r.outcome, "superseded") << r.message_id;
  EXPECT_FALSE(f.j->RequeueBatch(b1.batch_id).ok());  // final, not failed
  ExpectSound(f.path);
}

TEST(JournalLine, OnlyALaterDeliveredUpdateOfTheSameCaseAtTheSameDestinationOvertakes) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2"), Accepted(3, "LV-3", "m3")});
  BatchRow b1 = Make(*f.j, 10);
  Fail(*f.j, b1);
  f.File("b.csv", {Accepted(1, "LV-1", "m4"),                // rejected by the receiver
                   Accepted(2, "LV-2", "m5", "other"),       // delivered elsewhere
                   Accepted(3, "LV-9", "m6")});              // another case
  f.File("c.csv", {Accepted(1, "LV-3", "m7")});              // still pending
  BatchRow b2 = Make(*f.j, 2);
  ASSERT_EQ(b2.message_ids, (std::vector<std::string>{"m4", "m6"}));
  ASSERT_TRUE(f.j->MarkBatchDelivered(b2.batch_id, "", {{"m4", false, "E", "no"}, {"m6", true, "", ""}}).ok());
  BatchRow other = Make(*f.j, 10, "other");
  ASSERT_TRUE(f.j->MarkBatchDelivered(other.batch_id, "", {}).ok());

  ASSERT_TRUE(f.j->RequeueBatch(b1.batch_id).ok());
  auto head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->message_ids, (std::vector<std::string>{"m1", "m2", "m3"}));
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events WHERE kind = 'ITEM_SUPERSEDED'"), "0");
  ExpectSound(f.path);
}

TEST(JournalLine, AnUpdateDeliveredAfterTheRequeueIsCaughtAtTheHead) {
  // `liitos retry` runs beside the service: the newer update may be in flight while the older
  // batch is requeued, and be delivered just after. The head is checked again before it is sent.
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1")});
  BatchRow b1 = Make(*f.j, 10);
  Fail(*f.j, b1);
  f.File("b.csv", {Accepted(1, "LV-1", "m2"), Accepted(2, "LV-2", "m3")});
  BatchRow b2 = Make(*f.j, 1);  // in flight: {m2}
  ASSERT_TRUE(f.j->RequeueBatch(b1.batch_id).ok());
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm1'"), "batched");  // m2 not delivered yet
  ASSERT_TRUE(f.j->MarkBatchDelivered(b2.batch_id, "", {}).ok());
  // b1 is the head again, but its one update is overtaken now: it is final and the line goes on.
  EXPECT_EQ(HeadId(*f.j), "");
  EXPECT_EQ(raw.Scalar("SELECT state FROM batches WHERE batch_id = '" + b1.batch_id + "'"), "superseded");
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm1'"), "superseded");
  BatchRow b3 = Make(*f.j, 10);
  EXPECT_EQ(b3.message_ids, std::vector<std::string>{"m3"});
  EXPECT_EQ(HeadId(*f.j), b3.batch_id);
  ExpectSound(f.path);
}

TEST(JournalLine, ConsistencyCheckFlagsASupersededItemWithoutItsEvent) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});
  BatchRow b1 = Make(*f.j, 10);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b1.batch_id, "", {}).ok());
  RawDb raw(f.path);
  ASSERT_EQ(raw.Exec("UPDATE outbox SET state = 'superseded' WHERE message_id = 'm1'"), "");
  auto c = journal_test::CheckConsistency(f.path);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->empty());
}

// Each statement that delivery runs per batch, and the status figures, read through an index:
// never a scan of the outbox or of the batches, never a sort of them.
TEST(JournalLine, EveryPerBatchStatementIsAnIndexSearch) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});
  Make(*f.j, 1);
  f.j.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(f.path.c_str(), &db), SQLITE_OK);
  const std::pair<const char*, const char*> statements[] = {
      {"kTakePending", sql::kTakePending},           {"kInsertBatch", sql::kInsertBatch},
      {"kBatchItems", sql::kBatchItems},             {"kBatchedItems", sql::kBatchedItems},
      {"kHeadBatch", sql::kHeadBatch},               {"kDeliveredAfter", sql::kDeliveredAfter},
      {"kLaterDeliveredOfCase", sql::kLaterDeliveredOfCase}, {"kSupersedeItem", sql::kSupersedeItem},
      {"kCountBatchedItems", sql::kCountBatchedItems}, {"kBatchedItemCase", sql::kBatchedItemCase},
      {"kFinishItem", sql::kFinishItem},             {"kDeliverItems", sql::kDeliverItems},
      {"kFailItems", sql::kFailItems},               {"kRequeueItems", sql::kRequeueItems},
      {"kGetBatch", sql::kGetBatch},                 {"kRecordAttempt", sql::kRecordAttempt},
      {"kFinishBatch", sql::kFinishBatch},           {"kStatsPending", sql::kStatsPending},
      {"kStatsOldestPending", sql::kStatsOldestPending},
      {"kPurgeCandidates", sql::kPurgeCandidates},   {"kDeletePayload", sql::kDeletePayload},
  };
  for (const auto& [name, text] : statements) {
    sqlite3_stmt* st = nullptr;
    std::string plan_sql = std::string("EXPLAIN QUERY PLAN ") + text;
    ASSERT_EQ(sqlite3_prepare_v2(db, plan_sql.c_str(), -1, &st, nullptr), SQLITE_OK) << name << sqlite3_errmsg(db);
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW) plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 3))) + "; ";
    sqlite3_finalize(st);
    EXPECT_EQ(plan.find("SCAN o"), std::string::npos) << name << ": " << plan;  // outbox, as itself or `o`
    EXPECT_EQ(plan.find("SCAN p"), std::string::npos) << name << ": " << plan;  // outbox_payloads as `p`
    EXPECT_EQ(plan.find("SCAN batches"), std::string::npos) << name << ": " << plan;
    EXPECT_EQ(plan.find("SCAN e"), std::string::npos) << name << ": " << plan;
    EXPECT_EQ(plan.find("SCAN n"), std::string::npos) << name << ": " << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << name << ": " << plan;
    if (std::string(name) == "kLaterDeliveredOfCase") {
      EXPECT_LT(plan.find("events_case"), plan.find("outbox")) << plan;  // the case's events drive
    }
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace liitos
