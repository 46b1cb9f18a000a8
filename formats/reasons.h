#pragma once
// Building blocks of rejection reasons and receipt texts, written so that a henkilötunnus never
// reaches a reason (G6), whatever field it was (mis)placed in.

#include <string>
#include <string_view>

#include "base/text/safe_text.h"  // RedactPersonIds, SafeText: the one rule for outside text

namespace liitos {

// A legacy value as shown inside a reason, between single quotes: person ids redacted, control
// characters (line breaks, tabs) shown as a space, and cut to `max_chars` characters (UTF-8 code
// points) with "…" appended when longer.
std::string ShowValue(std::string_view value, size_t max_chars = 60);

}  // namespace liitos
