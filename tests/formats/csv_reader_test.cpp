// The CSV reader on the sample export and on the bad inputs of issue 2 item 7.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "formats/csv/csv_reader.h"
#include "tests/formats/reader_test_util.h"

namespace liitos {
namespace {

using reader_test::FieldIndex;
using reader_test::ReadAll;
using reader_test::ReadOutcome;
using test_util::ScratchDir;

ProfileConfig Simple(const std::string& encoding = "utf-8", char delimiter = ';') {
  ProfileConfig p;
  p.name = "simple";
  p.encoding = encoding;
  p.delimiter = delimiter;
  p.fields = {{"lvCaseId", "Id"}, {"status", "Tila"}, {"message.fi", "Viesti"}};
  return p;
}

class CsvReaderTest : public ::testing::Test {
 protected:
  ReadOutcome Read(const std::string& bytes, const ProfileConfig& p) {
    return ReadAll(p, dir_.Write("in.csv", bytes));
  }
  ScratchDir dir_;
};

std::optional<std::string> V(const char* s) {
  return std::string(s);
}

TEST_F(CsvReaderTest, RakvalSample) {
  ProfileConfig p = reader_test::RakvalCsv();
  ReadOutcome out = ReadAll(p, reader_test::SamplePath("tilat_20261120.csv"));
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  EXPECT_EQ(out.noun, "row");
  ASSERT_EQ(out.records.size(), 11u);
  for (size_t i = 0; i < 11; ++i) {
    const RawRecord& r = out.records[i];
    EXPECT_EQ(r.number, i + 1);
    ASSERT_EQ(r.Values().size(), p.fields.size());
    EXPECT_EQ(r.Values()[0], fmt::format("LV-2026-{:06}", 101 + i));
    EXPECT_FALSE(r.error_field);
  }
  auto at = [&](size_t row, const char* field) {
    return out.records[row - 1].Values()[FieldIndex(p, field)];
  };
  EXPECT_EQ(at(1, "authorityCaseId"), V("RAVA/1001/2026"));
  EXPECT_EQ(at(1, "status"), V("10"));
  EXPECT_EQ(at(1, "statusChangedAt"), V("02.11.2026 09:15"));
  EXPECT_EQ(at(1, "previousStatus"), V(""));  // present, empty
  EXPECT_EQ(at(1, "customer.businessId"), V("0737546-2"));
  EXPECT_EQ(at(1, "handler"), V("Matti Mäkelä"));
  EXPECT_EQ(at(2, "customer.personId"), V("131052-308T"));
  EXPECT_EQ(at(2, "handler"), V("Liisa Öhman"));
  EXPECT_EQ(at(3, "message.fi"),
            V("Täydentäkää asemapiirros; mittakaava 1:500."));  // ';' in quotes
  // The two-line quoted field with the euro sign (0x80); its CRLF is kept (SPEC §4).
  EXPECT_EQ(at(4, "message.fi"), V("Lupa myönnetty.\r\nLupamaksu 350 € laskutetaan erikseen."));
  EXPECT_EQ(at(4, "decision.id"), V("§ 45"));
  EXPECT_EQ(at(4, "decision.date"), V("20.11.2026"));
  EXPECT_EQ(at(4, "decision.code"), V("MYONNETTY"));
  EXPECT_EQ(at(4, "decision.maker"), V("Rakennuslautakunta"));
  EXPECT_EQ(at(4, "customer.businessId"), V("0112038-9"));
  EXPECT_EQ(at(5, "customer.personId"), V("010203A987V"));
  EXPECT_EQ(at(6, "message.fi"),
            V("Lausuntopyyntö lähetetty \"ELY-keskukselle\"."));  // doubled quotes
  EXPECT_EQ(at(7, "status"), V("99"));
  EXPECT_EQ(at(8, "statusChangedAt"), V("31.02.2026"));
  EXPECT_EQ(at(9, "customer.businessId"), V("1234567-2"));
  EXPECT_EQ(at(11, "decision.code"), V("HYLATTY"));
  EXPECT_EQ(at(11, "decision.date"), V(""));
}

TEST_F(CsvReaderTest, EmptyFileIsRefused) {
  ReadOutcome out = Read("", Simple());
  EXPECT_FALSE(out.open_status.ok());
  EXPECT_EQ(out.open_status.message(), "file is empty: no header row");
  out = Read("\r\n  \n\n", Simple());  // only blank lines
  EXPECT_EQ(out.open_status.message(), "file is empty: no header row");
}

TEST_F(CsvReaderTest, BomOnlyIsAnEmptyFile) {
  ReadOutcome out = Read("\xEF\xBB\xBF", Simple());
  EXPECT_EQ(out.open_status.message(), "file is empty: no header row");
}

TEST_F(CsvReaderTest, HeaderOnlyHasZeroRecords) {
  for (const char* text : {"Id;Tila;Viesti", "Id;Tila;Viesti\r\n", "Id;Tila;Viesti\n\n\n"}) {
    ReadOutcome out = Read(text, Simple());
    EXPECT_TRUE(out.status().ok()) << out.status().ToString();
    EXPECT_TRUE(out.records.empty());
  }
}

TEST_F(CsvReaderTest, EmptyFileWithoutHeaderHasZeroRecords) {
  ProfileConfig p = Simple();
  p.header = false;
  p.fields = {{"lvCaseId", "1"}};
  ReadOutcome out = Read("", p);
  EXPECT_TRUE(out.status().ok());
  EXPECT_TRUE(out.records.empty());
}

TEST_F(CsvReaderTest, Utf8BomIsStrippedBeforeTheHeader) {
  ReadOutcome out = Read("\xEF\xBB\xBFId;Tila;Viesti\nA;1;ä\n", Simple());
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values(),
            (std::vector<std::optional<std::string>>{V("A"), V("1"), V("ä")}));
}

TEST_F(CsvReaderTest, Utf8BomInASingleByteProfileIsRefused) {
  ReadOutcome out = Read("\xEF\xBB\xBFId;Tila;Viesti\nA;1;\xC3\xA4\n", Simple("windows-1252"));
  EXPECT_EQ(
      out.open_status.message(),
      "the file starts with a UTF-8 byte order mark but the profile's encoding is windows-1252");
}

TEST_F(CsvReaderTest, MissingHeaderColumnNamesTheColumn) {
  ProfileConfig p = Simple();
  p.fields.push_back({"handler", "Käsittelijä"});
  ReadOutcome out = Read("Id;Tila;Viesti\nA;1;x\n", p);
  EXPECT_EQ(out.open_status.message(), "the header row has no column 'Käsittelijä' (for handler)");
}

TEST_F(CsvReaderTest, HeaderNamesAreDecodedAndTrimmed) {
  ProfileConfig p = Simple("iso-8859-1");
  p.fields = {{"handler", "Käsittelijä"}, {"lvCaseId", "Id"}};
  ReadOutcome out = Read("  Id ;\"K\xE4sittelij\xE4\"\t\r\nA1; Liisa \xD6hman \r\n", p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].Values(),
            (std::vector<std::optional<std::string>>{V("Liisa Öhman"), V("A1")}));
}

TEST_F(CsvReaderTest, InvalidByteInTheHeaderIsAFileError) {
  ReadOutcome out = Read("Id;Ti\x81la;Viesti\n", Simple("windows-1252"));
  EXPECT_EQ(out.open_status.message(),
            "header row (line 1): invalid windows-1252 byte 0x81 in column 2");
}

TEST_F(CsvReaderTest, ColumnsByNumberWithoutHeader) {
  ProfileConfig p = Simple();
  p.header = false;
  p.fields = {{"lvCaseId", "1"}, {"message.fi", "4"}, {"status", " 2 "}};
  ReadOutcome out = Read("A;10;x;first;extra;columns\nB;20\n", p);
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].Values(),
            (std::vector<std::optional<std::string>>{V("A"), V("first"), V("10")}));
  // A short row: the missing columns are absent.
  EXPECT_EQ(out.records[1].Values(),
            (std::vector<std::optional<std::string>>{V("B"), std::nullopt, V("20")}));
}

TEST_F(CsvReaderTest, BadColumnNumberIsRefused) {
  ProfileConfig p = Simple();
  p.header = false;
  p.fields = {{"lvCaseId", "0"}};
  EXPECT_EQ(Read("A\n", p).open_status.message(),
            "'0' (for lvCaseId) is not a column number (header = false)");
  p.fields = {{"lvCaseId", "Id"}};
  EXPECT_FALSE(Read("A\n", p).open_status.ok());
}

TEST_F(CsvReaderTest, ShortRowWithHeaderGivesAbsentValues) {
  ReadOutcome out = Read("Id;Tila;Viesti\nA;1\nB\n", Simple());
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].Values(),
            (std::vector<std::optional<std::string>>{V("A"), V("1"), std::nullopt}));
  EXPECT_EQ(out.records[1].Values(),
            (std::vector<std::optional<std::string>>{V("B"), std::nullopt, std::nullopt}));
}

TEST_F(CsvReaderTest, UnclosedQuoteAtTheEndIsAFileError) {
  ReadOutcome out = Read("Id;Tila;Viesti\nA;1;ok\nB;2;\"never\nclosed;\n", Simple());
  ASSERT_FALSE(out.read_status.ok());
  EXPECT_EQ(out.read_status.message(), "row 2 (line 3): unclosed quote");
  EXPECT_EQ(out.records.size(), 1u);  // the rows before it were read
  out = Read("Id;Tila;Viesti\n\"", Simple());
  EXPECT_EQ(out.read_status.message(), "row 1 (line 2): unclosed quote");
  out = Read("\"Id;Tila;Viesti\n", Simple());
  EXPECT_EQ(out.open_status.message(), "header row (line 1): unclosed quote");
}

TEST_F(CsvReaderTest, MixedLineEnds) {
  std::string text = "Id;Tila;Viesti\r\nA;1;lf\nB;2;cr\rC;3;\"in\rquotes\"\r\nD;4;crlf\r\n\r\n\n\r";
  ReadOutcome out = Read(text, Simple());
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_EQ(out.records[0].Values()[2], V("lf"));
  EXPECT_EQ(out.records[1].Values()[2], V("cr"));
  EXPECT_EQ(out.records[2].Values()[2], V("in\rquotes"));  // kept as in the file
  EXPECT_EQ(out.records[3].Values()[0], V("D"));
  EXPECT_EQ(out.records[3].Values()[2], V("crlf"));
  // Line counting across them: the unclosed quote sits on line 7.
  out = Read("Id;Tila;Viesti\r\nA;1;lf\nB;2;cr\rC;3;\"in\rquotes\"\r\n\r\n\"x", Simple());
  EXPECT_EQ(out.read_status.message(), "row 4 (line 7): unclosed quote");
}

TEST_F(CsvReaderTest, BlankLinesAreSkippedAndNotCounted) {
  ReadOutcome out = Read("Id;Tila;Viesti\n\nA;1;x\n   \n\t\nB;2;y\n\n\n", Simple());
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].number, 1u);
  EXPECT_EQ(out.records[1].number, 2u);
  EXPECT_EQ(out.records[1].Values()[0], V("B"));
  // A row of empty fields is a record (the mapper rejects it), not a blank line.
  out = Read("Id;Tila;Viesti\n;;\nA;1;x\n", Simple());
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0].Values(), (std::vector<std::optional<std::string>>{V(""), V(""), V("")}));
  EXPECT_EQ(out.records[1].number, 2u);
}

TEST_F(CsvReaderTest, QuotingAndTrimming) {
  ReadOutcome out = Read(
      "Id;Tila;Viesti\n"
      "  A  ;\t1\t;  \"  quoted; with \"\"quotes\"\"  \"  \n"
      "B;2;a\"b\n"        // a quote inside an unquoted field is a character
      "C;3;\"ab\"cd\n"    // text after the closing quote is kept
      "D;4;\"\"\n"        // quoted empty
      "E;5;\"x\"\"\"\n",  // ends with a doubled quote
      Simple());
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 5u);
  EXPECT_EQ(out.records[0].Values(), (std::vector<std::optional<std::string>>{
                                       V("A"), V("1"), V("quoted; with \"quotes\"")}));
  EXPECT_EQ(out.records[1].Values()[2], V("a\"b"));
  EXPECT_EQ(out.records[2].Values()[2], V("abcd"));
  EXPECT_EQ(out.records[3].Values()[2], V(""));
  EXPECT_EQ(out.records[4].Values()[2], V("x\""));
}

TEST_F(CsvReaderTest, OtherDelimiters) {
  for (char d : {',', '\t', '|'}) {
    std::string text = fmt::format("Id{0}Tila{0}Viesti\nA{0}1{0}\"x{0}y\"\n", d);
    ReadOutcome out = Read(text, Simple("utf-8", d));
    ASSERT_TRUE(out.status().ok()) << d;
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].Values()[2], fmt::format("x{}y", d));
  }
}

TEST_F(CsvReaderTest, InvalidWindows1252ByteRejectsTheRecordOnly) {
  ReadOutcome out =
      Read("Id;Tila;Viesti\nA;1;secret\x81text\nB;2;ok \x80\n", Simple("windows-1252"));
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 2u);
  const RawRecord& bad = out.records[0];
  EXPECT_EQ(bad.error_field, V("message.fi"));
  EXPECT_EQ(bad.error_reason, V("invalid windows-1252 byte 0x81 in column 'Viesti'"));
  EXPECT_EQ(bad.Values()[0], V("A"));  // the other values are still read
  EXPECT_FALSE(bad.Values()[2]);
  EXPECT_FALSE(out.records[1].error_field);
  EXPECT_EQ(out.records[1].Values()[2], V("ok €"));
}

TEST_F(CsvReaderTest, InvalidIso88591AndUtf8Bytes) {
  ReadOutcome out = Read("Id;Tila;Viesti\nA;1\x85;x\n", Simple("iso-8859-1"));
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].error_field, V("status"));
  EXPECT_EQ(out.records[0].error_reason, V("invalid iso-8859-1 byte 0x85 in column 'Tila'"));
  for (const char* bad : {"\xC3(", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\xFF"}) {
    out = Read(std::string("Id;Tila;Viesti\nA;1;\"a") + bad + "\"\n", Simple("utf-8"));
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].error_field, V("message.fi"));
    EXPECT_EQ(out.records[0].error_reason,
              fmt::format("invalid UTF-8 sequence (byte 0x{:02X}) in column 'Viesti'",
                          static_cast<unsigned char>(bad[0])));
  }
}

TEST_F(CsvReaderTest, InvalidBytesWithoutHeaderNameTheColumnNumber) {
  ProfileConfig p = Simple("windows-1252");
  p.header = false;
  p.fields = {{"lvCaseId", "1"}, {"message.fi", "3"}};
  ReadOutcome out = Read("A;1;\x9D\n", p);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].error_reason, V("invalid windows-1252 byte 0x9D in column 3"));
}

TEST_F(CsvReaderTest, InvalidBytesInAnUnmappedColumnDoNotMatter) {
  ReadOutcome out = Read("Id;Muu;Tila;Viesti\nA;\x81\x8D;1;x\n", Simple("windows-1252"));
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_FALSE(out.records[0].error_field);
}

TEST_F(CsvReaderTest, TenMegabyteField) {
  std::string big(10 * 1024 * 1024, 'x');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = '\n';  // line breaks inside the quotes
  big[1] = '"';
  std::string text = "Id;Tila;Viesti\nA;1;\"" + std::string(big).replace(1, 1, "\"\"") +
                     "\"\nB;2;" + std::string(10 * 1024 * 1024, 'y') + "\nC;3;z\n";
  ReadOutcome out = Read(text, Simple());
  ASSERT_TRUE(out.status().ok()) << out.status().ToString();
  ASSERT_EQ(out.records.size(), 3u);
  std::string expected = big;
  while (!expected.empty() && expected.back() == '\n') expected.pop_back();
  expected.erase(0, expected.find_first_not_of('\n'));
  EXPECT_EQ(out.records[0].Values()[2]->size(), expected.size());
  EXPECT_TRUE(*out.records[0].Values()[2] == expected);
  EXPECT_EQ(out.records[1].Values()[2]->size(), 10u * 1024 * 1024);
  EXPECT_EQ(out.records[2].Values()[0], V("C"));
}

TEST_F(CsvReaderTest, RecordSizeLimitIsAFileError) {
  std::string path =
      dir_.Write("big.csv", "Id;Tila;Viesti\nA;1;x\nB;2;" + std::string(3 << 20, 'y') + "\n");
  auto reader = CsvReader::Open(Simple(), path, 1 << 20);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  RawRecord rec;
  auto r = (*reader)->Next(&rec);
  ASSERT_TRUE(r.ok() && *r);
  r = (*reader)->Next(&rec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "row 2 (line 3): record longer than 1 MiB");
}

// Records that straddle the 256 KiB read chunks, and a CRLF split by a chunk boundary.
TEST_F(CsvReaderTest, StreamsAcrossChunkBoundaries) {
  std::string text = "Id;Tila;Viesti\r\n";
  size_t rows = 0;
  while (text.size() < 3 * CsvScanner::kChunk) {
    ++rows;
    std::string row = fmt::format("ID{};{};\"line\r\nbreak {}\"\r\n", rows, rows % 97, rows);
    // Put the CR of one row's line end on the last byte of the first chunk.
    if (text.size() < CsvScanner::kChunk && text.size() + row.size() + 64 > CsvScanner::kChunk) {
      size_t pad = CsvScanner::kChunk - text.size() - 1;  // bytes before the CR
      row = fmt::format("ID{};{};", rows, rows % 97);
      row += std::string(pad - row.size(), 'p') + "\r\n";
    }
    text += row;
  }
  ASSERT_EQ(text.find("p\r\n") + 1, CsvScanner::kChunk - 1);
  text += "\"unclosed";
  ReadOutcome out = Read(text, Simple());
  ASSERT_EQ(out.records.size(), rows);
  for (size_t i = 0; i < rows; ++i) {
    ASSERT_EQ(out.records[i].number, i + 1);
    ASSERT_EQ(out.records[i].Values()[0], fmt::format("ID{}", i + 1));
  }
  EXPECT_EQ(out.records[rows / 2].Values()[2], fmt::format("line\r\nbreak {}", rows / 2 + 1));
  // Every row but the padded one spans two lines; the header one.
  EXPECT_EQ(out.read_status.message(),
            fmt::format("row {} (line {}): unclosed quote", rows + 1, 2 * rows + 1));
}

TEST_F(CsvReaderTest, Utf8BomWithoutHeaderInASingleByteProfileIsRefused) {
  ProfileConfig p = Simple("iso-8859-1");
  p.header = false;
  p.fields = {{"lvCaseId", "1"}};
  ReadOutcome out = Read("\xEF\xBB\xBF" "A\n", p);
  EXPECT_TRUE(out.records.empty());
  EXPECT_EQ(out.read_status.message(),
            "the file starts with a UTF-8 byte order mark but the profile's encoding is iso-8859-1");
}

TEST_F(CsvReaderTest, MissingFileIsNotFound) {
  auto reader = OpenRecordReader(Simple(), dir_ / "nope.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kNotFound);
  EXPECT_NE(reader.status().message().find("nope.csv"), std::string::npos);
}

TEST_F(CsvReaderTest, UnknownEncodingIsRefused) {
  EXPECT_EQ(Read("Id\n", Simple("ebcdic")).open_status.message(), "unsupported encoding 'ebcdic'");
}

TEST_F(CsvReaderTest, ReusedRecordIsReset) {
  auto reader = OpenRecordReader(Simple("windows-1252"),
                                 dir_.Write("r.csv", "Id;Tila;Viesti\nA;1;\x81\nB\n"));
  ASSERT_TRUE(reader.ok());
  RawRecord rec;
  ASSERT_TRUE(*(*reader)->Next(&rec));
  EXPECT_TRUE(rec.error_field);
  ASSERT_TRUE(*(*reader)->Next(&rec));
  EXPECT_FALSE(rec.error_field);
  EXPECT_FALSE(rec.error_reason);
  EXPECT_EQ(rec.number, 2u);
  EXPECT_EQ(rec.Values(),
            (std::vector<std::optional<std::string>>{V("B"), std::nullopt, std::nullopt}));
  EXPECT_FALSE(*(*reader)->Next(&rec));
}

}  // namespace
}  // namespace liitos
