// [[source]] rules (SPEC §3).

#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/dir/dir_config.h"
#include "transports/sftp/sftp_config.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::HasError;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;
using testing::With;

const char* const kSftp =
    "host = \"legacy.example.fi\"\nuser = \"liitos\"\nidentity = \"/etc/liitos/id\"\n"
    "known_hosts = \"/etc/liitos/known_hosts\"";

std::string SftpSource(const std::string& extra = "") {
  return With({{"kind = \"dir\"", "kind = \"sftp\""},
               {"path = \"/srv/x/in\"", "path = \"/vienti/out\""},
               {"#SOURCE", std::string(kSftp) + "\n" + extra}});
}

TEST(ConfigSource, SftpSourceAndItsDefaults) {
  LoadResult r = Load(SftpSource("passphrase_file = \"/etc/liitos/pass\""));
  ASSERT_TRUE(LoadsCleanly(r));
  const SourceConfig& s = r.config->sources[0];
  EXPECT_EQ(s.kind, "sftp");
  EXPECT_EQ(SftpSourceSettingsOf(s).endpoint.host, "legacy.example.fi");
  EXPECT_EQ(SftpSourceSettingsOf(s).endpoint.port, 22);
  EXPECT_EQ(SftpSourceSettingsOf(s).endpoint.passphrase_file, "/etc/liitos/pass");
  EXPECT_EQ(SftpSourceSettingsOf(s).remote_archive, "/vienti/out/archive");
  EXPECT_EQ(s.receipts, "/vienti/out/receipts");
  EXPECT_EQ(SftpSourceSettingsOf(s).poll, 60s);
}

TEST(ConfigSource, SftpRequiredKeys) {
  LoadResult r = Load(With({{"kind = \"dir\"", "kind = \"sftp\""}, {"path = \"/srv/x/in\"", ""}}));
  for (const char* key : {"host", "user", "identity", "known_hosts", "path"})
    EXPECT_TRUE(HasError(r, std::string("source[s].") + key, "is required"));
  EXPECT_EQ(r.errors.size(), 5u) << testing::Dump(r.errors);
  EXPECT_EQ(r.errors[0].line, 6);  // at the [[source]] header
}

TEST(ConfigSource, SftpPortRange) {
  EXPECT_TRUE(OnlyError(Load(SftpSource("port = 0")), "source[s].port", "0 is out of range 1..65535"));
  EXPECT_TRUE(OnlyError(Load(SftpSource("port = 65536")), "source[s].port", "out of range"));
  EXPECT_TRUE(OnlyError(Load(SftpSource("port = \"22\"")), "source[s].port", "expected an integer"));
  LoadResult r = Load(SftpSource("port = 2222"));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(SftpSourceSettingsOf(r.config->sources[0]).endpoint.port, 2222);
}

TEST(ConfigSource, KeysOfTheOtherKindAreRefused) {
  EXPECT_TRUE(OnlyError(Load(SftpSource("rescan = \"1m\"")), "source[s].rescan", "not a key of kind = \"sftp\""));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "poll = \"1m\""}})), "source[s].poll", "not a key of kind = \"dir\""));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "known_hosts = \"/k\""}})), "source[s].known_hosts",
                        "not a key of kind = \"dir\""));
}

TEST(ConfigSource, KindIsRequiredAndChecked) {
  EXPECT_TRUE(OnlyError(Load(With({{"kind = \"dir\"", ""}})), "source[s].kind", "is required"));
  EXPECT_TRUE(OnlyError(Load(With({{"kind = \"dir\"", "kind = \"ftp\""}})), "source[s].kind",
                        "'ftp' is not one of dir | sftp"));
}

TEST(ConfigSource, NameRules) {
  EXPECT_TRUE(OnlyError(Load(With({{"name = \"s\"", "name = \"Rak val\""}})), "source[Rak val].name",
                        "may use only a-z, 0-9, '_' and '-'"));
  EXPECT_TRUE(LoadsCleanly(Load(With({{"name = \"s\"", "name = \"rak_val-2\""}}))));
  LoadResult r = Load(With({{"name = \"s\"", ""}}));
  EXPECT_TRUE(OnlyError(r, "source[1].name", "is required"));
  EXPECT_TRUE(OnlyError(Load(With({{"name = \"s\"", "name = \"\""}})), "source[1].name", "must not be empty"));
}

TEST(ConfigSource, NamesAreUnique) {
  std::string text = std::string(testing::kMinimalConfig) +
                     "\n[[source]]\nname = \"s\"\nkind = \"dir\"\npath = \"/srv/y/in\"\nprofile = \"p\"\n";
  LoadResult r = Load(text);
  EXPECT_TRUE(OnlyError(r, "source[s].name", "another source is already named 's'"));
  EXPECT_EQ(r.errors[0].line, 31);  // the second one
}

TEST(ConfigSource, ReferencesMustExist) {
  EXPECT_TRUE(OnlyError(Load(With({{"profile = \"p\"", "profile = \"q\""}})), "source[s].profile",
                        "no [[profile]] is named 'q'"));
  EXPECT_TRUE(OnlyError(Load(With({{"profile = \"p\"", ""}})), "source[s].profile", "is required"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "destination = \"e\""}})), "source[s].destination",
                        "no [[destination]] is named 'e'"));
  EXPECT_TRUE(LoadsCleanly(Load(With({{"#SOURCE", "destination = \"d\""}}))));
}

TEST(ConfigSource, DestinationDefaultsOnlyWhenThereIsExactlyOne) {
  std::string two = With({{"#DEST", "[[destination]]\nname = \"e\"\nkind = \"dir\"\npath = \"/o2\"\ninterval = \"1h\""}});
  EXPECT_TRUE(OnlyError(Load(two), "source[s].destination", "is required when there is more than one"));
  LoadResult r = Load(testing::ReplaceOnce(two, "#SOURCE", "destination = \"e\""));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->sources[0].destination, "e");
  std::string none = testing::kMinimalConfig;
  none = none.substr(0, none.find("[[destination]]"));
  EXPECT_TRUE(OnlyError(Load(none), "source[s].destination", "no [[destination]] is configured"));
}

TEST(ConfigSource, CommonValues) {
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "after = \"move\""}})), "source[s].after", "archive | delete"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "receipt_format = \"json\""}})), "source[s].receipt_format",
                        "csv | xml"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "include = []"}})), "source[s].include", "empty list"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "include = \"*.csv\""}})), "source[s].include",
                        "expected an array of strings"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "done_marker = \"\""}})), "source[s].done_marker", "must not be empty"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "receipts = \"\""}})), "source[s].receipts", "must not be empty"));
  EXPECT_TRUE(OnlyError(Load(With({{"path = \"/srv/x/in\"", "path = \"\""}})), "source[s].path", "must not be empty"));
}

TEST(ConfigSource, DurationsAndSizes) {
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "settle = \"5 s\""}})), "source[s].settle", "'5 s' is not a duration"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "settle = 5"}})), "source[s].settle", "found an integer"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "rescan = \"0s\""}})), "source[s].rescan", "longer than zero"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "rescan = \"-5s\""}})), "source[s].rescan", "is not a duration"));
  EXPECT_TRUE(OnlyError(Load(SftpSource("poll = \"soon\"")), "source[s].poll", "is not a duration"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "max_file_size = \"1 GiB\""}})), "source[s].max_file_size",
                        "not a positive size"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "max_file_size = \"10XB\""}})), "source[s].max_file_size",
                        "not a positive size"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "max_file_size = 0"}})), "source[s].max_file_size",
                        "not a positive size"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "max_file_size = -1"}})), "source[s].max_file_size",
                        "not a positive size"));
  EXPECT_TRUE(OnlyError(Load(With({{"#SOURCE", "max_file_size = 1.5"}})), "source[s].max_file_size",
                        "found a float"));
  LoadResult r = Load(With({{"#SOURCE", "settle = \"1m30s\"\nrescan = \"500ms\"\nmax_file_size = \"512KiB\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->sources[0].settle, 90s);
  EXPECT_EQ(DirSourceSettingsOf(r.config->sources[0]).rescan, 500ms);
  EXPECT_EQ(r.config->sources[0].max_file_size, 512u * 1024);
}

TEST(ConfigSource, ErrorsOfSeveralSourcesAreNamedApart) {
  std::string text = With({{"#SOURCE", "settle = \"x\""}}) +
                     "\n[[source]]\nkind = \"dir\"\npath = \"/srv/y/in\"\nprofile = \"p\"\nsettle = \"y\"\n";
  LoadResult r = Load(text);
  EXPECT_TRUE(HasError(r, "source[s].settle", "'x'"));
  EXPECT_TRUE(HasError(r, "source[2].name", "is required"));
  EXPECT_TRUE(HasError(r, "source[2].settle", "'y'"));
  EXPECT_EQ(r.errors.size(), 3u) << testing::Dump(r.errors);
}

}  // namespace
}  // namespace liitos
