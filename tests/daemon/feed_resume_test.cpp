// A crash between an order's FILE_RECEIVED and its lines (SPEC §11 with G1): at the next start the
// spool copy is read and the lines recorded; the original, still in the drop, is recognised by
// name and content and only released, never ordered twice.

#include <gtest/gtest.h>

#include "base/crypto/hash.h"
#include "config/config.h"
#include "daemon/feeds/feeds.h"
#include "tests/daemon/e2e/e2e_util.h"
#include "transports/registry.h"

namespace liitos::e2e {
namespace {

const std::string kA = "0f8fad5b-d9cb-469f-a165-70867728950e";

TEST(FeedResume, AnOrderReceivedButNotReadIsReadAtTheNextStart) {
  ScratchDir dir;
  const fs::path root = dir.path();
  fs::create_directories(root / "in");
  fs::create_directories(root / "state/spool/tilaukset");
  std::string toml = "[service]\nstate_dir = \"" + (root / "state").string() +
                     "\"\n[interface]\nxroad_client = \"FI/MUN/0204819-8/liitos\"\n"
                     "[[source]]\nname = \"tilaukset\"\nkind = \"dir\"\npath = \"" + (root / "in").string() +
                     "\"\nprofile = \"o\"\nsettle = \"0s\"\n[[profile]]\nname = \"o\"\nformat = \"fetch-order\"\n"
                     "[[destination]]\nname = \"out\"\nkind = \"dir\"\npath = \"" + (root / "out").string() +
                     "\"\n[[feed]]\nname = \"f\"\norders = \"tilaukset\"\nurl = \"http://127.0.0.1:9/x\"\n"
                     "allow_plain_http = true\noutput = \"out\"\n";
  LoadResult loaded = LoadConfigFromString(toml, "test.toml", TransportKinds());
  ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
  const Config& cfg = *loaded.config;
  FakeClock clock;
  auto journal = Journal::Open((root / "state/journal.db").string(), clock);
  ASSERT_TRUE(journal.ok());

  // The state a crash left: the original in the drop, its copy in the spool, FILE_RECEIVED only.
  const std::string order = "# tilaus\n" + kA + "\nnot-an-id\n";
  WriteAll(root / "in/tilaus.txt", order);
  const std::string spool = (root / "state/spool/tilaukset/copy").string();
  WriteAll(spool, order);
  auto file = (*journal)->RecordFileReceived("tilaukset", "tilaus.txt", Sha256Hex(order), order.size(), spool);
  ASSERT_TRUE(file.ok());

  TransportContext ctx;
  ctx.clock = &clock;
  ctx.state_dir = cfg.service.state_dir;
  ctx.xroad_client = cfg.interface.xroad_client;
  auto feeds = Feeds::Make(cfg, **journal, clock, ctx);
  ASSERT_TRUE(feeds.ok()) << feeds.status().ToString();
  (*feeds)->Resume();
  auto stats = (*journal)->FeedStatsOf("f");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 1);
  EXPECT_EQ(stats->rejected, 1);
  EXPECT_EQ((*journal)->GetFile(file->id)->state, "parsed");
  EXPECT_FALSE(fs::exists(spool));

  // The original is offered again: released into the archive, not ordered a second time.
  EXPECT_EQ((*feeds)->TakeOrders(), 1u);
  EXPECT_TRUE(fs::is_empty(root / "in"));
  EXPECT_EQ(FilesUnder(root / "archive").size(), 1u);
  EXPECT_EQ((*journal)->FeedStatsOf("f")->pending, 1);
}

}  // namespace
}  // namespace liitos::e2e
