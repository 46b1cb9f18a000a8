// Fetch orders (SPEC §11): one external id a line or a CSV column; blank and '#' lines skipped;
// lines numbered as in the file; a bad line rejected with its reason. And the order's receipt.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "formats/import/order_reader.h"
#include "formats/import/order_receipt.h"
#include "tests/scratch_dir.h"

namespace liitos {
namespace {

namespace fs = std::filesystem;

const std::string kA = "0f8fad5b-d9cb-469f-a165-70867728950e";
const std::string kB = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

class FetchOrderTest : public ::testing::Test {
 protected:

  Result<std::vector<OrderLine>> Read(const std::string& bytes, const ProfileConfig& p = ProfileConfig{}) {
    std::string path = dir_ / "order.txt";
    std::ofstream(path, std::ios::binary) << bytes;
    ProfileConfig profile = p;
    profile.format = RecordFormat::kFetchOrder;
    return ReadFetchOrder(profile, path);
  }

  test_util::ScratchDir dir_;
};

TEST_F(FetchOrderTest, OneIdALineWithCommentsBlanksAndEveryLineEnd) {
  auto r = Read("\xEF\xBB\xBF# tilaus 20.11.2026\r\n" + kA + "\r\n\r\n  " +
                "7C9E6679-7425-40DE-944B-E07FC1F90AE7  \rnot-a-guid\n\n# end\n" + kA);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].line, 2u);
  EXPECT_EQ((*r)[0].external_id, kA);
  EXPECT_EQ((*r)[1].line, 4u);
  EXPECT_EQ((*r)[1].external_id, kB);  // normalized to lower case, blanks trimmed
  EXPECT_EQ((*r)[2].line, 5u);
  EXPECT_TRUE((*r)[2].rejected());
  EXPECT_NE((*r)[2].reason.find("'not-a-guid' is not an external id"), std::string::npos) << (*r)[2].reason;
  EXPECT_EQ((*r)[3].line, 8u);
  EXPECT_EQ((*r)[3].external_id, kA);
}

TEST_F(FetchOrderTest, AnEmptyOrderHasNoLines) {
  auto r = Read("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  r = Read("# nothing today\n\n");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST_F(FetchOrderTest, ARejectedLineNeverQuotesAHenkilotunnus) {
  auto r = Read("Äijälä 131052-308T\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].reason.find("131052-308T"), std::string::npos) << (*r)[0].reason;
  EXPECT_NE((*r)[0].reason.find("Äijälä <hetu>"), std::string::npos) << (*r)[0].reason;
}

TEST_F(FetchOrderTest, ACsvOrderByColumnName) {
  ProfileConfig p;
  p.id_column = "Tunnus";
  p.delimiter = ',';
  p.encoding = "iso-8859-1";
  auto r = Read("Saapui,Tunnus,Hakija\r\n20.11.2026," + kA + ",\"Äijälä,\r\nÅsa\"\r\n# skipped\r\n21.11.2026,," +
                    "x\r\n22.11.2026\r\n23.11.2026,\"" + kB + "\",y\r\n",
                p);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].line, 2u);
  EXPECT_EQ((*r)[0].external_id, kA);
  EXPECT_EQ((*r)[1].line, 5u);  // the quoted line break made record 1 two lines long
  EXPECT_EQ((*r)[1].reason, "column 'Tunnus' is empty");
  EXPECT_EQ((*r)[2].line, 6u);
  EXPECT_EQ((*r)[2].reason, "the line has no column 'Tunnus'");
  EXPECT_EQ((*r)[3].line, 7u);
  EXPECT_EQ((*r)[3].external_id, kB);
}

TEST_F(FetchOrderTest, ACsvOrderByColumnNumberAndHeaderProblems) {
  ProfileConfig p;
  p.id_column = "2";
  p.header = false;
  auto r = Read("x;" + kA + "\n", p);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].line, 1u);
  EXPECT_EQ((*r)[0].external_id, kA);

  ProfileConfig named;
  named.id_column = "Tunnus";
  auto missing = Read("Id;Nimi\n" + kA + ";x\n", named);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "line 1: the header has no column 'Tunnus'");
  auto twice = Read("Tunnus;Tunnus\n", named);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("names column 'Tunnus' twice"), std::string::npos);
  auto unclosed = Read("Tunnus\n\"" + kA + "\n", named);
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.status().message().find("unclosed quote"), std::string::npos) << unclosed.status().message();
}

TEST_F(FetchOrderTest, OrderReceiptCsvAndXml) {
  std::vector<OrderReceiptRow> rows = {
      {1, kA, "fetched", "hakemus_" + kA + ".xml", "2026-11-20T14:10:02+02:00", ""},
      {3, "", "rejected", "", "2026-11-20T14:10:00+02:00", "'x;y' is not an external id"},
      {4, kB, "not-found", "", "2026-11-20T14:10:02+02:00", "HTTP 400: Project part action not found"}};
  EXPECT_EQ(RenderCsvOrderReceipt(rows, ';', Encoding::kUtf8),
            "line;externalId;outcome;file;at;reason\r\n"
            "1;" + kA + ";fetched;hakemus_" + kA + ".xml;2026-11-20T14:10:02+02:00;\r\n"
            "3;;rejected;;2026-11-20T14:10:00+02:00;\"'x;y' is not an external id\"\r\n"
            "4;" + kB + ";not-found;;2026-11-20T14:10:02+02:00;HTTP 400: Project part action not found\r\n");
  std::string xml = RenderXmlOrderReceipt("tilaus.txt", "abc", rows);
  EXPECT_NE(xml.find("<Kuittaus xmlns=\"urn:liitos:receipt:1\" kind=\"fetch\" file=\"tilaus.txt\" sha256=\"abc\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Tilaus line=\"3\" outcome=\"rejected\" at=\"2026-11-20T14:10:00+02:00\" reason=\"'x;y' is not "
                     "an external id\"/>"),
            std::string::npos)
      << xml;
}

}  // namespace
}  // namespace liitos
