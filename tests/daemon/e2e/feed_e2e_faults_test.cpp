// Applications in (SPEC §11) when the service or the network fails: retried with the same
// X-Road-Id until give_up_after, a configuration fault left pending (run --once exits 1), bodies
// that are not JSON or too large failed; and import files over SFTP.

#include <gtest/gtest.h>

#include "tests/daemon/e2e/feed_e2e_util.h"
#include "tests/transports/sftp/sshd_fixture.h"

namespace liitos::e2e {
namespace {

class FeedE2eFaultsTest : public FeedE2eTest {};

// The X-Road-Ids the fake service saw for one part of one application, in order.
std::vector<std::string> XroadIds(const LvServiceFixture& lv, const std::string& id, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& e : lv.Log())
    if (e["externalId"] == id && e["part"] == part) out.push_back(e["xroadId"]);
  return out;
}

TEST_F(FeedE2eFaultsTest, APassingFailureIsRetriedWithTheSameXroadId) {
  Config();
  ASSERT_TRUE(lv_.Fault({{"action", "fail"}, {"status", 503}}, kSampleApp, "formdata"));
  Order("a.txt", kSampleApp + "\n");
  RunResult first = Once();
  EXPECT_EQ(first.exit_code, 1) << first.err;  // an order is still pending
  EXPECT_FALSE(fs::exists(receipts() / "a.txt.receipt.csv"));  // not every line is final
  EXPECT_FALSE(fs::exists(ImportFile(kSampleApp)));
  auto st = Status();
  EXPECT_EQ(st["feeds"][0]["pending"], 1);
  EXPECT_EQ(st["feeds"][0]["retrying"], 1);
  RunResult second = Once();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Outcomes("a.txt"), (std::map<std::string, std::string>{{"1", "fetched"}}));
  auto ids = XroadIds(lv_, kSampleApp, "formdata");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], ids[1]);  // the retry of a GET reuses its X-Road-Id
  EXPECT_EQ(Kinds(kSampleApp), (std::vector<std::string>{"FETCH_ORDERED", "FETCH_ATTEMPT", "FETCH_ATTEMPT",
                                                          "APPLICATION_FETCHED", "IMPORT_WRITTEN"}));
}

TEST_F(FeedE2eFaultsTest, XroadErrorIsRetried) {
  Config();
  ASSERT_TRUE(lv_.Fault({{"action", "xroad_error"}}, kSampleApp));
  Order("a.txt", kSampleApp + "\n");
  EXPECT_EQ(Once().exit_code, 1);
  EXPECT_EQ(Status()["feeds"][0]["retrying"], 1);
}

TEST_F(FeedE2eFaultsTest, GivenUpAfterGiveUpAfter) {
  FeedOptions o;
  o.feed_extra = "give_up_after = \"10s\"";
  Config(o);
  ASSERT_TRUE(lv_.Fault({{"action", "fail"}, {"status", 500}}, kSampleApp));
  Order("a.txt", kSampleApp + "\n");
  EXPECT_EQ(Once().exit_code, 0);  // final: failed, reported
  EXPECT_EQ(Outcomes("a.txt"), (std::map<std::string, std::string>{{"1", "failed"}}));
  EXPECT_NE(Receipt("a.txt")[1][5].find("gave up after 1 attempts: HTTP 500"), std::string::npos);
}

TEST_F(FeedE2eFaultsTest, AConfigurationFaultLeavesTheOrderPendingUntilFixed) {
  Config();
  ASSERT_TRUE(lv_.Fault({{"action", "respond"}, {"status", 401}, {"body", "{\"message\": \"Unauthorized request\"}"}}));
  Order("a.txt", kSampleApp + "\n");
  RunResult first = Once();
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_NE(first.err.find("<3>hakemukset: " + kSampleApp + ": configuration fault"), std::string::npos) << first.err;
  auto st = Status();
  EXPECT_EQ(st["feeds"][0]["configurationFaults"], 1);
  EXPECT_NE(Liitos({"status"}).out.find("wait after a configuration fault"), std::string::npos);
  // Fixed (the fault was one answer): the next run takes the order at once.
  RunResult second = Once();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Outcomes("a.txt"), (std::map<std::string, std::string>{{"1", "fetched"}}));
}

TEST_F(FeedE2eFaultsTest, ABodyThatIsNotJsonOrTooLargeFails) {
  FeedOptions o;
  o.feed_extra = "max_response_size = \"4KiB\"";
  Config(o);
  ASSERT_TRUE(lv_.Fault({{"action", "garbage"}}, kSampleApp, "commondata"));
  ASSERT_TRUE(lv_.Fault({{"action", "big"}, {"bytes", 8192}}, kSampleEuroApp, "formdata"));
  Order("a.txt", kSampleApp + "\n" + kSampleEuroApp + "\n");
  EXPECT_EQ(Once().exit_code, 0);
  EXPECT_EQ(Outcomes("a.txt"), (std::map<std::string, std::string>{{"1", "failed"}, {"2", "failed"}}));
  auto rows = Receipt("a.txt");
  EXPECT_NE(rows[1][5].find("commondata: the answer is not JSON"), std::string::npos) << rows[1][5];
  EXPECT_EQ(rows[1][5].find("131052"), std::string::npos);  // the body's content never becomes a reason
  EXPECT_NE(rows[2][5].find("larger than max_response_size (4KiB)"), std::string::npos) << rows[2][5];
  EXPECT_TRUE(FilesUnder(out()).empty());
}

TEST_F(FeedE2eFaultsTest, ImportFilesOverSftp) {
  testing::SshdFixture sshd;
  fs::create_directories(fs::path(sshd.root()) / "tuonti");
  FeedOptions o;
  o.output = "[[destination]]\nname = \"tuonti\"\nkind = \"sftp\"\nhost = \"127.0.0.1\"\nport = " +
                    std::to_string(sshd.port()) + "\nuser = \"" + sshd.user() + "\"\nidentity = \"" +
                    sshd.ed25519_key() + "\"\nknown_hosts = \"" + sshd.known_hosts() + "\"\npath = \"" + sshd.root() +
                    "/tuonti\"\nprefix = \"hakemus_\"\ndone_marker = \".valmis\"";
  Config(o);
  Order("a.txt", kSampleApp + "\n");
  RunResult r = Once();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  fs::path remote = fs::path(sshd.root()) / "tuonti" / ("hakemus_" + kSampleApp + ".xml");
  EXPECT_TRUE(fs::exists(remote));
  EXPECT_TRUE(fs::exists(remote.string() + ".valmis"));
  EXPECT_NE(ReadAll(remote).find("<Tunnus>" + kSampleApp + "</Tunnus>"), std::string::npos);
}

TEST_F(FeedE2eFaultsTest, OrdersOverSftpAlsoByHand) {
  testing::SshdFixture sshd;
  fs::create_directories(fs::path(sshd.root()) / "tilaukset");
  FeedOptions o;
  o.orders = "[[source]]\nname = \"tilaukset\"\nkind = \"sftp\"\nhost = \"127.0.0.1\"\nport = " +
             std::to_string(sshd.port()) + "\nuser = \"" + sshd.user() + "\"\nidentity = \"" + sshd.ed25519_key() +
             "\"\nknown_hosts = \"" + sshd.known_hosts() + "\"\npath = \"" + sshd.root() +
             "/tilaukset\"\nprofile = \"lv-orders\"\npoll = \"300ms\"";
  Config(o);
  RunResult by_hand = Liitos({"fetch", "--feed", "hakemukset", kSampleApp});
  ASSERT_EQ(by_hand.exit_code, 0) << by_hand.err;
  EXPECT_NE(by_hand.out.find("@127.0.0.1:" + std::to_string(sshd.port()) + ":" + sshd.root() + "/tilaukset/liitos-fetch-"),
            std::string::npos)
      << by_hand.out;
  RunResult r = Once();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(ImportFile(kSampleApp)));
  auto remote_receipts = FilesUnder(fs::path(sshd.root()) / "tilaukset/receipts");
  ASSERT_EQ(remote_receipts.size(), 1u);
  EXPECT_NE(ReadAll(remote_receipts[0]).find(";fetched;"), std::string::npos);
}

}  // namespace
}  // namespace liitos::e2e
