// Loading: the normative example, defaults, file-level errors, lookups.

#include <gtest/gtest.h>

#include <fstream>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/dir/dir_config.h"
#include "transports/registry.h"
#include "transports/sftp/sftp_config.h"
#include "transports/xroad/xroad_config.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::HasError;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;
using testing::With;

const std::string kExample = LIITOS_TEST_DATA "/config/liitos.example.toml";
const std::string kSharedExample = LIITOS_SOURCE_DIR "/../shared/spec/liitos.example.toml";

TEST(ConfigExample, LoadsWithoutErrors) {
  LoadResult r = LoadConfig(kExample, TransportKinds());
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->file, kExample);
}

TEST(ConfigExample, SharedSpecCopyLoadsWithoutErrors) {
  if (!std::ifstream(kSharedExample)) GTEST_SKIP() << kSharedExample << " is not there";
  EXPECT_TRUE(LoadsCleanly(LoadConfig(kSharedExample, TransportKinds())));
}

TEST(ConfigExample, ProjectDemoConfigLoads) {
  const std::string demo = LIITOS_SOURCE_DIR "/examples/liitos.toml";
  if (!std::ifstream(demo)) GTEST_SKIP() << demo << " is not there";
  EXPECT_TRUE(LoadsCleanly(LoadConfig(demo, TransportKinds())));
}

TEST(ConfigExample, EveryKeyReachesTheStructs) {
  LoadResult r = LoadConfig(kExample, TransportKinds());
  ASSERT_TRUE(LoadsCleanly(r));
  const Config& c = *r.config;
  EXPECT_EQ(c.service.state_dir, "/var/lib/liitos");
  EXPECT_EQ(c.service.log_level, "info");
  EXPECT_EQ(c.service.metrics_file, "/var/lib/prometheus/node-exporter/liitos.prom");
  EXPECT_EQ(c.interface.xroad_client, "FI/MUN/0204819-8/liitos");
  EXPECT_EQ(c.interface.status_codes, DefaultStatusCodes());

  ASSERT_EQ(c.sources.size(), 3u);
  const SourceConfig& rakval = c.sources[0];
  EXPECT_EQ(rakval.name, "rakval");
  EXPECT_EQ(rakval.kind, "dir");
  EXPECT_EQ(rakval.path, "/srv/liitos/rakval/in");
  EXPECT_EQ(DirSourceSettingsOf(rakval).archive, "/srv/liitos/rakval/archive");
  EXPECT_EQ(DirSourceSettingsOf(rakval).error, "/srv/liitos/rakval/error");
  EXPECT_EQ(rakval.receipts, "/srv/liitos/rakval/receipts");
  EXPECT_EQ(rakval.profile, "rakval-csv");
  EXPECT_EQ(rakval.destination, "lv");
  EXPECT_EQ(rakval.settle, 5s);
  EXPECT_EQ(DirSourceSettingsOf(rakval).rescan, 60s);
  EXPECT_EQ(rakval.after, AfterTake::kArchive);

  const SourceConfig& ymp = c.sources[1];
  EXPECT_EQ(ymp.kind, "sftp");
  const SftpEndpoint& endpoint = SftpSourceSettingsOf(ymp).endpoint;
  EXPECT_EQ(endpoint.host, "legacy.example.fi");
  EXPECT_EQ(endpoint.port, 22);
  EXPECT_EQ(endpoint.user, "liitos");
  EXPECT_EQ(endpoint.identity, "/etc/liitos/id_ed25519");
  EXPECT_EQ(endpoint.known_hosts, "/etc/liitos/known_hosts");
  EXPECT_EQ(ymp.path, "/vienti/out");
  EXPECT_EQ(SftpSourceSettingsOf(ymp).remote_archive, "/vienti/out/archive");
  EXPECT_EQ(ymp.receipts, "/vienti/kuittaukset");
  EXPECT_EQ(SftpSourceSettingsOf(ymp).poll, 60s);
  EXPECT_EQ(ymp.done_marker, ".valmis");

  ASSERT_EQ(c.profiles.size(), 3u);
  EXPECT_EQ(c.profiles[0].format, RecordFormat::kFetchOrder);
  const ProfileConfig& csv = c.profiles[1];
  EXPECT_EQ(csv.format, RecordFormat::kCsv);
  EXPECT_EQ(csv.encoding, "windows-1252");
  EXPECT_EQ(csv.delimiter, ';');
  EXPECT_TRUE(csv.header);
  EXPECT_EQ(csv.date_formats, (std::vector<std::string>{"%d.%m.%Y %H:%M", "%d.%m.%Y"}));
  EXPECT_EQ(csv.on_invalid_record, OnInvalidRecord::kSkipRecord);
  ASSERT_EQ(csv.fields.size(), 13u);
  // File order, not alphabetical.
  EXPECT_EQ(csv.fields[0], (std::pair<std::string, std::string>{"lvCaseId", "Asiointitunnus"}));
  EXPECT_EQ(csv.fields[5], (std::pair<std::string, std::string>{"decision.date", "Päätöspvm"}));
  EXPECT_EQ(csv.fields[12], (std::pair<std::string, std::string>{"handler", "Käsittelijä"}));
  EXPECT_EQ(csv.status_map.size(), 8u);
  EXPECT_EQ(csv.status_map.at("25"), "TAYDENNYSPYYNTO");
  EXPECT_EQ(csv.constants, (std::vector<std::pair<std::string, std::string>>{{"municipalityCode", "049"}}));

  const ProfileConfig& xml = c.profiles[2];
  EXPECT_EQ(xml.format, RecordFormat::kXml);
  EXPECT_EQ(xml.record, "/v:Vienti/v:Asia");
  EXPECT_EQ(xml.namespaces,
            (std::vector<std::pair<std::string, std::string>>{{"v", "urn:example:ymparisto:vienti:1"}}));
  EXPECT_EQ(xml.fields.back(), (std::pair<std::string, std::string>{"municipalityCode", "v:Kunta"}));
  EXPECT_EQ(xml.status_map.at("LV"), "LAINVOIMAINEN");

  ASSERT_EQ(c.destinations.size(), 3u);
  const DestinationConfig& lv = c.destinations[0];
  EXPECT_EQ(lv.kind, "xroad");
  EXPECT_EQ(XroadSettingsOf(lv).url, "https://ss.example.fi/r1/FI/GOV/0245437-2/LupaJaValvonta/status/v1/batches");
  EXPECT_EQ(XroadSettingsOf(lv).ca_file, "/etc/liitos/tls/ca.pem");
  EXPECT_EQ(XroadSettingsOf(lv).client_cert, "/etc/liitos/tls/client.crt");
  EXPECT_EQ(XroadSettingsOf(lv).client_key, "/etc/liitos/tls/client.key");
  ASSERT_TRUE(lv.schedule.has_value());
  EXPECT_EQ(lv.schedule->text(), "*/15 * * * *");
  EXPECT_FALSE(lv.interval.has_value());
  EXPECT_EQ(lv.max_batch_items, 1000);
  EXPECT_EQ(XroadSettingsOf(lv).request_timeout, 60s);
  EXPECT_EQ(lv.give_up_after, 72h);
  const DestinationConfig& copy = c.destinations[1];
  EXPECT_EQ(copy.kind, "dir");
  EXPECT_EQ(DirDestinationSettingsOf(copy).path, "/srv/liitos/outbound");
  EXPECT_EQ(DirDestinationSettingsOf(copy).prefix, "lv_status_");
  EXPECT_EQ(copy.interval, Millis(10min));
  EXPECT_FALSE(copy.schedule.has_value());
}

TEST(ConfigExample, FindByName) {
  LoadResult r = LoadConfig(kExample, TransportKinds());
  ASSERT_TRUE(LoadsCleanly(r));
  ASSERT_NE(r.config->FindSource("ymparisto"), nullptr);
  EXPECT_EQ(r.config->FindSource("ymparisto")->path, "/vienti/out");
  EXPECT_EQ(r.config->FindProfile("rakval-csv")->encoding, "windows-1252");
  EXPECT_EQ(DirDestinationSettingsOf(*r.config->FindDestination("archive-copy")).path, "/srv/liitos/outbound");
  EXPECT_EQ(r.config->FindSource("nope"), nullptr);
  EXPECT_EQ(r.config->FindProfile("nope"), nullptr);
  EXPECT_EQ(r.config->FindDestination("nope"), nullptr);
}

TEST(ConfigDefaults, MinimalConfigGetsTheSpecDefaults) {
  LoadResult r = Load(testing::kMinimalConfig);
  ASSERT_TRUE(LoadsCleanly(r));
  const Config& c = *r.config;
  EXPECT_EQ(c.service.state_dir, "/var/lib/liitos");
  EXPECT_EQ(c.service.log_level, "info");
  EXPECT_FALSE(c.service.metrics_file.has_value());
  EXPECT_EQ(c.journal.payload_retention, std::chrono::hours(24 * 30));
  const SourceConfig& s = c.sources[0];
  EXPECT_EQ(DirSourceSettingsOf(s).archive, "/srv/x/archive");
  EXPECT_EQ(DirSourceSettingsOf(s).error, "/srv/x/error");
  EXPECT_EQ(s.receipts, "/srv/x/receipts");
  EXPECT_TRUE(s.receipts_enabled());
  EXPECT_EQ(s.destination, "d");  // the only destination
  EXPECT_EQ(s.include, (std::vector<std::string>{"*.csv", "*.xml"}));
  EXPECT_FALSE(s.receipt_format.has_value());
  EXPECT_EQ(s.after, AfterTake::kArchive);
  EXPECT_FALSE(s.done_marker.has_value());
  EXPECT_EQ(s.settle, 5s);
  EXPECT_EQ(s.max_file_size, 1ull << 30);
  EXPECT_EQ(DirSourceSettingsOf(s).rescan, 60s);
  const ProfileConfig& p = c.profiles[0];
  EXPECT_EQ(p.format, RecordFormat::kCsv);
  EXPECT_EQ(p.encoding, "utf-8");
  EXPECT_EQ(p.delimiter, ';');
  EXPECT_TRUE(p.header);
  EXPECT_EQ(p.date_formats.size(), 3u);
  const DestinationConfig& d = c.destinations[0];
  EXPECT_EQ(DirDestinationSettingsOf(d).prefix, "lv_status_");
  EXPECT_EQ(d.max_batch_items, 1000);
}

TEST(ConfigDefaults, DirSiblingsOfTrailingSlashAndRelativePaths) {
  LoadResult r = Load(With({{"path = \"/srv/x/in\"", "path = \"/srv/x/in/\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->sources[0].path, "/srv/x/in");
  EXPECT_EQ(DirSourceSettingsOf(r.config->sources[0]).archive, "/srv/x/archive");
  r = Load(With({{"path = \"/srv/x/in\"", "path = \"demo/in\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(DirSourceSettingsOf(r.config->sources[0]).error, "demo/error");
}

TEST(ConfigDefaults, ExplicitValuesReplaceDefaults) {
  LoadResult r = Load(With({{"#SOURCE",
                             "receipts = \"none\"\nafter = \"delete\"\nsettle = \"0s\"\nmax_file_size = \"10MiB\"\n"
                             "include = [\"*.TXT\"]\nreceipt_format = \"xml\"\ndone_marker = \".done\"\n"
                             "archive = \"/a\"\nerror = \"/e\"\nrescan = \"2m\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  const SourceConfig& s = r.config->sources[0];
  EXPECT_FALSE(s.receipts_enabled());
  EXPECT_EQ(s.after, AfterTake::kDelete);
  EXPECT_EQ(s.settle, 0s);
  EXPECT_EQ(s.max_file_size, 10u << 20);
  EXPECT_EQ(s.include, (std::vector<std::string>{"*.TXT"}));
  EXPECT_EQ(s.receipt_format, "xml");
  EXPECT_EQ(s.done_marker, ".done");
  EXPECT_EQ(DirSourceSettingsOf(s).archive, "/a");
  EXPECT_EQ(DirSourceSettingsOf(s).error, "/e");
  EXPECT_EQ(DirSourceSettingsOf(s).rescan, 2min);
}

TEST(ConfigDefaults, MaxFileSizeAcceptsAByteCount) {
  LoadResult r = Load(With({{"#SOURCE", "max_file_size = 4096"}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->sources[0].max_file_size, 4096u);
}

TEST(ConfigFile, MissingFileIsAnErrorNamingIt) {
  LoadResult r = LoadConfig("/nonexistent/liitos.toml", TransportKinds());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_FALSE(r.config.has_value());
  EXPECT_EQ(r.errors[0].file, "/nonexistent/liitos.toml");
  EXPECT_EQ(r.errors[0].line, 1);
  EXPECT_EQ(r.errors[0].column, 1);
  EXPECT_NE(r.errors[0].ToString().find("/nonexistent/liitos.toml:1:1: cannot read"), std::string::npos)
      << r.errors[0].ToString();
}

TEST(ConfigFile, SyntaxErrorHasItsPosition) {
  LoadResult r = LoadConfigFromString("[service]\nstate_dir = \"/x\"\nlog_level = info\n", "bad.toml",
                                      TransportKinds());
  ASSERT_EQ(r.errors.size(), 1u) << testing::Dump(r.errors);
  EXPECT_EQ(r.errors[0].file, "bad.toml");
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_GE(r.errors[0].column, 12);
  EXPECT_TRUE(r.errors[0].key.empty());
  EXPECT_NE(r.errors[0].message.find("TOML syntax error"), std::string::npos);
}

TEST(ConfigFile, SyntaxErrorFileOnDisk) {
  LoadResult r = LoadConfig(LIITOS_TEST_DATA "/config/syntax_error.toml", TransportKinds());
  ASSERT_EQ(r.errors.size(), 1u) << testing::Dump(r.errors);
  EXPECT_EQ(r.errors[0].line, 4);
}

TEST(ConfigFile, DuplicateKeyIsASyntaxError) {
  LoadResult r = Load(With({{"#SOURCE", "name = \"again\""}}));
  ASSERT_EQ(r.errors.size(), 1u) << testing::Dump(r.errors);
  EXPECT_EQ(r.errors[0].line, 11);
}

TEST(ConfigError, ToStringFormat) {
  ConfigError e{"/etc/liitos/liitos.toml", 12, 5, "source[2].settle", "'x' is not a duration"};
  EXPECT_EQ(e.ToString(), "/etc/liitos/liitos.toml:12:5: source[2].settle: 'x' is not a duration");
  e.key.clear();
  EXPECT_EQ(e.ToString(), "/etc/liitos/liitos.toml:12:5: 'x' is not a duration");
}

TEST(ConfigFile, EmptyFileNeedsTheXroadClient) {
  EXPECT_TRUE(OnlyError(Load(""), "interface.xroad_client", "is required"));
}

TEST(ConfigFile, NoSourcesIsValid) {
  // `liitos convert` needs only profiles; a config without sources is not an error.
  EXPECT_TRUE(LoadsCleanly(Load("[interface]\nxroad_client = \"FI/MUN/0204819-8/x\"\n")));
}

}  // namespace
}  // namespace liitos
