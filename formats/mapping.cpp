// Profile mapping (SPEC §4): one RawRecord → a StatusUpdate or one Rejection. The first rule a
// record breaks is its reason; rules are checked in SPEC §4's table order.
#include "formats/mapping.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "base/finnish_ids.h"
#include "formats/dates.h"
#include "formats/reasons.h"

namespace liitos {
namespace {

struct Value {
  std::string text;
  bool from_constant = false;
};

// The record's values by interface field name; blank values are absent, constants fill gaps.
using Values = std::map<std::string, Value>;

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

bool IsCaseId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool IsMunicipalityCode(const std::string& s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool LooksLikeBusinessId(const std::string& s) {
  if (s.size() != 9 || s[7] != '-') return false;
  for (size_t i = 0; i < 9; ++i)
    if (i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

std::optional<std::string> Get(const Values& v, const char* field) {
  auto it = v.find(field);
  if (it == v.end()) return std::nullopt;
  return it->second.text;
}

// The first rule a record breaks: the field and the problem in plain words.
struct Reject {
  std::string field, problem;
};
using Check = std::optional<Reject>;

}  // namespace

Mapper::Mapper(const ProfileConfig& profile, const InterfaceConfig& iface, std::string source_name,
               std::string file_name, const char* record_noun)
    : profile_(profile),
      iface_(iface),
      source_name_(std::move(source_name)),
      file_name_(std::move(file_name)),
      noun_(record_noun) {}

namespace {

Values CollectValues(const ProfileConfig& profile, const RawRecord& raw) {
  Values values;
  for (size_t i = 0; i < profile.fields.size() && i < raw.values.size(); ++i) {
    const auto& v = raw.values[i];
    if (v && !IsBlank(*v)) values[profile.fields[i].first] = Value{*v, false};
  }
  for (const auto& [field, text] : profile.constants) {
    if (!values.count(field) && !IsBlank(text)) values[field] = Value{text, true};
  }
  return values;
}

// A legacy status value → interface code. Record values go through status_map (when the profile
// has none, they must already be interface codes); a constant is an interface code itself
// unless status_map lists it.
Check MapStatus(const ProfileConfig& profile, const InterfaceConfig& iface, const Value& v, const char* field,
                std::string* out) {
  const auto& codes = iface.status_codes;
  auto is_code = [&](const std::string& c) { return std::find(codes.begin(), codes.end(), c) != codes.end(); };
  auto it = profile.status_map.find(v.text);
  if (it != profile.status_map.end()) {
    if (!is_code(it->second))
      return Reject{field, fmt::format("{} '{}' maps to '{}', which is not an interface status code", field,
                                       ShowValue(v.text), ShowValue(it->second))};
    *out = it->second;
    return std::nullopt;
  }
  if ((profile.status_map.empty() || v.from_constant) && is_code(v.text)) {
    *out = v.text;
    return std::nullopt;
  }
  return Reject{field, fmt::format("unknown {} '{}'", field, ShowValue(v.text))};
}

Check Required(const Values& values, const char* field, std::string* out) {
  auto v = Get(values, field);
  if (!v) return Reject{field, std::string(field) + " is missing"};
  *out = *v;
  return std::nullopt;
}

Check Normalized(const Result<std::string>& r, const char* field, const std::string& raw, std::string* out) {
  if (!r.ok()) return Reject{field, fmt::format("{} '{}' {}", field, ShowValue(raw), r.status().message())};
  *out = *r;
  return std::nullopt;
}

Check CheckIdentifiers(const StatusUpdate& u) {
  if (u.business_id && !IsValidBusinessId(*u.business_id)) {
    const char* problem =
        LooksLikeBusinessId(*u.business_id) ? "has a wrong check digit" : "is not of the form 1234567-8";
    return Reject{"customer.businessId",
                  fmt::format("customer.businessId: Y-tunnus '{}' {}", ShowValue(*u.business_id), problem)};
  }
  if (u.person_id && !IsValidPersonId(*u.person_id))  // G6: the value is never shown
    return Reject{"customer.personId", "customer.personId is not a valid henkilötunnus"};
  if (u.municipality_code && !IsMunicipalityCode(*u.municipality_code))
    return Reject{"municipalityCode",
                  fmt::format("municipalityCode '{}' is not 3 digits", ShowValue(*u.municipality_code))};
  return std::nullopt;
}

// Fills *u from the values, rule by rule in SPEC §4 order; the first broken rule is returned.
Check Fill(const ProfileConfig& profile, const InterfaceConfig& iface, const Values& values, StatusUpdate* u) {
  const auto& formats = profile.date_formats;
  if (auto r = Required(values, "lvCaseId", &u->lv_case_id)) return r;
  if (!IsCaseId(u->lv_case_id))
    return Reject{"lvCaseId", fmt::format("lvCaseId '{}' is not 1 to 64 of the characters A-Z a-z 0-9 _ -",
                                          ShowValue(u->lv_case_id))};
  u->authority_case_id = Get(values, "authorityCaseId");
  std::string ignored;
  if (auto r = Required(values, "status", &ignored)) return r;
  if (auto r = MapStatus(profile, iface, values.at("status"), "status", &u->status)) return r;
  if (values.count("previousStatus")) {
    u->previous_status.emplace();
    if (auto r = MapStatus(profile, iface, values.at("previousStatus"), "previousStatus", &*u->previous_status))
      return r;
  }
  std::string changed;
  if (auto r = Required(values, "statusChangedAt", &changed)) return r;
  if (auto r = Normalized(NormalizeDateTime(changed, formats), "statusChangedAt", changed, &u->status_changed_at))
    return r;
  u->decision.id = Get(values, "decision.id");
  if (auto d = Get(values, "decision.date")) {
    u->decision.date.emplace();
    if (auto r = Normalized(NormalizeDateOnly(*d, formats), "decision.date", *d, &*u->decision.date)) return r;
  }
  u->decision.code = Get(values, "decision.code");
  u->decision.maker = Get(values, "decision.maker");
  u->decision.section = Get(values, "decision.section");
  if (u->status == "PAATOS_ANNETTU" && !u->decision.date)
    return Reject{"decision.date", "status PAATOS_ANNETTU without decision.date"};
  u->message_fi = Get(values, "message.fi");
  u->message_sv = Get(values, "message.sv");
  u->business_id = Get(values, "customer.businessId");
  u->person_id = Get(values, "customer.personId");
  u->municipality_code = Get(values, "municipalityCode");
  u->handler = Get(values, "handler");
  return CheckIdentifiers(*u);
}

}  // namespace

MappedRecord Mapper::Map(const RawRecord& raw) const {
  MappedRecord out;
  out.number = raw.number;
  auto reject = [&](const std::string& field, const std::string& problem) {
    std::string reason = RedactPersonIds(fmt::format("{} {}: {}", noun_, raw.number, problem));
    out.outcome = Rejection{raw.number, field, std::move(reason)};
    return out;
  };
  Values values = CollectValues(profile_, raw);
  if (auto id = Get(values, "lvCaseId"); id && IsCaseId(*id)) out.lv_case_id = *id;
  if (raw.error_reason) return reject(raw.error_field.value_or(""), *raw.error_reason);

  StatusUpdate u;
  if (auto r = Fill(profile_, iface_, values, &u)) return reject(r->field, r->problem);
  u.message_id = ComputeMessageId(iface_.xroad_client, u.lv_case_id, u.status, u.status_changed_at);
  u.source_name = source_name_;
  u.source_file = file_name_;
  u.source_record = raw.number;
  out.outcome = std::move(u);
  return out;
}

std::string RejectionText(const std::string& file, const Rejection& r) {
  std::string prefix = file + ": ";
  if (r.reason.compare(0, prefix.size(), prefix) == 0) return r.reason;
  return prefix + r.reason;
}

std::string RejectionToJson(const std::string& file, const Rejection& r) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["file"] = file;
  j["record"] = r.record;
  j["field"] = r.field;
  j["reason"] = RedactPersonIds(r.reason);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace liitos
