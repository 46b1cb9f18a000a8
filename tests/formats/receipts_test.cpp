#include "formats/receipts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace liitos {
namespace {

const char* kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const char* kBatch = "5f0c6f5e-3c1b-4a43-9d59-0c1f2a3b4c5d";

std::string Golden(const std::string& name) {
  std::ifstream in(std::string(LIITOS_TEST_DATA) + "/receipts/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<ReceiptRow> IntakeSample() {
  std::vector<ReceiptRow> rows(4);
  rows[0] = {1, "LV-2026-000201", "bbe9bea9-c012-5073-af63-ca031a041678", "accepted", "", "", "", ""};
  rows[1] = {2, "LV-2026-000202", "aa2cd820-58cd-5e7e-af26-59d46220069a", "duplicate", "", "", "", ""};
  rows[2] = {4, "", "", "rejected", "record 4: lvCaseId is missing", "", "", ""};
  rows[3] = {5, "LV-2026-000205", "", "rejected", "record 5: unknown status 'Päätös; \"€\"'", "", "", ""};
  return rows;
}

std::vector<ReceiptRow> DeliverySample() {
  std::vector<ReceiptRow> rows(3);
  rows[0] = {1,  "LV-2026-000201", "bbe9bea9-c012-5073-af63-ca031a041678", "delivered", "", kBatch,
             "2026-11-21T06:15:02+02:00", "FI-req-1"};
  rows[1] = {2,      "LV-2026-000202", "aa2cd820-58cd-5e7e-af26-59d46220069a", "rejected",
             "E42: asiaa <LV-2026-000202> ei löydy\nrivi 2", kBatch, "2026-11-21T06:15:02+02:00", "FI-req-1"};
  rows[2] = {3,  "LV-2026-000203", "08681854-9fc1-5ca5-8188-4402d74a2f07", "failed", "gave up after 72h: HTTP 503", "",
             "2026-11-24T06:15:00+02:00", ""};
  return rows;
}

TEST(ReceiptsTest, FileNames) {
  EXPECT_EQ(ReceiptFileName("tilat_20261120.csv", ReceiptKind::kIntake, "csv"), "tilat_20261120.csv.receipt.csv");
  EXPECT_EQ(ReceiptFileName("vienti_20261121.xml", ReceiptKind::kIntake, "xml"), "vienti_20261121.xml.receipt.xml");
  EXPECT_EQ(ReceiptFileName("vienti_20261121.xml", ReceiptKind::kDelivery, "xml"),
            "vienti_20261121.xml.delivery.xml");
  EXPECT_EQ(ReceiptFileName("tilat.csv", ReceiptKind::kDelivery, "csv"), "tilat.csv.delivery.csv");
}

TEST(ReceiptsTest, IntakeCsvWindows1252Golden) {
  EXPECT_EQ(RenderCsvReceipt(ReceiptKind::kIntake, IntakeSample(), ';', Encoding::kWindows1252),
            Golden("intake_cp1252.csv"));
}

TEST(ReceiptsTest, IntakeCsvUtf8CommaGolden) {
  EXPECT_EQ(RenderCsvReceipt(ReceiptKind::kIntake, IntakeSample(), ',', Encoding::kUtf8),
            Golden("intake_utf8_comma.csv"));
}

TEST(ReceiptsTest, DeliveryCsvLatin1Golden) {
  EXPECT_EQ(RenderCsvReceipt(ReceiptKind::kDelivery, DeliverySample(), ';', Encoding::kIso88591),
            Golden("delivery_iso88591.csv"));
}

TEST(ReceiptsTest, Latin1CannotHoldEuro) {
  std::vector<ReceiptRow> rows = {{1, "LV-1", "", "rejected", "maksu 350 €", "", "", ""}};
  EXPECT_EQ(RenderCsvReceipt(ReceiptKind::kIntake, rows, ';', Encoding::kIso88591),
            "record;lvCaseId;messageId;outcome;reason\r\n1;LV-1;;rejected;maksu 350 ?\r\n");
}

TEST(ReceiptsTest, IntakeXmlGolden) {
  EXPECT_EQ(RenderXmlReceipt(ReceiptKind::kIntake, "vienti_20261121.xml", kSha, IntakeSample()), Golden("intake.xml"));
}

TEST(ReceiptsTest, DeliveryXmlGolden) {
  EXPECT_EQ(RenderXmlReceipt(ReceiptKind::kDelivery, "vienti_20261121.xml", kSha, DeliverySample()),
            Golden("delivery.xml"));
}

TEST(ReceiptsTest, ReasonsNeverCarryAPersonId) {
  std::vector<ReceiptRow> rows = {{2, "", "", "rejected", "row 2: unknown status '131052-308T'", "", "", ""}};
  std::string csv = RenderCsvReceipt(ReceiptKind::kIntake, rows, ';', Encoding::kUtf8);
  std::string xml = RenderXmlReceipt(ReceiptKind::kIntake, "f.csv", kSha, rows);
  EXPECT_EQ(csv.find("131052"), std::string::npos) << csv;
  EXPECT_EQ(xml.find("131052"), std::string::npos) << xml;
  EXPECT_NE(xml.find("&lt;hetu&gt;"), std::string::npos) << xml;
}

MappedRecord Accepted(size_t n, const std::string& id, const std::string& mid) {
  StatusUpdate u;
  u.lv_case_id = id;
  u.message_id = mid;
  MappedRecord m;
  m.number = n;
  m.lv_case_id = id;
  m.outcome = u;
  return m;
}

MappedRecord Rejected(size_t n, std::optional<std::string> id, const std::string& reason) {
  MappedRecord m;
  m.number = n;
  m.lv_case_id = id;
  m.outcome = Rejection{n, "status", reason};
  return m;
}

TEST(ReceiptsTest, IntakeRowsSkipRecord) {
  FileOutcome o;
  o.records = {Accepted(1, "LV-1", "m1"), Rejected(2, "LV-2", "row 2: unknown status '99'")};
  auto rows = IntakeRows(o);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].record, 1u);
  EXPECT_EQ(rows[0].outcome, "accepted");
  EXPECT_EQ(rows[0].message_id, "m1");
  EXPECT_EQ(rows[0].lv_case_id, "LV-1");
  EXPECT_EQ(rows[1].outcome, "rejected");
  EXPECT_EQ(rows[1].reason, "row 2: unknown status '99'");
  EXPECT_EQ(rows[1].lv_case_id, "LV-2");
  EXPECT_EQ(rows[1].message_id, "");
}

TEST(ReceiptsTest, IntakeRowsRejectFile) {
  FileOutcome o;
  o.rejected_as_whole = true;
  o.records = {Accepted(1, "LV-1", "m1"), Rejected(2, std::nullopt, "row 2: lvCaseId is missing")};
  auto rows = IntakeRows(o);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].record, 0u);
  EXPECT_EQ(rows[0].outcome, "rejected");
  EXPECT_EQ(rows[0].reason, "rejected as a whole: 1 of 2 records are invalid (on_invalid_record = reject-file)");
  EXPECT_EQ(rows[1].outcome, "rejected");
  EXPECT_EQ(rows[1].message_id, "");
  EXPECT_EQ(rows[1].reason, "not sent: the file was rejected as a whole");
  EXPECT_EQ(rows[2].reason, "row 2: lvCaseId is missing");
}

TEST(ReceiptsTest, IntakeRowsFileError) {
  FileOutcome o;
  o.file_error = Rejection{0, "", "doctype_refused.xml: a document type declaration is refused"};
  auto rows = IntakeRows(o);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].record, 0u);
  EXPECT_EQ(rows[0].outcome, "rejected");
  EXPECT_EQ(rows[0].reason, "doctype_refused.xml: a document type declaration is refused");
  EXPECT_EQ(RenderXmlReceipt(ReceiptKind::kIntake, "doctype_refused.xml", kSha, rows),
            std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<Kuittaus xmlns=\"urn:liitos:receipt:1\" kind=\"intake\" file=\"doctype_refused.xml\" "
                        "sha256=\"") +
                kSha +
                "\">\n  <Tietue record=\"0\" outcome=\"rejected\" reason=\"doctype_refused.xml: a document type "
                "declaration is refused\"/>\n</Kuittaus>\n");
}

}  // namespace
}  // namespace liitos
