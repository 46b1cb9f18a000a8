#pragma once
// Text encodings of legacy exports (SPEC §4): decoding UTF-8, ISO-8859-1 and windows-1252 to
// UTF-8, and encoding UTF-8 back to them (CSV receipts use the source's encoding, SPEC §6).
// Pure functions, no I/O, safe to call from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liitos {

enum class Encoding { kUtf8, kIso88591, kWindows1252 };

// "utf-8", "iso-8859-1", "windows-1252" (case-insensitive; also "utf8", "latin1", "latin-1",
// "iso8859-1", "iso_8859-1", "cp1252", "us-ascii"/"ascii" → utf-8, since ASCII is a subset).
// nullopt for anything else.
std::optional<Encoding> ParseEncoding(std::string_view name);

// The canonical lower-case name: "utf-8", "iso-8859-1", "windows-1252".
const char* EncodingName(Encoding enc);

// Decodes `in` from `enc` into *out (replacing its content, reusing its capacity).
// Returns false when `in` holds a byte sequence invalid for `enc`; then *bad_offset (if given)
// is the offset in `in` of the first byte of the first bad sequence and *out is unspecified.
// Validation is strict:
//  - UTF-8: overlong forms, surrogates (U+D800–U+DFFF), code points above U+10FFFF, stray
//    continuation bytes, truncated sequences and the bytes C0, C1, F5–FF are rejected;
//  - ISO-8859-1: the C1 control bytes 0x80–0x9F are rejected (in real exports they mean the file
//    is in fact windows-1252, and silently turning them into controls would corrupt the text);
//  - windows-1252: the five undefined bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are rejected.
// A UTF-8 byte order mark is NOT removed here (it is U+FEFF inside a text); readers strip it at
// the start of a file with StripUtf8Bom.
bool DecodeToUtf8(std::string_view in, Encoding enc, std::string* out,
                  size_t* bad_offset = nullptr);

// Like DecodeToUtf8 but appends to *out. On failure *out may hold a partial result.
bool AppendDecodedUtf8(std::string_view in, Encoding enc, std::string* out,
                       size_t* bad_offset = nullptr);

// True when `in` is valid UTF-8 under the rules above; *bad_offset as for DecodeToUtf8.
bool IsValidUtf8(std::string_view in, size_t* bad_offset = nullptr);

// "invalid windows-1252 byte 0x81", "invalid UTF-8 sequence (byte 0xC0)": a description of the
// bad byte at `bad_offset` that never quotes the surrounding text (a henkilötunnus could be near).
std::string DescribeInvalidByte(std::string_view in, Encoding enc, size_t bad_offset);

// Encodes valid UTF-8 text into `enc`. Characters that `enc` cannot represent become '?'
// (one '?' per character). Invalid UTF-8 input bytes also become '?'. For kUtf8 the input is
// returned as is.
std::string EncodeFromUtf8(std::string_view utf8, Encoding enc);

// The Unicode code point of a windows-1252 byte; 0 for the five undefined bytes.
char32_t Windows1252ToCodePoint(uint8_t byte);

// `text` without a leading UTF-8 byte order mark (EF BB BF).
std::string_view StripUtf8Bom(std::string_view text);
bool HasUtf8Bom(std::string_view text);

// UTF-16 (LE or BE, no BOM expected: strip it first) to UTF-8, strict: unpaired surrogates and an
// odd byte count are rejected with *bad_offset the offending byte offset in `in`.
bool Utf16ToUtf8(std::string_view in, bool big_endian, std::string* out,
                 size_t* bad_offset = nullptr);

// Appends the UTF-8 form of a code point (must be a valid scalar value).
void AppendCodePoint(char32_t cp, std::string* out);

}  // namespace liitos
