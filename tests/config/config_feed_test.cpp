// [[feed]], [[import_profile]] and fetch-order profiles (SPEC §11): what the example says reaches
// the structs, and every reference a feed makes is checked.

#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"
#include "transports/dir/dir_config.h"
#include "transports/registry.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using testing::HasError;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;
using testing::With;

const std::string kExample = LIITOS_TEST_DATA "/config/liitos.example.toml";

// kMinimalConfig plus a source of fetch orders, its feed and an output folder.
const std::string kFeedParts = R"(
[[source]]
name = "orders"
kind = "dir"
path = "/srv/orders/in"
profile = "orders"
#ORDERSOURCE

[[profile]]
name = "orders"
format = "fetch-order"
#ORDERPROFILE

[[destination]]
name = "imports"
kind = "dir"
path = "/srv/imports"
#OUTPUT

[[feed]]
name = "apps"
orders = "orders"
url = "https://ss.example.fi/r1/lv-service/v1/"
output = "imports"
#FEED

[[import_profile]]
name = "x"
format = "xml"
#IMPORTPROFILE

[import_profile.fields]
Tunnus = "/externalId"
#IMPORTFIELDS
)";

std::string WithFeed(const std::vector<std::pair<std::string, std::string>>& edits = {}) {
  return With(edits, std::string(testing::kMinimalConfig) + kFeedParts);
}

TEST(ConfigFeed, TheExampleReachesTheStructs) {
  LoadResult r = LoadConfig(kExample, TransportKinds());
  ASSERT_TRUE(LoadsCleanly(r));
  const Config& c = *r.config;
  const SourceConfig* orders = c.FindSource("tilaukset");
  ASSERT_NE(orders, nullptr);
  EXPECT_EQ(orders->destination, "");
  EXPECT_EQ(orders->include, (std::vector<std::string>{"*.txt", "*.csv"}));
  EXPECT_EQ(orders->settle, 2s);
  EXPECT_EQ(c.FindProfile("lv-orders")->format, RecordFormat::kFetchOrder);
  EXPECT_FALSE(c.FindProfile("lv-orders")->id_column.has_value());
  const DestinationConfig* out = c.FindDestination("asianhallinta-tuonti");
  ASSERT_NE(out, nullptr);
  EXPECT_FALSE(out->schedule || out->interval);
  EXPECT_EQ(DirDestinationSettingsOf(*out).prefix, "hakemus_");
  EXPECT_EQ(DirDestinationSettingsOf(*out).done_marker, ".valmis");

  ASSERT_EQ(c.feeds.size(), 1u);
  const FeedConfig& f = c.feeds[0];
  EXPECT_EQ(f.name, "hakemukset");
  EXPECT_EQ(f.orders, "tilaukset");
  EXPECT_EQ(f.url, "https://ss.example.fi/r1/FI/GOV/0245437-2/LupaJaValvonta/lv-service/v1");
  EXPECT_EQ(f.parts, (std::vector<std::string>{"commondata", "formdata"}));
  EXPECT_EQ(f.ca_file, "/etc/liitos/tls/ca.pem");
  EXPECT_EQ(f.client_cert, "/etc/liitos/tls/client.crt");
  EXPECT_EQ(f.client_key, "/etc/liitos/tls/client.key");
  EXPECT_EQ(f.output, "asianhallinta-tuonti");
  EXPECT_EQ(f.import_format, ImportFormat::kXml);
  EXPECT_EQ(f.import_profile, "hakemus-xml");
  EXPECT_EQ(f.request_timeout, 60s);
  EXPECT_EQ(f.give_up_after, 72h);
  EXPECT_EQ(f.max_response_size, 64u << 20);
  EXPECT_EQ(c.FeedOfOrders("tilaukset"), &f);
  EXPECT_EQ(c.FeedOfOrders("rakval"), nullptr);

  const ImportProfileConfig* ip = c.FindImportProfile("hakemus-xml");
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(ip->format, ImportFormat::kXml);
  EXPECT_EQ(ip->encoding, "iso-8859-1");
  EXPECT_EQ(ip->root, "Hakemukset");
  EXPECT_EQ(ip->record, "Hakemus");
  EXPECT_EQ(ip->namespace_uri, "urn:example:asianhallinta:tuonti:1");
  EXPECT_EQ(ip->required, (std::vector<std::string>{"Tunnus"}));
  using Fields = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(ip->fields, (Fields{{"Tunnus", "/externalId"}, {"Haettu", "/fetchedAt"}, {"Yhteiset", "/commondata"},
                                {"Lomake", "/formdata"}}));
}

TEST(ConfigFeed, DefaultsAndTheLoneStatusDestination) {
  LoadResult r = Load(WithFeed());
  ASSERT_TRUE(LoadsCleanly(r));
  const Config& c = *r.config;
  // Two destinations, but "imports" takes import files: the status source still defaults to "d".
  EXPECT_EQ(c.FindSource("s")->destination, "d");
  const FeedConfig& f = c.feeds[0];
  EXPECT_EQ(f.url, "https://ss.example.fi/r1/lv-service/v1");  // trailing '/' trimmed
  EXPECT_EQ(f.parts, FeedPartNames());
  EXPECT_EQ(f.import_format, ImportFormat::kJson);
  EXPECT_EQ(f.connections, 4);
  EXPECT_EQ(c.FindSource("orders")->include, (std::vector<std::string>{"*.txt", "*.csv"}));
}

TEST(ConfigFeed, AFeedNamingAMissingSourceOrDestinationIsRefused) {
  LoadResult missing_source = Load(WithFeed({{"orders = \"orders\"", "orders = \"nope\""}}));
  EXPECT_TRUE(HasError(missing_source, "feed[apps].orders", "no [[source]] is named 'nope'"));
  // …and the source of orders that no feed now takes is named too.
  EXPECT_TRUE(HasError(missing_source, "source[orders].profile", "no [[feed]] has orders = \"orders\""));
  EXPECT_TRUE(HasError(Load(WithFeed({{"output = \"imports\"", "output = \"nope\""}, {"#OUTPUT", "interval = \"1m\""}})),
                        "feed[apps].output", "no [[destination]] is named 'nope'"));
}

TEST(ConfigFeed, TheOutputIsAFolderOrSftpAndItsOrdersAreFetchOrders) {
  EXPECT_TRUE(HasError(Load(WithFeed({{"output = \"imports\"", "output = \"d\""},
                                         {"kind = 'dir'\npath = \"/out\"", "kind = 'xroad'\nurl = \"https://x/\""}})),
                        "feed[apps].output", "kind \"dir\" or \"sftp\""));
  LoadResult status_source = Load(WithFeed({{"orders = \"orders\"", "orders = \"s\""}}));
  EXPECT_TRUE(HasError(status_source, "feed[apps].orders", "reads status exports"));
}

TEST(ConfigFeed, SourcesAndOutputsKeepToTheirRoles) {
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#ORDERSOURCE", "destination = \"d\""}})), "source[orders].destination",
                        "does not apply to a source of fetch orders"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#SOURCE", "destination = \"imports\""}})), "source[s].destination",
                        "is a [[feed]]'s output"));
  // An output may keep a schedule it does not need.
  EXPECT_TRUE(LoadsCleanly(Load(WithFeed({{"#OUTPUT", "interval = \"5m\""}}))));
  // Without the feed the same folder is an ordinary destination again, and needs its schedule.
  std::string no_feed = WithFeed({{"#FEED", ""}});
  no_feed = no_feed.substr(0, no_feed.find("[[feed]]")) + no_feed.substr(no_feed.find("[[import_profile]]"));
  LoadResult r = Load(no_feed);
  EXPECT_TRUE(HasError(r, "destination[imports].schedule", "is required"));
}

TEST(ConfigFeed, ImportFormatsAndProfiles) {
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "import_format = \"xml\""}})), "feed[apps].import_profile",
                        "is required"));
  EXPECT_TRUE(LoadsCleanly(Load(WithFeed({{"#FEED", "import_format = \"xml\"\nimport_profile = \"x\""}}))));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "import_format = \"csv\"\nimport_profile = \"x\""}})),
                        "feed[apps].import_profile", "has format = \"xml\", but import_format is \"csv\""));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "import_profile = \"x\""}})), "feed[apps].import_profile",
                        "applies only to import_format"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "import_format = \"xml\"\nimport_profile = \"nope\""}})),
                        "feed[apps].import_profile", "no [[import_profile]] is named 'nope'"));
}

TEST(ConfigFeed, FeedKeysAreChecked) {
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "parts = [\"formdata\", \"attachments\"]"}})), "feed[apps].parts",
                        "'attachments' is not a part"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"https://ss.example.fi", "http://127.0.0.1:8080"}})), "feed[apps].url",
                        "allow_plain_http"));
  EXPECT_TRUE(LoadsCleanly(Load(WithFeed({{"https://ss.example.fi", "http://127.0.0.1:8080"},
                                            {"#FEED", "allow_plain_http = true"}}))));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "client_cert = \"/c.pem\""}})), "feed[apps].client_cert",
                        "go together"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "max_response_size = \"lots\""}})), "feed[apps].max_response_size",
                        ""));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#FEED", "bogus = 1"}})), "feed[apps].bogus", "unknown key"));
  LoadResult twice = Load(WithFeed({{"#FEED", "\n[[feed]]\nname = \"apps\"\norders = \"orders\"\nurl = "
                                                "\"https://x/y\"\noutput = \"imports\"\n"}}));
  EXPECT_TRUE(HasError(twice, "feed[apps].name", "another feed is already named 'apps'"));
  EXPECT_TRUE(HasError(twice, "feed[apps].orders", "already takes the orders of source 'orders'"));
}

TEST(ConfigFeed, ImportProfileKeysAreChecked) {
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#IMPORTFIELDS", "Bad = \"commondata/x\""}})),
                        "import_profile[x].fields.Bad", "must start with '/'"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#IMPORTFIELDS", "Bad = \"/a~2b\""}})), "import_profile[x].fields.Bad",
                        "'~' must be followed by 0 or 1"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#IMPORTFIELDS", "\"1st\" = \"/a\""}})), "import_profile[x].fields.1st",
                        "not an XML element name"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#IMPORTPROFILE", "required = [\"Nope\"]"}})),
                        "import_profile[x].required", "'Nope' is not one of the fields"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#IMPORTPROFILE", "delimiter = \",\""}})), "import_profile[x].delimiter",
                        "applies only to format = \"csv\""));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#IMPORTPROFILE", "encoding = \"ebcdic\""}})),
                        "import_profile[x].encoding", ""));
  EXPECT_TRUE(LoadsCleanly(Load(WithFeed({{"format = \"xml\"", "format = \"csv\"\ndelimiter = \",\""},
                                            {"#IMPORTFIELDS", "\"1st column\" = \"/formdata/a~1b\""}}))));
}

TEST(ConfigFeed, FetchOrderProfiles) {
  EXPECT_TRUE(LoadsCleanly(Load(WithFeed({{"#ORDERPROFILE", "id_column = \"Tunnus\"\ndelimiter = \",\""}}))));
  LoadResult numbered = Load(WithFeed({{"#ORDERPROFILE", "id_column = 2\nheader = false"}}));
  ASSERT_TRUE(LoadsCleanly(numbered));
  EXPECT_EQ(numbered.config->FindProfile("orders")->id_column, "2");
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#ORDERPROFILE", "id_column = \"Tunnus\"\nheader = false"}})),
                        "profile[orders].id_column", "is not a column number"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#ORDERPROFILE", "delimiter = \",\""}})), "profile[orders].delimiter",
                        "set id_column"));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#ORDERPROFILE", "[profile.fields]\nlvCaseId = \"A\""}})),
                        "profile[orders].fields", "does not apply to format = \"fetch-order\""));
  EXPECT_TRUE(OnlyError(Load(WithFeed({{"#PROFILE", "id_column = \"A\""}})), "profile[p].id_column",
                        "applies only to format = \"fetch-order\""));
}

}  // namespace
}  // namespace liitos
