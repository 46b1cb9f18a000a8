// The streaming XML reader against the DOM reader on damaged input: invalid bytes, every
// truncation and corruption point, structure problems, DOCTYPE and nesting — refused the same
// way, word for word, whatever the chunk size.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formats/encoding.h"
#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_stream.h"
#include "tests/formats/reader_test_util.h"
#include "tests/formats/xml_stream_test_util.h"

namespace liitos {
namespace {

using xml_stream_test::kNs;
using xml_stream_test::Outcome;
using xml_stream_test::XmlStreamTest;
using xml_stream_test::Record;
using xml_stream_test::Vienti;

class XmlStreamDamageTest : public XmlStreamTest {};

TEST_F(XmlStreamDamageTest, InvalidBytesAnywhereAsTheDom) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  std::string utf8 = Vienti("v:", ns, 2);
  for (size_t at : {size_t{0}, size_t{40}, utf8.size() / 2, utf8.size() - 3}) {
    for (const char* bad : {"\xC3", "\xC3\x28", "\xED\xA0\x80", "\xF5", "\x80"}) {
      SCOPED_TRACE(testing::Message() << "at " << at << " bad " << bad);
      ExpectSame(utf8.substr(0, at) + bad + utf8.substr(at), reader_test::YmparistoXml(),
                 {1, 3, 7, 4096});
      ExpectSame(utf8.substr(0, at) + bad, reader_test::YmparistoXml(), {1, 7});
    }
  }
  std::string latin =
      EncodeFromUtf8(Vienti("v:", ns, 2, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\r\n"),
                     Encoding::kIso88591);
  ExpectSame(latin.substr(0, 150) + "\x85" + latin.substr(150));
  std::string cp =
      EncodeFromUtf8(Vienti("v:", ns, 2, "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"),
                     Encoding::kWindows1252);
  ExpectSame(cp.substr(0, 300) + "\x81" + cp.substr(300));
  ExpectSame("<?xml version=\"1.0\" encoding=\"EBCDIC-FI\"?><a/>");
  ExpectSame("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>");
  ExpectSame(std::string("\xFF\xFE\0\0<\0\0\0", 8));
}

// The sample document cut at every byte: a truncated record, a truncated tag, attribute,
// comment, CDATA section or declaration, and between records.
TEST_F(XmlStreamDamageTest, TruncatedAnywhereAsTheDom) {
  std::string doc = fmt::format(
      "<?xml version=\"1.0\"?>\n<!-- c -->\n<v:Vienti xmlns:v=\"{}\">\n  <v:Asia a=\"x>y\">"
      "<v:LvTunnus>LV-1</v:LvTunnus><![CDATA[x]]><?p q?><v:Tila koodi='K'/>ä</v:Asia>\n"
      "  <v:Asia><v:LvTunnus>LV-2</v:LvTunnus></v:Asia>\n</v:Vienti>\n",
      kNs);
  for (size_t n = 0; n <= doc.size(); ++n) {
    SCOPED_TRACE(testing::Message() << "cut at " << n);
    Outcome o = ExpectSame(doc.substr(0, n), reader_test::YmparistoXml(), {1, 5, 4096});
    if (n + 1 < doc.size() && n > 20) {
      EXPECT_FALSE(o.error.empty());
    }
  }
}

// Every byte replaced by each character that matters to the grammar.
TEST_F(XmlStreamDamageTest, CorruptedAnywhereAsTheDom) {
  std::string doc = fmt::format(
      "<?xml version=\"1.0\"?><!--c--><v:Vienti xmlns:v=\"{}\"><v:Asia a=\"x\" b='y'>"
      "<v:LvTunnus>LV-1</v:LvTunnus><![CDATA[x]]><?p q?><v:Tila koodi='K'/></v:Asia >"
      "<v:Asia/></v:Vienti>",
      kNs);
  for (size_t at = 0; at < doc.size(); ++at) {
    for (char c : std::string("<>/!?\"'= -[]&x\0", 15)) {
      std::string bad = doc;
      bad[at] = c;
      SCOPED_TRACE(testing::Message() << "byte " << at << " -> " << static_cast<int>(c));
      ExpectSame(bad, reader_test::YmparistoXml(), {3, 4096});
    }
  }
}

// Every byte dropped, and each of those characters put in before it, in an ISO-8859-1 export.
TEST_F(XmlStreamDamageTest, BytesDroppedOrAddedAsTheDom) {
  std::string doc = EncodeFromUtf8(
      fmt::format("<?xml version='1.0' encoding='ISO-8859-1'?>\n<v:Vienti xmlns:v='{}'>"
                  "<v:Asia><v:LvTunnus>LV-ä</v:LvTunnus><v:Tila koodi=\"K\"/></v:Asia>\n"
                  "<v:Asia/></v:Vienti>",
                  kNs),
      Encoding::kIso88591);
  for (size_t at = 0; at <= doc.size(); ++at) {
    SCOPED_TRACE(testing::Message() << "at " << at);
    if (at < doc.size())
      ExpectSame(doc.substr(0, at) + doc.substr(at + 1), reader_test::YmparistoXml(), {2, 4096});
    for (char c : std::string("<>/!?'\"=-\0\x85", 11))
      ExpectSame(doc.substr(0, at) + c + doc.substr(at), reader_test::YmparistoXml(), {4096});
  }
}

TEST_F(XmlStreamDamageTest, StructureProblemsAsTheDom) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  std::string head = "<v:Vienti " + ns + ">" + Record("v:", 1);
  for (const std::string& doc : std::vector<std::string>{
           head + "</v:Wrong>",              // mismatched end tag outside records
           head + "</v:Vienti></v:Vienti>",  // one end tag too many
           head + "</v:Vienti><v:Vienti>" + Record("v:", 2) + "</v:Vienti>",  // two roots
           head + "</v:Vienti>trailing text",
           "leading text" + head + "</v:Vienti>",
           head + "</v:Vienti><",
           head,                               // unclosed root
           head + "<v:Asia><v:LvTunnus>LV-9",  // unclosed record
           head + "<v:Asia><b></c></v:Asia></v:Vienti>",
           head + "<v:Asia x=\"1\"y=\"2\"/></v:Vienti>",
           head + "< v:Asia/></v:Vienti>",
           head + "<v:Asia/ ></v:Vienti>",
           head + "<v:Asia><!x></v:Asia></v:Vienti>",
           head + "<v:Asia>" + std::string(1, '\0') + "</v:Asia></v:Vienti>",
           head + "</v:Vienti>" + std::string(1, '\0') + "<junk",
           head + "</v:Vienti>" + std::string(1, '\0'),
           "",
           "  \r\n\t",
           "\xEF\xBB\xBF\n",
           "not xml at all",
           "<!-- only a comment -->",
           std::string(1, '\0'),
           "<",
           "<a",
           "<a/",
           "<a/>",
           "</a>"}) {
    SCOPED_TRACE(doc);
    ExpectSame(doc);
  }
}

TEST_F(XmlStreamDamageTest, DoctypeAnywhereIsRefused) {
  std::string ns = fmt::format("xmlns:v=\"{}\"", kNs);
  std::string body = Record("v:", 1) + Record("v:", 2);
  for (const std::string& doc : std::vector<std::string>{
           "<!DOCTYPE v:Vienti>\n<v:Vienti " + ns + ">" + body + "</v:Vienti>",
           "<v:Vienti " + ns + ">" + body + "<!doctype x></v:Vienti>",
           "<v:Vienti " + ns + ">" + Record("v:", 1) + "<v:Asia><!DocType x></v:Asia></v:Vienti>",
           "<v:Vienti " + ns + ">" + body + "</v:Vienti><!DOCTYPE x>",
           "<v:Vienti " + ns + " a='<!DOCTYPE x>'>" + body + "</v:Vienti>",
           "<?pi <!DOCTYPE x>?><v:Vienti " + ns + ">" + body + "</v:Vienti>",
           "<v:Vienti " + ns + ">" + body + "</v:Wrong><!DOCTYPE x>",  // before malformed
           // In a comment or a CDATA section it is text.
           "<!-- <!DOCTYPE x> --><v:Vienti " + ns + "><![CDATA[<!DOCTYPE y>]]>" + body +
               "</v:Vienti>",
           // A comment opened inside an attribute value hides the DOCTYPE from RefuseDoctype.
           "<v:Vienti " + ns + " a='<!--'>" + body + "<!-- --><!DOCTYPE x></v:Vienti>",
           // An unterminated CDATA or comment opener in the declaration or a value hides
           // nothing: the declaration after it is refused by both readers (found by fuzz_xml).
           "<?xml version=\"<![CDATA[1.0\"?>\n<!DOCTYPE v:enti [<!ENTITY x>]>\n<v:Vienti " + ns + ">" + body +
               "</v:Vienti>",
           "<?pi <!-- ?><!DOCTYPE x><v:Vienti " + ns + ">" + body + "</v:Vienti>"}) {
    SCOPED_TRACE(doc);
    Outcome o = ExpectSame(doc);
    if (doc.find("<!-- <!DOCTYPE") == std::string::npos) {
      EXPECT_EQ(o.error.rfind("document type declaration refused (line ", 0), 0u) << o.error;
    }
  }
}

TEST_F(XmlStreamDamageTest, NestingLimitAsTheDom) {
  ProfileConfig p = reader_test::YmparistoXml();
  p.record = "/d/d";
  p.fields = {{"message.fi", "."}};
  for (size_t depth : {XmlReader::kMaxDepth, XmlReader::kMaxDepth + 1, size_t{5000}}) {
    std::string doc;
    for (size_t i = 0; i < depth; ++i) doc += "<d>";
    doc += "x";
    for (size_t i = 0; i < depth; ++i) doc += "</d>";
    SCOPED_TRACE(depth);
    Outcome o = ExpectSame(doc, p, {7, 4096});
    EXPECT_EQ(o.error.empty(), depth <= XmlReader::kMaxDepth) << o.error;
    ExpectSame(doc.substr(0, doc.size() - 8), p, {7, 4096});  // unclosed
    doc.replace(doc.size() / 2 + 6, 4, "</e>");               // mismatched
    ExpectSame(doc, p, {7, 4096});
  }
}

}  // namespace
}  // namespace liitos
