// [[profile]] rules (SPEC §4).

#include <gtest/gtest.h>

#include "config/config.h"
#include "tests/config/config_test_util.h"

namespace liitos {
namespace {

using testing::HasError;
using testing::Load;
using testing::LoadsCleanly;
using testing::OnlyError;
using testing::With;

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string XmlProfile(const std::string& extra = "") {
  return With({{"#PROFILE", "format = \"xml\"\nrecord = \"/Vienti/Asia\"\n" + extra}});
}

TEST(ConfigProfile, CsvOptions) {
  LoadResult r = Load(With({{"#PROFILE",
                             "format = \"csv\"\nencoding = \"iso-8859-1\"\ndelimiter = \",\"\n"
                             "on_invalid_record = \"reject-file\"\ndate_formats = [\"%d.%m.%Y\"]"}}));
  ASSERT_TRUE(LoadsCleanly(r));
  const ProfileConfig& p = r.config->profiles[0];
  EXPECT_EQ(p.encoding, "iso-8859-1");
  EXPECT_EQ(p.delimiter, ',');
  EXPECT_EQ(p.on_invalid_record, OnInvalidRecord::kRejectFile);
  EXPECT_EQ(p.date_formats, (std::vector<std::string>{"%d.%m.%Y"}));
}

TEST(ConfigProfile, TabDelimiterEitherWay) {
  for (const char* text : {"delimiter = \"\\t\"", "delimiter = '\\t'", "delimiter = \"\t\""}) {
    LoadResult r = Load(With({{"#PROFILE", text}}));
    ASSERT_TRUE(LoadsCleanly(r)) << text;
    EXPECT_EQ(r.config->profiles[0].delimiter, '\t') << text;
  }
}

TEST(ConfigProfile, BadDelimiters) {
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "delimiter = \";;\""}})), "profile[p].delimiter", "single"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "delimiter = \"\""}})), "profile[p].delimiter", "single"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "delimiter = \"§\""}})), "profile[p].delimiter", "one-byte"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "delimiter = '\"'"}})), "profile[p].delimiter", "quote"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "delimiter = 59"}})), "profile[p].delimiter", "expected a string"));
}

TEST(ConfigProfile, EnumeratedValues) {
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "format = \"json\""}})), "profile[p].format", "csv | xml"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "encoding = \"latin1\""}})), "profile[p].encoding",
                        "utf-8 | iso-8859-1 | windows-1252"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "on_invalid_record = \"skip\""}})), "profile[p].on_invalid_record",
                        "skip-record | reject-file"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "header = \"yes\""}})), "profile[p].header", "true or false"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "date_formats = []"}})), "profile[p].date_formats", "empty list"));
}

TEST(ConfigProfile, FieldsKeepFileOrderAndAcceptDottedKeys) {
  LoadResult r = Load(With({{"#FIELDS", "message.sv = \"Meddelande\"\n\"decision.date\" = \"Pvm\"\nhandler = \"K\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->profiles[0].fields, (Pairs{{"lvCaseId", "A"},
                                                 {"status", "B"},
                                                 {"statusChangedAt", "C"},
                                                 {"message.sv", "Meddelande"},
                                                 {"decision.date", "Pvm"},
                                                 {"handler", "K"}}));
}

TEST(ConfigProfile, EveryInterfaceFieldIsKnown) {
  std::string fields;
  for (const std::string& name : InterfaceFieldNames())
    if (name != "lvCaseId" && name != "status" && name != "statusChangedAt") fields += "\"" + name + "\" = \"x\"\n";
  LoadResult r = Load(With({{"#FIELDS", fields}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->profiles[0].fields.size(), InterfaceFieldNames().size());
}

TEST(ConfigProfile, UnknownFieldNames) {
  LoadResult r = Load(With({{"#FIELDS", "lvCaseID = \"x\"\ndecision.place = \"y\"\nsource = \"z\""}}));
  EXPECT_TRUE(HasError(r, "profile[p].fields.lvCaseID", "'lvCaseID' is not an interface field"));
  EXPECT_TRUE(HasError(r, "profile[p].fields.decision.place", "not an interface field"));
  EXPECT_TRUE(HasError(r, "profile[p].fields.source", "not an interface field"));
  EXPECT_EQ(r.errors.size(), 3u) << testing::Dump(r.errors);
}

TEST(ConfigProfile, FieldMappedTwice) {
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "\"decision.date\" = \"a\"\ndecision.date = \"b\""}})),
                        "profile[p].fields.decision.date", "mapped twice"));
}

TEST(ConfigProfile, FieldValues) {
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "handler = \"\""}})), "profile[p].fields.handler", "must not be empty"));
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "handler = true"}})), "profile[p].fields.handler", "expected a string"));
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "handler = 4"}})), "profile[p].fields.handler", "column name"));
}

TEST(ConfigProfile, RequiredFieldsThroughFieldsOrConstants) {
  LoadResult r = Load(With({{"lvCaseId = \"A\"\n", ""}, {"status = \"B\"\n", ""}}));
  EXPECT_TRUE(HasError(r, "profile[p].fields.lvCaseId", "is required"));
  EXPECT_TRUE(HasError(r, "profile[p].fields.status", "is required"));
  EXPECT_EQ(r.errors.size(), 2u) << testing::Dump(r.errors);
  EXPECT_EQ(r.errors[0].line, 17);  // at [profile.fields]
  r = Load(With({{"status = \"B\"\n", ""}, {"#FIELDS", "[profile.constants]\nstatus = \"VASTAANOTETTU\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->profiles[0].constants, (Pairs{{"status", "VASTAANOTETTU"}}));
}

TEST(ConfigProfile, Constants) {
  std::string extra = "[profile.constants]\nmunicipalityCode = \"049\"\nhandler = \"Virkailija\"";
  LoadResult r = Load(With({{"#FIELDS", extra}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->profiles[0].constants, (Pairs{{"municipalityCode", "049"}, {"handler", "Virkailija"}}));
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "[profile.constants]\nkunta = \"049\""}})),
                        "profile[p].constants.kunta", "not an interface field"));
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "[profile.constants]\nmunicipalityCode = 49"}})),
                        "profile[p].constants.municipalityCode", "expected a string"));
  EXPECT_TRUE(OnlyError(Load(With({{"#FIELDS", "[profile.constants]\nstatus = \"X\""}})), "profile[p].constants.status",
                        "also mapped in fields"));
}

TEST(ConfigProfile, HeaderFalseNeedsColumnNumbers) {
  std::string text = With({{"#PROFILE", "header = false"},
                           {"lvCaseId = \"A\"", "lvCaseId = \"1\""},
                           {"status = \"B\"", "status = 2"},
                           {"statusChangedAt = \"C\"", "statusChangedAt = \"3\""}});
  LoadResult r = Load(text);
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->profiles[0].fields, (Pairs{{"lvCaseId", "1"}, {"status", "2"}, {"statusChangedAt", "3"}}));
  EXPECT_TRUE(OnlyError(Load(testing::ReplaceOnce(text, "status = 2", "status = \"Tila\"")), "profile[p].fields.status",
                        "'Tila' is not a column number"));
  EXPECT_TRUE(OnlyError(Load(testing::ReplaceOnce(text, "status = 2", "status = 0")), "profile[p].fields.status",
                        "not a column number"));
  EXPECT_TRUE(OnlyError(Load(testing::ReplaceOnce(text, "status = 2", "status = -2")), "profile[p].fields.status",
                        "not a column number"));
  EXPECT_TRUE(OnlyError(Load(testing::ReplaceOnce(text, "status = 2", "status = \"02\"")), "profile[p].fields.status",
                        "not a column number"));
}

TEST(ConfigProfile, StatusMap) {
  LoadResult r = Load(With({{"#FIELDS", "[profile.status_map]\n\"10\" = \"VASTAANOTETTU\"\nP = \"PAATOS_ANNETTU\""}}));
  ASSERT_TRUE(LoadsCleanly(r));
  EXPECT_EQ(r.config->profiles[0].status_map.at("10"), "VASTAANOTETTU");
  EXPECT_EQ(r.config->profiles[0].status_map.at("P"), "PAATOS_ANNETTU");
  r = Load(With({{"#FIELDS", "[profile.status_map]\n\"10\" = \"vastaanotettu\"\n\"20\" = 20"}}));
  EXPECT_TRUE(HasError(r, "profile[p].status_map.10", "'vastaanotettu' is not an interface status code"));
  EXPECT_TRUE(HasError(r, "profile[p].status_map.20", "expected a string"));
  EXPECT_EQ(r.errors.size(), 2u) << testing::Dump(r.errors);
}

TEST(ConfigProfile, XmlProfile) {
  LoadResult r = Load(XmlProfile("[profile.namespaces]\nv = \"urn:v:1\"\nw = \"urn:w:1\""));
  ASSERT_TRUE(LoadsCleanly(r));
  const ProfileConfig& p = r.config->profiles[0];
  EXPECT_EQ(p.format, RecordFormat::kXml);
  EXPECT_EQ(p.record, "/Vienti/Asia");
  EXPECT_EQ(p.namespaces, (Pairs{{"v", "urn:v:1"}, {"w", "urn:w:1"}}));
}

TEST(ConfigProfile, XmlNeedsRecord) {
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "format = \"xml\""}})), "profile[p].record", "is required"));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "format = \"xml\"\nrecord = \"\""}})), "profile[p].record",
                        "must not be empty"));
}

TEST(ConfigProfile, KeysOfTheOtherFormatAreRefused) {
  EXPECT_TRUE(OnlyError(Load(XmlProfile("delimiter = \";\"")), "profile[p].delimiter", "only to format = \"csv\""));
  EXPECT_TRUE(OnlyError(Load(XmlProfile("encoding = \"utf-8\"")), "profile[p].encoding", "only to format = \"csv\""));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "record = \"/a\""}})), "profile[p].record", "only to format = \"xml\""));
  EXPECT_TRUE(OnlyError(Load(With({{"#PROFILE", "[profile.namespaces]\nv = \"urn:x\""}})), "profile[p].namespaces",
                        "only to format = \"xml\""));
}

TEST(ConfigProfile, BadNamespaces) {
  EXPECT_TRUE(OnlyError(Load(XmlProfile("[profile.namespaces]\nv = \"\"")), "profile[p].namespaces.v", "must not be empty"));
  EXPECT_TRUE(OnlyError(Load(XmlProfile("[profile.namespaces]\nv = 1")), "profile[p].namespaces.v", "expected a string"));
}

TEST(ConfigProfile, NamesRequiredAndUnique) {
  EXPECT_TRUE(HasError(Load(With({{"name = \"p\"", ""}})), "profile[1].name", "is required"));
  std::string two = With({{"#DEST", "[[profile]]\nname = \"p\"\n[profile.constants]\nlvCaseId = \"x\"\nstatus = \"y\"\n"
                                    "statusChangedAt = \"2026-01-01\""}});
  EXPECT_TRUE(OnlyError(Load(two), "profile[p].name", "another profile is already named 'p'"));
  // Profile names need not be [a-z0-9_-]+ (unlike source names).
  EXPECT_TRUE(LoadsCleanly(Load(With({{"name = \"p\"", "name = \"Rakval CSV\""}, {"profile = \"p\"", "profile = \"Rakval CSV\""}}))));
}

}  // namespace
}  // namespace liitos
