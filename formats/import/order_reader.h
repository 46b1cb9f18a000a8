#pragma once
// Fetch orders (SPEC §11): a profile with format = "fetch-order" reads a file of the external ids
// of applications to fetch — one id a line, or, with `id_column`, a CSV (the profile's encoding,
// delimiter and header) with the ids in that column. Blank lines and lines starting with '#' are
// skipped; lines are numbered as in the file, from 1 (a CSV record by the line it starts on).
// A line that is not an id is rejected with its reason; the other lines go on.

#include <string>
#include <vector>

#include "base/status.h"
#include "config/config.h"

namespace liitos {

struct OrderLine {
  size_t line = 0;          // 1-based line of the file
  std::string external_id;  // normalized (lv_service.h); empty when rejected
  std::string reason;       // why the line is rejected (safe to store: escaped, henkilötunnus masked)
  bool rejected() const { return !reason.empty(); }
};

// Reads the order at `path`. Invalid when the file as a whole cannot be read as an order (a CSV
// whose header lacks id_column or names it twice, an unclosed quote): the caller quarantines it.
Result<std::vector<OrderLine>> ReadFetchOrder(const ProfileConfig& profile, const std::string& path);

}  // namespace liitos
