#pragma once
// Helpers of the streaming XML reader's tests: read a file with the DOM reader and with the
// stream reader at several chunk sizes, and compare the outcomes word for word.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_stream.h"
#include "tests/formats/reader_test_util.h"

namespace liitos::xml_stream_test {

inline const char* kNs = "urn:example:ymparisto:vienti:1";

struct Outcome {
  std::string error;  // "" when the whole file was read
  bool at_open = false;
  std::vector<RawRecord> records;
};

template <class OpenFn>
inline Outcome ReadWith(OpenFn open) {
  Outcome out;
  Result<RecordReaderPtr> reader = open();
  if (!reader.ok()) {
    out.error = reader.status().message();
    out.at_open = true;
    return out;
  }
  for (;;) {
    RawRecord rec;
    auto more = (*reader)->Next(&rec);
    if (!more.ok()) {
      out.error = more.status().message();
      return out;
    }
    if (!*more)
      return out;
    out.records.push_back(std::move(rec));
  }
}

inline Outcome Dom(const ProfileConfig& p, const std::string& path) {
  return ReadWith([&] { return XmlReader::OpenDom(p, path); });
}

inline Outcome Stream(const ProfileConfig& p, const std::string& path,
               size_t chunk = XmlStreamReader::kDefaultChunk) {
  return ReadWith([&] { return XmlStreamReader::Open(p, path, chunk); });
}

inline std::string Describe(const Outcome& o) {
  std::string s = o.error.empty() ? "ok" : (o.at_open ? "open: " : "next: ") + o.error;
  for (const RawRecord& r : o.records) {
    s += fmt::format("\n#{}", r.number);
    for (const auto& v : r.Values()) s += v ? " [" + *v + "]" : " -";
    if (r.error_field)
      s += " !" + *r.error_field + ": " + r.error_reason.value_or("");
  }
  return s;
}

class XmlStreamTest : public ::testing::Test {
 protected:
  // Reads `bytes` with the DOM reader and streaming with several chunk sizes: all must agree.
  // Returns the DOM's outcome.
  Outcome ExpectSame(const std::string& bytes, const ProfileConfig& p = reader_test::YmparistoXml(),
                     std::vector<size_t> chunks = {1, 2, 3, 7, 64, 4096,
                                                   XmlStreamReader::kDefaultChunk}) {
    std::string path = dir_.Write("in.xml", bytes);
    Outcome dom = Dom(p, path);
    std::string want = Describe(dom);
    for (size_t chunk : chunks) {
      Outcome s = Stream(p, path, chunk);
      EXPECT_EQ(Describe(s), want) << "chunk " << chunk << " of:\n" << bytes.substr(0, 2000);
      if (!dom.error.empty()) {  // the DOM refuses at Open; the stream reader too (pass 1)
        EXPECT_TRUE(s.at_open) << "chunk " << chunk << ": " << s.error;
      }
    }
    return dom;
  }
  test_util::ScratchDir dir_;
};

inline std::string Record(const std::string& p, int n, const std::string& extra = "") {
  return fmt::format(
      "  <{0}Asia{2}><{0}LvTunnus>LV-{1}</{0}LvTunnus><{0}Diaari>YMP/{1}/2026</{0}Diaari>"
      "<{0}Tila koodi=\"K\" pvm=\"2026-11-0{3}\"/><{0}Viesti kieli=\"fi\">Hakemus käsittelyssä "
      "€ 😀 {1}.</{0}Viesti><{0}Viesti kieli=\"sv\">Ärende {1}</{0}Viesti>"
      "<{0}Paatos tulos=\"myönteinen\"><{0}Pvm>2026-11-20</{0}Pvm></{0}Paatos></{0}Asia>\n",
      p, n, extra, 1 + n % 9);
}

inline std::string Vienti(const std::string& p, const std::string& root_attrs, int records,
                   const std::string& decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {
  std::string doc = decl + "<" + p + "Vienti " + root_attrs + ">\n";
  for (int i = 1; i <= records; ++i) doc += Record(p, i);
  return doc + "</" + p + "Vienti>\n";
}

}  // namespace liitos::xml_stream_test
