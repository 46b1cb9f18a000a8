// The byte level of CSV: where the scanner ends fields and records, what it marks ASCII, and
// records across chunk boundaries (the reader on top of it: reader_csv_test.cpp; memory on big
// files: tests/daemon/big_file_slow_test.cpp).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "formats/csv/csv_scanner.h"
#include "tests/formats/reader_test_util.h"

namespace liitos {
namespace {

class CsvScannerTest : public ::testing::Test {
 protected:
  test_util::ScratchDir dir_;
};

// Fields of every length from 0 to 40 with a non-ASCII byte (or none) at every position: the
// scanner's sixteen-byte steps must find each field's end and tell ASCII fields apart exactly.
TEST_F(CsvScannerTest, FieldEndsAndAsciiMarksAtEveryOffset) {
  std::string text;
  std::vector<std::vector<std::string>> want;
  for (size_t len = 0; len <= 40; ++len) {
    for (size_t high = 0; high <= len; ++high) {  // high == len: all ASCII
      std::string a(len, 'a'), b(40 - len, 'b');
      for (size_t i = 0; i < len; ++i) a[i] = static_cast<char>('A' + (i * 7 + len) % 26);
      if (high < len) a[high] = '\xe4';
      text += a + ";" + b + (len % 3 == 0 ? "\r\n" : len % 3 == 1 ? "\n" : "\r");
      want.push_back({a, b});
    }
  }
  auto scanner = CsvScanner::Open(dir_.Write("offsets.csv", text), ';');
  ASSERT_TRUE(scanner.ok());
  CsvRecord rec;
  for (size_t r = 0; r < want.size(); ++r) {
    auto more = (*scanner)->Next(&rec);
    ASSERT_TRUE(more.ok() && *more) << r;
    ASSERT_EQ(rec.fields.size(), 2u) << r;
    for (size_t f = 0; f < 2; ++f) {
      EXPECT_EQ(rec.fields[f].raw, want[r][f]) << r;
      bool ascii = want[r][f].find('\xe4') == std::string::npos;
      EXPECT_EQ(rec.fields[f].ascii, ascii) << r << " " << f;
    }
  }
  auto more = (*scanner)->Next(&rec);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

TEST_F(CsvScannerTest, QuotedFieldsAreNeverMarkedAscii) {
  auto scanner = CsvScanner::Open(dir_.Write("q.csv", "\"plain\";x\n"), ';');
  ASSERT_TRUE(scanner.ok());
  CsvRecord rec;
  ASSERT_TRUE(*(*scanner)->Next(&rec));
  ASSERT_EQ(rec.fields.size(), 2u);
  EXPECT_FALSE(rec.fields[0].ascii);  // its text needs CsvFieldText
  EXPECT_TRUE(rec.fields[1].ascii);
}

TEST_F(CsvScannerTest, ManyChunksAndARecordLongerThanAChunk) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += fmt::format("ID{};{};\"some text, {}\"\r\n", i, i % 7, i);
  ASSERT_GT(text.size(), 20 * CsvScanner::kChunk);
  auto scanner = CsvScanner::Open(dir_.Write("many.csv", text), ';');
  ASSERT_TRUE(scanner.ok());
  CsvRecord rec;
  size_t n = 0;
  while (*(*scanner)->Next(&rec)) ++n;
  EXPECT_EQ(n, 200000u);
  // One record longer than a chunk is read whole, and the records after it as before.
  text += std::string(3 * CsvScanner::kChunk, 'z') + "\n";
  text += text.substr(0, 10 * CsvScanner::kChunk);
  scanner = CsvScanner::Open(dir_.Write("long.csv", text), ';');
  ASSERT_TRUE(scanner.ok());
  n = 0;
  size_t longest = 0;
  for (;;) {
    auto more = (*scanner)->Next(&rec);
    ASSERT_TRUE(more.ok()) << more.status().message();
    if (!*more) break;
    ++n;
    longest = std::max(longest, rec.fields[0].raw.size());
  }
  EXPECT_EQ(longest, 3 * CsvScanner::kChunk);
  EXPECT_GT(n, 200001u);
}

}  // namespace
}  // namespace liitos
