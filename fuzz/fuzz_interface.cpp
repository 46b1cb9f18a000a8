// libFuzzer target: the interface JSON writer (formats/interface/interface.h). A StatusUpdate is built from
// the fuzz bytes, written with StatusUpdateToJson and with AppendStatusUpdateJson, and parsed back
// with nlohmann::json. Properties: both writers give the same single line of valid JSON; every
// field reads back equal (values that are not valid UTF-8 are replaced, so those are only
// checked to be valid UTF-8); StatusUpdateFromJson reads the line back to the same update, or
// refuses it when a required value is empty.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>
#include <nlohmann/json.hpp>

#include "formats/encoding.h"
#include "formats/interface/interface.h"
#include "fuzz/fuzz_util.h"

namespace {

using liitos::fuzz::Check;
using Json = nlohmann::json;

std::string Str(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(64); }
std::optional<std::string> Opt(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return std::nullopt;
  return Str(in);
}

// The value at `key` of `j` equals `want` (or is a valid UTF-8 replacement of it).
void Same(const Json& j, const char* key, const std::string& want) {
  Check(j.is_object() && j.contains(key) && j[key].is_string(), std::string("a string at ") + key);
  const std::string& got = j[key].get_ref<const std::string&>();
  if (liitos::IsValidUtf8(want)) {
    Check(got == want, std::string("the same value at ") + key);
  } else {
    Check(liitos::IsValidUtf8(got), std::string("a replaced value is valid UTF-8 at ") + key);
  }
}
void SameOpt(const Json& j, const char* key, const std::optional<std::string>& want) {
  if (want) {
    Same(j, key, *want);
  } else {
    Check(!j.is_object() || !j.contains(key), std::string("no value at ") + key);
  }
}
// A nested object present exactly when one of its values is.
const Json& Nested(const Json& j, const char* key, bool present) {
  static const Json kNone = Json::object();
  Check(j.contains(key) == present, std::string("the object ") + key + " when and only when it has values");
  return present ? j[key] : kNone;
}

bool AllValid(const liitos::StatusUpdate& u) {
  for (const std::optional<std::string>& s :
       {std::optional<std::string>(u.message_id), std::optional<std::string>(u.lv_case_id), u.authority_case_id,
        std::optional<std::string>(u.status), u.previous_status, std::optional<std::string>(u.status_changed_at),
        u.decision.id, u.decision.date, u.decision.code, u.decision.maker, u.decision.section, u.message_fi,
        u.message_sv, u.business_id, u.person_id, u.municipality_code, u.handler,
        std::optional<std::string>(u.source_name), std::optional<std::string>(u.source_file)})
    if (s && !liitos::IsValidUtf8(*s)) return false;
  return true;
}

bool Equal(const liitos::StatusUpdate& a, const liitos::StatusUpdate& b) {
  return a.message_id == b.message_id && a.lv_case_id == b.lv_case_id && a.authority_case_id == b.authority_case_id &&
         a.status == b.status && a.previous_status == b.previous_status &&
         a.status_changed_at == b.status_changed_at && a.decision.id == b.decision.id &&
         a.decision.date == b.decision.date && a.decision.code == b.decision.code &&
         a.decision.maker == b.decision.maker && a.decision.section == b.decision.section &&
         a.message_fi == b.message_fi && a.message_sv == b.message_sv && a.business_id == b.business_id &&
         a.person_id == b.person_id && a.municipality_code == b.municipality_code && a.handler == b.handler &&
         a.source_name == b.source_name && a.source_file == b.source_file && a.source_record == b.source_record;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  liitos::StatusUpdate u;
  u.message_id = Str(in);
  u.lv_case_id = Str(in);
  u.authority_case_id = Opt(in);
  u.status = Str(in);
  u.previous_status = Opt(in);
  u.status_changed_at = Str(in);
  u.decision.id = Opt(in);
  u.decision.date = Opt(in);
  u.decision.code = Opt(in);
  u.decision.maker = Opt(in);
  u.decision.section = Opt(in);
  u.message_fi = Opt(in);
  u.message_sv = Opt(in);
  u.business_id = Opt(in);
  u.person_id = Opt(in);
  u.municipality_code = Opt(in);
  u.handler = Opt(in);
  u.source_name = Str(in);
  u.source_file = Str(in);
  u.source_record = in.ConsumeIntegral<size_t>();

  const std::string line = liitos::StatusUpdateToJson(u);
  std::string appended = "x";
  liitos::AppendStatusUpdateJson(u, &appended);
  Check(appended == "x" + line, "StatusUpdateToJson and AppendStatusUpdateJson agree");
  Check(line.find('\n') == std::string::npos, "a single line");
  Check(liitos::IsValidUtf8(line), "the line is valid UTF-8");

  Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  Check(j.is_object(), "the line is a JSON object: " + line);
  Same(j, "messageId", u.message_id);
  Check(j["type"] == "status-update", "type");
  Same(j, "lvCaseId", u.lv_case_id);
  SameOpt(j, "authorityCaseId", u.authority_case_id);
  Same(j, "status", u.status);
  SameOpt(j, "previousStatus", u.previous_status);
  Same(j, "statusChangedAt", u.status_changed_at);
  const Json& d = Nested(j, "decision", !u.decision.empty());
  SameOpt(d, "id", u.decision.id);
  SameOpt(d, "date", u.decision.date);
  SameOpt(d, "code", u.decision.code);
  SameOpt(d, "maker", u.decision.maker);
  SameOpt(d, "section", u.decision.section);
  const Json& m = Nested(j, "message", u.message_fi || u.message_sv);
  SameOpt(m, "fi", u.message_fi);
  SameOpt(m, "sv", u.message_sv);
  const Json& c = Nested(j, "customer", u.business_id || u.person_id);
  SameOpt(c, "businessId", u.business_id);
  SameOpt(c, "personId", u.person_id);
  SameOpt(j, "municipalityCode", u.municipality_code);
  SameOpt(j, "handler", u.handler);
  const Json& s = Nested(j, "source", true);
  Same(s, "name", u.source_name);
  Same(s, "file", u.source_file);
  Check(s.contains("record") && s["record"].is_number_unsigned() && s["record"].get<size_t>() == u.source_record,
        "the same source.record");

  if (AllValid(u)) {
    // The reader refuses an empty required value; it reads every other update back as it was.
    const bool complete = !u.message_id.empty() && !u.lv_case_id.empty() && !u.status.empty() &&
                          !u.status_changed_at.empty() && !u.source_name.empty() && !u.source_file.empty();
    auto back = liitos::StatusUpdateFromJson(line);
    Check(back.ok() == complete, "StatusUpdateFromJson reads the line back unless a required value is empty: " +
                                     (back.ok() ? std::string("ok") : back.status().message()));
    if (back.ok()) Check(Equal(*back, u), "StatusUpdateFromJson gives the same update");
  }
  return 0;
}
