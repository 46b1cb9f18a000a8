#pragma once
// The one place where bytes from outside — a file's name, a value, a reason a receiver sent —
// become text that liitos shows or stores (SPEC G6, §3 "Names are bytes"). Every log line, journal
// field, receipt's content and JSON string that holds such bytes goes through SafeText, so that no
// name can forge a log line or break a document, and no henkilötunnus is written down.

#include <string>
#include <string_view>

namespace liitos {

// What a henkilötunnus is replaced with (SPEC G6).
inline constexpr std::string_view kPersonIdMask = "<hetu>";

// `bytes` as valid UTF-8 on one line: bytes that are not valid UTF-8 become `\xHH`; control
// characters become `\n`, `\r`, `\t` or `\xHH` (C0 and DEL), `\u0085` (C1); the bidirectional
// overrides and isolates (U+202A–U+202E, U+2066–U+2069) become `\u202e` and the like, so that a
// name cannot reorder what is shown around it. Everything else is kept as it is.
std::string EscapeBytes(std::string_view bytes);

// `text` with every run shaped like a henkilötunnus (DDMMYY, a century sign of 1900–2099 incl.
// the 2023 signs, NNN, a check character) replaced by kPersonIdMask — also when glued to other
// letters or digits (`131052-308TT`, `1131052-308T`), and whether or not its check character is
// right (a mistyped code is still someone's). Errs on the side of masking, except inside a UUID
// (a messageId or batchId is never masked).
std::string RedactPersonIds(std::string_view text);

// EscapeBytes, then RedactPersonIds: what every name and outside text is written as.
std::string SafeText(std::string_view bytes);

}  // namespace liitos
