// The feeds' journal calls (SPEC §11): order lines, attempts, outcomes, what was written of each
// application, the orders' receipts, the figures, and that trace finds an external id.

#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "base/time/helsinki_time.h"
#include "journal/audit/audit.h"
#include "tests/journal/consistency.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using journal_test::Fixture;
using journal_test::RawDb;

const std::string kA = "0f8fad5b-d9cb-469f-a165-70867728950e";
const std::string kB = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const std::vector<std::string> kParts = {"commondata", "formdata"};

struct FeedFixture : Fixture {
  // An order file of `lines` from source "tilaukset", recorded; returns its id.
  int64_t Order(const std::string& name, const std::vector<OrderLineIn>& lines) {
    auto f = j->RecordFileReceived("tilaukset", name, std::string(64, 'b'), 80, "/spool/" + name);
    EXPECT_TRUE(f.ok());
    EXPECT_TRUE(j->RecordOrders(f->id, "hakemukset", "tuonti", lines, kParts).ok());
    return f->id;
  }
  std::vector<FetchOrder> Due(bool config = false, bool all = false) {
    auto due = j->DueOrders("hakemukset", clock.Now(), config, all, 0, 100);
    EXPECT_TRUE(due.ok());
    return due.ok() ? *due : std::vector<FetchOrder>{};
  }
  std::vector<std::string> Kinds() {
    RawDb raw(path);
    return raw.Column("SELECT kind FROM events WHERE kind NOT IN ('FILE_RECEIVED') ORDER BY seq");
  }
};

std::vector<PartDigest> Digests() { return {{"commondata", 120, std::string(64, '1')}, {"formdata", 900, std::string(64, '2')}}; }

TEST(JournalFeeds, OrderLinesBecomePendingOrdersOrRejections) {
  FeedFixture f;
  int64_t file = f.Order("tilaus.txt", {{2, kA, ""}, {3, "", "'x' is not an external id"}, {5, kB, ""}});
  auto due = f.Due();
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].external_id, kA);
  EXPECT_EQ(due[0].line, 2);
  EXPECT_EQ(due[0].source, "tilaukset");
  EXPECT_EQ(due[0].file, "tilaus.txt");
  ASSERT_EQ(due[0].xroad_ids.size(), 2u);
  EXPECT_EQ(due[0].xroad_ids[0].first, "commondata");
  EXPECT_EQ(due[0].xroad_ids[0].second.size(), 36u);
  EXPECT_NE(due[0].xroad_ids[0].second, due[0].xroad_ids[1].second);  // one X-Road-Id per GET
  EXPECT_NE(due[0].xroad_ids[0].second, due[1].xroad_ids[0].second);
  EXPECT_EQ(f.Kinds(), (std::vector<std::string>{"FETCH_ORDERED", "FETCH_FAILED", "FETCH_ORDERED"}));
  auto file_row = f.j->GetFile(file);
  EXPECT_EQ(file_row->state, "parsed");
  // Not final yet: no receipt is due.
  EXPECT_TRUE(f.j->OrderFilesAwaitingReceipt("tilaukset")->empty());
  auto stats = f.j->FeedStatsOf("hakemukset");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 2);
  EXPECT_EQ(stats->rejected, 1);
}

TEST(JournalFeeds, AttemptsKeepTheirXroadIdsAndWaitTheirTurn) {
  FeedFixture f;
  f.Order("tilaus.txt", {{1, kA, ""}});
  FetchOrder o = f.Due()[0];
  ASSERT_TRUE(f.j->RecordFetchAttempt(o, "tuonti", R"({"feed":"hakemukset","error":"HTTP 503"})", "retry", "HTTP 503",
                                      f.clock.Now() + std::chrono::seconds(30))
                  .ok());
  EXPECT_TRUE(f.Due().empty());
  EXPECT_EQ(f.Due(false, true).size(), 1u);  // run --once takes it anyway
  EXPECT_EQ(*f.j->NextOrderAttempt("hakemukset"), FormatUtcMillis(f.clock.Now() + std::chrono::seconds(30)));
  f.clock.Advance(std::chrono::seconds(31));
  auto again = f.Due();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].xroad_ids, o.xroad_ids);
  EXPECT_EQ(again[0].attempts, 1);
  EXPECT_EQ(again[0].fault, "retry");
  EXPECT_EQ(again[0].first_failed_at, FormatUtcMillis(f.clock.Now() - std::chrono::seconds(31)));
  // A configuration fault waits too, but is taken again at the service's next start.
  ASSERT_TRUE(f.j->RecordFetchAttempt(again[0], "tuonti", "{}", "config", "HTTP 401", f.clock.Now() + std::chrono::hours(1)).ok());
  EXPECT_TRUE(f.Due().empty());
  EXPECT_EQ(f.Due(/*config=*/true).size(), 1u);
  auto stats = f.j->FeedStatsOf("hakemukset");
  EXPECT_EQ(stats->pending, 1);
  EXPECT_EQ(stats->config_faults, 1);
  EXPECT_EQ(stats->retrying, 0);
}

TEST(JournalFeeds, FetchedWrittenThenUnchangedAndTheReceiptRows) {
  FeedFixture f;
  int64_t file = f.Order("tilaus.txt", {{1, kA, ""}, {2, kB, ""}});
  auto due = f.Due();
  EXPECT_FALSE(f.j->ApplicationDigest("hakemukset", kA)->has_value());
  ASSERT_TRUE(f.j->RecordFetched(due[0], "tuonti", "{}", Digests(), "commondata=1 formdata=2", "hakemus_" + kA + ".xml",
                                 std::string(64, 'c'), true)
                  .ok());
  auto digest = f.j->ApplicationDigest("hakemukset", kA);
  ASSERT_TRUE(digest->has_value());
  EXPECT_EQ((*digest)->first, "commondata=1 formdata=2");
  EXPECT_EQ((*digest)->second, "hakemus_" + kA + ".xml");
  ASSERT_TRUE(f.j->RecordFetchFailed(due[1], "tuonti", "{}", {}, "not-found", "HTTP 400: not found").ok());
  // The order's lines are all final: its receipt is due.
  auto awaiting = f.j->OrderFilesAwaitingReceipt("tilaukset");
  ASSERT_EQ(awaiting->size(), 1u);
  EXPECT_EQ((*awaiting)[0].id, file);
  auto rows = f.j->OrderOutcomes(file);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].outcome, "fetched");
  EXPECT_EQ((*rows)[0].import_file, "hakemus_" + kA + ".xml");
  EXPECT_EQ((*rows)[1].outcome, "not-found");
  EXPECT_EQ((*rows)[1].reason, "HTTP 400: not found");
  ASSERT_TRUE(f.j->RecordOrderReceiptWritten(file, "tilaus.txt.receipt.csv").ok());
  EXPECT_TRUE(f.j->OrderFilesAwaitingReceipt("tilaukset")->empty());
  EXPECT_EQ(f.j->GetFile(file)->state, "done");

  // Ordered again and unchanged.
  f.Order("tilaus2.txt", {{1, kA, ""}});
  auto second = f.Due();
  ASSERT_EQ(second.size(), 1u);
  ASSERT_TRUE(f.j->RecordFetched(second[0], "tuonti", "{}", Digests(), "commondata=1 formdata=2",
                                 "hakemus_" + kA + ".xml", "", false)
                  .ok());
  auto stats = f.j->FeedStatsOf("hakemukset");
  EXPECT_EQ(stats->fetched, 1);
  EXPECT_EQ(stats->unchanged, 1);
  EXPECT_EQ(stats->not_found, 1);
  EXPECT_EQ(stats->pending, 0);
  auto v = VerifyJournal(f.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->why;
  auto problems = journal_test::CheckConsistency(f.path);
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

TEST(JournalFeeds, TraceTellsTheStoryOfAnExternalId) {
  FeedFixture f;
  f.Order("tilaus.txt", {{1, kA, ""}, {2, kB, ""}});
  auto due = f.Due();
  ASSERT_TRUE(f.j->RecordFetched(due[0], "tuonti", R"({"feed":"hakemukset","attempt":1})", Digests(), "d",
                                 "hakemus_" + kA + ".json", std::string(64, 'c'), true)
                  .ok());
  std::ostringstream out;
  ASSERT_TRUE(TraceEntity(f.path, kA, OutputFormat::kJson, out).ok());
  auto events = nlohmann::json::parse(out.str());
  std::vector<std::string> kinds;
  for (const auto& e : events) kinds.push_back(e["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"FETCH_ORDERED", "FETCH_ATTEMPT", "APPLICATION_FETCHED", "IMPORT_WRITTEN"}));
  EXPECT_EQ(events[2]["detail"]["parts"][1]["size"], 900);
  EXPECT_EQ(events[3]["destination"], "tuonti");
  EXPECT_EQ(events[3]["record"], 1);
}

}  // namespace
}  // namespace liitos
