// Inputs the fuzzer (fuzz/fuzz_xml.cpp) found on which the streaming XML reader and the DOM
// reader disagreed, minimized: each must now read the same with both, at every chunk size.
#include <string>

#include <gtest/gtest.h>

#include "tests/formats/reader_test_util.h"
#include "tests/formats/xml_stream_test_util.h"

namespace liitos {
namespace {

using namespace std::string_literals;
using xml_stream_test::XmlStreamTest;

class XmlStreamFuzzTest : public XmlStreamTest {};

ProfileConfig PlainAB() {
  ProfileConfig p;
  p.name = "plain";
  p.format = RecordFormat::kXml;
  p.record = "/a/b";
  p.fields = {{"lvCaseId", "c"}, {"status", "@s"}};
  return p;
}

// pugixml takes "<a/" cut short by a NUL byte as the whole document, root element a: no record.
// The stream reader used to miss that root and refuse the file ("root is ; the profile expects a").
TEST_F(XmlStreamFuzzTest, FuzzRootCutByNulIsTheRoot) {
  for (const std::string& doc : {"<a/\0>"s, "<a s=\"1\"/\0>"s, "<a/\0<b/>"s}) {
    auto o = ExpectSame(doc, PlainAB());
    EXPECT_EQ(o.error, "") << doc;
    EXPECT_TRUE(o.records.empty());
  }
  EXPECT_EQ(ExpectSame("<b/\0>"s, PlainAB()).error, "root is b; the profile expects a");
  // The namespace of such a root is read from its attributes.
  ExpectSame("<v:Vienti xmlns:v=\"urn:example:ymparisto:vienti:1\"/\0>"s);
  EXPECT_EQ(ExpectSame("<v:Vienti xmlns:v=\"urn:x\"/\0>"s).error,
            "root is {urn:x}Vienti; the profile expects {urn:example:ymparisto:vienti:1}Vienti");
}

// A NUL byte before any element and a '<' as the last byte: pugixml names the stray '<' before
// the missing document element. The stream reader said "No document element found".
TEST_F(XmlStreamFuzzTest, FuzzStrayLastAngleAfterNulBeforeAnyElement) {
  for (const std::string& doc : {"\0<"s, " \0<"s, "\0x<"s, "<!-- -->\0<"s}) {
    auto o = ExpectSame(doc, PlainAB());
    EXPECT_NE(o.error.find("Could not determine tag type"), std::string::npos) << o.error;
  }
}

}  // namespace
}  // namespace liitos
