// [service] checkpoint_key, checkpoint_dir, checkpoint_interval (SPEC §7).

#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/registry.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;

LoadResult WithService(const std::string& lines) {
  return Load(std::string(testing::kMinimalConfig) + "[service]\n" + lines);
}

TEST(ConfigCheckpoint, ExampleCarriesAllThree) {
  LoadResult r = LoadConfig(LIITOS_TEST_DATA "/config/liitos.example.toml", TransportKinds());
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->service.checkpoint_key, "/etc/liitos/checkpoint.key");
  EXPECT_EQ(r.config->service.checkpoint_dir, "/mnt/audit/liitos");
  EXPECT_EQ(r.config->service.checkpoint_interval, 1h);
}

TEST(ConfigCheckpoint, OffByDefaultWithAnHourInterval) {
  LoadResult r = Load(testing::kMinimalConfig);
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_FALSE(r.config->service.checkpoint_key);
  EXPECT_FALSE(r.config->service.checkpoint_dir);
  EXPECT_EQ(r.config->service.checkpoint_interval, 1h);
}

TEST(ConfigCheckpoint, KeyMayBeACredentialName) {
  LoadResult r = WithService("checkpoint_key = \"liitos-checkpoint.key\"\ncheckpoint_dir = \"/mnt/a\"\n"
                             "checkpoint_interval = \"15m\"\n");
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->service.checkpoint_key, "liitos-checkpoint.key");
  EXPECT_EQ(r.config->service.checkpoint_interval, 15min);
}

TEST(ConfigCheckpoint, RelativePathIsRefused) {
  EXPECT_TRUE(OnlyError(WithService("checkpoint_key = \"keys/c.key\"\ncheckpoint_dir = \"/mnt/a\"\n"),
                        "service.checkpoint_key", "neither an absolute path nor a systemd credential name"));
}

TEST(ConfigCheckpoint, KeyAndDirGoTogether) {
  EXPECT_TRUE(OnlyError(WithService("checkpoint_key = \"/etc/c.key\"\n"), "service.checkpoint_dir",
                        "is required when checkpoint_key is set"));
  EXPECT_TRUE(OnlyError(WithService("checkpoint_dir = \"/mnt/a\"\n"), "service.checkpoint_key",
                        "is required when checkpoint_dir is set"));
}

TEST(ConfigCheckpoint, BadValuesAreRefused) {
  EXPECT_TRUE(OnlyError(WithService("checkpoint_interval = \"0s\"\n"), "service.checkpoint_interval",
                        "must be longer than zero"));
  EXPECT_TRUE(OnlyError(WithService("checkpoint_interval = \"often\"\n"), "service.checkpoint_interval",
                        "is not a duration"));
  EXPECT_TRUE(OnlyError(WithService("checkpoint_key = \"\"\ncheckpoint_dir = \"/mnt/a\"\n"),
                        "service.checkpoint_key", "must not be empty"));
}

}  // namespace
}  // namespace liitos
