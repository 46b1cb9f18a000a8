// The wire format and the import files of SPEC §11: external ids, paths, part bodies, the JSON
// import document, XML and CSV through an import profile (golden files), strict encoding.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/import/import_render.h"
#include "formats/import/lv_service.h"
#include "formats/import/strict_encode.h"

namespace liitos {
namespace {

const std::string kApp1 = "0f8fad5b-d9cb-469f-a165-70867728950e";
const std::string kApp2 = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const std::string kFetchedAt = "2026-11-20T14:10:00+02:00";

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(LIITOS_TEST_DATA) + "/" + rel, std::ios::binary);
  EXPECT_TRUE(in) << rel;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Document(const std::string& app) {
  std::string common = Read("applications/" + app + ".commondata.json");
  std::string form = Read("applications/" + app + ".formdata.json");
  return lv::ImportDocumentJson(app, kFetchedAt, {{"commondata", common}, {"formdata", form}});
}

// The import document as the feed renders it: each part's body read by lv::ParsePart, the parts
// put together by lv::ImportDocument.
nlohmann::ordered_json DocumentValue(const std::string& app,
                                     const std::vector<std::pair<std::string, std::string>>& bodies) {
  std::vector<std::pair<std::string, nlohmann::ordered_json>> parts;
  for (const auto& [part, body] : bodies) {
    auto value = lv::ParsePart(part, body);
    EXPECT_TRUE(value.ok()) << part << ": " << value.status().message();
    parts.emplace_back(part, value.ok() ? std::move(*value) : nlohmann::ordered_json());
  }
  return lv::ImportDocument(app, kFetchedAt, std::move(parts));
}

nlohmann::ordered_json DocumentValue(const std::string& app) {
  return DocumentValue(app, {{"commondata", Read("applications/" + app + ".commondata.json")},
                             {"formdata", Read("applications/" + app + ".formdata.json")}});
}

ImportProfileConfig XmlProfile() {
  ImportProfileConfig p;
  p.name = "hakemus-xml";
  p.format = ImportFormat::kXml;
  p.encoding = "iso-8859-1";
  p.namespace_uri = "urn:example:asianhallinta:tuonti:1";
  p.fields = {{"Tunnus", "/externalId"},
              {"Haettu", "/fetchedAt"},
              {"Hanke", "/commondata/projectName"},
              {"Hakija", "/formdata/sections/hakija/nimi"},
              {"Kerrosala", "/formdata/sections/hanke/kerrosala"},
              {"Valmis", "/formdata/sections/hanke/valmis"},
              {"Kuvaus", "/formdata/sections/hanke/kuvaus"},
              {"Puuttuu", "/commondata/nope"},
              {"Yhteiset", "/commondata"},
              {"Lomake", "/formdata"}};
  p.required = {"Tunnus"};
  return p;
}

TEST(ImportTest, LvServiceExternalIds) {
  EXPECT_TRUE(lv::IsExternalId(kApp1));
  EXPECT_TRUE(lv::IsExternalId("0F8FAD5B-D9CB-469F-A165-70867728950E"));
  EXPECT_EQ(lv::NormalizeExternalId("0F8FAD5B-D9CB-469F-A165-70867728950E"), kApp1);
  EXPECT_FALSE(lv::IsExternalId("{" + kApp1 + "}"));
  EXPECT_FALSE(lv::IsExternalId("0f8fad5bd9cb469fa16570867728950e"));
  EXPECT_FALSE(lv::IsExternalId("0f8fad5b-d9cb-469f-a165-70867728950g"));
  EXPECT_FALSE(lv::IsExternalId(""));
  // The reason never quotes a henkilötunnus, nor a control character, nor a whole long line.
  std::string reason = lv::NotAnExternalIdReason("hakija 131052-308T\x1b[2J");
  EXPECT_EQ(reason.find("131052-308T"), std::string::npos) << reason;
  EXPECT_NE(reason.find("<hetu>"), std::string::npos) << reason;
  EXPECT_EQ(reason.find('\x1b'), std::string::npos) << reason;
  EXPECT_LT(lv::NotAnExternalIdReason(std::string(5000, 'x')).size(), 200u);
}

TEST(ImportTest, LvServicePathsHeadersAndFileNames) {
  EXPECT_EQ(lv::PartUrl("https://ss/r1/lv/v1", kApp1, "formdata"), "https://ss/r1/lv/v1/commondata/" + kApp1 + "/formdata");
  EXPECT_EQ(lv::RequestHeaders(), (std::vector<std::string>{"Accept: application/json"}));
  EXPECT_EQ(lv::ImportFileName("hakemus_", kApp1, ImportFormat::kXml), "hakemus_" + kApp1 + ".xml");
  EXPECT_EQ(lv::ImportFileName("", kApp1, ImportFormat::kJson), kApp1 + ".json");
  EXPECT_EQ(lv::ImportFileName("x", kApp1, ImportFormat::kCsv), "x" + kApp1 + ".csv");
}

TEST(ImportTest, LvServicePartBodiesMustBeJson) {
  EXPECT_TRUE(lv::CheckPartBody("formdata", R"({"a": [1, 2, {"b": null}]})").ok());
  EXPECT_TRUE(lv::CheckPartBody("formdata", "\xEF\xBB\xBF{}").ok());
  EXPECT_TRUE(lv::CheckPartBody("formdata", "\"just a string\"").ok());
  Status empty = lv::CheckPartBody("commondata", " \n");
  EXPECT_FALSE(empty.ok());
  EXPECT_NE(empty.message().find("commondata: the answer is empty"), std::string::npos);
  Status html = lv::CheckPartBody("formdata", "<html>131052-308T</html>");
  EXPECT_FALSE(html.ok());
  EXPECT_NE(html.message().find("formdata: the answer is not JSON"), std::string::npos) << html.message();
  EXPECT_EQ(html.message().find("131052"), std::string::npos);
  EXPECT_FALSE(lv::CheckPartBody("formdata", "{\"a\": 1} trailing").ok());
  EXPECT_FALSE(lv::CheckPartBody("formdata", "{\"a\": \"\xC3\x28\"}").ok());  // invalid UTF-8
  std::string deep(lv::kMaxDepth + 1, '[');
  deep += std::string(lv::kMaxDepth + 1, ']');
  Status too_deep = lv::CheckPartBody("formdata", deep);
  EXPECT_NE(too_deep.message().find("nested deeper"), std::string::npos) << too_deep.message();
  std::string ok_deep(lv::kMaxDepth, '[');
  ok_deep += std::string(lv::kMaxDepth, ']');
  EXPECT_TRUE(lv::CheckPartBody("formdata", ok_deep).ok());
}

TEST(ImportTest, LvServiceTheJsonImportDocumentCarriesEachPartAsSent) {
  std::string doc = Document(kApp1);
  EXPECT_EQ(doc, Read("golden/import/hakemus_" + kApp1 + ".json"));
  auto j = nlohmann::json::parse(doc);
  EXPECT_EQ(j["schemaVersion"], "1");
  EXPECT_EQ(j["externalId"], kApp1);
  EXPECT_EQ(j["fetchedAt"], kFetchedAt);
  EXPECT_EQ(j["formdata"]["sections"]["hakija"]["osoite"]["toimipaikka"], "Espoo");
  // A byte order mark before a part is not carried into the document.
  std::string with_bom = lv::ImportDocumentJson(kApp1, kFetchedAt, {{"formdata", "\xEF\xBB\xBF{\"a\":1}"}});
  EXPECT_EQ(with_bom, "{\"schemaVersion\": \"1\", \"externalId\": \"" + kApp1 + "\", \"fetchedAt\": \"" + kFetchedAt +
                          "\", \"formdata\": {\"a\":1}}\n");
}

TEST(ImportTest, LvServiceParsePartReadsOnceWithTheSameChecks) {
  auto value = lv::ParsePart("formdata", "\xEF\xBB\xBF{\"b\": 1, \"a\": [2]}");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->dump(), "{\"b\":1,\"a\":[2]}");  // keys in the order sent
  for (std::string body : {std::string(" "), std::string("<html>"), std::string("{\"a\": 1} x"),
                           std::string(lv::kMaxDepth + 1, '[') + std::string(lv::kMaxDepth + 1, ']')}) {
    auto parsed = lv::ParsePart("formdata", body);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.status().message(), lv::CheckPartBody("formdata", body).message());
  }
  std::string ok_deep = std::string(lv::kMaxDepth, '[') + std::string(lv::kMaxDepth, ']');
  EXPECT_TRUE(lv::ParsePart("formdata", ok_deep).ok());
}

// The document as a value (what import profiles render) is the JSON import document, key for key.
TEST(ImportTest, LvServiceTheDocumentValueIsTheJsonDocument) {
  for (const std::string& app : {kApp1, kApp2}) {
    SCOPED_TRACE(app);
    EXPECT_EQ(DocumentValue(app).dump(), nlohmann::ordered_json::parse(Document(app)).dump());
  }
}

TEST(ImportTest, RenderXmlInIso88591MatchesTheGoldenFile) {
  auto out = RenderImportFile(XmlProfile(), DocumentValue(kApp1));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, Read("golden/import/hakemus_" + kApp1 + ".xml"));
}

TEST(ImportTest, RenderCsvInWindows1252MatchesTheGoldenFile) {
  ImportProfileConfig p;
  p.name = "hakemus-csv";
  p.format = ImportFormat::kCsv;
  p.encoding = "windows-1252";
  p.fields = {{"Tunnus", "/externalId"},
              {"Nimi", "/commondata/projectName"},
              {"Kuvaus", "/formdata/sections/hanke/kuvaus"},
              {"Lisätiedot", "/formdata/sections/hanke/lisatiedot"},
              {"Lomake", "/formdata"}};
  auto out = RenderImportFile(p, DocumentValue(kApp2));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, Read("golden/import/hakemus_" + kApp2 + ".csv"));
}

TEST(ImportTest, RenderACharacterTheEncodingLacksRejectsTheApplicationNeverAQuestionMark) {
  ImportProfileConfig p = XmlProfile();  // iso-8859-1: no '€'
  auto out = RenderImportFile(p, DocumentValue(kApp2));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("Hanke (/commondata/projectName): '€' (U+20AC) is not in iso-8859-1"),
            std::string::npos)
      << out.status().message();
  // Inside JSON text the same character is written as its escape: the same JSON, nothing lost.
  p.fields = {{"Lomake", "/formdata"}};
  out = RenderImportFile(p, DocumentValue(kApp2));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_NE(out->find("laituri \\u2013 kustannusarvio 5 000 \\u20ac"), std::string::npos) << *out;
  EXPECT_EQ(out->find('?', out->find("<Lomake>")), std::string::npos);
}

TEST(ImportTest, RenderRequiredFieldsAndCharactersXmlCannotCarry) {
  ImportProfileConfig p = XmlProfile();
  p.fields.push_back({"Kunta", "/commondata/municipality/nimi"});
  p.required.push_back("Kunta");
  auto out = RenderImportFile(p, DocumentValue(kApp1));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("Kunta (/commondata/municipality/nimi) is required"), std::string::npos);

  ImportProfileConfig q = XmlProfile();
  q.encoding = "utf-8";
  auto bad = RenderImportFile(q, DocumentValue(kApp1, {{"commondata", R"({"projectName": "a\u0001b"})"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Hanke (/commondata/projectName): U+0001 cannot be written in XML"),
            std::string::npos)
      << bad.status().message();
  // A CR survives as a character reference; in CSV a line break is quoted.
  nlohmann::ordered_json doc = DocumentValue(kApp1, {{"commondata", R"({"projectName": "a\r\nb"})"}});
  auto cr = RenderImportFile(q, doc);
  ASSERT_TRUE(cr.ok());
  EXPECT_NE(cr->find("<Hanke>a&#13;\nb</Hanke>"), std::string::npos) << *cr;
  ImportProfileConfig c;
  c.format = ImportFormat::kCsv;
  c.delimiter = ',';
  c.fields = {{"id", "/externalId"}, {"name", "/commondata/projectName"}};
  auto csv = RenderImportFile(c, doc);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(*csv, "id,name\r\n" + kApp1 + ",\"a\r\nb\"\r\n");
}

TEST(ImportTest, StrictEncodeEachEncodingHoldsWhatItHas) {
  std::string out;
  char32_t bad = 0;
  EXPECT_TRUE(AppendEncodedStrict("Äö€", Encoding::kWindows1252, &out, &bad));
  EXPECT_EQ(out, "\xC4\xF6\x80");
  out.clear();
  EXPECT_FALSE(AppendEncodedStrict("Äö€", Encoding::kIso88591, &out, &bad));
  EXPECT_EQ(bad, U'€');
  out.clear();
  EXPECT_FALSE(AppendEncodedStrict("\xC2\x85", Encoding::kIso88591, &out, &bad));  // U+0085, a C1 control
  out.clear();
  EXPECT_TRUE(AppendEncodedStrict("ŝ€", Encoding::kUtf8, &out, &bad));
  out.clear();
  AppendJsonTextEncoded("{\"a\":\"\xF0\x9F\x98\x80\"}", Encoding::kIso88591, &out);  // U+1F600
  EXPECT_EQ(out, "{\"a\":\"\\ud83d\\ude00\"}");
  EXPECT_EQ(DescribeCharacter(U'€'), "'€' (U+20AC)");
  EXPECT_EQ(DescribeCharacter(0x1B), "U+001B");
}

}  // namespace
}  // namespace liitos
