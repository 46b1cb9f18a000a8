// transports/xroad/xroad_config.h: the keys of kind = "xroad" destinations, read by the X-Road
// transport's own parser; and the registry's table of kinds that the config loader is given.

#include "transports/xroad/xroad_config.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"
#include "tests/config/section_test_util.h"
#include "transports/registry.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // ErrorsAre, ReadSection, Lines, Load, With

std::vector<ConfigError> Parse(const std::string& text, DestinationConfig* cfg) {
  return ReadSection(text, "destination[lv]", [&](SectionReader& t) { ParseXroadDestination(t, cfg); });
}

TEST(XroadConfig, EveryKey) {
  DestinationConfig cfg;
  auto errors = Parse(R"(url = "https://ss.example.fi/r1/x"
ca_file = "/ca"
client_cert = "/c"
client_key = "/k"
request_timeout = "30s"
give_up_after = "2d"
)",
                      &cfg);
  ASSERT_TRUE(errors.empty()) << Lines(errors);
  const XroadSettings& s = XroadSettingsOf(cfg);
  EXPECT_EQ(s.url, "https://ss.example.fi/r1/x");
  EXPECT_EQ(s.ca_file, "/ca");
  EXPECT_EQ(s.client_cert, "/c");
  EXPECT_EQ(s.client_key, "/k");
  EXPECT_FALSE(s.allow_plain_http);
  EXPECT_EQ(s.request_timeout, 30s);
  EXPECT_EQ(cfg.give_up_after, 48h);  // the scheduler's copy
  EXPECT_TRUE(cfg.folders.writes.empty());
}

TEST(XroadConfig, MissingUrlWrongTypeAndUnknownKey) {
  DestinationConfig cfg;
  EXPECT_TRUE(ErrorsAre(Parse("request_timeout = \"30s\"\n", &cfg), {"t.toml:1:1: destination[lv].url: is required"}));
  EXPECT_TRUE(ErrorsAre(Parse("url = \"https://x/y\"\nallow_plain_http = \"yes\"\npath = \"/out\"\n", &cfg),
                        {"t.toml:2:20: destination[lv].allow_plain_http: expected true or false, found a string",
                         "t.toml:3:1: destination[lv].path: unknown key"}));
}

TEST(XroadConfig, BadValuesAndKeysThatGoTogether) {
  DestinationConfig cfg;
  EXPECT_TRUE(ErrorsAre(Parse("url = \"http://127.0.0.1:8080/x\"\n", &cfg),
                        {"t.toml:1:7: destination[lv].url: plain http:// is refused unless allow_plain_http = true; "
                         "use https://"}));
  EXPECT_TRUE(Parse("url = \"http://127.0.0.1:8080/x\"\nallow_plain_http = true\n", &cfg).empty());
  EXPECT_TRUE(ErrorsAre(Parse("url = \"ftp://h/x\"\nclient_key = \"/k\"\n", &cfg),
                        {"t.toml:1:7: destination[lv].url: 'ftp://h/x' is not an https:// URL",
                         "t.toml:2:14: destination[lv].client_key: client_cert and client_key go together: set both "
                         "or neither"}));
}

TEST(TransportKinds, TheRegistryNamesEachKindItsKeysAndWhoTakesImportFiles) {
  const KindSpecs& kinds = TransportKinds();
  ASSERT_EQ(kinds.sources.size(), 2u);
  EXPECT_EQ(kinds.sources[0].kind, "dir");
  EXPECT_EQ(kinds.sources[1].kind, "sftp");
  ASSERT_EQ(kinds.destinations.size(), 3u);
  EXPECT_EQ(kinds.destinations[0].kind, "xroad");
  EXPECT_FALSE(kinds.destinations[0].takes_import_files);
  EXPECT_TRUE(kinds.destinations[1].takes_import_files);
  EXPECT_TRUE(kinds.destinations[2].takes_import_files);
  EXPECT_EQ(kinds.destinations[0].keys, KeyNames(XroadKeys()));
  // A wrong kind lists the registry's kinds, in its order.
  LoadResult r = testing::Load(testing::With({{"kind = 'dir'", "kind = 'ftp'"}}));
  EXPECT_TRUE(testing::OnlyError(r, "destination[d].kind", "'ftp' is not one of xroad | dir | sftp"));
}

}  // namespace
}  // namespace liitos
