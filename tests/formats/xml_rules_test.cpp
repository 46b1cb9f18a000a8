// The XML rules of SPEC §4 that pugixml does not enforce (formats/xml/xml_rules.h), on both readers:
// a root element of another layout, content after the root element, characters XML forbids
// (written raw or as references) and undefined entities refuse the file. Every case is read by
// the DOM reader and streaming at several chunk sizes, and the outcomes must agree word for word.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "formats/convert.h"
#include "formats/mapping.h"
#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_rules.h"
#include "tests/formats/reader_test_util.h"
#include "tests/formats/xml_stream_test_util.h"

namespace liitos {
namespace {

using xml_stream_test::Dom;
using xml_stream_test::kNs;
using xml_stream_test::Outcome;
using xml_stream_test::Record;
using xml_stream_test::Vienti;
using xml_stream_test::XmlStreamTest;

class XmlRulesTest : public XmlStreamTest {};

const std::string kExpects = fmt::format("the profile expects {{{}}}Vienti", kNs);

std::string Ns(const std::string& prefix = "v") {
  return fmt::format("xmlns{}=\"{}\"", prefix.empty() ? "" : ":" + prefix, kNs);
}

TEST_F(XmlRulesTest, RootOfAnotherLayoutRefusesTheFile) {
  struct Case {
    std::string doc, error;
  };
  for (const Case& c : std::vector<Case>{
           {Vienti("v:", "xmlns:v=\"urn:other\"", 2), "root is {urn:other}Vienti; " + kExpects},
           {Vienti("", "", 2), "root is Vienti; " + kExpects},
           {Vienti("v:", "", 2), "root is v:Vienti; " + kExpects},  // prefix never declared
           {Vienti("", "xmlns=\"urn:other\"", 1), "root is {urn:other}Vienti; " + kExpects},
           {fmt::format("<v:Export {}>{}</v:Export>", Ns(), Record("v:", 1)),
            fmt::format("root is {{{}}}Export; {}", kNs, kExpects)},
           // The root's own declaration counts, the first of two.
           {fmt::format("<v:Vienti xmlns:v=\"urn:other\" {}/>", Ns()),
            "root is {urn:other}Vienti; " + kExpects},
       }) {
    SCOPED_TRACE(c.doc);
    Outcome o = ExpectSame(c.doc);
    EXPECT_EQ(o.error, c.error);
    EXPECT_TRUE(o.records.empty());
  }
  // SPEC §4's own example.
  ProfileConfig p = reader_test::YmparistoXml();
  p.namespaces = {{"v", "urn:x:1"}};
  EXPECT_EQ(ExpectSame("<Vienti xmlns=\"urn:x:2\"><Asia/></Vienti>", p).error,
            "root is {urn:x:2}Vienti; the profile expects {urn:x:1}Vienti");
}

TEST_F(XmlRulesTest, MatchingRootWithoutRecordsIsAnEmptyExport) {
  for (const std::string& doc : std::vector<std::string>{
           Vienti("v:", Ns(), 0), Vienti("", Ns(""), 0), Vienti("ymp:", Ns("ymp"), 0),
           fmt::format("<v:Vienti {}/>", Ns()),
           fmt::format("<v:Vienti {}><v:Muu><v:Asia/></v:Muu>text</v:Vienti>", Ns()),
           // Records in another namespace under the right root are not records: nothing, no error.
           fmt::format("<v:Vienti {}><w:Asia xmlns:w=\"urn:other\"/></v:Vienti>", Ns())}) {
    SCOPED_TRACE(doc);
    Outcome o = ExpectSame(doc);
    EXPECT_EQ(o.error, "");
    EXPECT_TRUE(o.records.empty());
  }
}

// Record paths only the DOM reader takes: the root is judged when the path starts with a plain
// child step of the document, and left alone otherwise.
TEST_F(XmlRulesTest, RootCheckOnRecordPathsTheDomReads) {
  std::string wrong = Vienti("v:", "xmlns:v=\"urn:other\"", 1);
  std::string right = Vienti("v:", Ns(), 1);
  struct Case {
    const char* record;
    bool judged;
  };
  for (const Case& c : std::vector<Case>{{"/v:Vienti/v:Asia[v:LvTunnus]", true},
                                         {"v:Vienti/v:Asia", true},
                                         {"/child::v:Vienti/v:Asia", true},
                                         {"/v:Vienti[@x]/v:Asia | /v:Vienti/v:Asia", false},
                                         {"//v:Asia", false},
                                         {"/*/v:Asia", false},
                                         {"(/v:Vienti/v:Asia)[1]", false},
                                         {"descendant::v:Asia", false}}) {
    SCOPED_TRACE(c.record);
    ProfileConfig p = reader_test::YmparistoXml();
    p.record = c.record;
    ASSERT_FALSE(XmlStreamReader::CanStream(p));
    std::string path = dir_.Write("dom.xml", wrong);
    Outcome o = Dom(p, path);
    EXPECT_EQ(o.error, c.judged ? "root is {urn:other}Vienti; " + kExpects : "");
    EXPECT_EQ(Dom(p, dir_.Write("dom.xml", right)).error, "");
  }
  // A namespace wildcard tests the namespace only; an unprefixed name the name as written, as
  // pugixml's XPath does.
  ProfileConfig p = reader_test::YmparistoXml();
  p.record = "/v:*/v:Asia";
  EXPECT_EQ(Dom(p, dir_.Write("dom.xml", right)).error, "");
  EXPECT_EQ(Dom(p, dir_.Write("dom.xml", wrong)).error,
            fmt::format("root is {{urn:other}}Vienti; the profile expects {{{}}}*", kNs));
  p.record = "/Vienti/Asia";
  EXPECT_EQ(Dom(p, dir_.Write("dom.xml", Vienti("", "xmlns=\"urn:any\"", 1))).records.size(), 1u);
  EXPECT_EQ(Dom(p, dir_.Write("dom.xml", right)).error,
            fmt::format("root is {{{}}}Vienti; the profile expects Vienti", kNs));
}

TEST_F(XmlRulesTest, ContentAfterTheRootRefusesTheFile) {
  const std::string doc = Vienti("v:", Ns(), 1);  // ends "</v:Vienti>\n"
  const size_t lines = 4;
  struct Case {
    std::string tail, position;
  };
  for (const Case& c : std::vector<Case>{
           {fmt::format("<v:Vienti {}/>", Ns()), fmt::format("line {}, column 1", lines + 1)},
           {"  trailing text", fmt::format("line {}, column 3", lines + 1)},
           {"<!-- c -->\r\n<?pi x?> x", fmt::format("line {}, column 10", lines + 2)},
           {"<![CDATA[x]]>", fmt::format("line {}, column 1", lines + 1)},
           {"<v:Asia/>", fmt::format("line {}, column 1", lines + 1)},
           {"\n\n&amp;", fmt::format("line {}, column 1", lines + 3)},
       }) {
    SCOPED_TRACE(c.tail);
    Outcome o = ExpectSame(doc + c.tail);
    EXPECT_EQ(o.error, "content after the root element (" + c.position + ")");
    EXPECT_TRUE(o.records.empty());
  }
  // Blanks, comments and processing instructions may follow; a NUL byte ends the document.
  for (const std::string& tail :
       {std::string("\r\n \t\n"), std::string("<!-- <v:Asia/> &foo; -->\n<?pi <x/> &#0; ?>\n"),
        std::string("\0<v:Vienti/>text", 16)}) {
    SCOPED_TRACE(tail);
    Outcome o = ExpectSame(doc + tail);
    EXPECT_EQ(o.error, "");
    EXPECT_EQ(o.records.size(), 1u);
  }
}

TEST_F(XmlRulesTest, ForbiddenCharacterReferencesRefuseTheFile) {
  ProfileConfig p = reader_test::YmparistoXml();
  auto doc = [](const std::string& text, const std::string& attr = "x") {
    return fmt::format(
        "<v:Vienti {}>\n<v:Asia><v:LvTunnus>LV-1</v:LvTunnus>\n"
        "<v:Viesti kieli=\"fi\" x=\"{}\">{}</v:Viesti></v:Asia></v:Vienti>",
        Ns(), attr, text);
  };
  const std::string in_text = "line 3, column 28";  // where the Viesti's text begins
  struct Case {
    std::string doc, error;
  };
  const std::string not_allowed = "names a character XML does not allow";
  for (const Case& c : std::vector<Case>{
           {doc("a&#0;b"), "character reference '&#0;' " + not_allowed + " (line 3, column 29)"},
           {doc("&#1;"), "character reference '&#1;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#x1F;"), "character reference '&#x1F;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#xD800;"), "character reference '&#xD800;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#xDFFF;"), "character reference '&#xDFFF;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#xFFFE;"), "character reference '&#xFFFE;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#65535;"), "character reference '&#65535;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#x110000;"),
            "character reference '&#x110000;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#99999999999999999999;"),
            "character reference '&#99999999999999999999;' " + not_allowed + " (" + in_text + ")"},
           {doc("&#;"), "malformed character reference '&#;' (" + in_text + ")"},
           {doc("&#x;"), "malformed character reference '&#x;' (" + in_text + ")"},
           {doc("&#X41;"), "malformed character reference '&#X' (" + in_text + ")"},
           {doc("&#12a;"), "malformed character reference '&#12a' (" + in_text + ")"},
           {doc("&#65 "), "malformed character reference '&#65 ' (" + in_text + ")"},
           {doc("ok", "&#0;"), "character reference '&#0;' " + not_allowed + " (line 3, column 25)"},
           // Outside any record, and in the root's attributes, too.
           {fmt::format("<v:Vienti {} a='&#xFFFF;'/>", Ns()),
            "character reference '&#xFFFF;' " + not_allowed + " (line 1, column 55)"},
           {fmt::format("<v:Vienti {}><v:Muu>&#2;</v:Muu></v:Vienti>", Ns()),
            "character reference '&#2;' " + not_allowed + " (line 1, column 59)"},
       }) {
    SCOPED_TRACE(c.doc);
    Outcome o = ExpectSame(c.doc, p);
    EXPECT_EQ(o.error, c.error);
    EXPECT_TRUE(o.records.empty());
  }
  // Characters XML allows, however written; references in comments, PIs and CDATA are text.
  Outcome o = ExpectSame(
      doc("&#9;&#xA;&#xD;&#32;&#xE4;&#x1F600;&#xFFFD;&#xE000;&#65;&#x000041;<!-- &#0; -->"
          "<?pi &#0;?><![CDATA[&#0;]]>"),
      p);
  ASSERT_EQ(o.error, "") << o.error;
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].Values()[reader_test::FieldIndex(p, "message.fi")],
            std::optional<std::string>("ä😀\xEF\xBF\xBD\xEE\x80\x80" "AA&#0;"));
}

// A character XML does not allow, written raw (not as a reference), is a well-formedness error:
// the whole file is refused, with its position, wherever it is; before anything else, as an
// invalid byte is. pugixml alone would keep it in the value.
TEST_F(XmlRulesTest, ForbiddenRawCharactersRefuseTheFile) {
  ProfileConfig p = reader_test::YmparistoXml();
  auto doc = [](const std::string& text, const std::string& attr = "x") {
    return fmt::format(
        "<v:Vienti {}>\n<v:Asia><v:LvTunnus>LV-1</v:LvTunnus>\n"
        "<v:Viesti kieli=\"fi\" x=\"{}\">{}</v:Viesti></v:Asia></v:Vienti>",
        Ns(), attr, text);
  };
  const std::string not_allowed = " (not allowed in XML) at ";
  struct Case {
    std::string doc, error;
  };
  for (const Case& c : std::vector<Case>{
           {doc("LV-X\x01" "1"), "control character U+0001" + not_allowed + "line 3, column 32"},
           {doc("\x1F"), "control character U+001F" + not_allowed + "line 3, column 28"},
           {doc("a\x0B"), "control character U+000B" + not_allowed + "line 3, column 29"},
           {doc("ok", "\x0C"), "control character U+000C" + not_allowed + "line 3, column 25"},
           {doc("\xEF\xBF\xBE"), "character U+FFFE" + not_allowed + "line 3, column 28"},
           {doc("ä\xEF\xBF\xBF"), "character U+FFFF" + not_allowed + "line 3, column 29"},
           // In a comment, a processing instruction, a CDATA section, outside the root, and
           // after the document's end.
           {doc("<!-- \x02 -->"), "control character U+0002" + not_allowed + "line 3, column 33"},
           {doc("<?pi \x03?>"), "control character U+0003" + not_allowed + "line 3, column 33"},
           {doc("<![CDATA[\x04]]>"), "control character U+0004" + not_allowed + "line 3, column 37"},
           {"\x05" + doc("x"), "control character U+0005" + not_allowed + "line 1, column 1"},
           {doc("x") + "\n\x06", "control character U+0006" + not_allowed + "line 4, column 1"},
           // Before a malformed end, a DOCTYPE and a bad reference: it comes first.
           {doc("\x07") + "</v:Wrong>", "control character U+0007" + not_allowed + "line 3, column 28"},
           {"<!DOCTYPE x>" + doc("\x08"), "control character U+0008" + not_allowed + "line 3, column 28"},
           {doc("&foo;\x0E"), "control character U+000E" + not_allowed + "line 3, column 33"},
           // The first of a forbidden character and an invalid byte.
           {doc("\x10\xC3"), "control character U+0010" + not_allowed + "line 3, column 28"},
           {doc("\xC3(\x10"), "invalid UTF-8 sequence (byte 0xC3) at line 3, column 28"},
       }) {
    SCOPED_TRACE(c.doc);
    Outcome o = ExpectSame(c.doc, p);
    EXPECT_EQ(o.error, c.error);
    EXPECT_TRUE(o.records.empty());
  }
  // The same in the other encodings: after decoding, so a Latin-1 "ï¿¾" is text.
  const std::string latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n";
  EXPECT_EQ(ExpectSame(latin1 + doc("\xE4\x1A"), p).error,
            "control character U+001A" + not_allowed + "line 4, column 29");
  Outcome text = ExpectSame(latin1 + doc("\xEF\xBF\xBE\xE4"), p);
  ASSERT_EQ(text.error, "") << text.error;
  ASSERT_EQ(text.records.size(), 1u);
  EXPECT_EQ(text.records[0].Values()[reader_test::FieldIndex(p, "message.fi")],
            std::optional<std::string>("ï¿¾ä"));
  std::string utf16 = "\xFF\xFE";
  for (char ch : doc("a\x01")) utf16 += std::string{ch, '\0'};
  EXPECT_EQ(ExpectSame(utf16, p).error, "control character U+0001" + not_allowed + "line 3, column 29");
  // Tab, LF, CR and every other character XML allows are text.
  Outcome ok = ExpectSame(doc("a\tb\r\nc \xEF\xBF\xBD \xEF\xBB\xBF \xC2\x85 \xF0\x9F\x98\x80"), p);
  ASSERT_EQ(ok.error, "") << ok.error;
  ASSERT_EQ(ok.records.size(), 1u);
}

TEST_F(XmlRulesTest, FindForbiddenXmlChar) {
  EXPECT_FALSE(FindForbiddenXmlChar(""));
  EXPECT_FALSE(FindForbiddenXmlChar("plain text, long enough for whole words\tand\r\nlines"));
  EXPECT_FALSE(FindForbiddenXmlChar(std::string("a\0b", 3)));  // a NUL ends the document instead
  EXPECT_FALSE(FindForbiddenXmlChar("\xEF\xBF\xBD\xEF\xBF"));  // U+FFFD, then a cut sequence
  for (size_t at = 0; at < 20; ++at) {  // every place in and around a word of eight bytes
    std::string t(20, 'x');
    t[at] = '\x1B';
    auto found = FindForbiddenXmlChar(t);
    ASSERT_TRUE(found) << at;
    EXPECT_EQ(found->offset, at);
    EXPECT_EQ(found->what, "control character U+001B (not allowed in XML)");
    std::string f = std::string(at, 'y') + "\xEF\xBF\xBF" + "zz";
    found = FindForbiddenXmlChar(f);
    ASSERT_TRUE(found) << at;
    EXPECT_EQ(found->offset, at);
    EXPECT_EQ(found->what, "character U+FFFF (not allowed in XML)");
  }
  auto first = FindForbiddenXmlChar("\n\n\t\t\r\rab\x7F\xC2\x80\x01\x02");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->offset, 11u);  // DEL and the C1 controls are allowed
}

TEST_F(XmlRulesTest, UndefinedEntitiesRefuseTheFile) {
  ProfileConfig p = reader_test::YmparistoXml();
  auto doc = [](const std::string& text) {
    return fmt::format("<v:Vienti {}><v:Asia><v:LvTunnus>LV-1</v:LvTunnus>"
                       "<v:Viesti kieli=\"fi\">{}</v:Viesti></v:Asia></v:Vienti>",
                       Ns(), text);
  };
  const std::string at = " (line 1, column 110)";
  for (const auto& [text, error] : std::vector<std::pair<std::string, std::string>>{
           {"&foo;", "undefined entity '&foo;'" + at},
           {"&nbsp;", "undefined entity '&nbsp;'" + at},
           {"&AMP;", "undefined entity '&AMP;'" + at},
           {"&ä;", "undefined entity '&ä;'" + at},
           {"&" + std::string(300, 'a') + ";",
            "undefined entity '&" + std::string(39, 'a') + "…'" + at}}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ExpectSame(doc(text), p).error, error);
  }
  std::string attr = fmt::format("<v:Vienti {} note=\"&euro;\"/>", Ns());
  EXPECT_EQ(ExpectSame(attr, p).error, "undefined entity '&euro;' (line 1, column 58)");
  // The five predefined entities, and a '&' that starts no reference, are text.
  Outcome o = ExpectSame(doc("&lt;&gt;&amp;&apos;&quot; AT&T a & b &amp x&y"), p);
  ASSERT_EQ(o.error, "") << o.error;
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].Values()[reader_test::FieldIndex(p, "message.fi")],
            std::optional<std::string>("<>&'\" AT&T a & b &amp x&y"));
}

TEST_F(XmlRulesTest, TheFirstProblemInTheDocumentIsReported) {
  std::string ns = Ns();
  // A bad reference before the trailing content, and the other way round.
  EXPECT_EQ(ExpectSame(fmt::format("<v:Vienti {}>&foo;</v:Vienti><x/>", ns)).error,
            "undefined entity '&foo;' (line 1, column 52)");
  EXPECT_EQ(ExpectSame(fmt::format("<v:Vienti {}/>x &foo;", ns)).error,
            "content after the root element (line 1, column 53)");
  // Malformed XML and a DOCTYPE come first, as before; the root check comes last.
  EXPECT_EQ(ExpectSame(fmt::format("<v:Vienti {}>&#0;</v:Wrong>", ns)).error.rfind("malformed XML", 0),
            0u);
  EXPECT_EQ(ExpectSame(fmt::format("<!DOCTYPE x><v:Vienti {}>&#0;</v:Vienti>", ns))
                .error.rfind("document type declaration refused", 0),
            0u);
  EXPECT_EQ(ExpectSame("<v:Vienti xmlns:v='urn:other'>&#0;</v:Vienti>").error,
            "character reference '&#0;' names a character XML does not allow (line 1, column 31)");
  EXPECT_EQ(ExpectSame("<Vienti/><x/>").error, "content after the root element (line 1, column 10)");
}

// Documents pieced together from references, markup that hides them, and tails after the root,
// in many orders: the two readers must agree on every one, at every chunk size.
TEST_F(XmlRulesTest, RandomMixesAsTheDom) {
  const std::vector<std::string> inside = {
      "text ", "&amp;", "&foo;", "&#0;", "&#65;", "&#x1F600;", "AT&T", "&#xD800;", "&#12a;",
      "<!-- &foo; &#0; -->", "<?pi &#0; &foo;?>", "<![CDATA[&#0; &foo;]]>", "<v:Muu a='&lt;'/>",
      "<v:Muu a=\"&bad;\"/>", "<v:Muu a='a>b&#1;'/>", Record("v:", 7), "\r\n", "&"};
  const std::vector<std::string> tails = {"",      "\n",      " x",        "<x/>", "<!--c-->",
                                          "<?p?>", "&foo;",    "<![CDATA[]]>", "\n<!-- &#0; -->\n"};
  std::mt19937 random(15);
  size_t refused = 0;
  for (int n = 0; n < 150; ++n) {
    std::string doc = "<v:Vienti " + Ns() + ">";
    for (int k = std::uniform_int_distribution<int>(0, 5)(random); k > 0; --k)
      doc += inside[random() % inside.size()];
    doc += "</v:Vienti>" + tails[random() % tails.size()];
    SCOPED_TRACE(doc);
    refused += !ExpectSame(doc, reader_test::YmparistoXml(), {1, 3, 64, 4096}).error.empty();
  }
  EXPECT_GT(refused, 30u);
  EXPECT_LT(refused, 140u);
}

TEST_F(XmlRulesTest, ClassifyReference) {
  using Kind = XmlReference::Kind;
  EXPECT_EQ(ClassifyReference("&amp;", true).kind, Kind::kReference);
  EXPECT_EQ(ClassifyReference("&am", false).kind, Kind::kNeedMore);
  EXPECT_EQ(ClassifyReference("&am", true).kind, Kind::kText);
  EXPECT_EQ(ClassifyReference("&#6", false).kind, Kind::kNeedMore);
  EXPECT_EQ(ClassifyReference("&#6", true).kind, Kind::kBad);
  EXPECT_EQ(ClassifyReference("&", false).kind, Kind::kNeedMore);
  EXPECT_EQ(ClassifyReference("&", true).kind, Kind::kText);
  EXPECT_EQ(ClassifyReference("& ", false).kind, Kind::kText);
  // Long runs are decided without reading on.
  EXPECT_EQ(ClassifyReference("&" + std::string(kMaxXmlReference, 'a'), false).kind, Kind::kBad);
  EXPECT_EQ(ClassifyReference("&#" + std::string(kMaxXmlReference, '0'), false).kind, Kind::kBad);
  EXPECT_EQ(ClassifyReference("&#x10FFFF;", true).kind, Kind::kReference);
}

// The refusal reaches the rejection as a file-level reason, naming the file.
TEST_F(XmlRulesTest, RefusalIsAFileLevelRejection) {
  ProfileConfig p = reader_test::YmparistoXml();
  InterfaceConfig iface;
  iface.xroad_client = "FI/MUN/0204819-8/liitos";
  for (bool stream : {true, false}) {
    if (!stream)
      p.record = "/v:Vienti/v:Asia[v:LvTunnus]";
    std::string path = dir_.Write("vienti.xml", Vienti("v:", "xmlns:v=\"urn:x:2\"", 3));
    FileOutcome o = ConvertFile(p, iface, "ymparisto", path, "vienti.xml");
    ASSERT_TRUE(o.file_error);
    EXPECT_TRUE(o.records.empty());
    EXPECT_EQ(o.file_error->record, 0u);
    EXPECT_EQ(o.file_error->reason, "vienti.xml: root is {urn:x:2}Vienti; " + kExpects);
  }
}

}  // namespace
}  // namespace liitos
