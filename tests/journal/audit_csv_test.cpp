// journal export --format csv: no cell runs as a formula in a spreadsheet (SPEC §8, OWASP CSV
// injection).

#include <gtest/gtest.h>

#include <sstream>

#include "journal/audit/audit.h"
#include "journal/event_writer.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using journal_test::Accepted;
using journal_test::Fixture;

TEST(AuditCsvTest, CsvFieldAFormulaStartGetsAnApostrophe) {
  EXPECT_EQ(CsvField("=1+cmd|calc!A1.csv"), "'=1+cmd|calc!A1.csv");
  EXPECT_EQ(CsvField("+358401234567"), "'+358401234567");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\t=1"), "'\t=1");
  EXPECT_EQ(CsvField("\r=1"), "\"'\r=1\"");  // and then quoted for the CR
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\";\"y\")"), "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\"");
  // Anywhere but the start it is only text.
  EXPECT_EQ(CsvField("a=1+2"), "a=1+2");
  EXPECT_EQ(CsvField("2026-11-20"), "2026-11-20");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("'=already"), "'=already");
}

TEST(AuditCsvTest, ExportCsvAFileNamedLikeAFormulaIsText) {
  Fixture f;
  f.File("=1+cmd|calc!A1.csv", {Accepted(1, "LV-1", "m1")});
  f.File("@attack.csv", {Accepted(1, "-LV-2", "m2")});
  std::ostringstream out;
  Status s = ListEvents(f.path, EventFilter{}, OutputFormat::kCsv, out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string csv = out.str();
  EXPECT_NE(csv.find(";'=1+cmd|calc!A1.csv;"), std::string::npos) << csv;
  EXPECT_NE(csv.find(";'@attack.csv;"), std::string::npos) << csv;
  EXPECT_NE(csv.find(";'-LV-2;"), std::string::npos) << csv;
  // No cell of any row begins with a formula character.
  std::istringstream lines(csv);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    size_t start = 0;
    for (;;) {
      size_t end = line.find(';', start);
      std::string cell = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!cell.empty()) {
        EXPECT_EQ(std::string("=+-@\t").find(cell[0]), std::string::npos) << line;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  EXPECT_GT(rows, 4);
}

}  // namespace
}  // namespace liitos
