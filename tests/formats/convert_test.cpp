// ConvertFile over the sample exports (tests/data/samples): reader +
// mapper + intake receipt, end to end.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/convert.h"
#include "formats/mapping.h"
#include "formats/receipts.h"
#include "tests/scratch_dir.h"

namespace liitos {
namespace {

const std::string kSamples = std::string(LIITOS_TEST_DATA) + "/samples/";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ProfileConfig Rakval() {
  ProfileConfig p;
  p.name = "rakval-csv";
  p.encoding = "windows-1252";
  p.date_formats = {"%d.%m.%Y %H:%M", "%d.%m.%Y"};
  p.fields = {{"lvCaseId", "Asiointitunnus"},    {"authorityCaseId", "Diaarinumero"}, {"status", "Tilakoodi"},
              {"statusChangedAt", "Tilan pvm"},  {"previousStatus", "Edellinen tila"}, {"decision.date", "Päätöspvm"},
              {"decision.id", "Pykälä"},          {"decision.code", "Päätös"},         {"decision.maker", "Päättäjä"},
              {"message.fi", "Viesti"},           {"customer.businessId", "Y-tunnus"}, {"customer.personId", "Hetu"},
              {"handler", "Käsittelijä"}};
  p.status_map = {{"10", "VASTAANOTETTU"}, {"20", "KASITTELYSSA"},   {"25", "TAYDENNYSPYYNTO"},
                  {"30", "LAUSUNNOLLA"},   {"40", "PAATOS_ANNETTU"}, {"50", "LAINVOIMAINEN"},
                  {"60", "VALITETTU"},     {"90", "PERUUTETTU"}};
  p.constants = {{"municipalityCode", "049"}};
  return p;
}

ProfileConfig Ymparisto() {
  ProfileConfig p;
  p.name = "ymparisto-xml";
  p.format = RecordFormat::kXml;
  p.record = "/v:Vienti/v:Asia";
  p.namespaces = {{"v", "urn:example:ymparisto:vienti:1"}};
  p.fields = {{"lvCaseId", "v:LvTunnus"},          {"authorityCaseId", "v:Diaari"},
              {"status", "v:Tila/@koodi"},          {"statusChangedAt", "v:Tila/@pvm"},
              {"decision.date", "v:Paatos/v:Pvm"},  {"decision.id", "v:Paatos/v:Pykala"},
              {"decision.code", "v:Paatos/@tulos"}, {"decision.maker", "v:Paatos/v:Tekija"},
              {"message.fi", "v:Viesti[@kieli='fi']"}, {"message.sv", "v:Viesti[@kieli='sv']"},
              {"customer.businessId", "v:Hakija/v:Ytunnus"}, {"municipalityCode", "v:Kunta"}};
  p.status_map = {{"V", "VASTAANOTETTU"}, {"K", "KASITTELYSSA"},   {"T", "TAYDENNYSPYYNTO"},
                  {"L", "LAUSUNNOLLA"},   {"P", "PAATOS_ANNETTU"}, {"LV", "LAINVOIMAINEN"}};
  return p;
}

InterfaceConfig Iface() {
  InterfaceConfig i;
  i.xroad_client = "FI/MUN/0204819-8/liitos";
  return i;
}

const std::string kRakvalFile = "tilat_20261120.csv";
constexpr size_t kBatchRecordsForTest = 1024;  // formats/convert.cpp hands records over in batches of 1024

TEST(ConvertTest, RakvalSample) {
  FileOutcome o = ConvertFile(Rakval(), Iface(), "rakval", kSamples + kRakvalFile, kRakvalFile);
  ASSERT_FALSE(o.file_error) << o.file_error->reason;
  EXPECT_FALSE(o.rejected_as_whole);
  ASSERT_EQ(o.records.size(), 11u);
  std::vector<size_t> accepted;
  for (const auto& m : o.records)
    if (m.accepted()) accepted.push_back(m.number);
  EXPECT_EQ(accepted, (std::vector<size_t>{1, 2, 3, 4, 5, 6, 10}));
  auto reason = [&](size_t n) { return std::get<Rejection>(o.records[n - 1].outcome).reason; };
  EXPECT_EQ(reason(7), "row 7: unknown status '99'");
  EXPECT_EQ(reason(8), "row 8: statusChangedAt '31.02.2026' is not a date");
  EXPECT_EQ(reason(9), "row 9: customer.businessId: Y-tunnus '1234567-2' has a wrong check digit");
  EXPECT_EQ(reason(11), "row 11: status PAATOS_ANNETTU without decision.date");
  // Row 4: a quoted message over two lines with a euro sign, golden JSON.
  const auto& row4 = std::get<StatusUpdate>(o.records[3].outcome);
  EXPECT_EQ(StatusUpdateToJson(row4) + "\n", Slurp(std::string(LIITOS_TEST_DATA) + "/interface/rakval_row4.json"));
  // The henkilötunnus of rows 2 and 5 travels in the payload only.
  EXPECT_EQ(std::get<StatusUpdate>(o.records[1].outcome).person_id, "131052-308T");
  EXPECT_EQ(std::get<StatusUpdate>(o.records[4].outcome).person_id, "010203A987V");
}

TEST(ConvertTest, RakvalIntakeReceiptGolden) {
  FileOutcome o = ConvertFile(Rakval(), Iface(), "rakval", kSamples + kRakvalFile, kRakvalFile);
  std::string csv = RenderCsvReceipt(ReceiptKind::kIntake, IntakeRows(o), ';', Encoding::kWindows1252);
  EXPECT_EQ(csv, Slurp(std::string(LIITOS_TEST_DATA) + "/receipts/tilat_20261120.csv.receipt.csv"));
  EXPECT_EQ(csv.find("131052"), std::string::npos);
  EXPECT_EQ(csv.find("010203"), std::string::npos);
}

TEST(ConvertTest, RejectFileListsEveryRecord) {
  ProfileConfig p = Rakval();
  p.on_invalid_record = OnInvalidRecord::kRejectFile;
  size_t streamed = 0;
  FileOutcome o = ConvertFile(p, Iface(), "rakval", kSamples + kRakvalFile, kRakvalFile,
                              [&](const MappedRecord&) { ++streamed; });
  EXPECT_TRUE(o.rejected_as_whole);
  EXPECT_EQ(o.records.size(), 11u);
  EXPECT_EQ(streamed, 0u);  // never streamed: nothing of this file may go anywhere
  auto rows = IntakeRows(o);
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0].reason, "rejected as a whole: 4 of 11 records are invalid (on_invalid_record = reject-file)");
  for (const auto& r : rows) EXPECT_EQ(r.outcome, "rejected");
}

TEST(ConvertTest, SinkStreams) {
  std::vector<size_t> seen;
  FileOutcome o = ConvertFile(Rakval(), Iface(), "rakval", kSamples + kRakvalFile, kRakvalFile,
                              [&](const MappedRecord& m) { seen.push_back(m.number); });
  EXPECT_TRUE(o.records.empty());
  EXPECT_EQ(seen, (std::vector<size_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
}

// A file over the threading threshold (1 MiB) is read and mapped on threads of their own: the
// sink must see exactly the records kept without a sink, in order, rejections included, and a
// read error at the end must still refuse the file after the records before it.
TEST(ConvertTest, LargeFileStreamsInOrderThroughTheWorker) {
  std::string body = Slurp(kSamples + kRakvalFile);
  size_t header_end = body.find('\n') + 1;
  std::string header = body.substr(0, header_end), rows = body.substr(header_end);
  std::string big = header;
  while (big.size() < (3u << 20)) big += rows;  // ~3 MiB: many batches of every kind of row
  test_util::ScratchDir dir;
  const std::string path = dir / "large_stream.csv";
  {
    std::ofstream(path, std::ios::binary) << big;
  }
  FileOutcome whole = ConvertFile(Rakval(), Iface(), "rakval", path, "big.csv");  // no sink: records kept
  ASSERT_FALSE(whole.file_error) << whole.file_error->reason;
  ASSERT_GT(whole.records.size(), 10 * kBatchRecordsForTest);
  std::vector<std::string> expected, seen;
  auto text = [](const MappedRecord& m) {
    if (m.accepted()) return StatusUpdateToJson(std::get<StatusUpdate>(m.outcome));
    return std::to_string(m.number) + " " + std::get<Rejection>(m.outcome).reason;
  };
  for (const auto& m : whole.records) expected.push_back(text(m));
  FileOutcome streamed = ConvertFile(Rakval(), Iface(), "rakval", path, "big.csv",
                                     [&](const MappedRecord& m) { seen.push_back(text(m)); });
  EXPECT_FALSE(streamed.file_error);
  EXPECT_TRUE(streamed.records.empty());
  EXPECT_EQ(seen, expected);

  {
    std::ofstream(path, std::ios::binary | std::ios::app) << "LV-X;\"unclosed\n";
  }
  seen.clear();
  FileOutcome broken = ConvertFile(Rakval(), Iface(), "rakval", path, "big.csv",
                                   [&](const MappedRecord& m) { seen.push_back(text(m)); });
  ASSERT_TRUE(broken.file_error);
  EXPECT_NE(broken.file_error->reason.find("unclosed quote"), std::string::npos) << broken.file_error->reason;
  EXPECT_EQ(seen, expected);  // every record before the error, then the file is refused as a whole
}

TEST(ConvertTest, YmparistoSample) {
  FileOutcome o = ConvertFile(Ymparisto(), Iface(), "ymparisto", kSamples + "vienti_20261121.xml",
                              "vienti_20261121.xml");
  ASSERT_FALSE(o.file_error) << o.file_error->reason;
  ASSERT_EQ(o.records.size(), 5u);
  EXPECT_EQ(std::get<Rejection>(o.records[3].outcome).reason, "record 4: lvCaseId is missing");
  for (size_t i : {0, 1, 2, 4}) EXPECT_TRUE(o.records[i].accepted()) << i;
  const auto& r3 = std::get<StatusUpdate>(o.records[2].outcome);
  EXPECT_EQ(r3.status, "PAATOS_ANNETTU");
  EXPECT_EQ(r3.decision.date, "2026-11-20");
  EXPECT_EQ(r3.decision.code, "myönteinen");
  EXPECT_EQ(r3.decision.id, "12 §");
  EXPECT_EQ(r3.message_fi, "Päätös annettu; valitusaika 30 päivää.");
  EXPECT_EQ(r3.message_sv, "Ärendet har behandlats.");
  EXPECT_EQ(r3.municipality_code, "091");
  EXPECT_EQ(std::get<StatusUpdate>(o.records[0].outcome).message_id, "bbe9bea9-c012-5073-af63-ca031a041678");
  std::string xml = RenderXmlReceipt(ReceiptKind::kIntake, "vienti_20261121.xml", "00", IntakeRows(o));
  EXPECT_NE(xml.find("<Tietue record=\"4\" outcome=\"rejected\" reason=\"record 4: lvCaseId is missing\"/>"),
            std::string::npos)
      << xml;
}

TEST(ConvertTest, RefusedFiles) {
  for (const char* name : {"doctype_refused.xml", "truncated.xml"}) {
    FileOutcome o = ConvertFile(Ymparisto(), Iface(), "ymparisto", kSamples + name, name);
    ASSERT_TRUE(o.file_error) << name;
    EXPECT_EQ(o.file_error->record, 0u);
    EXPECT_EQ(o.file_error->reason.rfind(std::string(name) + ": ", 0), 0u) << o.file_error->reason;
    EXPECT_TRUE(o.records.empty());
    auto rows = IntakeRows(o);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].record, 0u);
  }
  FileOutcome missing = ConvertFile(Rakval(), Iface(), "rakval", kSamples + "no_such.csv", "no_such.csv");
  ASSERT_TRUE(missing.file_error);
}

// A FIFO with no writer, an endless device and a directory are refused before a byte is read,
// and at once (the open does not wait for a writer), by every reader.
TEST(ConvertTest, OnlyRegularFilesAreRead) {
  test_util::ScratchDir scratch;
  const std::string dir = scratch.path().string();
  const std::string fifo = dir + "/pipe.csv";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  ProfileConfig dom = Ymparisto();
  dom.record = "/v:Vienti/v:Asia[v:LvTunnus]";  // not streamable: the DOM reader
  struct Case {
    std::string path, kind;
  };
  for (const Case& c : {Case{fifo, "a FIFO"}, Case{"/dev/zero", "a character device"}, Case{dir, "a directory"}}) {
    for (const ProfileConfig& p : {Rakval(), Ymparisto(), dom}) {
      SCOPED_TRACE(c.path + " with " + p.name + " " + p.record);
      FileOutcome o = ConvertFile(p, Iface(), "src", c.path, "in");
      ASSERT_TRUE(o.file_error);
      EXPECT_EQ(o.file_error->record, 0u);
      EXPECT_NE(o.file_error->reason.find("is not a regular file (" + c.kind + ")"), std::string::npos)
          << o.file_error->reason;
      EXPECT_TRUE(o.records.empty());
    }
  }
}

}  // namespace
}  // namespace liitos
