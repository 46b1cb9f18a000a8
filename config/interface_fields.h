#pragma once
// The interface fields a profile may map in `fields` and `constants` (SPEC §4), in one table:
// config/ accepts a profile's field names from it (InterfaceFieldNames(), config/config.h), and
// the Mapper (formats/mapping.cpp) numbers its slots by it. A field added here is known to both.

#include <array>
#include <cstddef>
#include <string_view>

namespace liitos {

struct InterfaceFields {
  // A field's slot: its row in kTable, in the order of the SPEC's table.
  enum Slot : size_t {
    kLvCaseId,
    kAuthorityCaseId,
    kStatus,
    kStatusChangedAt,
    kPreviousStatus,
    kDecisionId,
    kDecisionDate,
    kDecisionCode,
    kDecisionMaker,
    kDecisionSection,
    kMessageFi,
    kMessageSv,
    kBusinessId,
    kPersonId,
    kMunicipalityCode,
    kHandler,
    kCount,
  };
  struct Row {
    Slot slot;
    const char* name;  // as a profile writes it
  };
  static constexpr std::array<Row, kCount> kTable = {{
      {kLvCaseId, "lvCaseId"},
      {kAuthorityCaseId, "authorityCaseId"},
      {kStatus, "status"},
      {kStatusChangedAt, "statusChangedAt"},
      {kPreviousStatus, "previousStatus"},
      {kDecisionId, "decision.id"},
      {kDecisionDate, "decision.date"},
      {kDecisionCode, "decision.code"},
      {kDecisionMaker, "decision.maker"},
      {kDecisionSection, "decision.section"},
      {kMessageFi, "message.fi"},
      {kMessageSv, "message.sv"},
      {kBusinessId, "customer.businessId"},
      {kPersonId, "customer.personId"},
      {kMunicipalityCode, "municipalityCode"},
      {kHandler, "handler"},
  }};

  static constexpr const char* Name(size_t slot) { return kTable[slot].name; }
  // The slot of a field named in a profile, or kCount for a name that is no interface field.
  static constexpr size_t SlotOf(std::string_view name) {
    size_t i = 0;
    while (i < kCount && name != kTable[i].name) ++i;
    return i;
  }
};

static_assert([] {
  for (size_t i = 0; i < InterfaceFields::kCount; ++i)
    if (InterfaceFields::kTable[i].slot != i) return false;
  return true;
}(), "each row of InterfaceFields::kTable sits at its slot");

}  // namespace liitos
