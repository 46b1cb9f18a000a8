#pragma once
// The bytes of an XML export turned into UTF-8 text that pugixml may parse, and everything we
// refuse before parsing (SPEC §4, G5): an unsupported or lying encoding, invalid bytes, and any
// document type declaration.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace liitos {

// XML's white space: space, tab, CR, LF.
inline bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// `s` without its leading and trailing XML white space.
inline std::string_view TrimXmlSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsXmlSpace(s[b])) ++b;
  while (e > b && IsXmlSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// 1-based line and column of a byte offset in UTF-8 text. Lines end at LF, CRLF or CR; the
// column counts characters (not bytes) from the start of the line.
struct TextPosition {
  size_t line = 1, column = 1;
};
TextPosition PositionAt(std::string_view utf8, size_t offset);

// What an XML file's first bytes say about its encoding: a byte order mark, the UTF-16 form of
// "<?" without one, or the XML declaration's `encoding`; UTF-8 when nothing says otherwise. A
// UTF-8 BOM wins over the declaration. `bom_bytes` is the length of the BOM to skip.
// Refused (kInvalid): UTF-32, a declared encoding we do not read, a declaration that claims
// UTF-16 in an 8-bit file. Used by XmlToUtf8 and by the streaming reader's decoder alike.
enum class XmlInput { kUtf8, kIso88591, kWindows1252, kUtf16Le, kUtf16Be };
struct XmlEncoding {
  XmlInput input = XmlInput::kUtf8;
  size_t bom_bytes = 0;
};
Result<XmlEncoding> DetectXmlEncoding(std::string_view first_bytes);

// Detects the encoding from the byte order mark (UTF-8, UTF-16 LE/BE), the UTF-16 form of "<?"
// without one, or the XML declaration's `encoding` (UTF-8, ISO-8859-1, windows-1252; US-ASCII
// read as UTF-8); no declaration means UTF-8. Returns the document as valid UTF-8 without a
// BOM (UTF-8 input is checked and returned in place, without a copy); the declaration is left
// as it was (parse it as UTF-8 regardless of what it says).
// Refused (kInvalid, with "line L, column C" where a position applies): UTF-32, other declared
// encodings, a declaration that claims UTF-16 in an 8-bit file, invalid byte sequences, and a
// character XML does not allow (formats/xml/xml_rules.h FindForbiddenXmlChar), whichever comes first.
Result<std::string> XmlToUtf8(std::string bytes);

// kInvalid "document type declaration refused (line L, column C)" when `utf8` holds
// "<!DOCTYPE" outside terminated comments and CDATA sections (case-insensitively; inside an
// unterminated one it is looked for too), Ok otherwise.
Status RefuseDoctype(std::string_view utf8);

// "line L, column C" of `offset` in `utf8`.
std::string DescribePosition(std::string_view utf8, size_t offset);

}  // namespace liitos
