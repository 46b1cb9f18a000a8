// The streaming XML reader against the DOM reader: the same records and the same refusals, word
// for word, whatever the chunk size; also across a record of many chunks (memory on big files:
// tests/daemon/big_file_slow_test.cpp).
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formats/encoding.h"
#include "formats/xml/xml_fields.h"
#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_stream.h"
#include "tests/formats/reader_test_util.h"
#include "tests/formats/xml_stream_test_util.h"

namespace liitos {
namespace {

using xml_stream_test::kNs;
using xml_stream_test::Outcome;
using xml_stream_test::ReadWith;
using xml_stream_test::Dom;
using xml_stream_test::Stream;
using xml_stream_test::Describe;
using xml_stream_test::XmlStreamTest;
using xml_stream_test::Record;
using xml_stream_test::Vienti;

TEST_F(XmlStreamTest, CanStreamPlainPathsStreamAndTheRestUsesTheDom) {
  ProfileConfig p = reader_test::YmparistoXml();
  EXPECT_TRUE(XmlStreamReader::CanStream(p));
  for (const char* record : {"/v:Vienti", "/Vienti/Asia", "/v:Vienti/x:Asia"}) {
    p = reader_test::YmparistoXml();
    p.namespaces.push_back({"x", "urn:x"});
    p.record = record;
    EXPECT_TRUE(XmlStreamReader::CanStream(p)) << record;
  }
  for (const char* record : {"//v:Asia", "/v:Vienti//v:Asia", "/v:Vienti/v:Asia[1]", "/v:Vienti/*",
                             "/v:Vienti/w:Asia", "v:Vienti/v:Asia", "/", "/v:Vienti/v:Asia/",
                             "/v:Vienti/child::v:Asia", "/v:Vienti/v:Asia | /v:Muu"}) {
    p = reader_test::YmparistoXml();
    p.record = record;
    EXPECT_FALSE(XmlStreamReader::CanStream(p)) << record;
  }
  for (const char* field :
       {".", "@id", "v:A/v:B/@c", "v:A[@k='x']", "concat(v:A, '/', v:B)", "v:A//v:B", "*/v:B",
        "count(*/v:B)", "v:A[. = '..']", "string(.)", "name()", "v:following-date"}) {
    p = reader_test::YmparistoXml();
    p.fields = {{"handler", field}};
    EXPECT_EQ(XmlStreamReader::CanStream(p), std::string_view(field) != "v:following-date")
        << field;
  }
  for (const char* field :
       {"/v:Vienti/@luotu", "../v:A", "parent::*/v:A", "ancestor::v:Vienti",
        "preceding-sibling::v:Asia", "following::v:A", "lang('fi')", "id('x')", "v:A | /v:B",
        "(//v:A)[1]", "v:A div /v:B", "$x", "count(/v:Vienti/v:Asia)", "2*/v:A", " /v:A"}) {
    p = reader_test::YmparistoXml();
    p.fields = {{"handler", field}};
    EXPECT_FALSE(XmlStreamReader::CanStream(p)) << field;
  }
}

TEST_F(XmlStreamTest, SamplesAsTheDom) {
  for (const char* name : {"vienti_20261121.xml", "truncated.xml", "doctype_refused.xml"}) {
    std::ifstream in(reader_test::SamplePath(name), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(bytes.empty()) << name;
    Outcome o = ExpectSame(bytes);
    EXPECT_EQ(o.records.size(), std::string(name) == "vienti_20261121.xml" ? 5u : 0u) << name;
  }
}

TEST_F(XmlStreamTest, NamespacesWhereverDeclared) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  EXPECT_EQ(ExpectSame(Vienti("v:", ns, 3)).records.size(), 3u);
  EXPECT_EQ(ExpectSame(Vienti("ymp:", fmt::format("xmlns:ymp=\"{}\"", kNs), 3)).records.size(), 3u);
  EXPECT_EQ(ExpectSame(Vienti("", fmt::format("xmlns=\"{}\"", kNs), 3)).records.size(), 3u);
  // Declared on each record, with a prefix the root does not use.
  std::string doc = fmt::format("<v:Vienti xmlns:v=\"{0}\">\n{1}{2}</v:Vienti>", kNs,
                                Record("w:", 1, fmt::format(" xmlns:w=\"{}\"", kNs)),
                                Record("", 2, fmt::format(" xmlns=\"{}\"", kNs)));
  EXPECT_EQ(ExpectSame(doc).records.size(), 2u);
  // Two prefixes for the URI (no renames: namespace-uri() tests), one rebound inside a record,
  // and a record that leaves the namespace.
  doc = fmt::format(
      "<a:Vienti xmlns:a=\"{0}\" xmlns:b=\"{0}\"><b:Asia><a:LvTunnus>LV-1</a:LvTunnus>"
      "<b:Tila xmlns:b=\"urn:other\" koodi=\"X\"/><a:Tila koodi=\"K\"/></b:Asia>"
      "<Asia xmlns=\"{0}\"><LvTunnus xmlns=\"\">no</LvTunnus><LvTunnus>LV-2</LvTunnus></Asia>"
      "<a:Asia xmlns:a=\"urn:other\"><a:LvTunnus>not a record</a:LvTunnus></a:Asia></a:Vienti>",
      kNs);
  Outcome o = ExpectSame(doc);
  ASSERT_EQ(o.records.size(), 2u);
  EXPECT_EQ(o.records[0].Values()[2], std::optional<std::string>("K"));
  EXPECT_EQ(o.records[1].Values()[0], std::optional<std::string>("LV-2"));
  // A URI written with references, blanks in declarations, an undeclared prefix.
  ProfileConfig p = reader_test::YmparistoXml();
  p.namespaces = {{"v", "urn:a&b <c>"}};
  doc =
      "<v:Vienti xmlns:v = 'urn:a&amp;b &lt;c&gt;'><v:Asia><v:LvTunnus>LV-1</v:LvTunnus>"
      "<q:Tila koodi='K'/></v:Asia><v:Asia\txmlns:v=\"urn:a&#38;b\n<c>\"/></v:Vienti>";
  EXPECT_EQ(ExpectSame(doc, p).records.size(), 2u);
  // A root the record path cannot select from: the file is refused (formats/xml/xml_rules.h).
  EXPECT_EQ(ExpectSame(Vienti("v:", "xmlns:v=\"urn:other\"", 2)).error.rfind("root is ", 0), 0u);
  EXPECT_EQ(ExpectSame(Vienti("", "", 2)).error.rfind("root is ", 0), 0u);
}

TEST_F(XmlStreamTest, MarkupBetweenAndInsideRecords) {
  std::string doc = fmt::format(
      "\xEF\xBB\xBF<?xml version='1.0'?>\r\n<!-- export <v:Asia> -->\r\n<?liitos x=\"<v:Asia>\"?>"
      "<v:Vienti xmlns:v=\"{}\" note='a > b /> c &lt; \"q\"'>\r\n<!----><![CDATA[<v:Asia>]]>"
      "<v:Asia a=\"x>y\" b='q/>' c=\"<\" >\r\n<!-- </v:Asia> --><?pi ?>"
      "<v:LvTunnus >LV-<![CDATA[1]]>&amp;&#x32;</v:LvTunnus ><v:Tila koodi = \"K\" "
      "pvm='2026-11-0\r\n"
      "1' /><v:Viesti kieli='fi'>\r\n  rivi\r\n  toinen\r\n</v:Viesti></v:Asia\r\n>"
      "text between<v:Asia/><v:Muu><v:Asia><v:LvTunnus>deeper: not a record</v:LvTunnus></v:Asia>"
      "</v:Muu>\r\n</v:Vienti>\r\n<!-- after -->\r\n",
      kNs);
  Outcome o = ExpectSame(doc);
  ASSERT_EQ(o.records.size(), 2u);
  EXPECT_EQ(o.records[0].Values()[0], std::optional<std::string>("LV-1&2"));
  EXPECT_EQ(o.records[1].number, 2u);
}

TEST_F(XmlStreamTest, EveryFieldShapeAsTheXPathEngine) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.namespaces.push_back({"w", "urn:w"});
  p.fields = {{"lvCaseId", "."},
              {"authorityCaseId", "@id"},
              {"status", "v:Tila/@koodi"},
              {"statusChangedAt", "v:Tila[@w:laji=\"uusi\"]/@pvm"},
              {"decision.date", "v:Paatos/v:Pvm"},
              {"decision.id", "v:Paatos[@tulos='x'][@laji='y']/v:Pykala"},
              {"decision.code", "@w:koodi"},
              {"decision.maker", "v:Muu/@xmlns"},
              {"message.fi", "v:Viesti[@kieli='fi']"},
              {"message.sv", "concat(v:Viesti[@kieli='sv'], '|', count(v:Viesti))"},
              {"customer.businessId", "v:Hakija/*"},
              {"municipalityCode", "xml:lang"},
              {"handler", "@xml:lang"}};
  std::string doc = fmt::format(
      "<v:Vienti xmlns:v=\"{0}\" xmlns:w=\"urn:w\" xmlns:w2=\"urn:w\">"
      "<v:Asia id=\"7\" id=\"8\" w2:koodi=\"k\" xml:lang=\"fi\"> a <v:Tila koodi=\"1\"/>"
      "<v:Tila koodi=\"2\" w2:laji=\"uusi\" pvm=\"p2\"/><v:Tila w:laji=\"uusi\" pvm=\"p3\"/>"
      "<v:Paatos tulos=\"x\"><v:Pykala>no</v:Pykala></v:Paatos>"
      "<v:Paatos laji=\"y\" tulos=\"x\"/><v:Paatos tulos=\"x\" laji=\"y\"><v:Pykala>"
      "12 §</v:Pykala></v:Paatos><v:Muu xmlns=\"urn:d\"/><v:Viesti>none</v:Viesti>"
      "<v:Viesti kieli=\"sv\">sv</v:Viesti><v:Viesti kieli=\"fi\"><b>fi</b> "
      "<![CDATA[&]]></v:Viesti>"
      "<v:Hakija>\n<v:Ytunnus>1572860-0</v:Ytunnus></v:Hakija></v:Asia></v:Vienti>",
      kNs);
  std::string path = dir_.Write("fields.xml", doc);
  Outcome o = ExpectSame(doc, p);
  ASSERT_EQ(o.records.size(), 1u) << Describe(o);
  // The direct paths against pugixml's XPath engine on the same record, with and without the
  // renames a document may allow.
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(doc.c_str()));
  pugi::xpath_node record = d.first_child().first_child();
  for (const NamespaceList& renames : {NamespaceList{}, NamespaceList{{"v", "v"}}}) {
    XmlFieldSet direct, engine;
    ASSERT_TRUE(direct.Compile(p, renames).ok());
    ASSERT_TRUE(engine.Compile(p, renames, false).ok());
    RawRecord a, b;
    a.number = b.number = 1;
    ASSERT_TRUE(direct.Evaluate(record, &a).ok());
    ASSERT_TRUE(engine.Evaluate(record, &b).ok());
    EXPECT_EQ(a.Values(), b.Values());
    EXPECT_EQ(a.Values(), o.records[0].Values());
  }
  EXPECT_EQ(o.records[0].Values()[1], std::optional<std::string>("7"));
  EXPECT_EQ(o.records[0].Values()[3], std::optional<std::string>("p2"));  // w2: is w: too
  EXPECT_EQ(o.records[0].Values()[5], std::optional<std::string>("12 §"));
  EXPECT_EQ(o.records[0].Values()[6], std::optional<std::string>("k"));
  EXPECT_EQ(o.records[0].Values()[7], std::nullopt);  // xmlns is not an attribute to XPath
  EXPECT_EQ(o.records[0].Values()[8], std::optional<std::string>("fi&"));  // blank text dropped
  EXPECT_EQ(o.records[0].Values()[9], std::optional<std::string>("sv|3"));
}

TEST_F(XmlStreamTest, EncodingsChunkByChunk) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  std::string utf8 = Vienti("v:", ns, 3);
  ExpectSame(utf8);
  ExpectSame("\xEF\xBB\xBF" + utf8);
  std::string latin = Vienti("v:", ns, 3, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n");
  EXPECT_EQ(ExpectSame(EncodeFromUtf8(latin, Encoding::kIso88591)).records.size(), 3u);
  std::string cp = Vienti("v:", ns, 3, "<?xml version='1.0' encoding='windows-1252'?>\n");
  Outcome o = ExpectSame(EncodeFromUtf8(cp, Encoding::kWindows1252));
  ASSERT_EQ(o.records.size(), 3u);
  EXPECT_EQ(o.records[0].Values()[8], std::optional<std::string>("Hakemus käsittelyssä € ? 1."));
  // UTF-16 (every character of Vienti is in the BMP but 😀: a surrogate pair to cut).
  std::string u16 = Vienti("v:", ns, 2, "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n");
  for (bool big : {false, true}) {
    for (bool bom : {true, false}) {
      std::string bytes = bom ? (big ? "\xFE\xFF" : "\xFF\xFE") : "";
      for (size_t i = 0; i < u16.size();) {
        auto c = static_cast<unsigned char>(u16[i]);
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (u16[i + k] & 0x3F);
        i += len;
        std::vector<char16_t> units;
        if (cp >= 0x10000)
          units = {static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)),
                   static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF))};
        else
          units = {static_cast<char16_t>(cp)};
        for (char16_t u : units) {
          char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
          bytes += big ? std::string{hi, lo} : std::string{lo, hi};
        }
      }
      SCOPED_TRACE(testing::Message() << "big endian " << big << " bom " << bom);
      EXPECT_EQ(ExpectSame(bytes).records.size(), 2u);
      ExpectSame(bytes.substr(0, bytes.size() - 1));                           // odd length
      ExpectSame(bytes.substr(0, bytes.size() / 2) + std::string(2, '\xDC'));  // lone low half
    }
  }
}

TEST_F(XmlStreamTest, ARecordOfManyChunksAmongSmallOnes) {
  ProfileConfig p = reader_test::YmparistoXml();
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  std::string doc = "<v:Vienti " + ns + ">\n";
  for (int i = 0; i < 20000; ++i) doc += Record("v:", i);
  doc += "  <v:Asia><v:LvTunnus>big</v:LvTunnus><v:Viesti kieli='fi'>" + std::string(5 << 20, 'a') +
         "</v:Viesti></v:Asia>\n";
  for (int i = 0; i < 100; ++i) doc += Record("v:", i);
  doc += "</v:Vienti>\n";
  std::string path = dir_.Write("big.xml", doc);
  auto reader = XmlStreamReader::Open(p, path, 4096);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  size_t n = 0;
  RawRecord rec;
  for (;;) {
    auto more = (*reader)->Next(&rec);
    ASSERT_TRUE(more.ok()) << more.status().message();
    if (!*more)
      break;
    if (++n == 20001) {
      EXPECT_EQ(rec.Values()[8]->size(), size_t{5 << 20});
    }
  }
  EXPECT_EQ(n, 20101u);
  // And the same records as the DOM.
  Outcome s = Stream(p, path, 64 << 10), d = Dom(p, path);
  EXPECT_EQ(Describe(s), Describe(d));
}

TEST_F(XmlStreamTest, DeeperRecordPathsAndNumbering) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.record = "/v:Vienti/v:Erä/v:Asia";
  std::string doc = fmt::format(
      "<v:Vienti xmlns:v=\"{0}\"><v:Asia><v:LvTunnus>no</v:LvTunnus></v:Asia>"
      "<v:Erä><v:Asia><v:LvTunnus>LV-1</v:LvTunnus></v:Asia><v:Muu><v:Asia/></v:Muu>"
      "<v:Asia/></v:Erä><v:Erä/><v:Erä xmlns:v=\"urn:other\"><v:Asia>no</v:Asia></v:Erä>"
      "<w:Erä xmlns:w=\"{0}\"><w:Asia><w:LvTunnus>LV-3</w:LvTunnus></w:Asia></w:Erä></v:Vienti>",
      kNs);
  Outcome o = ExpectSame(doc, p);
  ASSERT_EQ(o.records.size(), 3u);
  EXPECT_EQ(o.records[2].number, 3u);
  EXPECT_EQ(o.records[2].Values()[0], std::optional<std::string>("LV-3"));
}

TEST_F(XmlStreamTest, AFileChangedAfterOpenFailsInNext) {
  ProfileConfig p = reader_test::YmparistoXml();
  std::string doc = Vienti("v:", fmt::format("xmlns:v=\"{}\"", kNs), 50);
  std::string path = dir_.Write("changing.xml", doc);
  auto reader = XmlStreamReader::Open(p, path, 256);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  std::ofstream(path, std::ios::binary | std::ios::in)
      << doc.substr(0, doc.size() / 2) << "</v:Wrong>";
  RawRecord rec;
  size_t n = 0;
  Result<bool> more = true;
  while ((more = (*reader)->Next(&rec)).ok() && *more) ++n;
  EXPECT_GT(n, 5u);
  EXPECT_LT(n, 50u);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().message().rfind("malformed XML at line ", 0), 0u)
      << more.status().message();
}

TEST_F(XmlStreamTest, OpenRecordReaderStreamsWhenItCan) {
  // The sample through the public entry point: the streaming reader (a 1-byte chunk would be
  // slow; the default is used) gives what the DOM gives.
  ProfileConfig p = reader_test::YmparistoXml();
  std::string path = reader_test::SamplePath("vienti_20261121.xml");
  Outcome viaOpen = ReadWith([&] { return OpenRecordReader(p, path); });
  EXPECT_EQ(Describe(viaOpen), Describe(Dom(p, path)));
  p.record = "//v:Asia";  // the DOM, same records
  EXPECT_EQ(Describe(ReadWith([&] { return OpenRecordReader(p, path); })), Describe(viaOpen));
}

}  // namespace
}  // namespace liitos
