// The XML reader on the sample exports and on the bad inputs of issue 2 item 7.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formats/encoding.h"
#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_text.h"
#include "formats/xml/xpath_ns.h"
#include "tests/formats/reader_test_util.h"

namespace liitos {
namespace {

using reader_test::FieldIndex;
using reader_test::ReadAll;
using reader_test::ReadOutcome;
using test_util::ScratchDir;

std::optional<std::string> V(const char* s) {
  return std::string(s);
}

// A small export in the ymparisto shape: `decl` before the root, `root` its attributes, `p` the
// prefix of every element.
std::string Doc(const std::string& decl, const std::string& root, const std::string& p) {
  return decl + "<" + p + "Vienti " + root + ">\n" + "  <" + p + "Asia><" + p + "LvTunnus>LV-1</" +
         p + "LvTunnus><" + p + "Tila koodi=\"V\" pvm=\"2026-11-18\"/>" + "<" + p +
         "Viesti kieli=\"fi\">Päätös € “lainattu”</" + p + "Viesti></" + p + "Asia>\n" + "  <" + p +
         "Asia><" + p + "LvTunnus>LV-2</" + p + "LvTunnus></" + p + "Asia>\n" + "</" + p +
         "Vienti>\n";
}
const char* kNs = "urn:example:ymparisto:vienti:1";

class XmlReaderTest : public ::testing::Test {
 protected:
  ReadOutcome Read(const std::string& bytes, const ProfileConfig& p = reader_test::YmparistoXml()) {
    return ReadAll(p, dir_.Write("in.xml", bytes));
  }
  // Checks the two records of Doc().
  void ExpectDoc(const ReadOutcome& out) {
    ASSERT_TRUE(out.status().ok()) << out.status().ToString();
    ProfileConfig p = reader_test::YmparistoXml();
    ASSERT_EQ(out.records.size(), 2u);
    EXPECT_EQ(out.records[0].Values()[FieldIndex(p, "lvCaseId")], V("LV-1"));
    EXPECT_EQ(out.records[0].Values()[FieldIndex(p, "status")], V("V"));
    EXPECT_EQ(out.records[0].Values()[FieldIndex(p, "statusChangedAt")], V("2026-11-18"));
    EXPECT_EQ(out.records[0].Values()[FieldIndex(p, "message.fi")], V("Päätös € “lainattu”"));
    EXPECT_EQ(out.records[1].Values()[FieldIndex(p, "lvCaseId")], V("LV-2"));
    EXPECT_EQ(out.records[1].Values()[FieldIndex(p, "status")], std::nullopt);
  }
  ScratchDir dir_;
};

TEST_F(XmlReaderTest, YmparistoSample) {
  ProfileConfig p = reader_test::YmparistoXml();
  ReadOutcome out = ReadAll(p, reader_test::SamplePath("vienti_20261121.xml"));
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  EXPECT_EQ(out.noun, "record");
  ASSERT_EQ(out.records.size(), 5u);
  auto at = [&](size_t rec, const char* field) {
    return out.records[rec - 1].Values()[FieldIndex(p, field)];
  };
  for (size_t i = 1; i <= 5; ++i) {
    EXPECT_EQ(out.records[i - 1].number, i);
    EXPECT_EQ(out.records[i - 1].Values().size(), p.fields.size());
    EXPECT_EQ(at(i, "municipalityCode"), V("091"));
    EXPECT_EQ(at(i, "authorityCaseId"), fmt::format("YMP/{}/2026", 87 + i));
  }
  EXPECT_EQ(at(1, "lvCaseId"), V("LV-2026-000201"));
  EXPECT_EQ(at(1, "status"), V("V"));
  EXPECT_EQ(at(1, "statusChangedAt"), V("2026-11-18"));
  EXPECT_EQ(at(1, "customer.businessId"), V("1572860-0"));
  EXPECT_EQ(at(1, "message.fi"), V("Hakemus vastaanotettu."));
  EXPECT_EQ(at(1, "message.sv"), V("Ärendet har behandlats."));  // ISO-8859-1 decoded
  EXPECT_EQ(at(1, "decision.date"), std::nullopt);
  EXPECT_EQ(at(2, "status"), V("K"));
  EXPECT_EQ(at(2, "message.fi"), std::nullopt);
  EXPECT_EQ(at(3, "decision.date"), V("2026-11-20"));
  EXPECT_EQ(at(3, "decision.id"), V("12 §"));
  EXPECT_EQ(at(3, "decision.code"), V("myönteinen"));
  EXPECT_EQ(at(3, "decision.maker"), V("Ympäristölautakunta"));
  EXPECT_EQ(at(3, "message.fi"), V("Päätös annettu; valitusaika 30 päivää."));
  EXPECT_EQ(at(3, "message.sv"), V("Ärendet har behandlats."));
  EXPECT_EQ(at(4, "lvCaseId"), std::nullopt);  // record 4 has no LvTunnus
  EXPECT_EQ(at(4, "status"), V("K"));
  EXPECT_EQ(at(5, "lvCaseId"), V("LV-2026-000205"));
  EXPECT_EQ(at(5, "status"), V("LV"));
}

TEST_F(XmlReaderTest, DoctypeSampleIsRefused) {
  ReadOutcome out =
      ReadAll(reader_test::YmparistoXml(), reader_test::SamplePath("doctype_refused.xml"));
  EXPECT_EQ(out.open_status.code(), Status::Code::kInvalid);
  EXPECT_EQ(out.open_status.message(), "document type declaration refused (line 2, column 1)");
}

TEST_F(XmlReaderTest, TruncatedSampleIsRefusedWithAPosition) {
  ReadOutcome out = ReadAll(reader_test::YmparistoXml(), reader_test::SamplePath("truncated.xml"));
  EXPECT_EQ(out.open_status.code(), Status::Code::kInvalid);
  // The last line, "    <v:LvTunnus>LV-2026-000203</v:LvTunnus>", ends the data unclosed.
  EXPECT_EQ(out.open_status.message().rfind("malformed XML at line 19, column 44: ", 0), 0u)
      << out.open_status.message();
}

TEST_F(XmlReaderTest, MalformedXmlNamesLineAndColumn) {
  ReadOutcome out = Read("<?xml version=\"1.0\"?>\n<a>\n  <b>ä</c>\n</a>\n");
  EXPECT_EQ(out.open_status.message().rfind("malformed XML at line 3, column 9: ", 0), 0u)
      << out.open_status.message();
  out = Read("<a><b x=\"1></b></a>");
  EXPECT_EQ(out.open_status.message().rfind("malformed XML at line 1, column ", 0), 0u)
      << out.open_status.message();
  out = Read("not xml at all");
  EXPECT_EQ(out.open_status.message().rfind("malformed XML at line 1, column ", 0), 0u)
      << out.open_status.message();
}

TEST_F(XmlReaderTest, EmptyFileIsRefused) {
  EXPECT_EQ(Read("").open_status.message(), "the file is empty: no XML document");
  EXPECT_EQ(Read("\xEF\xBB\xBF  \n").open_status.message(), "the file is empty: no XML document");
}

TEST_F(XmlReaderTest, SamePrefixDifferentPrefixAndDefaultNamespace) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  ExpectDoc(Read(Doc("", ns, "v:")));
  ExpectDoc(Read(Doc("", fmt::format("xmlns:ymp=\"{}\"", kNs), "ymp:")));
  ExpectDoc(Read(Doc("", fmt::format("xmlns=\"{}\"", kNs), "")));
}

// A root in another namespace is another layout: refused as a whole, never an empty export.
TEST_F(XmlReaderTest, WrongNamespaceRefusesTheFile) {
  ReadOutcome out = Read(Doc("", "xmlns:v=\"urn:other\"", "v:"));
  EXPECT_EQ(out.open_status.message(),
            fmt::format("root is {{urn:other}}Vienti; the profile expects {{{}}}Vienti", kNs));
  EXPECT_TRUE(out.records.empty());
  out = Read(Doc("", "", ""));  // no namespace at all
  EXPECT_EQ(out.open_status.message(),
            fmt::format("root is Vienti; the profile expects {{{}}}Vienti", kNs));
  EXPECT_TRUE(out.records.empty());
}

TEST_F(XmlReaderTest, PrefixedAttributeAndNestedRedeclaration) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.fields = {
      {"lvCaseId", "v:LvTunnus"}, {"status", "v:Tila/@v:koodi"}, {"handler", "@v:kasittelija"}};
  std::string doc = fmt::format(
      "<a:Vienti xmlns:a=\"{0}\"><a:Asia a:kasittelija=\"Liisa\"><b:LvTunnus "
      "xmlns:b=\"{0}\">LV-1</b:LvTunnus>"
      "<a:Tila a:koodi=\"K\" koodi=\"wrong\"/></a:Asia></a:Vienti>",
      kNs);
  ReadOutcome out = Read(doc, p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values(),
            (std::vector<std::optional<std::string>>{V("LV-1"), V("K"), V("Liisa")}));
}

TEST_F(XmlReaderTest, ValuesAreTrimmedStringValues) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.fields = {{"message.fi", "v:Viesti"},
              {"message.sv", "v:Tyhja"},
              {"handler", "concat(v:A, '-', v:B)"},
              {"decision.id", "v:Monta"}};
  std::string doc = fmt::format(
      "<v:Vienti xmlns:v=\"{}\"><v:Asia><v:Viesti>\n   Ensin <v:b>lihava</v:b> ja "
      "<![CDATA[<cdata>]]> &amp; loput\n "
      "</v:Viesti><v:Tyhja/><v:A>1</v:A><v:B>2</v:B><v:Monta>eka</v:Monta><v:Monta>toka</v:Monta></"
      "v:Asia></v:Vienti>",
      kNs);
  ReadOutcome out = Read(doc, p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values(),
            (std::vector<std::optional<std::string>>{V("Ensin lihava ja <cdata> & loput"), V(""),
                                                     V("1-2"), V("eka")}));
}

TEST_F(XmlReaderTest, Utf16WithAndWithoutBom) {
  std::string doc = Doc("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n",
                        fmt::format("xmlns:v=\"{}\"", kNs), "v:");
  for (bool big_endian : {false, true}) {
    for (bool bom : {true, false}) {
      // UTF-8 -> UTF-16 by hand (all of Doc() is in the BMP).
      std::string u16 = bom ? (big_endian ? "\xFE\xFF" : "\xFF\xFE") : "";
      for (size_t i = 0; i < doc.size();) {
        unsigned char c = doc[i];
        char32_t cp;
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : 3;
        cp = len == 1 ? c : len == 2 ? (c & 0x1F) : (c & 0x0F);
        for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (doc[i + k] & 0x3F);
        i += len;
        char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp & 0xFF);
        u16 += big_endian ? std::string{hi, lo} : std::string{lo, hi};
      }
      SCOPED_TRACE(testing::Message() << "big endian " << big_endian << " bom " << bom);
      ExpectDoc(Read(u16));
    }
  }
}

TEST_F(XmlReaderTest, Windows1252Xml) {
  std::string doc = Doc("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n",
                        fmt::format("xmlns:v=\"{}\"", kNs), "v:");
  ExpectDoc(Read(EncodeFromUtf8(doc, Encoding::kWindows1252)));
  // An undefined byte is refused with its position.
  std::string bad = "<?xml version='1.0' encoding='Windows-1252'?>\n<a>\n  \xE4\xE4\x81</a>";
  EXPECT_EQ(Read(bad).open_status.message(), "invalid windows-1252 byte 0x81 at line 3, column 5");
}

TEST_F(XmlReaderTest, Iso88591AndUtf8Xml) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  std::string latin = Doc("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n", ns, "v:");
  // ISO-8859-1 cannot hold € and the quotes: check the rest.
  ReadOutcome out = Read(EncodeFromUtf8(latin, Encoding::kIso88591));
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].Values()[FieldIndex(reader_test::YmparistoXml(), "message.fi")],
            V("Päätös ? ?lainattu?"));
  ExpectDoc(Read(Doc("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ns, "v:")));
  ExpectDoc(Read("\xEF\xBB\xBF" + Doc("<?xml version=\"1.0\"?>\n", ns, "v:")));
  ExpectDoc(Read(Doc("", ns, "v:")));
  EXPECT_EQ(Read("<a>\n\xC3\x28</a>").open_status.message(),
            "invalid UTF-8 sequence (byte 0xC3) at line 2, column 1");
  EXPECT_EQ(
      Read("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>\xED\xA0\x80</a>").open_status.message(),
      "invalid UTF-8 sequence (byte 0xED) at line 1, column 42");
}

TEST_F(XmlReaderTest, UnsupportedEncodingsAreRefused) {
  EXPECT_EQ(Read("<?xml version=\"1.0\" encoding=\"EBCDIC-FI\"?><a/>").open_status.message(),
            "unsupported encoding 'EBCDIC-FI' (line 1)");
  EXPECT_EQ(Read("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>").open_status.message(),
            "the declaration says UTF-16 but the file is not UTF-16");
  EXPECT_EQ(Read(std::string("\xFF\xFE\0\0<\0\0\0", 8)).open_status.message(),
            "unsupported encoding UTF-32");
}

TEST_F(XmlReaderTest, AnyDoctypeIsRefused) {
  EXPECT_EQ(Read("<!DOCTYPE a><a/>").open_status.message(),
            "document type declaration refused (line 1, column 1)");
  EXPECT_EQ(Read("<?xml version='1.0'?>\n\n  <!doctype a SYSTEM 'http://example.com/x.dtd'><a/>")
                .open_status.message(),
            "document type declaration refused (line 3, column 3)");
  // In a comment or a CDATA section it is text, not a declaration.
  ProfileConfig p = reader_test::YmparistoXml();
  p.record = "/a";
  p.fields = {{"message.fi", "."}};
  ReadOutcome out = Read("<!-- <!DOCTYPE x> --><a><![CDATA[<!DOCTYPE y>]]></a>", p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values()[0], V("<!DOCTYPE y>"));
}

TEST_F(XmlReaderTest, BillionLaughsIsRefusedWithoutExpansion) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    std::string previous = i == 1 ? "&lol;" : fmt::format("&lol{};", i - 1);
    std::string ten;
    for (int k = 0; k < 10; ++k) ten += previous;
    bomb += fmt::format(" <!ENTITY lol{} \"{}\">\n", i, ten);
  }
  bomb += "]>\n<lolz>&lol9;</lolz>\n";
  ReadOutcome out = Read(bomb);
  EXPECT_EQ(out.open_status.message(), "document type declaration refused (line 2, column 1)");
}

TEST_F(XmlReaderTest, DeepNestingIsRefusedWithoutCrashing) {
  const size_t depth = 100000;
  std::string doc;
  doc.reserve(depth * 8);
  for (size_t i = 0; i < depth; ++i) doc += "<d>";
  for (size_t i = 0; i < depth; ++i) doc += "</d>";
  ReadOutcome out = Read(doc);
  EXPECT_EQ(out.open_status.message(),
            fmt::format("elements nested deeper than {} levels (line 1, column {})",
                        XmlReader::kMaxDepth, 3 * XmlReader::kMaxDepth + 2));
  // Unclosed, too: a parse error, not a crash.
  out = Read(doc.substr(0, depth * 3));
  EXPECT_EQ(out.open_status.message().rfind("malformed XML at line 1, column ", 0), 0u)
      << out.open_status.message();
}

TEST_F(XmlReaderTest, NestingUpToTheLimitIsRead) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.record = "/d";
  p.fields = {{"message.fi", "."}};
  std::string doc;
  for (size_t i = 0; i < XmlReader::kMaxDepth; ++i) doc += "<d>";
  doc += "x";
  for (size_t i = 0; i < XmlReader::kMaxDepth; ++i) doc += "</d>";
  ReadOutcome out = Read(doc, p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values()[0], V("x"));
}

TEST_F(XmlReaderTest, BadProfileXPathsAreRefused) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.fields.push_back({"handler", "w:Kasittelija"});
  EXPECT_EQ(
      Read(Doc("", "", ""), p).open_status.message(),
      "XPath 'w:Kasittelija' uses the namespace prefix 'w', which the profile does not declare");
  p = reader_test::YmparistoXml();
  p.fields.push_back({"handler", "v:Kasittelija[["});
  EXPECT_EQ(
      Read(Doc("", "", ""), p).open_status.message().rfind("a profile XPath does not compile: ", 0),
      0u);
  p = reader_test::YmparistoXml();
  p.record = "count(/v:Vienti)";
  EXPECT_EQ(Read(Doc("", "", ""), p).open_status.message(),
            "the record XPath 'count(/v:Vienti)' does not select nodes");
}

TEST_F(XmlReaderTest, XPathNamespaceRewrites) {
  NamespaceList ns = {{"v", "urn:v"}, {"q", "urn:it's"}};
  auto q = [&](const char* x) {
    auto r = QualifyXPath(x, ns);
    return r.ok() ? *r : "error: " + r.status().message();
  };
  EXPECT_EQ(q("/v:Vienti/v:Asia"),
            "/*[local-name()='Vienti' and namespace-uri()='urn:v']/*[local-name()='Asia' and "
            "namespace-uri()='urn:v']");
  EXPECT_EQ(q("v:Tila/@koodi"), "*[local-name()='Tila' and namespace-uri()='urn:v']/@koodi");
  EXPECT_EQ(q("@v:koodi"), "@*[local-name()='koodi' and namespace-uri()='urn:v']");
  EXPECT_EQ(q("child::v:A"), "child::*[local-name()='A' and namespace-uri()='urn:v']");
  EXPECT_EQ(q("v:*"), "*[namespace-uri()='urn:v']");
  EXPECT_EQ(q("q:X"), "*[local-name()='X' and namespace-uri()=\"urn:it's\"]");
  EXPECT_EQ(
      q("v:Viesti[@kieli='v:fi']"),
      "*[local-name()='Viesti' and namespace-uri()='urn:v'][@kieli='v:fi']");  // literals untouched
  EXPECT_EQ(q("Plain/name-with.dots"), "Plain/name-with.dots");
  EXPECT_EQ(q("concat(v:A, 'x')"), "concat(*[local-name()='A' and namespace-uri()='urn:v'], 'x')");
  EXPECT_EQ(q("x:A"),
            "error: XPath 'x:A' uses the namespace prefix 'x', which the profile does not declare");
}

TEST_F(XmlReaderTest, XPathNamespaceRenamesWhenTheDocumentIsUnambiguous) {
  NamespaceList profile = {{"v", "urn:v"}, {"w", "urn:w"}};
  EXPECT_EQ(UnambiguousPrefixes(profile, {{"x", "urn:v"}, {"w", "urn:w"}}),
            (NamespaceList{{"v", "x"}, {"w", "w"}}));
  EXPECT_EQ(UnambiguousPrefixes(profile, {{"x", "urn:v"}, {"y", "urn:v"}}),
            NamespaceList{});                                                 // two prefixes
  EXPECT_EQ(UnambiguousPrefixes(profile, {{"", "urn:v"}}), NamespaceList{});  // default ns
  EXPECT_EQ(UnambiguousPrefixes(profile, {{"x", "urn:v"}, {"", "urn:v"}}), NamespaceList{});
  EXPECT_EQ(UnambiguousPrefixes(profile, {{"x", "urn:v"}, {"x", "urn:other"}}),
            NamespaceList{});  // rebound
  EXPECT_EQ(UnambiguousPrefixes(profile, {}), NamespaceList{});
  auto r = QualifyXPath("/v:A/@v:b | w:*", profile, {{"v", "x"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "/x:A/@x:b | *[namespace-uri()='urn:w']");
}

TEST_F(XmlReaderTest, PrefixReboundInASubtree) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.record = "//v:LvTunnus";
  p.fields = {{"lvCaseId", "."}};
  std::string doc = fmt::format(
      "<v:Vienti xmlns:v=\"{}\"><v:Asia><v:LvTunnus>LV-1</v:LvTunnus>"
      "<v:Muu xmlns:v=\"urn:other\"><v:LvTunnus>not this</v:LvTunnus></v:Muu></v:Asia></v:Vienti>",
      kNs);
  ReadOutcome out = Read(doc, p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values()[0], V("LV-1"));
}

TEST_F(XmlReaderTest, DefaultNamespaceAndPrefixForTheSameUri) {
  std::string doc = fmt::format(
      "<Vienti xmlns=\"{0}\" xmlns:v=\"{0}\"><v:Asia><LvTunnus>LV-1</LvTunnus></v:Asia>"
      "<Asia><v:LvTunnus>LV-2</v:LvTunnus></Asia><Asia "
      "xmlns=\"\"><LvTunnus>no</LvTunnus></Asia></Vienti>",
      kNs);
  ReadOutcome out = Read(doc);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].Values()[0], V("LV-1"));
  EXPECT_EQ(out.records[1].Values()[0], V("LV-2"));
}

// A reference to a character XML forbids refuses the whole file (SPEC §4); one to a character
// outside the BMP is fine.
TEST_F(XmlReaderTest, InvalidCharacterReferenceRefusesTheFile) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.fields = {
      {"lvCaseId", "v:LvTunnus"}, {"message.fi", "v:Viesti"}, {"message.sv", "v:Viesti/@xml:lang"}};
  std::string doc = fmt::format(
      "<v:Vienti xmlns:v=\"{}\"><v:Asia><v:LvTunnus>LV-1</v:LvTunnus><v:Viesti "
      "xml:lang=\"fi\">a&#xD800;b</v:Viesti></v:Asia>"
      "<v:Asia><v:LvTunnus>LV-2</v:LvTunnus><v:Viesti>&#x1F600; "
      "&#xE4;</v:Viesti></v:Asia></v:Vienti>",
      kNs);
  ReadOutcome out = Read(doc, p);
  EXPECT_EQ(out.open_status.message(),
            "character reference '&#xD800;' names a character XML does not allow (line 1, "
            "column 114)");
  EXPECT_TRUE(out.records.empty());
  doc.replace(doc.find("&#xD800;"), 8, "&#x2603;");
  out = Read(doc, p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].Values()[1], V("a☃b"));
  EXPECT_FALSE(out.records[1].error_field);
  EXPECT_EQ(out.records[1].Values()[1], V("😀 ä"));
}

TEST_F(XmlReaderTest, TextPositionAt) {
  std::string t = "ab\r\nä€x\rq\ny";
  EXPECT_EQ(DescribePosition(t, 0), "line 1, column 1");
  EXPECT_EQ(DescribePosition(t, 4), "line 2, column 1");
  EXPECT_EQ(DescribePosition(t, 9), "line 2, column 3");  // after ä and € (5 bytes)
  EXPECT_EQ(DescribePosition(t, 11), "line 3, column 1");
  EXPECT_EQ(DescribePosition(t, 13), "line 4, column 1");
}

}  // namespace
}  // namespace liitos
