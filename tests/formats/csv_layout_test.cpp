// The CSV rules of SPEC §4 that guard against a changed export layout and keep values exactly as
// written: a mapped column named twice in the header refuses the file, and a line break inside
// quotes reaches the record byte for byte.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formats/csv/csv_reader.h"
#include "formats/csv/csv_scanner.h"
#include "tests/formats/reader_test_util.h"

namespace liitos {
namespace {

using reader_test::ReadAll;
using reader_test::ReadOutcome;
using test_util::ScratchDir;

ProfileConfig Simple(const std::string& encoding = "utf-8") {
  ProfileConfig p;
  p.name = "simple";
  p.encoding = encoding;
  p.fields = {{"lvCaseId", "Id"}, {"status", "Tila"}, {"message.fi", "Viesti"}};
  return p;
}

std::optional<std::string> V(const std::string& s) { return s; }

class CsvLayoutTest : public ::testing::Test {
 protected:
  ReadOutcome Read(const std::string& bytes, const ProfileConfig& p = Simple()) {
    return ReadAll(p, dir_.Write("in.csv", bytes));
  }
  ScratchDir dir_;
};

TEST_F(CsvLayoutTest, MappedColumnNamedTwiceRefusesTheFile) {
  ReadOutcome out = Read("Id;Tila;Viesti;Tila\nA;1;x;2\n");
  EXPECT_TRUE(out.records.empty());
  EXPECT_EQ(out.open_status.message(),
            "the header row names column 'Tila' (for status) twice: columns 2 and 4");
  // Named twice after decoding and trimming: still the same column name.
  out = Read("Id;\"K\xE4sittelij\xE4\";Tila;Viesti; K\xE4sittelij\xE4 \r\nA;x;1;y;z\r\n", [] {
    ProfileConfig p = Simple("windows-1252");
    p.fields.push_back({"handler", "Käsittelijä"});
    return p;
  }());
  EXPECT_EQ(out.open_status.message(),
            "the header row names column 'Käsittelijä' (for handler) twice: columns 2 and 5");
}

TEST_F(CsvLayoutTest, UnmappedColumnNamedTwiceIsHarmless) {
  ReadOutcome out = Read("Id;Muu;Tila;Muu;Viesti\nA;a;1;b;x\n");
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values(), (std::vector<std::optional<std::string>>{V("A"), V("1"), V("x")}));
}

TEST_F(CsvLayoutTest, MissingMappedColumnRefusesTheFile) {
  EXPECT_EQ(Read("Id;Viesti\nA;x\n").open_status.message(),
            "the header row has no column 'Tila' (for status)");
  // Without a header, columns go by number: a name appearing twice is no concern.
  ProfileConfig p = Simple();
  p.header = false;
  p.fields = {{"lvCaseId", "1"}, {"status", "2"}};
  ReadOutcome out = Read("A;1\nA;1\n", p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  EXPECT_EQ(out.records.size(), 2u);
}

TEST_F(CsvLayoutTest, LineBreaksInsideQuotesAreKeptAsInTheFile) {
  ReadOutcome out = Read(
      "Id;Tila;Viesti\r\n"
      "A;1;\"crlf\r\nline\"\r\n"
      "B;2;\"lf\nline\"\n"
      "C;3;\"cr\rline\"\r"
      "D;4;\"all\r\nthree\nkinds\rhere\r\n\r\n\"\"quoted\"\"\"\r\n"
      "E;5;\"\r\n  trimmed at the ends only  \r\n\"\r\n");
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 5u);
  EXPECT_EQ(out.records[0].Values()[2], V("crlf\r\nline"));
  EXPECT_EQ(out.records[1].Values()[2], V("lf\nline"));
  EXPECT_EQ(out.records[2].Values()[2], V("cr\rline"));
  EXPECT_EQ(out.records[3].Values()[2], V("all\r\nthree\nkinds\rhere\r\n\r\n\"quoted\""));
  EXPECT_EQ(out.records[4].Values()[2], V("trimmed at the ends only"));
  EXPECT_EQ(out.records[4].number, 5u);
}

TEST_F(CsvLayoutTest, LineBreaksInsideQuotesSurviveDecodingAndChunkBoundaries) {
  // windows-1252: the CRLF sits between non-ASCII letters, so the value is decoded, not copied.
  ReadOutcome out = Read("Id;Tila;Viesti\r\nA;1;\"\xE4\r\n\x80\"\r\n", Simple("windows-1252"));
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values()[2], V("ä\r\n€"));
  // A CRLF inside quotes split by the read chunk boundary: CR the last byte of the first chunk.
  std::string text = "Id;Tila;Viesti\r\nA;1;\"";
  text += std::string(CsvScanner::kChunk - text.size() - 1, 'x') + "\r\nend\"\r\nB;2;\"b\r\nb\"\r\n";
  ASSERT_EQ(text[CsvScanner::kChunk - 1], '\r');
  out = Read(text);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 2u);
  const std::string a = *out.records[0].Values()[2];  // Values() is a fresh vector
  EXPECT_EQ(a.substr(a.size() - 5), "\r\nend");
  EXPECT_EQ(out.records[1].Values()[2], V("b\r\nb"));
}

}  // namespace
}  // namespace liitos
