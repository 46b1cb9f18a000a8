// The auditor's report rendered from a real journal: what it says, that every value is escaped
// and masked, that it links each row to its story, and that tampering shows.

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "journal/audit/checkpoint.h"
#include "journal/audit/report_data.h"
#include "tests/journal/rechain.h"
#include "tests/report/report_test_util.h"

namespace liitos {
namespace {

using report_test::Busy;

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// The cells of the table row whose first cell is `label`, as text.
std::vector<std::string> DayRow(const std::string& html, const std::string& label) {
  std::smatch m;
  std::regex row("<tr[^>]*><td class=\"label\">" + label + "</td>(.*?)</tr>");
  std::vector<std::string> out;
  if (!std::regex_search(html, m, row)) return out;
  std::string cells = m[1];
  std::regex cell("<td class=\"n\">([^<]*)</td>");
  for (auto it = std::sregex_iterator(cells.begin(), cells.end(), cell); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

TEST(Report, SaysWhoTheJournalIsAndThatItIsIntact) {
  Busy b;
  ReportSummary s;
  std::string html = b.Render(b.Options(), &s);
  auto id = ReadJournalIdentity(b.path);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(s.chain_ok);
  EXPECT_FALSE(s.checkpoints_ok);
  EXPECT_EQ(s.head_hash, id->head_hash);
  EXPECT_NE(html.find("<span class=\"hash\" id=\"head-hash\">" + id->head_hash + "</span>"), std::string::npos);
  EXPECT_NE(html.find("<code>" + b.path + "</code>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"ok\">intact</span>"), std::string::npos);
  EXPECT_NE(html.find("not checked: no checkpoint folder and key were given"), std::string::npos);
  EXPECT_NE(html.find("2027-01-15 00:00:00+02:00 – 2027-01-19 00:00:00+02:00"), std::string::npos);
}

TEST(Report, CountsPerHelsinkiDayAndPerParty) {
  Busy b;
  std::string html = b.Render(b.Options());
  // files, quarantined, accepted, duplicates, rejected, delivered, by receiver, batches ok, failed, oldest
  EXPECT_EQ(DayRow(html, "2027-01-15"),
            (std::vector<std::string>{"1", "1", "2", "0", "1", "1", "1", "1", "0", "none pending"}));
  std::vector<std::string> day2 = DayRow(html, "2027-01-16");
  ASSERT_EQ(day2.size(), 10u);
  EXPECT_EQ(std::vector<std::string>(day2.begin(), day2.begin() + 9),
            (std::vector<std::string>{"2", "0", "3", "0", "0", "0", "0", "0", "1"}));
  // m6 was accepted 2 h before "now" and is still pending.
  EXPECT_EQ(day2[9], "2 h 00 min");
  EXPECT_EQ(DayRow(html, "the period")[0], "3");
  EXPECT_NE(html.find("<tr><td>rakval</td><td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">3</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>lupapiste</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">1</td>"
                      "<td class=\"n\">1</td></tr>"),
            std::string::npos);
}

TEST(Report, EveryRowLinksToItsStoryWithinThePage) {
  Busy b;
  std::string html = b.Render(b.Options());
  std::regex link("href=\"#story-([0-9]+)\"");
  size_t links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it, ++links) {
    const std::string seq = (*it)[1];
    EXPECT_EQ(Count(html, "id=\"story-" + seq + "\""), 1u) << seq;
    EXPECT_EQ(Count(html, "id=\"row-" + seq + "\""), 1u) << seq;
  }
  EXPECT_EQ(links, 5u);  // quarantined, failed batch, receiver rejection, host key, configuration
  // The failed batch's story: its own events, not the whole journal.
  std::string story = html.substr(html.find("<h3>Batch " + b.failed_batch));
  story = story.substr(0, story.find("</section>"));
  EXPECT_EQ(Count(story, "<td>BATCH_"), 3u) << story;  // CREATED, ATTEMPT, FAILED
  EXPECT_EQ(Count(story, "<td>RECORD_ACCEPTED</td>"), 2u);
  // The rejected update's story tells where it came from and what the receiver said.
  story = html.substr(html.find("<h3>Update " + b.rejected_message));
  story = story.substr(0, story.find("</section>"));
  for (const char* kind : {"FILE_RECEIVED", "RECORD_ACCEPTED", "BATCH_CREATED", "ITEM_REJECTED_BY_RECEIVER",
                           "BATCH_DELIVERED"})
    EXPECT_NE(story.find(std::string("<td>") + kind + "</td>"), std::string::npos) << kind;
}

TEST(Report, SelfContainedEscapedAndWithoutAHenkilotunnus) {
  Busy b;
  b.j.reset();
  {
    // A detail that should never have been recorded: the report still does not show it.
    journal_test::RawDb raw(b.path);
    ASSERT_EQ(raw.Exec("DROP TRIGGER events_no_update; UPDATE events SET detail = "
                       "'{\"reason\":\"hakija 131052-308T puuttuu\"}' WHERE kind = 'FILE_QUARANTINED'"),
              "");
  }
  std::string html = b.Render(b.Options());
  EXPECT_EQ(html.find("131052-308T"), std::string::npos);
  EXPECT_NE(html.find("hakija &lt;hetu&gt; puuttuu"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x&gt;.xml"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\""), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  std::regex external("(href|src)=\"(https?:)?//");
  EXPECT_FALSE(std::regex_search(html, external));
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"chart\""), std::string::npos);
}

TEST(Report, FilteredBySource) {
  Busy b;
  ReportOptions o = b.Options();
  o.source = "ymparisto";
  std::string html = b.Render(o);
  EXPECT_EQ(DayRow(html, "2027-01-15"),
            (std::vector<std::string>{"0", "1", "0", "0", "0", "0", "0", "—", "—", "none pending"}));
  EXPECT_EQ(DayRow(html, "2027-01-16")[2], "2");
  EXPECT_EQ(html.find("a1.csv"), std::string::npos);  // rakval's file
  EXPECT_NE(html.find("&lt;img src=x&gt;.xml"), std::string::npos);
  EXPECT_NE(html.find("<h3>Batch " + b.failed_batch), std::string::npos);  // it carried ymparisto's updates
  EXPECT_EQ(html.find("<h3>Update " + b.rejected_message), std::string::npos);  // a rakval update
}

TEST(Report, TamperingAndCheckpointsShow) {
  Busy b;
  std::optional<CheckpointKey> key = journal_test::NewCheckpointKey();
  const std::string dir = b.dir / "cp";
  std::filesystem::create_directories(dir);
  auto c = TakeCheckpoint(b.path, *key, b.clock.Now());
  ASSERT_TRUE(c.ok() && AppendCheckpoint(dir, *c).ok());
  ReportOptions o = b.Options();
  o.checkpoint_dir = dir;
  o.key = *key;
  ReportSummary s;
  std::string html = b.Render(o, &s);
  EXPECT_EQ(s.checkpoints_ok, true);
  EXPECT_NE(html.find("<span class=\"ok\">valid</span> — 1 signed checkpoint in"), std::string::npos);

  b.j.reset();
  {
    journal_test::RawDb raw(b.path);
    ASSERT_EQ(raw.Exec("DROP TRIGGER events_no_update; UPDATE events SET detail = '{}' WHERE seq = 2"), "");
  }
  html = b.Render(o, &s);
  EXPECT_FALSE(s.chain_ok);
  EXPECT_NE(html.find("<span class=\"bad\">TAMPERED</span> — event 2:"), std::string::npos);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(b.path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(journal_test::Rechain(db, 2), "");
  sqlite3_close(db);
  html = b.Render(o, &s);
  EXPECT_TRUE(s.chain_ok);
  EXPECT_EQ(s.checkpoints_ok, false);
  EXPECT_NE(html.find("<span class=\"bad\">NOT VALID</span>"), std::string::npos);
  EXPECT_NE(html.find("no longer has the hash signed at"), std::string::npos);
}

TEST(Report, EmptyJournalAndCappedTables) {
  journal_test::Fixture f;
  ReportOptions o;
  o.db_path = f.path;
  o.since = f.clock.Now() - std::chrono::hours(24 * 7);
  o.until = f.clock.Now();
  o.now = f.clock.Now();
  std::string html;
  ASSERT_TRUE(RenderReport(o, &html).ok());
  EXPECT_NE(html.find("Nothing in the period needed a story."), std::string::npos);
  EXPECT_NE(html.find("(empty journal)"), std::string::npos);

  Busy b;
  ASSERT_TRUE(b.j->Append(journal_test::Ev(ev::kConfigRefused)).ok());
  ReportOptions capped = b.Options();
  capped.now = b.clock.Now();
  capped.max_rows = 1;
  html = b.Render(capped);
  EXPECT_NE(html.find("2 in the period; the first 1 are listed (all of them: <code>liitos journal list --kind "
                      "CONFIG_LOADED --since 2027-01-15T00:00:00+02:00 --until 2027-01-19T00:00:00+02:00</code>)"),
            std::string::npos);
}

}  // namespace
}  // namespace liitos
