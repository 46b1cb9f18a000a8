// Profile mapping (SPEC §4): one RawRecord → a StatusUpdate or one Rejection. The first rule a
// record breaks is its reason; rules are checked in SPEC §4's table order.
#include "formats/mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/text/finnish_ids.h"
#include "base/text/safe_text.h"
#include "config/interface_fields.h"
#include "formats/dates.h"
#include "formats/reasons.h"

namespace liitos {
namespace {

// A record's value of one interface field: a view into the RawRecord or a profile constant.
// Blank values are absent; constants fill gaps.
struct Value {
  std::string_view text;
  bool present = false;
  bool from_constant = false;
};

// The slots are the interface fields' rows in config/interface_fields.h.
using enum InterfaceFields::Slot;

const char* SlotName(size_t slot) { return InterfaceFields::Name(slot); }

using Values = std::array<Value, Mapper::kFieldCount>;

constexpr size_t kDateMemoSlots = 64;  // allocated per file: small files are the common case
constexpr size_t kDateMemoWays = 4;

bool IsBlankChar(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsBlank(std::string_view s) { return std::all_of(s.begin(), s.end(), IsBlankChar); }

// Readers hand over values already trimmed (RawRecord): a value that does not start with a
// blank is not blank, without looking further.
bool IsBlankValue(std::string_view s) { return s.empty() || (IsBlankChar(s.front()) && IsBlank(s)); }

// a == b for the short texts of status codes, without a call to memcmp.
bool SameText(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

constexpr auto kCaseIdChar = [] {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = t[c + ('a' - 'A')] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  t['_'] = t['-'] = true;
  return t;
}();

bool IsCaseId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return kCaseIdChar[static_cast<unsigned char>(c)]; });
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

// Sets *out to the value of `slot`, or resets it; keeps the string's storage when it can.
void Assign(const Values& v, size_t slot, std::optional<std::string>* out) {
  if (!v[slot].present) {
    out->reset();
  } else if (*out) {
    (*out)->assign(v[slot].text);
  } else {
    out->emplace(v[slot].text);
  }
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
      noun_(record_noun),
      constant_of_slot_(kFieldCount),
      message_ids_(iface.xroad_client) {
  for (const auto& [field, column] : profile.fields) slot_of_entry_.push_back(InterfaceFields::SlotOf(field));
  for (const auto& [field, text] : profile.constants) {
    size_t slot = InterfaceFields::SlotOf(field);
    if (slot < kFieldCount && !IsBlank(text) && !constant_of_slot_[slot]) constant_of_slot_[slot] = text;
  }
  const auto& codes = iface.status_codes;
  for (const auto& [legacy, code] : profile.status_map)
    status_map_.push_back({legacy, code, std::find(codes.begin(), codes.end(), code) != codes.end()});
}

namespace {

Values CollectValues(const std::vector<size_t>& slot_of_entry, const std::vector<std::optional<std::string>>& constants,
                     const RawRecord& raw) {
  Values values;
  const size_t n = std::min(slot_of_entry.size(), raw.value_count());
  for (size_t i = 0; i < n; ++i) {
    const size_t slot = slot_of_entry[i];
    if (slot >= Mapper::kFieldCount || !raw.has_value(i)) continue;
    const std::string_view v = raw.value_text(i);
    if (IsBlankValue(v)) continue;  // blank is absent
    values[slot].text = v;
    values[slot].present = true;
  }
  for (size_t slot = 0; slot < Mapper::kFieldCount; ++slot) {
    if (!values[slot].present && constants[slot]) values[slot] = Value{*constants[slot], true, true};
  }
  return values;
}

bool IsCode(const InterfaceConfig& iface, std::string_view c) {
  const auto& codes = iface.status_codes;
  return std::find(codes.begin(), codes.end(), c) != codes.end();
}

// Reads one date field with Normalize(); the problem names the field and shows the value.
template <typename Normalize>
Check NormalizedInto(Normalize normalize, std::string_view raw, const std::vector<std::string>& formats,
                     const char* field, std::string* out) {
  auto r = normalize(raw, formats);
  if (!r.ok()) return Reject{field, fmt::format("{} '{}' {}", field, ShowValue(std::string(raw)), r.status().message())};
  *out = std::move(r).value();
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

}  // namespace

MappedRecord Mapper::Map(const RawRecord& raw) const {
  MappedRecord out;
  Map(raw, &out);
  return out;
}

void Mapper::Map(const RawRecord& raw, MappedRecord* out) const {
  out->number = raw.number;
  auto reject = [&](const std::string& field, const std::string& problem) {
    std::string reason = RedactPersonIds(fmt::format("{} {}: {}", noun_, raw.number, problem));
    out->outcome = Rejection{raw.number, field, std::move(reason)};
  };
  const Values v = CollectValues(slot_of_entry_, constant_of_slot_, raw);
  // A value shaped like a henkilötunnus fits lvCaseId's alphabet but is someone's id (G6): it is
  // never kept, shown or journaled, not even on the rejected record.
  const bool case_id_fits = v[kLvCaseId].present && IsCaseId(v[kLvCaseId].text);
  const bool case_id_hetu = case_id_fits && RedactPersonIds(v[kLvCaseId].text) != v[kLvCaseId].text;
  const bool case_id_ok = case_id_fits && !case_id_hetu;
  if (case_id_ok) {
    if (out->lv_case_id) out->lv_case_id->assign(v[kLvCaseId].text);
    else out->lv_case_id.emplace(v[kLvCaseId].text);
  } else {
    out->lv_case_id.reset();
  }
  if (raw.error_reason) return reject(raw.error_field.value_or(""), *raw.error_reason);

  StatusUpdate* u = std::get_if<StatusUpdate>(&out->outcome);
  if (u == nullptr) u = &out->outcome.emplace<StatusUpdate>();
  auto missing = [&](size_t slot) { reject(SlotName(slot), std::string(SlotName(slot)) + " is missing"); };
  // A legacy status value → interface code. Record values go through status_map (when the
  // profile has none, they must already be interface codes); a constant is an interface code
  // itself unless status_map lists it.
  auto status = [&](size_t slot, std::string* code) -> bool {
    const Value& val = v[slot];
    const char* field = SlotName(slot);
    for (const auto& t : status_map_) {
      if (!SameText(t.legacy, val.text)) continue;
      if (!t.is_code) {
        reject(field, fmt::format("{} '{}' maps to '{}', which is not an interface status code", field,
                                  ShowValue(std::string(val.text)), ShowValue(t.code)));
        return false;
      }
      *code = t.code;
      return true;
    }
    if ((status_map_.empty() || val.from_constant) && IsCode(iface_, val.text)) {
      code->assign(val.text);
      return true;
    }
    reject(field, fmt::format("unknown {} '{}'", field, ShowValue(std::string(val.text))));
    return false;
  };
  const auto& formats = profile_.date_formats;

  // Rule by rule in SPEC §4 order; the first broken rule is the record's reason.
  if (!v[kLvCaseId].present) return missing(kLvCaseId);
  if (case_id_hetu) return reject("lvCaseId", "lvCaseId looks like a henkilötunnus, not a Luvat ja valvonta id");
  if (!case_id_ok)
    return reject("lvCaseId", fmt::format("lvCaseId '{}' is not 1 to 64 of the characters A-Z a-z 0-9 _ -",
                                          ShowValue(std::string(v[kLvCaseId].text))));
  u->lv_case_id.assign(v[kLvCaseId].text);
  Assign(v, kAuthorityCaseId, &u->authority_case_id);
  if (!v[kStatus].present) return missing(kStatus);
  if (!status(kStatus, &u->status)) return;
  if (v[kPreviousStatus].present) {
    if (!u->previous_status) u->previous_status.emplace();
    if (!status(kPreviousStatus, &*u->previous_status)) return;
  } else {
    u->previous_status.reset();
  }
  if (!v[kStatusChangedAt].present) return missing(kStatusChangedAt);
  {
    std::string_view text = v[kStatusChangedAt].text;
    if (date_memo_.empty()) date_memo_.resize(kDateMemoSlots);
    // A text is looked for in kDateMemoWays neighbouring slots, so that a few texts whose hashes
    // collide do not keep evicting each other; a new one takes an empty slot or the first.
    const size_t home = std::hash<std::string_view>{}(text) % kDateMemoSlots;
    DateMemo* hit = nullptr;
    DateMemo* free_slot = nullptr;
    for (size_t w = 0; w < kDateMemoWays && !hit; ++w) {
      DateMemo& m = date_memo_[(home + w) % kDateMemoSlots];
      if (m.text.empty()) {
        if (!free_slot) free_slot = &m;
      } else if (m.text == text) {
        hit = &m;
      }
    }
    if (hit) {
      u->status_changed_at = hit->normalized;
    } else {
      if (auto r = NormalizedInto(NormalizeDateTime, text, formats, "statusChangedAt", &u->status_changed_at))
        return reject(r->field, r->problem);  // only good values are remembered
      DateMemo& memo = free_slot ? *free_slot : date_memo_[home];
      memo.text.assign(text);
      memo.normalized = u->status_changed_at;
    }
  }
  Assign(v, kDecisionId, &u->decision.id);
  if (v[kDecisionDate].present) {
    if (!u->decision.date) u->decision.date.emplace();
    if (auto r = NormalizedInto(NormalizeDateOnly, v[kDecisionDate].text, formats, "decision.date",
                                &*u->decision.date))
      return reject(r->field, r->problem);
  } else {
    u->decision.date.reset();
  }
  Assign(v, kDecisionCode, &u->decision.code);
  Assign(v, kDecisionMaker, &u->decision.maker);
  Assign(v, kDecisionSection, &u->decision.section);
  if (u->status == "PAATOS_ANNETTU" && !u->decision.date)
    return reject("decision.date", "status PAATOS_ANNETTU without decision.date");
  Assign(v, kMessageFi, &u->message_fi);
  Assign(v, kMessageSv, &u->message_sv);
  Assign(v, kBusinessId, &u->business_id);
  Assign(v, kPersonId, &u->person_id);
  Assign(v, kMunicipalityCode, &u->municipality_code);
  Assign(v, kHandler, &u->handler);
  if (auto r = CheckIdentifiers(*u)) return reject(r->field, r->problem);
  message_ids_.Compute(u->lv_case_id, u->status, u->status_changed_at, &u->message_id);
  u->source_name = source_name_;
  u->source_file = file_name_;
  u->source_record = raw.number;
}

}  // namespace liitos
