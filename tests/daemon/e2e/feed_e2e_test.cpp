// Applications in (SPEC §11) through the real binary and the fake Luvat ja valvonta service: an
// order's every outcome and its receipt, the import files in each format and encoding, written
// atomically, an unchanged application left alone, the journal's story, by-hand orders, the
// service running, and `check`.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/daemon/e2e/feed_e2e_util.h"

namespace liitos::e2e {
namespace {

TEST_F(FeedE2eTest, AnOrdersEveryLineGetsItsOutcomeAndTheOrderItsReceipt) {
  Config();
  Order("tilaus_20261120.txt", "# hakemukset 20.11.2026\n" + kSampleApp + "\n\nei-tunnus 131052-308T\n" + kSampleEuroApp +
                                   "\n" + kUnknownApp + "\n");
  RunResult r = Once();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto outcomes = Outcomes("tilaus_20261120.txt");
  EXPECT_EQ(outcomes, (std::map<std::string, std::string>{
                          {"2", "fetched"}, {"4", "rejected"}, {"5", "rejected"}, {"6", "not-found"}}));
  auto rows = Receipt("tilaus_20261120.txt");
  EXPECT_EQ(rows[0], (std::vector<std::string>{"line", "externalId", "outcome", "file", "at", "reason"}));
  EXPECT_EQ(rows[1][3], "hakemus_" + kSampleApp + ".xml");
  EXPECT_NE(rows[2][5].find("is not an external id"), std::string::npos);
  EXPECT_NE(rows[3][5].find("'€' (U+20AC) is not in iso-8859-1"), std::string::npos) << rows[3][5];
  EXPECT_NE(rows[4][5].find("HTTP 400"), std::string::npos);
  // The order left the drop for the archive; the import file and its done marker are there.
  EXPECT_TRUE(fs::is_empty(root() / "tilaukset/in"));
  EXPECT_EQ(FilesUnder(root() / "tilaukset/archive").size(), 1u);
  EXPECT_EQ(FilesUnder(out()), (std::vector<fs::path>{ImportFile(kSampleApp), ImportFile(kSampleApp).string() + ".valmis"}));
  // The henkilötunnus of the application travels in the import file, and nowhere else.
  std::string xml = ReadAll(ImportFile(kSampleApp));
  EXPECT_NE(xml.find("131052-308T"), std::string::npos);
  EXPECT_NE(xml.find("<Hanke>Omakotitalon laajennus, K\xe4rs\xe4m\xe4" "entie 12</Hanke>"), std::string::npos) << xml;
  EXPECT_EQ(r.err.find("131052-308T"), std::string::npos);
  EXPECT_EQ(ReadAll(root() / "state/journal.db").find("131052-308T"), std::string::npos);
  EXPECT_EQ(ReadAll(receipts() / "tilaus_20261120.txt.receipt.csv").find("131052-308T"), std::string::npos);
  // The journal tells the story of each application, and holds together.
  EXPECT_EQ(Kinds(kSampleApp),
            (std::vector<std::string>{"FETCH_ORDERED", "FETCH_ATTEMPT", "APPLICATION_FETCHED", "IMPORT_WRITTEN"}));
  EXPECT_EQ(Kinds(kUnknownApp), (std::vector<std::string>{"FETCH_ORDERED", "FETCH_ATTEMPT", "FETCH_FAILED"}));
  EXPECT_EQ(Kinds(kSampleEuroApp),
            (std::vector<std::string>{"FETCH_ORDERED", "FETCH_ATTEMPT", "APPLICATION_FETCHED", "FETCH_FAILED"}));
  EXPECT_EQ(Liitos({"journal", "verify"}).exit_code, 0);
  auto st = Status();
  ASSERT_EQ(st["feeds"].size(), 1u);
  EXPECT_EQ(st["feeds"][0]["fetched"], 1);
  EXPECT_EQ(st["feeds"][0]["rejected"], 2);
  EXPECT_EQ(st["feeds"][0]["notFound"], 1);
  EXPECT_EQ(st["feeds"][0]["pending"], 0);
}

TEST_F(FeedE2eTest, EachGetCarriesTheXroadHeadersAndAnIdOfItsOwn) {
  Config();
  Order("a.txt", kSampleApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  auto log = lv_.Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["path"], std::string(testing::kLvPath) + "/commondata/" + kSampleApp + "/commondata");
  EXPECT_EQ(log[1]["path"], std::string(testing::kLvPath) + "/commondata/" + kSampleApp + "/formdata");
  EXPECT_EQ(log[0]["xroadClient"], "FI/MUN/0204819-8/liitos");
  EXPECT_NE(log[0]["xroadId"], log[1]["xroadId"]);
  EXPECT_EQ(log[0]["peer"], log[1]["peer"]);  // one kept-open connection
}

TEST_F(FeedE2eTest, JsonByDefaultAsReceived) {
  FeedOptions o;
  o.import_format = "json";
  Config(o);
  Order("a.txt", kSampleApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  auto doc = nlohmann::json::parse(ReadAll(ImportFile(kSampleApp, "json")));
  EXPECT_EQ(doc["schemaVersion"], "1");
  EXPECT_EQ(doc["externalId"], kSampleApp);
  EXPECT_EQ(doc["formdata"]["sections"]["hakija"]["henkilotunnus"], "131052-308T");
  std::string raw = ReadAll(ImportFile(kSampleApp, "json"));
  std::string form = ReadAll(fs::path(TestData()) / ("applications/" + kSampleApp + ".formdata.json"));
  while (!form.empty() && form.back() == '\n') form.pop_back();
  EXPECT_NE(raw.find(form), std::string::npos);  // the part's bytes exactly as the service sent them
  struct stat st {};
  ASSERT_EQ(::stat(ImportFile(kSampleApp, "json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(FeedE2eTest, CsvInWindows1252HoldsWhatIso88591CannotAndNothingIsLeftHalfWritten) {
  FeedOptions o;
  o.import_format = "csv";
  o.encoding = "windows-1252";
  Config(o);
  Order("a.txt", kSampleEuroApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  std::string csv = ReadAll(ImportFile(kSampleEuroApp, "csv"));
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "Tunnus;Haettu;Hanke;Lomake");
  EXPECT_NE(csv.find("Rantasauna, arvio 5 000 \x80"), std::string::npos);  // '€' in windows-1252
  EXPECT_EQ(csv.find('?'), std::string::npos);
  for (const auto& f : FilesUnder(out())) EXPECT_NE(f.filename().string()[0], '.') << f;  // no temporaries
}

TEST_F(FeedE2eTest, AnUnchangedApplicationIsLeftAloneAChangedOneWrittenAgain) {
  Config();
  Order("1.txt", kSampleApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  struct stat first {};
  ASSERT_EQ(::stat(ImportFile(kSampleApp).c_str(), &first), 0);
  Order("2.txt", kSampleApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  struct stat second {};
  ASSERT_EQ(::stat(ImportFile(kSampleApp).c_str(), &second), 0);
  EXPECT_EQ(first.st_ino, second.st_ino);  // not replaced
  EXPECT_EQ(Outcomes("2.txt"), (std::map<std::string, std::string>{{"1", "unchanged"}}));
  EXPECT_EQ(Receipt("2.txt")[1][3], "hakemus_" + kSampleApp + ".xml");
  auto kinds = Kinds(kSampleApp);
  EXPECT_EQ(kinds.back(), "IMPORT_UNCHANGED");
  // The customer completed the application: the service now sends other data.
  ASSERT_TRUE(lv_.Set(kSampleApp, "formdata", R"({"form": "rakennuslupahakemus", "version": 4, "täydennys": "liite"})"));
  Order("3.txt", kSampleApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  EXPECT_EQ(Outcomes("3.txt"), (std::map<std::string, std::string>{{"1", "fetched"}}));
  EXPECT_NE(ReadAll(ImportFile(kSampleApp)).find("t\xe4ydennys"), std::string::npos);
}

TEST_F(FeedE2eTest, TheSameApplicationTwiceInOneOrderIsFetchedTwiceAndWrittenOnce) {
  Config();
  Order("a.txt", kSampleApp + "\n" + kSampleApp + "\n");
  ASSERT_EQ(Once().exit_code, 0);
  EXPECT_EQ(Outcomes("a.txt"), (std::map<std::string, std::string>{{"1", "fetched"}, {"2", "unchanged"}}));
  EXPECT_EQ(lv_.Log().size(), 4u);
}

TEST_F(FeedE2eTest, ACsvOrderWithAnIdColumn) {
  FeedOptions o;
  o.source_extra = "";
  Config(o);
  std::string text = ReadAll(cfg_);
  ReplaceAll(&text, "format = \"fetch-order\"\n", "format = \"fetch-order\"\nid_column = \"Tunnus\"\n");
  WriteAll(cfg_, text);
  Order("tilaus.csv", "Saapunut;Tunnus\r\n20.11.2026;" + kSampleApp + "\r\n21.11.2026;\r\n");
  ASSERT_EQ(Once().exit_code, 0);
  EXPECT_EQ(Outcomes("tilaus.csv"), (std::map<std::string, std::string>{{"2", "fetched"}, {"3", "rejected"}}));
}

TEST_F(FeedE2eTest, AnXmlReceipt) {
  FeedOptions o;
  o.source_extra = "receipt_format = \"xml\"";
  Config(o);
  Order("tilaus.txt", kSampleApp + "\nx\n");
  ASSERT_EQ(Once().exit_code, 0);
  std::string xml = ReadAll(receipts() / "tilaus.txt.receipt.xml");
  EXPECT_NE(xml.find("<Kuittaus xmlns=\"urn:liitos:receipt:1\" kind=\"fetch\" file=\"tilaus.txt\" sha256=\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Tilaus line=\"1\" externalId=\"" + kSampleApp + "\" outcome=\"fetched\" file=\"hakemus_" +
                     kSampleApp + ".xml\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Tilaus line=\"2\" outcome=\"rejected\""), std::string::npos) << xml;
}

TEST_F(FeedE2eTest, AnOrderByHand) {
  Config();
  RunResult bad = Liitos({"fetch", "--feed", "hakemukset", kSampleApp, "nope"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("'nope' is not an external id"), std::string::npos) << bad.err;
  EXPECT_TRUE(fs::is_empty(root() / "tilaukset/in"));
  EXPECT_EQ(Liitos({"fetch", "--feed", "nope", kSampleApp}).exit_code, 2);
  RunResult ok = Liitos({"fetch", "--feed", "hakemukset", kSampleApp, kUnknownApp});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("order written: " + (root() / "tilaukset/in").string()), std::string::npos) << ok.out;
  ASSERT_EQ(Once().exit_code, 0);
  EXPECT_TRUE(fs::exists(ImportFile(kSampleApp)));
  auto written = FilesUnder(receipts());
  ASSERT_EQ(written.size(), 1u);
  std::string name = written[0].filename().string();
  EXPECT_EQ(name.rfind("liitos-fetch-", 0), 0u) << name;
  EXPECT_EQ(Outcomes(name.substr(0, name.size() - std::string(".receipt.csv").size())),
            (std::map<std::string, std::string>{{"2", "fetched"}, {"3", "not-found"}}));
}

TEST_F(FeedE2eTest, TheServiceFetchesAsOrdersArriveAcrossAReloadAndStopsCleanly) {
  FeedOptions o;
  o.service_extra = "metrics_file = \"" + (root() / "liitos.prom").string() + "\"";
  Config(o);
  Daemon d({"run", "--config", cfg_.string()}, root() / "daemon.log");
  Order("a.txt", kSampleApp + "\n");
  EXPECT_TRUE(WaitUntil([&] { return fs::exists(receipts() / "a.txt.receipt.csv"); }, std::chrono::seconds(20)))
      << ReadAll(root() / "daemon.log");
  EXPECT_TRUE(fs::exists(ImportFile(kSampleApp)));
  // A reload replaces the feeds' thread; orders go on.
  d.Signal(SIGHUP);
  EXPECT_TRUE(WaitUntil([&] { return ReadAll(root() / "daemon.log").find("configuration reloaded") != std::string::npos; },
                        std::chrono::seconds(10)));
  Order("b.txt", kUnknownApp + "\n");
  EXPECT_TRUE(WaitUntil([&] { return fs::exists(receipts() / "b.txt.receipt.csv"); }, std::chrono::seconds(20)))
      << ReadAll(root() / "daemon.log");
  EXPECT_EQ(Outcomes("b.txt"), (std::map<std::string, std::string>{{"1", "not-found"}}));
  d.Signal(SIGTERM);
  EXPECT_EQ(d.Wait(std::chrono::seconds(10)), 0);
  auto events = Events();
  ASSERT_TRUE(events.is_array());
  EXPECT_EQ(events.back()["kind"], "DAEMON_STOPPED");
  std::string metrics = ReadAll(root() / "liitos.prom");  // written at exit
  EXPECT_NE(metrics.find("liitos_feed_orders{feed=\"hakemukset\",state=\"fetched\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("liitos_feed_orders{feed=\"hakemukset\",state=\"not_found\"} 1"), std::string::npos);
  EXPECT_NE(metrics.find("liitos_feed_oldest_pending_age_seconds{feed=\"hakemukset\"} 0"), std::string::npos);
}

TEST_F(FeedE2eTest, CheckRefusesAFeedNamingAMissingSourceOrDestination) {
  Config();
  std::string text = ReadAll(cfg_);
  ReplaceAll(&text, "orders = \"tilaukset\"", "orders = \"tilaus\"");
  ReplaceAll(&text, "output = \"tuonti\"", "output = \"tuont\"");
  WriteAll(cfg_, text);
  RunResult r = Liitos({"check"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("feed[hakemukset].orders: no [[source]] is named 'tilaus'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("feed[hakemukset].output: no [[destination]] is named 'tuont'"), std::string::npos) << r.err;
}

TEST_F(FeedE2eTest, CheckConnectTriesTheSecurityServer) {
  Config();
  RunResult r = Liitos({"check", "--connect"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("feed hakemukset: ok"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace liitos::e2e
