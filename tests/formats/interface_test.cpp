#include "formats/interface/interface.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <string_view>

#include "base/crypto/uuid.h"

namespace liitos {
namespace {

const char* kClient = "FI/MUN/0204819-8/liitos";

// The messageId the mapper gives (SPEC §5.3).
std::string MessageId(std::string_view lv_case_id, std::string_view status, std::string_view status_changed_at) {
  std::string id;
  MessageIdNamer(kClient).Compute(lv_case_id, status, status_changed_at, &id);
  return id;
}

std::string Golden(const std::string& name) {
  std::ifstream in(std::string(LIITOS_TEST_DATA) + "/interface/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// The status update of SPEC §5.1.
StatusUpdate SpecExample() {
  StatusUpdate u;
  u.lv_case_id = "LV-2026-000123";
  u.authority_case_id = "RAVA/1234/2026";
  u.status = "PAATOS_ANNETTU";
  u.previous_status = "KASITTELYSSA";
  u.status_changed_at = "2026-11-20T14:05:00+02:00";
  u.decision.id = "§ 45";
  u.decision.date = "2026-11-20";
  u.decision.code = "MYONNETTY";
  u.decision.maker = "Rakennuslautakunta";
  u.message_fi = "Lupa myönnetty.";
  u.message_sv = "Tillstånd beviljat.";
  u.business_id = "0737546-2";
  u.municipality_code = "049";
  u.source_name = "rakval";
  u.source_file = "tilat_20261120.csv";
  u.source_record = 17;
  u.message_id = MessageId(u.lv_case_id, u.status, u.status_changed_at);
  return u;
}

// RFC 9562 Appendix A.4, and Python's uuid.uuid5(uuid.NAMESPACE_URL, name) for the others.
TEST(InterfaceTest, UuidPublishedVectors) {
  EXPECT_EQ(UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  EXPECT_EQ(UuidV5(kUuidNamespaceUrl, "https://example.fi/"), "36f4e7e8-7570-500c-ac9b-8ea9e4a01294");
  EXPECT_EQ(UuidV5(kUuidNamespaceUrl, "ääkköset"), "a711e2d2-f7c2-5757-b6de-320fa1950b1c");
}

TEST(InterfaceTest, MessageIdIsSpec53) {
  EXPECT_EQ(MessageId("LV-2026-000123", "PAATOS_ANNETTU", "2026-11-20T14:05:00+02:00"),
            "d308e316-8cab-5736-9245-e68be9f0552e");
  EXPECT_EQ(MessageId("LV-2026-000104", "PAATOS_ANNETTU", "2026-11-20T14:05:00+02:00"),
            "08681854-9fc1-5ca5-8188-4402d74a2f07");
  EXPECT_EQ(MessageId("LV-2026-000201", "VASTAANOTETTU", "2026-11-18"),
            "bbe9bea9-c012-5073-af63-ca031a041678");
  // Any part changing changes the id.
  EXPECT_NE(MessageId("LV-2026-000201", "VASTAANOTETTU", "2026-11-19"),
            "bbe9bea9-c012-5073-af63-ca031a041678");
  // One namer for a file's many records, its output string reused, names each the same.
  MessageIdNamer namer(kClient);
  std::string id = "left over from an earlier record, longer than a UUID";
  namer.Compute("LV-2026-000123", "PAATOS_ANNETTU", "2026-11-20T14:05:00+02:00", &id);
  EXPECT_EQ(id, "d308e316-8cab-5736-9245-e68be9f0552e");
  namer.Compute("LV-2026-000201", "VASTAANOTETTU", "2026-11-18", &id);
  EXPECT_EQ(id, "bbe9bea9-c012-5073-af63-ca031a041678");
}

TEST(InterfaceTest, Spec51Golden) {
  EXPECT_EQ(StatusUpdateToJson(SpecExample()), Golden("spec_5_1_status_update.json"));
}

TEST(InterfaceTest, AllFieldsAndEscapingGolden) {
  StatusUpdate u;
  u.message_id = "00000000-0000-5000-8000-000000000000";
  u.lv_case_id = "LV-1";
  u.status = "TAYDENNYSPYYNTO";
  u.status_changed_at = "2026-11-03";
  u.decision.section = "5 §";
  u.message_sv = "Komplettera \"ritningen\"\\ritning;\nrad 2\ttab\x01 €";
  u.business_id = "0737546-2";
  u.person_id = "131052-308T";
  u.handler = "Liisa Öhman";
  u.source_name = "rakval";
  u.source_file = "tilat \"x\".csv";
  u.source_record = 2;
  std::string json = StatusUpdateToJson(u);
  EXPECT_EQ(json, Golden("all_fields_escaping.json"));
  EXPECT_EQ(json.find('\n'), std::string::npos);
}

// The direct JSON writer (8 bytes at a time, UTF-8 checked on the way) must give exactly what
// nlohmann's dump gives: escapes, multi-byte characters kept, invalid sequences replaced (then
// the whole line takes the slow path). Random strings built from the bytes that matter.
TEST(InterfaceTest, DirectWriterMatchesNlohmannOnRandomStrings) {
  const std::vector<std::string> pieces = {"a", "Z", " ", "0", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
                                           "\x7f", "ä", "€", "“", "😀", "\xff", "\xc3", "\x80", "\xe2\x82",
                                           "\xed\xa0\x80", "abcdefgh", "12345678901234567"};
  std::mt19937 rng(20261127);
  for (int round = 0; round < 20000; ++round) {
    std::string v;
    int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) v += pieces[rng() % pieces.size()];
    StatusUpdate u = SpecExample();
    if (round % 2 == 0) {
      u.message_fi = v;
    } else {  // a short value in a long string's storage, quotes behind its end
      u.message_fi = std::string(40, '"');
      u.message_fi->assign(v);
    }
    u.message_sv.reset();
    nlohmann::ordered_json m = nlohmann::ordered_json::object();
    m["fi"] = v;
    std::string want = "\"message\":" + m.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::string got = StatusUpdateToJson(u);
    ASSERT_NE(got.find(want), std::string::npos) << "value bytes: " << ::testing::PrintToString(v) << "\n" << got;
  }
}

TEST(InterfaceTest, DirectWriterHasRoomForValuesThatAreAllEscapes) {
  // Every byte of these values grows to 6 or 2 bytes: the worst case the writer sizes for.
  StatusUpdate u = SpecExample();
  u.message_fi = std::string(5000, '\x01');
  u.handler = std::string(3001, '"');
  u.decision.maker = std::string(7, '\\');
  std::string line = "prefix ";
  AppendStatusUpdateJson(u, &line);
  nlohmann::ordered_json back = nlohmann::ordered_json::parse(line.substr(7));
  EXPECT_EQ(back["message"]["fi"], *u.message_fi);
  EXPECT_EQ(back["handler"], *u.handler);
  EXPECT_EQ(back["decision"]["maker"], *u.decision.maker);
  EXPECT_EQ(line.substr(7), StatusUpdateToJson(u));
}

TEST(InterfaceTest, AbsentFieldsAreOmitted) {
  StatusUpdate u;
  u.message_id = "m";
  u.lv_case_id = "LV-1";
  u.status = "KASITTELYSSA";
  u.status_changed_at = "2026-11-03";
  u.source_name = "s";
  u.source_file = "f.csv";
  u.source_record = 1;
  EXPECT_EQ(StatusUpdateToJson(u),
            R"({"messageId":"m","type":"status-update","lvCaseId":"LV-1","status":"KASITTELYSSA",)"
            R"("statusChangedAt":"2026-11-03","source":{"name":"s","file":"f.csv","record":1}})");
}

TEST(InterfaceTest, RoundTrip) {
  StatusUpdate u = SpecExample();
  u.person_id = "131052-308T";
  u.handler = "Liisa";
  auto back = StatusUpdateFromJson(StatusUpdateToJson(u));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(StatusUpdateToJson(*back), StatusUpdateToJson(u));
  EXPECT_EQ(back->source_record, 17u);
  EXPECT_EQ(back->person_id, "131052-308T");
}

TEST(InterfaceTest, StatusUpdateFromJsonRejects) {
  EXPECT_FALSE(StatusUpdateFromJson("nope").ok());
  EXPECT_FALSE(StatusUpdateFromJson("[]").ok());
  auto r = StatusUpdateFromJson(R"({"messageId":"m","type":"status-update","status":"X","statusChangedAt":"2026-11-03",)"
                                R"("source":{"name":"s","file":"f","record":1}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "status update: lvCaseId is missing");
  r = StatusUpdateFromJson(R"({"messageId":"m","type":"status-update","lvCaseId":"L","status":"X",)"
                           R"("statusChangedAt":"2026-11-03","handler":null,"source":{"name":"s","file":"f","record":1}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "status update: handler is not a string");
}

TEST(InterfaceTest, BatchWithItemsVerbatim) {
  std::string item1 = StatusUpdateToJson(SpecExample());
  StatusUpdate second = SpecExample();
  second.lv_case_id = "LV-2026-000124";
  second.message_id = MessageId(second.lv_case_id, second.status, second.status_changed_at);
  std::string item2 = StatusUpdateToJson(second);
  std::string batch = BatchToJson("5f0c6f5e-3c1b-4a43-9d59-0c1f2a3b4c5d", "2026-11-20T14:15:00+02:00", kClient,
                                  {item1, item2});
  EXPECT_EQ(batch,
            R"({"schemaVersion":"1","batchId":"5f0c6f5e-3c1b-4a43-9d59-0c1f2a3b4c5d",)"
            R"("createdAt":"2026-11-20T14:15:00+02:00","sender":{"xroadClient":"FI/MUN/0204819-8/liitos"},"items":[)" +
                item1 + "," + item2 + "]}");
  EXPECT_TRUE(ValidateBatch(batch).ok()) << ValidateBatch(batch).message();
  auto parsed = nlohmann::json::parse(batch);
  EXPECT_EQ(parsed["batchId"], "5f0c6f5e-3c1b-4a43-9d59-0c1f2a3b4c5d");
  ASSERT_EQ(parsed["items"].size(), 2u);
  EXPECT_EQ(parsed["items"][0]["messageId"], SpecExample().message_id);
  EXPECT_EQ(parsed["items"][1]["messageId"], second.message_id);
}

TEST(InterfaceTest, ValidateBatchFindsProblems) {
  std::string item = StatusUpdateToJson(SpecExample());
  auto batch = [&](const std::vector<std::string>& items) { return BatchToJson("b", "t", kClient, items); };
  EXPECT_EQ(ValidateBatch(batch({})).message(), "items is empty");
  EXPECT_EQ(ValidateBatch(batch({item, item})).message(), "items[1]: messageId repeats an earlier item");
  EXPECT_EQ(ValidateBatch(batch({"{}"})).message(), "items[0]: messageId is missing");
  std::string no_case = item;
  no_case.replace(no_case.find("\"lvCaseId\""), 10, "\"lvCase\"");
  EXPECT_EQ(ValidateBatch(batch({no_case})).message(), "items[0]: lvCaseId is missing");
  std::string bad_record = item;
  bad_record.replace(bad_record.find("\"record\":17"), 11, "\"record\":\"17\"");
  EXPECT_EQ(ValidateBatch(batch({bad_record})).message(), "items[0]: source.record is not a record number");
  EXPECT_EQ(ValidateBatch(R"({"schemaVersion":"2"})").message(), "schemaVersion is not \"1\"");
  EXPECT_EQ(ValidateBatch("{").message(), "batch is not valid JSON");
  EXPECT_EQ(ValidateBatch(R"({"schemaVersion":"1","batchId":"b","createdAt":"t","items":[]})").message(),
            "sender is missing");
}

TEST(InterfaceTest, ParseReceiverAnswer) {
  auto a = ParseReceiverAnswer(
      R"({"batchId":"b1","results":[{"messageId":"m1","result":"accepted"},)"
      R"({"messageId":"m2","result":"duplicate"},)"
      R"({"messageId":"m3","result":"rejected","error":{"code":"E42","message":"unknown case"}}],"extra":1})");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->batch_id, "b1");
  ASSERT_EQ(a->results.size(), 3u);
  EXPECT_EQ(a->results[0].message_id, "m1");
  EXPECT_EQ(a->results[0].result, "accepted");
  EXPECT_EQ(a->results[1].result, "duplicate");
  EXPECT_EQ(a->results[2].result, "rejected");
  EXPECT_EQ(a->results[2].error_code, "E42");
  EXPECT_EQ(a->results[2].error_message, "unknown case");
}

TEST(InterfaceTest, ParseReceiverAnswerRejects) {
  auto msg = [](const std::string& body) {
    auto a = ParseReceiverAnswer(body);
    EXPECT_FALSE(a.ok()) << body;
    if (!a.ok()) {
      EXPECT_EQ(a.status().code(), Status::Code::kInvalid);
    }
    return a.ok() ? std::string() : a.status().message();
  };
  EXPECT_EQ(msg("<html>502</html>"), "the receiver's answer is not valid JSON");
  EXPECT_EQ(msg("[]"), "the receiver's answer is not a JSON object");
  EXPECT_EQ(msg(R"({"results":[]})"), "answer: batchId is missing");
  EXPECT_EQ(msg(R"({"batchId":"b"})"), "answer: results is missing");
  EXPECT_EQ(msg(R"({"batchId":"b","results":{}})"), "answer: results is not an array");
  EXPECT_EQ(msg(R"({"batchId":"b","results":[{"messageId":"m","result":"ok"}]})"),
            "answer: results[0].result is not accepted, duplicate or rejected");
  EXPECT_EQ(msg(R"({"batchId":"b","results":[{"result":"accepted"}]})"), "answer: results[0].messageId is missing");
  EXPECT_EQ(msg(R"({"batchId":"b","results":[{"messageId":"m","result":"rejected","error":"x"}]})"),
            "answer: results[0].error is not an object");
}

}  // namespace
}  // namespace liitos
