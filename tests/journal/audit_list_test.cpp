// journal list | trace | export: filters, the three output formats, the stories trace tells.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "journal/audit/audit.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;
using journal_test::Rejected;

// Two files; case LV-1 has a message in each (m1 in a.csv, m3 in b.csv), delivered in two batches.
struct Story : Fixture {
  std::string batch1, batch2;
  Story() {
    File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});  // seq 1..3, 08:00:00
    clock.Advance(1h);
    batch1 = (*j->CreateBatch("lupapiste", 10))->batch_id;  // seq 4, 09:00
    EXPECT_TRUE(j->MarkBatchDelivered(batch1, "req-1", {{"m2", false, "E1", "bad; \"quoted\""}}).ok());  // 5, 6
    clock.Advance(1h);
    File("b.csv", {Accepted(1, "LV-1", "m3"), Rejected(2, "LV-7", "status", "row 2: unknown status 'X'")});  // 7..9
    batch2 = (*j->CreateBatch("lupapiste", 10))->batch_id;  // seq 10
  }
  std::string List(const EventFilter& f, OutputFormat fmt = OutputFormat::kCsv) {
    std::ostringstream out;
    Status s = ListEvents(path, f, fmt, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out.str();
  }
  std::vector<int64_t> Seqs(const std::string& json) {
    std::vector<int64_t> out;
    for (const auto& e : nlohmann::json::parse(json)) out.push_back(e["seq"].get<int64_t>());
    return out;
  }
  std::vector<int64_t> ListSeqs(const EventFilter& f) { return Seqs(List(f, OutputFormat::kJson)); }
  std::vector<int64_t> TraceSeqs(const std::string& x) {
    std::ostringstream out;
    Status s = TraceEntity(path, x, OutputFormat::kJson, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok() ? Seqs(out.str()) : std::vector<int64_t>{};
  }
};

using Seq = std::vector<int64_t>;

TEST(AuditListTest, ListFilters) {
  Story s;
  EXPECT_EQ(s.ListSeqs({}), (Seq{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EventFilter f;
  f.lv_case_id = "LV-1";
  EXPECT_EQ(s.ListSeqs(f), (Seq{2, 8}));
  f = {};
  f.kind = "RECORD_ACCEPTED";
  EXPECT_EQ(s.ListSeqs(f), (Seq{2, 3, 8}));
  f.file = "b.csv";
  EXPECT_EQ(s.ListSeqs(f), (Seq{8}));
  f = {};
  f.since = "2027-01-15T09:00:00Z";
  f.until = "2027-01-15T10:00:00Z";
  EXPECT_EQ(s.ListSeqs(f), (Seq{4, 5, 6}));
  f.until.reset();
  f.since = "2027-01-15T11:30:00+02:00";  // 09:30Z
  EXPECT_EQ(s.ListSeqs(f), (Seq{7, 8, 9, 10}));
  f = {};
  f.until = "2027-01-15";
  EXPECT_TRUE(s.ListSeqs(f).empty());
  f = {};
  f.batch_id = s.batch1;
  EXPECT_EQ(s.ListSeqs(f), (Seq{4, 5, 6}));
  f.message_id = "m2";
  EXPECT_EQ(s.ListSeqs(f), (Seq{5}));
  f = {};
  f.source = "rakval";
  f.kind = "FILE_RECEIVED";
  EXPECT_EQ(s.ListSeqs(f), (Seq{1, 7}));
  f = {};
  f.since = "yesterday";
  std::ostringstream out;
  EXPECT_EQ(ListEvents(s.path, f, OutputFormat::kTable, out).code(), Status::Code::kInvalid);
}

// Since schema v6 a RECORD_ACCEPTED event is found through its outbox row, not the messageId
// index: listing by message must still give exactly the events a full scan finds.
TEST(AuditListTest, ListByMessageEqualsAFullScan) {
  Story s;
  RawDb raw(s.path);
  for (const std::string m : {"m1", "m2", "m3", "m404"}) {
    Seq want;
    for (const std::string& seq : raw.Column("SELECT seq FROM events NOT INDEXED WHERE message_id = '" + m +
                                             "' ORDER BY seq"))
      want.push_back(std::stoll(seq));
    EventFilter f;
    f.message_id = m;
    EXPECT_EQ(s.ListSeqs(f), want) << m;
  }
  EXPECT_EQ(raw.Scalar("SELECT count(*) FROM events WHERE kind = 'RECORD_ACCEPTED'"), "3");
}

TEST(AuditListTest, ListCsvOpensInFinnishExcel) {
  Story s;
  EventFilter f;
  f.kind = "ITEM_REJECTED_BY_RECEIVER";
  std::string csv = s.List(f);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFseq;time;kind;source;file;file_sha256;record;message_id;batch_id;", 0), 0u);
  std::string line2 = csv.substr(csv.find("\r\n") + 2);
  EXPECT_EQ(line2.rfind("5;2027-01-15 11:00:00.000+02:00;ITEM_REJECTED_BY_RECEIVER;;;;;m2;" + s.batch1 +
                            ";lupapiste;LV-2;\"{\"\"code\"\":\"\"E1\"\",\"\"message\"\":\"\"bad; \\\"\"quoted\\\"\"\"\"}\";",
                        0),
            0u)
      << line2;
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  EXPECT_EQ(csv.find('\n', 0), csv.find("\r\n") + 1);
}

TEST(AuditListTest, ListTableIsAligned) {
  Story s;
  EventFilter f;
  f.file = "a.csv";
  std::ostringstream out;
  ASSERT_TRUE(ListEvents(s.path, f, OutputFormat::kTable, out).ok());
  std::istringstream in(out.str());
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(header.find("kind"), row.find("FILE_RECEIVED")) << out.str();
  // People read Helsinki time with its offset, whole seconds (SPEC §8).
  EXPECT_EQ(row.substr(header.find("time"), 26), "2027-01-15 10:00:00+02:00 ") << row;
  EXPECT_EQ(row.find('Z'), std::string::npos) << row;
  EXPECT_EQ(header.find("batch_id"), std::string::npos);  // empty in every row: left out
  EXPECT_NE(out.str().find("(3 events)"), std::string::npos);
}

TEST(AuditListTest, TraceFileCaseMessageBatch) {
  Story s;
  // a.csv: its own events, its messages' events, and both messages' batch (batch1).
  EXPECT_EQ(s.TraceSeqs("a.csv"), (Seq{1, 2, 3, 4, 5, 6}));
  // LV-1: m1 (a.csv, batch1) and m3 (b.csv, batch2).
  EXPECT_EQ(s.TraceSeqs("LV-1"), (Seq{2, 4, 5, 6, 8, 10}));  // 5: batch1's other item
  EXPECT_EQ(s.TraceSeqs("m2"), (Seq{3, 4, 5, 6}));
  EXPECT_EQ(s.TraceSeqs(s.batch1), (Seq{2, 3, 4, 5, 6}));
  EXPECT_EQ(s.TraceSeqs("b.csv"), (Seq{7, 8, 9, 10}));
  std::ostringstream out;
  EXPECT_EQ(TraceEntity(s.path, "LV-404", OutputFormat::kTable, out).code(), Status::Code::kNotFound);
  ASSERT_TRUE(TraceEntity(s.path, "LV-1", OutputFormat::kTable, out).ok());
  EXPECT_NE(out.str().find("BATCH_DELIVERED"), std::string::npos);
}

TEST(AuditListTest, ExportJsonHasEveryFieldAndChains) {
  Story s;
  std::ostringstream out;
  ASSERT_TRUE(ListEvents(s.path, {}, OutputFormat::kJson, out).ok());
  auto events = nlohmann::json::parse(out.str());
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(events[0]["prev_hash"], std::string(64, '0'));
  for (size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i]["prev_hash"], events[i - 1]["hash"]);
  EXPECT_EQ(events[0]["detail"]["size"], 100);
  EXPECT_EQ(events[1]["record"], 1);
  EXPECT_EQ(events[0]["time"], "2027-01-15T08:00:00.000Z");  // JSON: UTC as recorded
  std::ostringstream csv;
  ASSERT_TRUE(ListEvents(s.path, {}, OutputFormat::kCsv, csv).ok());
  std::string text = csv.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11);
  EXPECT_EQ(ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_FALSE(ParseOutputFormat("xml").has_value());
}

TEST(AuditListTest, AuditReadsWhileTheServiceWrites) {
  Story s;  // s.j stays open, mid-WAL
  ASSERT_TRUE(s.j->Append(journal_test::Ev(ev::kDaemonStopped)).ok());
  Journal::Batch open_txn(*s.j);
  ASSERT_TRUE(s.j->Append(journal_test::Ev(ev::kDaemonStarted)).ok());  // uncommitted
  auto v = VerifyJournal(s.path);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << v->why;
  EXPECT_EQ(v->events, 11);
}

}  // namespace
}  // namespace liitos
