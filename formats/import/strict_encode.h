#pragma once
// Encoding UTF-8 into a legacy encoding without loss (SPEC §11): where formats/encoding's
// EncodeFromUtf8 writes '?' for a character the encoding lacks (fine for a receipt's reason), an
// import file must never carry a '?' that the customer did not write. Pure functions.

#include <string>
#include <string_view>

#include "formats/encoding.h"

namespace liitos {

// Appends `utf8` (valid UTF-8) encoded into `enc` to *out. Returns false at the first character
// `enc` cannot hold (iso-8859-1: above U+00FF, or a C1 control U+0080–U+009F; windows-1252: what
// its table lacks), with *bad its code point; *out then holds a partial result.
bool AppendEncodedStrict(std::string_view utf8, Encoding enc, std::string* out, char32_t* bad);

// Appends JSON text (valid UTF-8, as nlohmann's dump writes it) encoded into `enc`: a character
// `enc` lacks is written as its \uXXXX escape (a pair above U+FFFF). Lossless, and still the same
// JSON, because outside strings JSON text is ASCII.
void AppendJsonTextEncoded(std::string_view utf8_json, Encoding enc, std::string* out);

// "'€' (U+20AC)": a character for a reason text; a control character is named by its code only.
std::string DescribeCharacter(char32_t cp);

}  // namespace liitos
