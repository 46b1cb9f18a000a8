#pragma once
// Defence in depth for SPEC G6: callers promise never to pass a henkilötunnus in an event, and
// the journal masks any that slips through before the event is hashed and stored.

#include <string>

namespace liitos {

inline constexpr const char* kPersonIdMask = "[henkilötunnus]";

// Replaces every valid henkilötunnus in `text` with kPersonIdMask; returns how many.
int RedactPersonIds(std::string& text);

}  // namespace liitos
