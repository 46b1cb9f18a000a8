// Journal: batches, attempts, outcomes, status figures, payload purge (issue 3).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/time/helsinki_time.h"
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

BatchRow MustCreate(Journal& j, const std::string& dest, int max_items) {
  auto b = j.CreateBatch(dest, max_items);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(b.ok() && b->has_value());
  return b.ok() && b->has_value() ? **b : BatchRow{};
}

TEST(JournalBatches, CreateBatchTakesOldestFirstUpToMaxItems) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2"), Accepted(3, "LV-3", "m3", "other")});
  f.clock.Advance(1s);
  f.File("b.csv", {Accepted(1, "LV-4", "m4")});
  EXPECT_FALSE(f.j->CreateBatch("lupapiste", 0).ok());
  BatchRow b1 = MustCreate(*f.j, "lupapiste", 2);
  EXPECT_EQ(b1.message_ids, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(b1.payloads[0], R"({"messageId":"m1","lvCaseId":"LV-1"})");
  EXPECT_EQ(b1.state, "open");
  EXPECT_EQ(b1.batch_id.size(), 36u);
  EXPECT_EQ(b1.batch_id[14], '4');  // UUID v4
  BatchRow b2 = MustCreate(*f.j, "lupapiste", 2);
  EXPECT_EQ(b2.message_ids, (std::vector<std::string>{"m4"}));
  auto none = f.j->CreateBatch("lupapiste", 2);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto got = f.j->GetBatch(b1.batch_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->message_ids, b1.message_ids);
  EXPECT_FALSE(f.j->GetBatch("nope")->has_value());
}

TEST(JournalBatches, AttemptsAndNextAttemptTime) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1")});
  BatchRow b = MustCreate(*f.j, "lupapiste", 10);
  SysTime now = f.clock.Now();
  auto head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->attempts, 0);
  ASSERT_TRUE(f.j->RecordAttempt(b.batch_id, 503, "req-1", "HTTP 503", now + 30s).ok());
  head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->batch_id, b.batch_id);
  EXPECT_EQ((*head)->attempts, 1);
  EXPECT_EQ((*head)->next_attempt_at, FormatUtcMillis(now + 30s));
  EXPECT_EQ((*head)->last_error, "HTTP 503");
  EXPECT_EQ((*head)->xroad_request_id, "req-1");
  EXPECT_FALSE(f.j->HeadBatch("other")->has_value());
  auto st = f.j->Stats({"lupapiste"});
  EXPECT_EQ((*st)[0].next_attempt_at, FormatUtcMillis(now + 30s));
  EXPECT_EQ((*st)[0].open_batches, 1);
  EXPECT_FALSE(f.j->RecordAttempt("nope", 500, "", "", std::nullopt).ok());
}

TEST(JournalBatches, DeliveredWithItemsRejectedByReceiver) {
  Fixture f;
  int64_t id = f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2"), Accepted(3, "LV-3", "m3")});
  BatchRow b = MustCreate(*f.j, "lupapiste", 10);
  ASSERT_TRUE(f.j->RecordAttempt(b.batch_id, 200, "req-9", "", std::nullopt).ok());
  f.clock.Advance(1s);
  std::vector<ItemResultIn> items{{"m1", true, "", ""}, {"m2", false, "E_CASE", "unknown lvCaseId"}};
  ASSERT_TRUE(f.j->MarkBatchDelivered(b.batch_id, "req-9", items).ok());
  EXPECT_FALSE(f.j->MarkBatchDelivered(b.batch_id, "req-9", items).ok());  // already final
  auto rows = journal_test::FinalDeliveryRows(*f.j, id);
  ASSERT_TRUE(rows.ok() && rows->has_value());
  ASSERT_EQ((*rows)->size(), 3u);
  const auto& r = **rows;
  EXPECT_EQ(r[0].outcome, "delivered");
  EXPECT_EQ(r[1].outcome, "rejected");
  EXPECT_EQ(r[1].reason, "E_CASE: unknown lvCaseId");
  EXPECT_EQ(r[2].outcome, "delivered");  // missing from the answer: delivered
  EXPECT_EQ(r[0].batch_id, b.batch_id);
  EXPECT_EQ(r[0].xroad_request_id, "req-9");
  EXPECT_EQ(r[0].at, "2027-01-15T08:00:01.000Z");
  EXPECT_EQ(r[1].lv_case_id, "LV-2");
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT message_id || ' ' || lv_case_id || ' ' || batch_id FROM events WHERE kind = "
                       "'ITEM_REJECTED_BY_RECEIVER'"),
            "m2 LV-2 " + b.batch_id);
  EXPECT_EQ(raw.Scalar("SELECT state FROM outbox WHERE message_id = 'm2'"), "rejected");
  auto st = f.j->Stats({"lupapiste"});
  EXPECT_EQ((*st)[0].last_delivery_at, "2027-01-15T08:00:01.000Z");
  EXPECT_EQ((*st)[0].open_batches, 0);
}

TEST(JournalBatches, FailedThenRequeuedKeepsTheBatchId) {
  Fixture f;
  int64_t id = f.File("a.csv", {Accepted(1, "LV-1", "m1")});
  BatchRow b = MustCreate(*f.j, "lupapiste", 10);
  ASSERT_TRUE(f.j->RecordAttempt(b.batch_id, 403, "", "HTTP 403 Forbidden", std::nullopt).ok());
  ASSERT_TRUE(f.j->MarkBatchFailed(b.batch_id, "HTTP 403 Forbidden").ok());
  EXPECT_EQ(*f.j->FailedBatchIds(), std::vector<std::string>{b.batch_id});
  EXPECT_FALSE(f.j->HeadBatch("lupapiste")->has_value());  // set aside
  auto rows = journal_test::FinalDeliveryRows(*f.j, id);
  ASSERT_TRUE(rows.ok() && rows->has_value());
  EXPECT_EQ((**rows)[0].outcome, "failed");
  EXPECT_EQ((**rows)[0].reason, "HTTP 403 Forbidden");
  EXPECT_EQ((*f.j->Stats({"lupapiste"}))[0].failed_batches, 1);
  EXPECT_FALSE(f.j->MarkBatchFailed(b.batch_id, "again").ok());

  ASSERT_TRUE(f.j->RequeueBatch(b.batch_id).ok());
  EXPECT_FALSE(f.j->RequeueBatch(b.batch_id).ok());  // open now, not failed
  EXPECT_TRUE(f.j->FailedBatchIds()->empty());
  auto head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->batch_id, b.batch_id);
  EXPECT_EQ((*head)->message_ids, b.message_ids);
  EXPECT_FALSE(journal_test::FinalDeliveryRows(*f.j, id)->has_value());  // not final any more
  ASSERT_TRUE(f.j->MarkBatchDelivered(b.batch_id, "req-2", {}).ok());
  EXPECT_EQ((**journal_test::FinalDeliveryRows(*f.j, id))[0].outcome, "delivered");
  auto v = VerifyJournal(f.path);
  EXPECT_TRUE(v->ok) << v->why;
  EXPECT_TRUE(journal_test::CheckConsistency(f.path)->empty());
}

TEST(JournalBatchesTest, StatusStatsPerDestination) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2", "other")});
  f.clock.Advance(5s);
  f.File("b.csv", {Accepted(1, "LV-3", "m3")});
  auto st = f.j->Stats({"lupapiste", "other", "unused"});
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->size(), 3u);
  EXPECT_EQ((*st)[0].pending, 2);
  EXPECT_EQ((*st)[0].oldest_pending_at, "2027-01-15T08:00:00.000Z");
  EXPECT_EQ((*st)[1].pending, 1);
  EXPECT_EQ((*st)[2].pending, 0);
  EXPECT_EQ((*st)[2].oldest_pending_at, "");
  MustCreate(*f.j, "lupapiste", 1);
  st = f.j->Stats({"lupapiste"});
  EXPECT_EQ((*st)[0].pending, 1);
  EXPECT_EQ((*st)[0].oldest_pending_at, "2027-01-15T08:00:05.000Z");
  EXPECT_EQ((*st)[0].open_batches, 1);
  EXPECT_EQ((*st)[0].next_attempt_at, "2027-01-15T08:00:05.000Z");  // due now: its creation time
  EXPECT_EQ((*st)[0].last_delivery_at, "");
}

TEST(JournalBatchesTest, StatusPurgePayloadsKeepsEvents) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});
  BatchRow b = MustCreate(*f.j, "lupapiste", 1);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b.batch_id, "", {}).ok());
  RawDb raw(f.path);
  std::string events_before = raw.Scalar("SELECT count(*) FROM events");
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now()), 0);  // delivered now, not before now
  f.clock.Advance(24h * 30);
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now() - 24h * 7), 1);
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM outbox_payloads"), "1");
  EXPECT_EQ(raw.Scalar("SELECT o.message_id FROM outbox_payloads p JOIN outbox o USING(file_id, record)"),
            "m2");  // pending: kept
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events"), events_before);
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now()), 0);
  EXPECT_TRUE(VerifyJournal(f.path)->ok);
}

// A purge walks only the rows made final since the last purge ended (purge_horizon), less an
// hour: a later purge still finds rows made final after it, and nothing made final before.
TEST(JournalBatchesTest, PurgeWalksOnlyWhatWasMadeFinalSinceTheLastPurge) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2"), Accepted(3, "LV-3", "m3")});
  BatchRow b1 = MustCreate(*f.j, "lupapiste", 1);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b1.batch_id, "", {}).ok());  // m1 final at t0
  f.clock.Advance(24h * 2);
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now() - 24h), 1);  // m1
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("SELECT final_at FROM purge_horizon"), FormatUtcMillis(f.clock.Now() - 24h));
  BatchRow b2 = MustCreate(*f.j, "lupapiste", 1);
  ASSERT_TRUE(f.j->MarkBatchDelivered(b2.batch_id, "", {}).ok());  // m2 final at t0 + 2 d
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now() - 24h), 0);  // not yet past retention
  f.clock.Advance(24h * 2);
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now() - 24h), 1);  // m2
  EXPECT_EQ(raw.Scalar("SELECT o.message_id FROM outbox_payloads p JOIN outbox o USING(file_id, record)"),
            "m3");  // pending: kept
  // A cutoff behind the horizon (a retention made longer) finds nothing and keeps the horizon.
  EXPECT_EQ(*f.j->PurgePayloads(f.clock.Now() - 24h * 10), 0);
  EXPECT_EQ(raw.Scalar("SELECT final_at FROM purge_horizon"), FormatUtcMillis(f.clock.Now() - 24h));
  EXPECT_TRUE(VerifyJournal(f.path)->ok);
}

// A version 9 journal kept each payload in its outbox row; opening it moves them to
// outbox_payloads (schema v10), and a batch made afterwards carries them as before.
TEST(JournalBatchesTest, MigrationFromVersion9MovesPayloadsOutOfTheOutbox) {
  Fixture f;
  f.File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2"), Accepted(3, "LV-3", "m3")});
  BatchRow before = MustCreate(*f.j, "lupapiste", 1);
  f.j.reset();
  {
    RawDb raw(f.path);
    ASSERT_EQ(raw.Exec("UPDATE outbox SET payload = (SELECT payload FROM outbox_payloads p WHERE p.file_id = "
                       "outbox.file_id AND p.record = outbox.record); DROP TABLE outbox_payloads; DROP INDEX outbox_final; "
                       "DROP TABLE purge_horizon; "
                       "PRAGMA user_version=9;"),
              "");
    ASSERT_EQ(raw.Scalar("SELECT count(*) FROM outbox WHERE payload IS NOT NULL"), "3");
  }
  f.Reopen();
  RawDb raw(f.path);
  EXPECT_EQ(raw.Scalar("PRAGMA user_version"), std::to_string(sql::kSchemaVersion));
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM outbox WHERE payload IS NOT NULL"), "0");
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM outbox_payloads"), "3");
  auto head = f.j->HeadBatch("lupapiste");
  ASSERT_TRUE(head.ok());
  ASSERT_TRUE(head->has_value());
  EXPECT_EQ((*head)->payloads, before.payloads);  // the open batch, read again after the move
  ASSERT_TRUE(f.j->MarkBatchDelivered(before.batch_id, "", {}).ok());
  BatchRow next = MustCreate(*f.j, "lupapiste", 2);
  ASSERT_EQ(next.payloads.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(next.payloads[0])["messageId"], "m2");
  EXPECT_EQ(nlohmann::json::parse(next.payloads[1])["messageId"], "m3");
  EXPECT_TRUE(VerifyJournal(f.path)->ok);
}

}  // namespace
}  // namespace liitos
