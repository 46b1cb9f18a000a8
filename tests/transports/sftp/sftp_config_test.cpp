// transports/sftp/sftp_config.h: the keys of kind = "sftp" sources and destinations, read by the
// SFTP transport's own parsers; every problem an error with file:line:column naming the key.

#include "transports/sftp/sftp_config.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"
#include "tests/config/section_test_util.h"

namespace liitos {
namespace {

using std::chrono_literals::operator""s;
using testing::ErrorsAre, testing::ReadSection;

// host, user, identity and known_hosts: lines 1 to 4 of each section below.
const std::string kEndpoint =
    "host = \"Legacy.Example.fi\"\nuser = \"liitos\"\nidentity = \"/etc/liitos/id\"\n"
    "known_hosts = \"/etc/liitos/known_hosts\"\n";

// An SFTP source whose common keys are already read: the remote inbox is /vienti/out.
std::vector<ConfigError> Source(const std::string& text, SourceConfig* cfg) {
  cfg->path = "/vienti/out";
  return ReadSection(text, "source[s]", [&](SectionReader& t) { ParseSftpSource(t, cfg); });
}

TEST(SftpConfig, SourceKeysDefaultsAndServer) {
  SourceConfig cfg;
  auto errors = Source(kEndpoint + "port = 2222\npoll = \"30s\"\npassphrase_file = \"/p\"\n", &cfg);
  ASSERT_TRUE(errors.empty()) << testing::Lines(errors);
  const SftpSourceSettings& s = SftpSourceSettingsOf(cfg);
  EXPECT_EQ(s.endpoint.host, "Legacy.Example.fi");
  EXPECT_EQ(s.endpoint.port, 2222);
  EXPECT_EQ(s.endpoint.passphrase_file, "/p");
  EXPECT_EQ(s.poll, 30s);
  EXPECT_EQ(s.remote_archive, "/vienti/out/archive");
  EXPECT_EQ(cfg.receipts, "/vienti/out/receipts");
  // Folders on one server are compared with each other; host names are case-insensitive.
  EXPECT_EQ(cfg.folders.server, "liitos@legacy.example.fi:2222");
  ASSERT_EQ(cfg.folders.writes.size(), 2u);
  EXPECT_EQ(cfg.folders.writes[0].key, "remote_archive");
  EXPECT_EQ(cfg.folders.writes[1].key, "receipts");
}

TEST(SftpConfig, MissingRequiredKeys) {
  SourceConfig cfg;
  EXPECT_TRUE(ErrorsAre(Source("port = 22\n", &cfg),
                        {"t.toml:1:1: source[s].host: is required", "t.toml:1:1: source[s].user: is required",
                         "t.toml:1:1: source[s].identity: is required",
                         "t.toml:1:1: source[s].known_hosts: is required"}));
}

TEST(SftpConfig, WrongTypeAndBadValue) {
  SourceConfig cfg;
  EXPECT_TRUE(ErrorsAre(Source(kEndpoint + "port = \"22\"\n", &cfg),
                        {"t.toml:5:8: source[s].port: expected an integer, found a string"}));
  EXPECT_TRUE(ErrorsAre(Source(kEndpoint + "port = 65536\n", &cfg),
                        {"t.toml:5:8: source[s].port: 65536 is out of range 1..65535"}));
  EXPECT_TRUE(ErrorsAre(Source(kEndpoint + "poll = \"soon\"\n", &cfg),
                        {"t.toml:5:8: source[s].poll: 'soon' is not a duration (use e.g. 500ms, 5s, 15m, 2h, 1d)"}));
}

TEST(SftpConfig, UnknownKeyOfASource) {
  SourceConfig cfg;
  EXPECT_TRUE(ErrorsAre(Source(kEndpoint + "rescan = \"1m\"\n", &cfg), {"t.toml:5:1: source[s].rescan: unknown key"}));
}

TEST(SftpConfig, DestinationKeys) {
  DestinationConfig cfg;
  auto parse = [&](const std::string& text) {
    return ReadSection(text, "destination[d]", [&](SectionReader& t) { ParseSftpDestination(t, &cfg); });
  };
  auto errors = parse(kEndpoint + "path = \"/in\"\nprefix = \"x_\"\n");
  ASSERT_TRUE(errors.empty()) << testing::Lines(errors);
  const SftpDestinationSettings& s = SftpDestinationSettingsOf(cfg);
  EXPECT_EQ(s.folder.path, "/in");
  EXPECT_EQ(s.folder.prefix, "x_");
  EXPECT_EQ(s.endpoint.user, "liitos");
  EXPECT_EQ(cfg.folders.server, "liitos@legacy.example.fi:22");
  EXPECT_TRUE(ErrorsAre(parse(kEndpoint), {"t.toml:1:1: destination[d].path: is required"}));
}

TEST(SftpConfig, InAWholeFileTheOtherKindsKeysAreRefused) {
  LoadResult r =
      testing::Load(testing::With({{"kind = \"dir\"", "kind = \"sftp\""}, {"#SOURCE", kEndpoint + "archive = \"/a\""}}));
  EXPECT_TRUE(testing::OnlyError(r, "source[s].archive", "is not a key of kind = \"sftp\" sources"));
}

}  // namespace
}  // namespace liitos
