#include "formats/mapping.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

namespace liitos {
namespace {

const char* kClient = "FI/MUN/0204819-8/liitos";

// The rakval-csv profile of liitos.example.toml.
ProfileConfig RakvalProfile() {
  ProfileConfig p;
  p.name = "rakval-csv";
  p.encoding = "windows-1252";
  p.date_formats = {"%d.%m.%Y %H:%M", "%d.%m.%Y"};
  p.fields = {{"lvCaseId", "Asiointitunnus"},    {"authorityCaseId", "Diaarinumero"}, {"status", "Tilakoodi"},
              {"statusChangedAt", "Tilan pvm"},  {"previousStatus", "Edellinen tila"}, {"decision.date", "Päätöspvm"},
              {"decision.id", "Pykälä"},          {"decision.code", "Päätös"},         {"decision.maker", "Päättäjä"},
              {"message.fi", "Viesti"},           {"customer.businessId", "Y-tunnus"}, {"customer.personId", "Hetu"},
              {"handler", "Käsittelijä"}};
  p.status_map = {{"10", "VASTAANOTETTU"},  {"20", "KASITTELYSSA"},  {"25", "TAYDENNYSPYYNTO"},
                  {"30", "LAUSUNNOLLA"},    {"40", "PAATOS_ANNETTU"}, {"50", "LAINVOIMAINEN"},
                  {"60", "VALITETTU"},      {"90", "PERUUTETTU"}};
  p.constants = {{"municipalityCode", "049"}};
  return p;
}

InterfaceConfig Iface() {
  InterfaceConfig i;
  i.xroad_client = kClient;
  return i;
}

// A raw record with values given by interface field name, laid out in the profile's field order.
RawRecord Raw(const ProfileConfig& p, size_t number, const std::map<std::string, std::string>& by_field) {
  RawRecord r;
  r.number = number;
  r.ResetValues(p.fields.size());
  size_t i = 0;
  for (const auto& [field, column] : p.fields) {
    auto it = by_field.find(field);
    if (it != by_field.end()) r.SetValue(i, it->second);
    ++i;
  }
  return r;
}

// A minimal valid record; tests change one field at a time.
std::map<std::string, std::string> Valid() {
  return {{"lvCaseId", "LV-2026-000101"}, {"status", "20"}, {"statusChangedAt", "02.11.2026 09:15"}};
}

class MappingTest : public ::testing::Test {
 protected:
  ProfileConfig profile_ = RakvalProfile();
  InterfaceConfig iface_ = Iface();

  MappedRecord Map(const std::map<std::string, std::string>& fields, size_t number = 1,
                   const char* noun = "row") {
    Mapper m(profile_, iface_, "rakval", "tilat_20261120.csv", noun);
    return m.Map(Raw(profile_, number, fields));
  }
  StatusUpdate Accept(const std::map<std::string, std::string>& fields) {
    auto r = Map(fields);
    if (!r.accepted()) {
      ADD_FAILURE() << std::get<Rejection>(r.outcome).reason;
      return {};
    }
    return std::get<StatusUpdate>(r.outcome);
  }
  std::string RejectReason(const std::map<std::string, std::string>& fields, size_t number = 1,
                           const char* noun = "row") {
    auto r = Map(fields, number, noun);
    if (r.accepted()) return "ACCEPTED";
    return std::get<Rejection>(r.outcome).reason;
  }
  std::map<std::string, std::string> With(const std::string& field, const std::string& value) {
    auto f = Valid();
    f[field] = value;
    return f;
  }
  std::map<std::string, std::string> Without(const std::string& field) {
    auto f = Valid();
    f.erase(field);
    return f;
  }
};

TEST_F(MappingTest, MinimalRecord) {
  auto r = Map(Valid(), 3);
  ASSERT_TRUE(r.accepted());
  const auto& u = std::get<StatusUpdate>(r.outcome);
  EXPECT_EQ(u.lv_case_id, "LV-2026-000101");
  EXPECT_EQ(u.status, "KASITTELYSSA");
  EXPECT_EQ(u.status_changed_at, "2026-11-02T09:15:00+02:00");
  EXPECT_EQ(u.municipality_code, "049");  // constant
  EXPECT_EQ(u.source_name, "rakval");
  EXPECT_EQ(u.source_file, "tilat_20261120.csv");
  EXPECT_EQ(u.source_record, 3u);
  EXPECT_EQ(r.number, 3u);
  EXPECT_EQ(r.lv_case_id, "LV-2026-000101");
  // SPEC §5.3: Python's uuid.uuid5(uuid.NAMESPACE_URL, "urn:liitos:status:FI/MUN/0204819-8/liitos|"
  // "LV-2026-000101|KASITTELYSSA|2026-11-02T09:15:00+02:00").
  EXPECT_EQ(u.message_id, "d581a682-e97e-587c-99dd-276a313b2e95");
  EXPECT_FALSE(u.authority_case_id);
  EXPECT_FALSE(u.previous_status);
  EXPECT_TRUE(u.decision.empty());
}

TEST_F(MappingTest, LvCaseId) {
  EXPECT_EQ(RejectReason(Without("lvCaseId"), 4, "record"), "record 4: lvCaseId is missing");
  EXPECT_EQ(RejectReason(With("lvCaseId", "   "), 4, "record"), "record 4: lvCaseId is missing");
  EXPECT_EQ(RejectReason(With("lvCaseId", "LV 2026/1"), 2),
            "row 2: lvCaseId 'LV 2026/1' is not 1 to 64 of the characters A-Z a-z 0-9 _ -");
  EXPECT_EQ(Accept(With("lvCaseId", std::string(64, 'a'))).lv_case_id, std::string(64, 'a'));
  EXPECT_NE(RejectReason(With("lvCaseId", std::string(65, 'a'))), "ACCEPTED");
  EXPECT_EQ(Accept(With("lvCaseId", "a_B-9")).lv_case_id, "a_B-9");
  EXPECT_EQ(RejectReason(With("lvCaseId", "LV-ä")), "row 1: lvCaseId 'LV-ä' is not 1 to 64 of the characters A-Z a-z 0-9 _ -");
}

TEST_F(MappingTest, Status) {
  EXPECT_EQ(RejectReason(Without("status"), 5), "row 5: status is missing");
  EXPECT_EQ(RejectReason(With("status", "99"), 7), "row 7: unknown status '99'");
  EXPECT_EQ(RejectReason(With("status", "KASITTELYSSA"), 7), "row 7: unknown status 'KASITTELYSSA'");
  EXPECT_EQ(Accept(With("status", "90")).status, "PERUUTETTU");
  // Without a status_map, values must already be interface codes.
  profile_.status_map.clear();
  EXPECT_EQ(Accept(With("status", "LAUSUNNOLLA")).status, "LAUSUNNOLLA");
  EXPECT_EQ(RejectReason(With("status", "20")), "row 1: unknown status '20'");
  // A mapping to a code outside [interface] status_codes.
  profile_.status_map = {{"20", "KASITELTY"}};
  EXPECT_EQ(RejectReason(Valid()), "row 1: status '20' maps to 'KASITELTY', which is not an interface status code");
}

TEST_F(MappingTest, StatusConstant) {
  profile_.constants.push_back({"status", "VASTAANOTETTU"});
  EXPECT_EQ(Accept(Without("status")).status, "VASTAANOTETTU");
  EXPECT_EQ(Accept(Valid()).status, "KASITTELYSSA");  // the record's own value wins
}

TEST_F(MappingTest, PreviousStatus) {
  EXPECT_EQ(Accept(With("previousStatus", "10")).previous_status, "VASTAANOTETTU");
  EXPECT_FALSE(Accept(With("previousStatus", "")).previous_status);
  EXPECT_EQ(RejectReason(With("previousStatus", "77"), 3), "row 3: unknown previousStatus '77'");
}

TEST_F(MappingTest, StatusChangedAt) {
  EXPECT_EQ(RejectReason(Without("statusChangedAt"), 6), "row 6: statusChangedAt is missing");
  EXPECT_EQ(RejectReason(With("statusChangedAt", "31.02.2026"), 8), "row 8: statusChangedAt '31.02.2026' is not a date");
  EXPECT_EQ(RejectReason(With("statusChangedAt", "29.03.2026 03:30"), 8),
            "row 8: statusChangedAt '29.03.2026 03:30' is not a valid time in Europe/Helsinki");
  EXPECT_EQ(Accept(With("statusChangedAt", "03.11.2026")).status_changed_at, "2026-11-03");
  EXPECT_EQ(Accept(With("statusChangedAt", "2026-07-01T12:00:00Z")).status_changed_at, "2026-07-01T15:00:00+03:00");
  // Out of SPEC §4's range: refused naming the field, never delivered as another date.
  EXPECT_EQ(RejectReason(With("statusChangedAt", "01.01.2300 12:00"), 3),
            "row 3: statusChangedAt '01.01.2300 12:00' is out of range (1921-05-01 … 2199-12-31)");
  EXPECT_EQ(RejectReason(With("statusChangedAt", "31.12.1899"), 3),
            "row 3: statusChangedAt '31.12.1899' is out of range (1900-01-01 … 2199-12-31)");
  auto decided = With("decision.date", "01.01.2200");
  EXPECT_EQ(RejectReason(decided, 4),
            "row 4: decision.date '01.01.2200' is out of range (1900-01-01 … 2199-12-31)");
}

TEST_F(MappingTest, Decision) {
  auto f = With("status", "40");
  EXPECT_EQ(RejectReason(f, 11), "row 11: status PAATOS_ANNETTU without decision.date");
  f["decision.code"] = "HYLATTY";
  EXPECT_EQ(RejectReason(f, 11), "row 11: status PAATOS_ANNETTU without decision.date");
  f["decision.date"] = "20.11.2026 14:05";
  f["decision.id"] = "§ 45";
  f["decision.maker"] = "Rakennuslautakunta";
  auto u = Accept(f);
  EXPECT_EQ(u.decision.date, "2026-11-20");  // always a date
  EXPECT_EQ(u.decision.id, "§ 45");
  EXPECT_EQ(u.decision.code, "HYLATTY");
  EXPECT_EQ(u.decision.maker, "Rakennuslautakunta");
  EXPECT_FALSE(u.decision.section);
  f["decision.date"] = "32.11.2026";
  EXPECT_EQ(RejectReason(f, 2), "row 2: decision.date '32.11.2026' is not a date");
  // decision.date is not required for other statuses, but must be a date when given.
  EXPECT_EQ(RejectReason(With("decision.date", "huomenna"), 2), "row 2: decision.date 'huomenna' is not a date");
}

TEST_F(MappingTest, BusinessId) {
  EXPECT_EQ(Accept(With("customer.businessId", "0737546-2")).business_id, "0737546-2");
  EXPECT_EQ(RejectReason(With("customer.businessId", "1234567-2"), 9),
            "row 9: customer.businessId: Y-tunnus '1234567-2' has a wrong check digit");
  EXPECT_EQ(RejectReason(With("customer.businessId", "12345672"), 9),
            "row 9: customer.businessId: Y-tunnus '12345672' is not of the form 1234567-8");
}

TEST_F(MappingTest, LvCaseIdShapedLikeAPersonIdIsRejectedAndNeverKept) {
  // Each fits lvCaseId's alphabet; each is (or is glued to) someone's henkilötunnus, right check
  // character or not.
  for (const char* id : {"131052-308T", "010203A987V", "131052-308U", "LV-131052-308T", "131052-308TT"}) {
    SCOPED_TRACE(id);
    MappedRecord r = Map(With("lvCaseId", id), 3);
    ASSERT_FALSE(r.accepted());
    const auto& rej = std::get<Rejection>(r.outcome);
    EXPECT_EQ(rej.field, "lvCaseId");
    EXPECT_EQ(rej.reason, "row 3: lvCaseId looks like a henkilötunnus, not a Luvat ja valvonta id");
    EXPECT_FALSE(r.lv_case_id);  // the journal and the receipt get no case id for it
    EXPECT_EQ(rej.reason.find("131052"), std::string::npos);
  }
  // Case ids that only hold digits and dashes are kept.
  EXPECT_EQ(Accept(With("lvCaseId", "LV-2026-131052")).lv_case_id, "LV-2026-131052");
  EXPECT_EQ(Accept(With("lvCaseId", "131052-30")).lv_case_id, "131052-30");
}

TEST_F(MappingTest, PersonIdWithAllCenturySigns) {
  for (const char* hetu : {"131052-308T", "131052Y308T", "131052X308T", "131052W308T", "131052V308T",
                           "131052U308T", "010203A987V", "010203B987V", "010203C987V", "010203D987V",
                           "010203E987V", "010203F987V", "290200A1239", "150599-456Y",
                           "010203A1230", "131052-900W"}) {
    EXPECT_EQ(Accept(With("customer.personId", hetu)).person_id, hetu) << hetu;
  }
}

TEST_F(MappingTest, InvalidPersonIdIsNeverShown) {
  for (const char* hetu : {"131052-308U", "131052G308T", "290200-1239", "131052-001W", "131052-308", "abc",
                           "010203A987W", "320203A987V", "131052-9A8T", "131052a308T"}) {
    std::string reason = RejectReason(With("customer.personId", hetu), 2);
    EXPECT_EQ(reason, "row 2: customer.personId is not a valid henkilötunnus") << hetu;
    EXPECT_EQ(reason.find(hetu), std::string::npos);
  }
}

TEST_F(MappingTest, PersonIdInAnyFieldIsRedacted) {
  std::string reason = RejectReason(With("status", "131052-308T"), 2);
  EXPECT_EQ(reason, "row 2: unknown status '<hetu>'");
  reason = RejectReason(With("statusChangedAt", "hetu 010203A987V"), 2);
  EXPECT_EQ(reason.find("010203A987V"), std::string::npos) << reason;
  reason = RejectReason(With("municipalityCode", "131052-308T"), 2);
  EXPECT_EQ(reason.find("131052"), std::string::npos) << reason;
  RawRecord raw = Raw(profile_, 5, Valid());
  raw.error_field = "message.fi";
  raw.error_reason = "message.fi mentions 131052-308T";
  Mapper m(profile_, iface_, "rakval", "f.csv", "row");
  auto r = m.Map(raw);
  EXPECT_EQ(std::get<Rejection>(r.outcome).reason.find("131052"), std::string::npos);
}

// One Mapper reused over many records (as ConvertFile does) remembers normalized statusChangedAt
// values by their text: with more distinct values than memo slots, in a shuffled order, with bad
// dates and a DST gap among them, every outcome must equal a fresh Mapper's, record by record.
TEST_F(MappingTest, ReusedMapperGivesTheSameDatesAsAFreshOne) {
  std::vector<std::string> dates;
  for (int day = 1; day <= 28; ++day)
    for (int hour : {0, 3, 4, 9, 12, 15, 20, 23}) dates.push_back(fmt::format("{:02}.03.2026 {:02}:30", day, hour));
  for (int day = 1; day <= 31; ++day) dates.push_back(fmt::format("{:02}.10.2026", day));
  dates.push_back("29.03.2026 03:30");  // the DST gap: rejected
  dates.push_back("31.02.2026 10:00");  // no such day: rejected
  std::mt19937 rng(7);
  std::vector<std::string> order;
  for (int round = 0; round < 5; ++round) order.insert(order.end(), dates.begin(), dates.end());
  std::shuffle(order.begin(), order.end(), rng);
  Mapper reused(profile_, iface_, "rakval", "f.csv", "row");
  MappedRecord out;
  size_t n = 0;
  for (const auto& d : order) {
    RawRecord raw = Raw(profile_, ++n, With("statusChangedAt", d));
    reused.Map(raw, &out);
    MappedRecord fresh = Mapper(profile_, iface_, "rakval", "f.csv", "row").Map(raw);
    ASSERT_EQ(out.accepted(), fresh.accepted()) << d;
    if (fresh.accepted()) {
      EXPECT_EQ(std::get<StatusUpdate>(out.outcome).status_changed_at,
                std::get<StatusUpdate>(fresh.outcome).status_changed_at) << d;
      EXPECT_EQ(std::get<StatusUpdate>(out.outcome).message_id, std::get<StatusUpdate>(fresh.outcome).message_id);
    } else {
      EXPECT_EQ(std::get<Rejection>(out.outcome).reason, std::get<Rejection>(fresh.outcome).reason);
    }
  }
  EXPECT_GT(dates.size(), 256u);  // more values than the memo has slots
}

TEST_F(MappingTest, MunicipalityCode) {
  profile_.fields.push_back({"municipalityCode", "Kunta"});
  EXPECT_EQ(Accept(With("municipalityCode", "091")).municipality_code, "091");  // mapped beats constant
  EXPECT_EQ(Accept(With("municipalityCode", " ")).municipality_code, "049");    // blank: constant applies
  EXPECT_EQ(RejectReason(With("municipalityCode", "49"), 3), "row 3: municipalityCode '49' is not 3 digits");
  EXPECT_EQ(RejectReason(With("municipalityCode", "0491"), 3), "row 3: municipalityCode '0491' is not 3 digits");
  EXPECT_EQ(RejectReason(With("municipalityCode", "04a"), 3), "row 3: municipalityCode '04a' is not 3 digits");
  profile_.constants.clear();
  EXPECT_FALSE(Accept(Valid()).municipality_code);
}

TEST_F(MappingTest, BlankValuesAreAbsent) {
  auto f = Valid();
  f["authorityCaseId"] = "";
  f["message.fi"] = " ";
  f["handler"] = "Liisa Öhman";
  auto u = Accept(f);
  EXPECT_FALSE(u.authority_case_id);
  EXPECT_FALSE(u.message_fi);
  EXPECT_EQ(u.handler, "Liisa Öhman");
}

TEST_F(MappingTest, ReaderErrorBecomesRejection) {
  RawRecord raw = Raw(profile_, 12, Valid());
  raw.error_field = "message.fi";
  raw.error_reason = "message.fi has an invalid windows-1252 byte 0x81";
  Mapper m(profile_, iface_, "rakval", "f.csv", "row");
  auto r = m.Map(raw);
  ASSERT_FALSE(r.accepted());
  const auto& rej = std::get<Rejection>(r.outcome);
  EXPECT_EQ(rej.record, 12u);
  EXPECT_EQ(rej.field, "message.fi");
  EXPECT_EQ(rej.reason, "row 12: message.fi has an invalid windows-1252 byte 0x81");
  EXPECT_EQ(r.lv_case_id, "LV-2026-000101");
}

TEST_F(MappingTest, RejectionCarriesFieldAndCaseId) {
  auto r = Map(With("status", "99"), 7);
  const auto& rej = std::get<Rejection>(r.outcome);
  EXPECT_EQ(rej.record, 7u);
  EXPECT_EQ(rej.field, "status");
  EXPECT_EQ(r.lv_case_id, "LV-2026-000101");
  EXPECT_EQ(rej.reason, "row 7: unknown status '99'");
}

TEST_F(MappingTest, LongValuesAreCut) {
  std::string reason = RejectReason(With("status", std::string(200, 'x') + "\n"), 1);
  EXPECT_EQ(reason, "row 1: unknown status '" + std::string(60, 'x') + "…'");
  reason = RejectReason(With("status", "a\nb"), 1);
  EXPECT_EQ(reason, "row 1: unknown status 'a b'");
}

// The sample export of tests/data/samples/rakval, as the CSV reader would hand it over.
TEST_F(MappingTest, RakvalSampleOutcomes) {
  std::vector<std::map<std::string, std::string>> rows = {
      {{"lvCaseId", "LV-2026-000101"}, {"status", "10"}, {"statusChangedAt", "02.11.2026 09:15"}, {"customer.businessId", "0737546-2"}},
      {{"lvCaseId", "LV-2026-000102"}, {"status", "20"}, {"statusChangedAt", "03.11.2026"}, {"previousStatus", "10"}, {"customer.personId", "131052-308T"}},
      {{"lvCaseId", "LV-2026-000103"}, {"status", "25"}, {"statusChangedAt", "04.11.2026 13:40"}, {"customer.businessId", "2345678-0"}},
      {{"lvCaseId", "LV-2026-000104"}, {"status", "40"}, {"statusChangedAt", "20.11.2026 14:05"}, {"decision.date", "20.11.2026"}, {"customer.businessId", "0112038-9"}},
      {{"lvCaseId", "LV-2026-000105"}, {"status", "50"}, {"statusChangedAt", "21.11.2026"}, {"customer.personId", "010203A987V"}},
      {{"lvCaseId", "LV-2026-000106"}, {"status", "30"}, {"statusChangedAt", "05.11.2026"}},
      {{"lvCaseId", "LV-2026-000107"}, {"status", "99"}, {"statusChangedAt", "06.11.2026"}},
      {{"lvCaseId", "LV-2026-000108"}, {"status", "20"}, {"statusChangedAt", "31.02.2026"}},
      {{"lvCaseId", "LV-2026-000109"}, {"status", "20"}, {"statusChangedAt", "07.11.2026"}, {"customer.businessId", "1234567-2"}},
      {{"lvCaseId", "LV-2026-000110"}, {"status", "90"}, {"statusChangedAt", "08.11.2026"}},
      {{"lvCaseId", "LV-2026-000111"}, {"status", "40"}, {"statusChangedAt", "09.11.2026"}, {"decision.code", "HYLATTY"}},
  };
  std::map<size_t, std::string> expected_rejections = {
      {7, "row 7: unknown status '99'"},
      {8, "row 8: statusChangedAt '31.02.2026' is not a date"},
      {9, "row 9: customer.businessId: Y-tunnus '1234567-2' has a wrong check digit"},
      {11, "row 11: status PAATOS_ANNETTU without decision.date"}};
  for (size_t i = 0; i < rows.size(); ++i) {
    auto r = Map(rows[i], i + 1);
    auto it = expected_rejections.find(i + 1);
    if (it == expected_rejections.end()) {
      EXPECT_TRUE(r.accepted()) << "row " << i + 1 << ": " << std::get<Rejection>(r.outcome).reason;
    } else {
      ASSERT_FALSE(r.accepted()) << "row " << i + 1;
      EXPECT_EQ(std::get<Rejection>(r.outcome).reason, it->second);
    }
  }
  // Row 2's messageId, computed independently with Python's uuid.uuid5(uuid.NAMESPACE_URL, …).
  EXPECT_EQ(std::get<StatusUpdate>(Map(rows[1], 2).outcome).message_id, "aa2cd820-58cd-5e7e-af26-59d46220069a");
}

}  // namespace
}  // namespace liitos
