// Error collection: every problem of a file at once, with line, column and dotted key; and the
// rules of [service], [journal], [interface] and of the file's top level.

#include <gtest/gtest.h>

#include <tuple>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/registry.h"

namespace liitos {
namespace {

using testing::HasError;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;
using testing::With;

TEST(ConfigErrors, ReportsEveryProblemWithPositionAndKey) {
  LoadResult r = LoadConfig(LIITOS_TEST_DATA "/config/many_errors.toml", TransportKinds());
  EXPECT_FALSE(r.config.has_value());
  std::vector<std::tuple<int, int, std::string>> got;
  for (const ConfigError& e : r.errors) got.emplace_back(e.line, e.column, e.key);
  std::vector<std::tuple<int, int, std::string>> want = {
      {4, 13, "service.log_level"},
      {5, 1, "service.colour"},
      {8, 21, "journal.payload_retention"},
      {11, 16, "interface.xroad_client"},
      {14, 8, "source[Rakval].name"},
      {17, 11, "source[Rakval].profile"},
      {19, 10, "source[Rakval].settle"},
      {20, 17, "source[Rakval].max_file_size"},
      {21, 9, "source[Rakval].after"},
      {22, 8, "source[Rakval].host"},
      {24, 1, "source[ymparisto].known_hosts"},
      {28, 8, "source[ymparisto].port"},
      {33, 15, "source[ymparisto].destination"},
      {34, 18, "source[ymparisto].receipt_format"},
      {40, 13, "profile[csv].delimiter"},
      {42, 21, "profile[csv].on_invalid_record"},
      {46, 10, "profile[csv].fields.status"},
      {48, 16, "profile[csv].fields.lvCaseNumber"},
      {52, 8, "profile[csv].status_map.20"},
      {54, 1, "profile[xml].record"},
      {54, 1, "profile[xml].fields.lvCaseId"},
      {54, 1, "profile[xml].fields.status"},
      {54, 1, "profile[xml].fields.statusChangedAt"},
      {57, 13, "profile[xml].delimiter"},
      {62, 7, "destination[lv].url"},
      {63, 12, "destination[lv].schedule"},
      {64, 19, "destination[lv].max_batch_items"},
      {68, 8, "destination[copy].kind"},
  };
  EXPECT_EQ(got, want) << testing::Dump(r.errors);
  for (const ConfigError& e : r.errors) EXPECT_NE(e.file.find("many_errors.toml"), std::string::npos);
  EXPECT_TRUE(HasError(r, "service.colour", "unknown key"));
  EXPECT_TRUE(HasError(r, "source[Rakval].settle", "expected a duration"));
  EXPECT_TRUE(HasError(r, "destination[lv].schedule", "expected 5 fields"));
}

TEST(ConfigErrors, ToStringOfACollectedError) {
  LoadResult r = LoadConfigFromString("[service]\nlog_level = \"loud\"\n[interface]\nxroad_client = \"FI/MUN/0204819-8/x\"\n",
                                      "/etc/liitos/liitos.toml", TransportKinds());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            "/etc/liitos/liitos.toml:2:13: service.log_level: 'loud' is not one of error | warn | info | debug");
}

TEST(ConfigErrors, UnknownKeysAtEveryLevel) {
  LoadResult r = Load(With({{"#INTERFACE", "extra = 1"},
                            {"#SOURCE", "colour = \"red\""},
                            {"#PROFILE", "[profile.extras]\nx = \"y\""},
                            {"#DEST", "speed = 3"}}) +
                      "\n[logging]\nlevel = \"x\"\n");
  EXPECT_TRUE(HasError(r, "interface.extra", "unknown key"));
  EXPECT_TRUE(HasError(r, "source[s].colour", "unknown key"));
  EXPECT_TRUE(HasError(r, "profile[p].extras", "unknown key"));
  EXPECT_TRUE(HasError(r, "destination[d].speed", "unknown key"));
  EXPECT_TRUE(HasError(r, "logging", "unknown key"));
  EXPECT_EQ(r.errors.size(), 5u) << testing::Dump(r.errors);
}

TEST(ConfigErrors, UnknownKeyPointsAtTheKey) {
  LoadResult r = Load(With({{"#SOURCE", "  colour = \"red\""}}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 11);
  EXPECT_EQ(r.errors[0].column, 3);
}

TEST(ConfigErrors, WrongTypes) {
  LoadResult r = Load(With({{"#INTERFACE", "status_codes = \"A\""}}) + "[service]\nstate_dir = 5\nlog_level = [\"info\"]\n");
  EXPECT_TRUE(HasError(r, "interface.status_codes", "expected an array of strings, found a string"));
  EXPECT_TRUE(HasError(r, "service.state_dir", "expected a string, found an integer"));
  EXPECT_TRUE(HasError(r, "service.log_level", "expected a string, found an array"));
}

TEST(ConfigErrors, TablesThatAreNotTables) {
  LoadResult r = Load("service = 1\ninterface = \"x\"\nsource = 3\n");
  EXPECT_TRUE(HasError(r, "service", "expected a table"));
  EXPECT_TRUE(HasError(r, "interface", "expected a table"));
  EXPECT_TRUE(HasError(r, "source", "expected an array of tables ([[source]])"));
}

TEST(ConfigErrors, MisspelledTableIsUnknown) {
  LoadResult r = Load(With({{"[[destination]]", "[destinationx]"}}));
  EXPECT_TRUE(HasError(r, "destinationx", "unknown key"));
}

TEST(ConfigService, LogLevels) {
  for (const char* level : {"error", "warn", "info", "debug"}) {
    LoadResult r = Load(std::string(testing::kMinimalConfig) + "[service]\nlog_level = \"" + level + "\"\n");
    ASSERT_TRUE(LoadsCleanly(r));
    EXPECT_EQ(r.config->service.log_level, level);
  }
  EXPECT_TRUE(OnlyError(Load(std::string(testing::kMinimalConfig) + "[service]\nlog_level = \"trace\"\n"),
                        "service.log_level", "'trace' is not one of"));
}

TEST(ConfigService, StateDirAndMetrics) {
  LoadResult r = Load(std::string(testing::kMinimalConfig) +
                      "[service]\nstate_dir = \"/tmp/l\"\nmetrics_file = \"/tmp/m.prom\"\n");
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->service.state_dir, "/tmp/l");
  EXPECT_EQ(r.config->service.metrics_file, "/tmp/m.prom");
  EXPECT_TRUE(OnlyError(Load(std::string(testing::kMinimalConfig) + "[service]\nstate_dir = \"\"\n"),
                        "service.state_dir", "must not be empty"));
}

TEST(ConfigJournal, PayloadRetention) {
  LoadResult r = Load(std::string(testing::kMinimalConfig) + "[journal]\npayload_retention = \"7d\"\n");
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->journal.payload_retention, std::chrono::hours(24 * 7));
  EXPECT_TRUE(OnlyError(Load(std::string(testing::kMinimalConfig) + "[journal]\npayload_retention = \"week\"\n"),
                        "journal.payload_retention", "'week' is not a duration"));
}

TEST(ConfigInterface, XroadClientIsRequired) {
  LoadResult r = Load(testing::ReplaceOnce(testing::kMinimalConfig, "xroad_client = \"FI/MUN/0204819-8/liitos\"", ""));
  EXPECT_TRUE(OnlyError(r, "interface.xroad_client", "is required"));
  EXPECT_EQ(r.errors[0].line, 2);  // at the [interface] table
}

TEST(ConfigInterface, XroadClientShapeAndBusinessId) {
  auto with_client = [](const std::string& id) {
    return Load(testing::ReplaceOnce(testing::kMinimalConfig, "FI/MUN/0204819-8/liitos", id));
  };
  EXPECT_TRUE(OnlyError(with_client("FI/MUN/0204819-8"), "interface.xroad_client", "INSTANCE/CLASS/MEMBER/SUBSYSTEM"));
  EXPECT_TRUE(OnlyError(with_client("FI/MUN//liitos"), "interface.xroad_client", "INSTANCE/CLASS/MEMBER/SUBSYSTEM"));
  EXPECT_TRUE(OnlyError(with_client("FI/MUN/0204819-8/a/b"), "interface.xroad_client", "INSTANCE/CLASS"));
  EXPECT_TRUE(OnlyError(with_client("FI/MUN/0204819-1/liitos"), "interface.xroad_client", "not a valid Y-tunnus"));
  EXPECT_TRUE(OnlyError(with_client("FI/MUN/liitos/liitos"), "interface.xroad_client", "not a valid Y-tunnus"));
  EXPECT_TRUE(LoadsCleanly(with_client("FI-TEST/GOV/0737546-2/sub")));
}

TEST(ConfigInterface, StatusCodesReplaceTheDefaults) {
  std::string text = With({{"#INTERFACE", "status_codes = [\"AUKI\", \"KIINNI\"]"},
                           {"#FIELDS", "[profile.status_map]\n\"1\" = \"AUKI\"\n\"2\" = \"VASTAANOTETTU\""}});
  LoadResult r = Load(text);
  EXPECT_TRUE(OnlyError(r, "profile[p].status_map.2", "'VASTAANOTETTU' is not an interface status code"));
  r = Load(testing::ReplaceOnce(text, "\"2\" = \"VASTAANOTETTU\"", "\"2\" = \"KIINNI\""));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->interface.status_codes, (std::vector<std::string>{"AUKI", "KIINNI"}));
}

TEST(ConfigInterface, StatusCodesMustBeDistinctAndNonEmpty) {
  EXPECT_TRUE(OnlyError(Load(With({{"#INTERFACE", "status_codes = [\"A\", \"A\"]"}})), "interface.status_codes",
                        "'A' is listed twice"));
  EXPECT_TRUE(OnlyError(Load(With({{"#INTERFACE", "status_codes = []"}})), "interface.status_codes",
                        "must not be an empty list"));
  EXPECT_TRUE(OnlyError(Load(With({{"#INTERFACE", "status_codes = [\"A\", 2]"}})), "interface.status_codes[1]",
                        "expected a string"));
}

}  // namespace
}  // namespace liitos
