// transports/dir/dir_config.h: the keys of kind = "dir" sources and destinations, read by the dir
// transport's own parsers; every problem an error with file:line:column naming the key.

#include "transports/dir/dir_config.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"
#include "tests/config/section_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::Lines;
using testing::ReadSection;

// A dir source whose common keys are already read: the inbox is /srv/x/in.
std::vector<ConfigError> ParseSource(const std::string& text, SourceConfig* cfg) {
  cfg->path = "/srv/x/in";
  return ReadSection(text, "source[s]", [&](SectionReader& t) { ParseDirSource(t, cfg); });
}

std::vector<ConfigError> ParseDestination(const std::string& text, DestinationConfig* cfg) {
  return ReadSection(text, "destination[d]", [&](SectionReader& t) { ParseDirDestination(t, cfg); });
}

TEST(DirConfig, SourceKeysAndTheirFolders) {
  SourceConfig cfg;
  auto errors = ParseSource("archive = \"/srv/x/a\"\nrescan = \"2m\"\n", &cfg);
  ASSERT_TRUE(errors.empty()) << Lines(errors);
  const DirSourceSettings& s = DirSourceSettingsOf(cfg);
  EXPECT_EQ(s.archive, "/srv/x/a");
  EXPECT_EQ(s.error, "/srv/x/error");  // beside the inbox
  EXPECT_EQ(s.rescan, 2min);
  EXPECT_EQ(cfg.receipts, "/srv/x/receipts");
  EXPECT_TRUE(cfg.folders.server.empty());
  ASSERT_EQ(cfg.folders.inboxes.size(), 1u);
  EXPECT_EQ(cfg.folders.inboxes[0].path, "/srv/x/in");
  ASSERT_EQ(cfg.folders.writes.size(), 3u);
  EXPECT_EQ(cfg.folders.writes[0].key, "archive");
  EXPECT_EQ(cfg.folders.writes[1].key, "error");
  EXPECT_EQ(cfg.folders.writes[2].key, "receipts");
}

TEST(DirConfig, DeletedFilesNeedNoArchiveAndNoReceiptsNoFolder) {
  SourceConfig cfg;
  cfg.after = AfterTake::kDelete;
  cfg.receipts = "none";
  ASSERT_TRUE(ParseSource("", &cfg).empty());
  ASSERT_EQ(cfg.folders.writes.size(), 1u);
  EXPECT_EQ(cfg.folders.writes[0].key, "error");
}

TEST(DirConfig, WrongTypeAndBadValueNameTheKeyAtItsValue) {
  SourceConfig cfg;
  auto errors = ParseSource("rescan = 5\narchive = \"\"\n", &cfg);
  ASSERT_EQ(errors.size(), 2u) << Lines(errors);
  EXPECT_EQ(errors[0].ToString(), "t.toml:2:11: source[s].archive: must not be empty");
  EXPECT_EQ(errors[1].ToString(),
            "t.toml:1:10: source[s].rescan: expected a duration string such as \"5s\" or \"15m\", found an integer");
  errors = ParseSource("rescan = \"0s\"\n", &cfg);
  ASSERT_EQ(errors.size(), 1u) << Lines(errors);
  EXPECT_EQ(errors[0].ToString(), "t.toml:1:10: source[s].rescan: must be longer than zero");
}

TEST(DirConfig, UnknownKeyOfASource) {
  SourceConfig cfg;
  auto errors = ParseSource("poll = \"1m\"\n", &cfg);
  ASSERT_EQ(errors.size(), 1u) << Lines(errors);
  EXPECT_EQ(errors[0].ToString(), "t.toml:1:1: source[s].poll: unknown key");
}

TEST(DirConfig, DestinationKeys) {
  DestinationConfig cfg;
  auto errors = ParseDestination("path = \"/out\"\nprefix = \"\"\ndone_marker = \".ok\"\n", &cfg);
  ASSERT_TRUE(errors.empty()) << Lines(errors);
  const FolderSettings& s = DirDestinationSettingsOf(cfg);
  EXPECT_EQ(s.path, "/out");
  EXPECT_EQ(s.prefix, "");  // may be empty
  EXPECT_EQ(s.done_marker, ".ok");
  ASSERT_EQ(cfg.folders.writes.size(), 1u);
  EXPECT_EQ(cfg.folders.writes[0].path, "/out");
}

TEST(DirConfig, DestinationMissingPathAndBadPrefix) {
  DestinationConfig cfg;
  auto errors = ParseDestination("prefix = \"a/b\"\n", &cfg);
  ASSERT_EQ(errors.size(), 2u) << Lines(errors);
  EXPECT_EQ(errors[0].key, "destination[d].path");
  EXPECT_EQ(errors[0].message, "is required");
  EXPECT_EQ(errors[1].ToString(), "t.toml:1:10: destination[d].prefix: must not contain '/'");
}

TEST(DirConfig, InAWholeFileTheOtherKindsKeysAreRefused) {
  LoadResult r = testing::Load(testing::With({{"#SOURCE", "poll = \"1m\""}}));
  ASSERT_EQ(r.errors.size(), 1u) << testing::Dump(r.errors);
  EXPECT_EQ(r.errors[0].ToString(), "test.toml:11:8: source[s].poll: is not a key of kind = \"dir\" sources");
  r = testing::Load(testing::With({{"#DEST", "client_cert = \"/c\""}}));
  EXPECT_TRUE(testing::OnlyError(r, "destination[d].client_cert", "is not a key of kind = \"dir\" destinations"));
}

}  // namespace
}  // namespace liitos
