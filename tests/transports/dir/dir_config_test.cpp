// transports/dir/dir_config.h: the keys of kind = "dir" sources and destinations, read by the dir
// transport's own parsers; every problem an error with file:line:column naming the key.

#include "transports/dir/dir_config.h"

#include <gtest/gtest.h>

#include "tests/config/config_test_util.h"
#include "tests/config/section_test_util.h"

namespace liitos {
namespace {

using testing::ErrorsAre, testing::Lines, testing::ReadSection;

// A dir source whose common keys are already read: the inbox is /srv/x/in.
std::vector<ConfigError> ParseSource(const std::string& text, SourceConfig* cfg) {
  cfg->path = "/srv/x/in";
  return ReadSection(text, "source[s]", [&](SectionReader& t) { ParseDirSource(t, cfg); });
}

std::vector<ConfigError> ParseDestination(const std::string& text, DestinationConfig* cfg) {
  return ReadSection(text, "destination[d]", [&](SectionReader& t) { ParseDirDestination(t, cfg); });
}

std::vector<std::string> Keys(const std::vector<FolderUse>& uses) {
  std::vector<std::string> keys;
  for (const FolderUse& u : uses) keys.push_back(u.key + "=" + u.path);
  return keys;
}

TEST(DirConfig, SourceKeysAndTheirFolders) {
  SourceConfig cfg;
  auto errors = ParseSource("archive = \"/srv/x/a\"\nrescan = \"2m\"\n", &cfg);
  ASSERT_TRUE(errors.empty()) << Lines(errors);
  const DirSourceSettings& s = DirSourceSettingsOf(cfg);
  EXPECT_EQ(s.archive, "/srv/x/a");
  EXPECT_EQ(s.error, "/srv/x/error");  // beside the inbox
  EXPECT_EQ(s.rescan, std::chrono::minutes(2));
  EXPECT_EQ(cfg.receipts, "/srv/x/receipts");
  EXPECT_TRUE(cfg.folders.server.empty());
  EXPECT_EQ(Keys(cfg.folders.inboxes), std::vector<std::string>{"path=/srv/x/in"});
  EXPECT_EQ(Keys(cfg.folders.writes),
            (std::vector<std::string>{"archive=/srv/x/a", "error=/srv/x/error", "receipts=/srv/x/receipts"}));
}

TEST(DirConfig, DeletedFilesNeedNoArchiveAndNoReceiptsNoFolder) {
  SourceConfig cfg;
  cfg.after = AfterTake::kDelete;
  cfg.receipts = "none";
  ASSERT_TRUE(ParseSource("", &cfg).empty());
  EXPECT_EQ(Keys(cfg.folders.writes), std::vector<std::string>{"error=/srv/x/error"});
}

TEST(DirConfig, WrongTypeAndBadValueNameTheKeyAtItsValue) {
  SourceConfig cfg;
  EXPECT_TRUE(ErrorsAre(ParseSource("rescan = 5\narchive = \"\"\n", &cfg),
                        {"t.toml:2:11: source[s].archive: must not be empty",
                         "t.toml:1:10: source[s].rescan: expected a duration string such as \"5s\" or \"15m\", "
                         "found an integer"}));
  EXPECT_TRUE(ErrorsAre(ParseSource("rescan = \"0s\"\n", &cfg),
                        {"t.toml:1:10: source[s].rescan: must be longer than zero"}));
}

TEST(DirConfig, UnknownKeyOfASource) {
  SourceConfig cfg;
  EXPECT_TRUE(ErrorsAre(ParseSource("poll = \"1m\"\n", &cfg), {"t.toml:1:1: source[s].poll: unknown key"}));
}

TEST(DirConfig, DestinationKeys) {
  DestinationConfig cfg;
  ASSERT_TRUE(ErrorsAre(ParseDestination("path = \"/out\"\nprefix = \"\"\ndone_marker = \".ok\"\n", &cfg), {}));
  EXPECT_EQ(Keys(cfg.folders.writes), std::vector<std::string>{"path=/out"});
  EXPECT_EQ(DirDestinationSettingsOf(cfg).prefix, "");  // may be empty
  EXPECT_EQ(DirDestinationSettingsOf(cfg).done_marker, ".ok");
}

TEST(DirConfig, DestinationMissingPathAndBadPrefix) {
  DestinationConfig cfg;
  EXPECT_TRUE(ErrorsAre(ParseDestination("prefix = \"a/b\"\n", &cfg),
                        {"t.toml:1:1: destination[d].path: is required",
                         "t.toml:1:10: destination[d].prefix: must not contain '/'"}));
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
