// [[destination]] rules (SPEC §5.4–5.6).

#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/dir/dir_config.h"
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

// The minimal config's destination turned into kind = "xroad", plus `extra`.
std::string Xroad(const std::string& extra, const std::string& url = "https://ss.example.fi/r1/x") {
  return With({{"kind = 'dir'", "kind = \"xroad\""},
               {"path = \"/out\"", "url = \"" + url + "\""},
               {"#DEST", extra}});
}

std::string SftpDest(const std::string& extra = "") {
  return With({{"kind = 'dir'", "kind = \"sftp\""},
               {"#DEST", "host = \"h\"\nuser = \"u\"\nidentity = \"/k\"\nknown_hosts = \"/kh\"\n" + extra}});
}

TEST(ConfigDestination, Xroad) {
  LoadResult r = Load(Xroad("ca_file = \"/ca\"\nclient_cert = \"/c\"\nclient_key = \"/k\"\nrequest_timeout = \"30s\"\n"
                            "give_up_after = \"2d\"\nmax_batch_items = 500"));
  ASSERT_TRUE(LoadsCleanly(r));
  const DestinationConfig& d = r.config->destinations[0];
  EXPECT_EQ(d.kind, "xroad");
  EXPECT_EQ(XroadSettingsOf(d).url, "https://ss.example.fi/r1/x");
  EXPECT_EQ(XroadSettingsOf(d).ca_file, "/ca");
  EXPECT_EQ(XroadSettingsOf(d).client_cert, "/c");
  EXPECT_EQ(XroadSettingsOf(d).client_key, "/k");
  EXPECT_EQ(XroadSettingsOf(d).request_timeout, 30s);
  EXPECT_EQ(d.give_up_after, 48h);
  EXPECT_EQ(d.max_batch_items, 500);
  EXPECT_FALSE(XroadSettingsOf(d).allow_plain_http);
}

TEST(ConfigDestination, XroadUrl) {
  EXPECT_TRUE(OnlyError(Load(Xroad("", "http://127.0.0.1:8080/x")), "destination[d].url",
                        "plain http:// is refused unless allow_plain_http = true"));
  LoadResult r = Load(Xroad("allow_plain_http = true", "http://127.0.0.1:8080/x"));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_TRUE(XroadSettingsOf(r.config->destinations[0]).allow_plain_http);
  EXPECT_TRUE(OnlyError(Load(Xroad("allow_plain_http = true", "ftp://h/x")), "destination[d].url",
                        "is not an https:// URL"));
  EXPECT_TRUE(OnlyError(Load(Xroad("", "https://")), "destination[d].url", "is not an https:// URL"));
  EXPECT_TRUE(OnlyError(Load(Xroad("allow_plain_http = \"yes\"")), "destination[d].allow_plain_http",
                        "true or false"));
  std::string no_url = With({{"kind = 'dir'", "kind = \"xroad\""}, {"path = \"/out\"", ""}});
  EXPECT_TRUE(OnlyError(Load(no_url), "destination[d].url", "is required"));
}

TEST(ConfigDestination, ClientCertAndKeyGoTogether) {
  EXPECT_TRUE(OnlyError(Load(Xroad("client_cert = \"/c\"")), "destination[d].client_cert", "set both or neither"));
  EXPECT_TRUE(OnlyError(Load(Xroad("client_key = \"/k\"")), "destination[d].client_key", "set both or neither"));
}

TEST(ConfigDestination, XroadDurations) {
  EXPECT_TRUE(OnlyError(Load(Xroad("request_timeout = \"0s\"")), "destination[d].request_timeout", "longer than zero"));
  EXPECT_TRUE(OnlyError(Load(Xroad("give_up_after = \"3 days\"")), "destination[d].give_up_after", "not a duration"));
}

TEST(ConfigDestination, ScheduleOrIntervalExactlyOne) {
  LoadResult r = Load(With({{"interval = \"10m\"", "schedule = \"0 9 * * 1-5\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  ASSERT_TRUE(r.config->destinations[0].schedule.has_value());
  EXPECT_EQ(r.config->destinations[0].schedule->text(), "0 9 * * 1-5");
  EXPECT_FALSE(r.config->destinations[0].interval.has_value());
  EXPECT_TRUE(OnlyError(Load(With({{"#DEST", "schedule = \"* * * * *\""}})), "destination[d].interval",
                        "either schedule or interval, not both"));
  r = Load(With({{"interval = \"10m\"", ""}}));
  EXPECT_TRUE(OnlyError(r, "destination[d].schedule", "is required"));
  EXPECT_EQ(r.errors[0].line, 23);  // at [[destination]]
}

TEST(ConfigDestination, BadScheduleAndInterval) {
  EXPECT_TRUE(OnlyError(Load(With({{"interval = \"10m\"", "schedule = \"61 * * * *\""}})), "destination[d].schedule",
                        "minute field '61': 61 is out of range 0-59"));
  EXPECT_TRUE(OnlyError(Load(With({{"interval = \"10m\"", "schedule = \"@hourly\""}})), "destination[d].schedule",
                        "expected 5 fields"));
  EXPECT_TRUE(OnlyError(Load(With({{"interval = \"10m\"", "interval = \"0s\""}})), "destination[d].interval",
                        "longer than zero"));
  EXPECT_TRUE(OnlyError(Load(With({{"interval = \"10m\"", "interval = 600"}})), "destination[d].interval",
                        "expected a duration"));
}

TEST(ConfigDestination, MaxBatchItemsRange) {
  EXPECT_TRUE(OnlyError(Load(With({{"#DEST", "max_batch_items = 0"}})), "destination[d].max_batch_items",
                        "0 is out of range 1..10000"));
  EXPECT_TRUE(OnlyError(Load(With({{"#DEST", "max_batch_items = 10001"}})), "destination[d].max_batch_items",
                        "out of range"));
  LoadResult r = Load(With({{"#DEST", "max_batch_items = 10000"}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->destinations[0].max_batch_items, 10000);
}

TEST(ConfigDestination, Dir) {
  LoadResult r = Load(With({{"#DEST", "prefix = \"batch_\"\ndone_marker = \".ok\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(DirDestinationSettingsOf(r.config->destinations[0]).prefix, "batch_");
  EXPECT_EQ(DirDestinationSettingsOf(r.config->destinations[0]).done_marker, ".ok");
  EXPECT_TRUE(OnlyError(Load(With({{"path = \"/out\"", ""}})), "destination[d].path", "is required"));
  EXPECT_TRUE(OnlyError(Load(With({{"#DEST", "prefix = \"a/b\""}})), "destination[d].prefix", "must not contain '/'"));
  EXPECT_TRUE(OnlyError(Load(With({{"#DEST", "url = \"https://x\""}})), "destination[d].url",
                        "not a key of kind = \"dir\" destinations"));
  EXPECT_TRUE(OnlyError(Load(With({{"#DEST", "host = \"x\""}})), "destination[d].host", "not a key of kind = \"dir\""));
}

TEST(ConfigDestination, Sftp) {
  LoadResult r = Load(SftpDest("port = 2222\npassphrase_file = \"/p\""));
  ASSERT_TRUE(LoadsCleanly(r));
  const DestinationConfig& d = r.config->destinations[0];
  EXPECT_EQ(d.kind, "sftp");
  EXPECT_EQ(SftpDestinationSettingsOf(d).endpoint.host, "h");
  EXPECT_EQ(SftpDestinationSettingsOf(d).endpoint.port, 2222);
  EXPECT_EQ(SftpDestinationSettingsOf(d).endpoint.user, "u");
  EXPECT_EQ(SftpDestinationSettingsOf(d).endpoint.identity, "/k");
  EXPECT_EQ(SftpDestinationSettingsOf(d).endpoint.known_hosts, "/kh");
  EXPECT_EQ(SftpDestinationSettingsOf(d).endpoint.passphrase_file, "/p");
  EXPECT_EQ(SftpDestinationSettingsOf(d).folder.path, "/out");
  EXPECT_TRUE(OnlyError(Load(SftpDest("port = 99999")), "destination[d].port", "out of range"));
  EXPECT_TRUE(OnlyError(Load(SftpDest("ca_file = \"/ca\"")), "destination[d].ca_file", "not a key of kind = \"sftp\""));
  r = Load(With({{"kind = 'dir'", "kind = \"sftp\""}}));
  for (const char* key : {"host", "user", "identity", "known_hosts"})
    EXPECT_TRUE(HasError(r, std::string("destination[d].") + key, "is required"));
  EXPECT_EQ(r.errors.size(), 4u) << testing::Dump(r.errors);
}

TEST(ConfigDestination, Kind) {
  EXPECT_TRUE(OnlyError(Load(With({{"kind = 'dir'", "kind = \"http\""}})), "destination[d].kind",
                        "'http' is not one of xroad | dir | sftp"));
  EXPECT_TRUE(OnlyError(Load(With({{"kind = 'dir'", ""}})), "destination[d].kind", "is required"));
}

TEST(ConfigDestination, NamesRequiredAndUnique) {
  EXPECT_TRUE(HasError(Load(With({{"name = \"d\"", ""}})), "destination[1].name", "is required"));
  std::string two = With({{"#DEST", "[[destination]]\nname = \"d\"\nkind = \"dir\"\npath = \"/o\"\ninterval = \"1m\""},
                          {"#SOURCE", "destination = \"d\""}});
  EXPECT_TRUE(OnlyError(Load(two), "destination[d].name", "another destination is already named 'd'"));
}

}  // namespace
}  // namespace liitos
