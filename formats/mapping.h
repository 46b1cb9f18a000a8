#pragma once
// Profile mapping (SPEC §4): a RawRecord becomes a StatusUpdate or a rejection with a reason in
// plain words that names the file, the record and the field. A henkilötunnus never appears in a
// reason (G6).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"
#include "config/interface_fields.h"
#include "formats/interface/interface.h"
#include "formats/record_reader.h"

namespace liitos {

struct Rejection {
  size_t record = 0;  // 0 when the whole file is rejected
  std::string field;  // interface field name, empty for file-level reasons
  std::string reason;  // e.g. "row 17: statusChangedAt '31.02.2026' is not a date"
};

struct MappedRecord {
  size_t number = 0;
  // When it could be read, also for rejected records; never a value shaped like a henkilötunnus.
  std::optional<std::string> lv_case_id;
  std::variant<StatusUpdate, Rejection> outcome;
  bool accepted() const { return std::holds_alternative<StatusUpdate>(outcome); }
};

class Mapper {
 public:
  // `profile`, `iface` must outlive the Mapper.
  Mapper(const ProfileConfig& profile, const InterfaceConfig& iface, std::string source_name,
         std::string file_name, const char* record_noun);
  MappedRecord Map(const RawRecord& raw) const;
  // The same into *out, reusing its strings' storage (the hot path: one MappedRecord per file).
  void Map(const RawRecord& raw, MappedRecord* out) const;

  // The interface fields, by their slot in config/interface_fields.h.
  static constexpr size_t kFieldCount = InterfaceFields::kCount;

 private:
  struct StatusTarget {
    std::string legacy, code;
    bool is_code = false;  // `code` is an interface status code
  };

  const ProfileConfig& profile_;
  const InterfaceConfig& iface_;
  std::string source_name_, file_name_;
  const char* noun_;
  // Precomputed from the profile: the interface field of each `fields` entry (its slot in
  // InterfaceFields, kFieldCount when unknown), the constants by field, status_map.
  std::vector<size_t> slot_of_entry_;
  std::vector<std::optional<std::string>> constant_of_slot_;
  std::vector<StatusTarget> status_map_;
  MessageIdNamer message_ids_;
  // statusChangedAt values already normalized, by their text: exports stamp many records with
  // the same time, and parsing plus the Helsinki offset cost more than the rest of a record.
  struct DateMemo {
    std::string text, normalized;
  };
  mutable std::vector<DateMemo> date_memo_;
};

}  // namespace liitos
