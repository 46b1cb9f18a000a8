#include "formats/import/strict_encode.h"

#include <fmt/format.h>

namespace liitos {
namespace {

// Decodes the sequence at s[i] (valid UTF-8 assumed; a stray byte is taken as itself) and
// advances i past it.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (b < 0x80 || b < 0xC0 || *i + len > s.size()) {
    ++*i;
    return b;
  }
  char32_t cp = b & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

// The byte of `cp` in `enc` (not UTF-8), or -1 when it has none.
int EncodedByte(char32_t cp, Encoding enc) {
  if (cp < 0x80) return static_cast<int>(cp);
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<int>(cp);
  if (enc == Encoding::kWindows1252) {
    for (unsigned b = 0x80; b < 0xA0; ++b)
      if (Windows1252ToCodePoint(static_cast<uint8_t>(b)) == cp && cp != 0) return static_cast<int>(b);
  }
  return -1;
}

void AppendEscape(char32_t cp, std::string* out) {
  if (cp >= 0x10000) {
    char32_t v = cp - 0x10000;
    *out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
  } else {
    *out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
  }
}

// The length of the run of ASCII bytes at the start of `s`.
size_t AsciiRun(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && static_cast<unsigned char>(s[n]) < 0x80) ++n;
  return n;
}

}  // namespace

bool AppendEncodedStrict(std::string_view utf8, Encoding enc, std::string* out, char32_t* bad) {
  if (enc == Encoding::kUtf8) {
    out->append(utf8);
    return true;
  }
  out->reserve(out->size() + utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    if (size_t run = AsciiRun(utf8.substr(i)); run > 0) {
      out->append(utf8.data() + i, run);
      i += run;
      continue;
    }
    char32_t cp = NextCodePoint(utf8, &i);
    int b = EncodedByte(cp, enc);
    if (b < 0) {
      *bad = cp;
      return false;
    }
    out->push_back(static_cast<char>(b));
  }
  return true;
}

void AppendJsonTextEncoded(std::string_view utf8_json, Encoding enc, std::string* out) {
  if (enc == Encoding::kUtf8) {
    out->append(utf8_json);
    return;
  }
  out->reserve(out->size() + utf8_json.size());
  for (size_t i = 0; i < utf8_json.size();) {
    if (size_t run = AsciiRun(utf8_json.substr(i)); run > 0) {
      out->append(utf8_json.data() + i, run);
      i += run;
      continue;
    }
    char32_t cp = NextCodePoint(utf8_json, &i);
    int b = EncodedByte(cp, enc);
    if (b < 0) AppendEscape(cp, out);
    else out->push_back(static_cast<char>(b));
  }
}

std::string DescribeCharacter(char32_t cp) {
  std::string code = cp > 0xFFFF ? fmt::format("U+{:06X}", static_cast<unsigned>(cp))
                                 : fmt::format("U+{:04X}", static_cast<unsigned>(cp));
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
    return code;
  std::string ch;
  AppendCodePoint(cp, &ch);
  return fmt::format("'{}' ({})", ch, code);
}

}  // namespace liitos
