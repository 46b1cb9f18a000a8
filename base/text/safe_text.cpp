#include "base/text/safe_text.h"

#include <fmt/format.h>

namespace liitos {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (1–4), or 0 when it is not one (overlong
// forms, surrogates and values past U+10FFFF included). *cp receives the code point.
size_t Utf8At(std::string_view s, size_t i, char32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  char32_t v = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int TwoDigits(std::string_view t, size_t i) { return (t[i] - '0') * 10 + (t[i + 1] - '0'); }

// Shaped like a henkilötunnus at t[i..i+11).
bool PersonIdAt(std::string_view t, size_t i) {
  if (i + 11 > t.size()) return false;
  for (size_t k : {0, 1, 2, 3, 4, 5, 7, 8, 9})
    if (!IsDigit(t[i + k])) return false;
  int day = TwoDigits(t, i), month = TwoDigits(t, i + 2);
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  char sign = t[i + 6];
  if (sign >= 'a' && sign <= 'z') sign = static_cast<char>(sign - 'a' + 'A');
  bool century = sign == '+' || sign == '-' || (sign >= 'A' && sign <= 'F') || (sign >= 'U' && sign <= 'Y');
  if (!century) return false;
  char check = t[i + 10];
  return IsDigit(check) || (check >= 'A' && check <= 'Z') || (check >= 'a' && check <= 'z');
}

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// True when t[i..i+11) lies inside a UUID (8-4-4-4-12 hex digits): liitos's own messageIds and
// batchIds hold runs shaped like a henkilötunnus ("…a1311052-3081-…") about once in a hundred.
bool InsideUuid(std::string_view t, size_t i) {
  size_t begin = i, end = i;
  while (begin > 0 && (IsHex(t[begin - 1]) || t[begin - 1] == '-')) --begin;
  while (end < t.size() && (IsHex(t[end]) || t[end] == '-')) ++end;
  for (size_t at = begin; at + 36 <= end; ++at) {
    if (at > i || at + 36 < i + 11) continue;
    bool uuid = true;
    for (size_t k = 0; k < 36 && uuid; ++k) {
      char c = t[at + k];
      uuid = (k == 8 || k == 13 || k == 18 || k == 23) ? c == '-' : IsHex(c);
    }
    if (uuid) return true;
  }
  return false;
}

}  // namespace

std::string EscapeBytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    char32_t cp = 0;
    size_t n = Utf8At(bytes, i, &cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(bytes[i]));
      ++i;
      continue;
    }
    if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (cp == '\t') out += "\\t";
    else if (cp < 0x20 || cp == 0x7F) out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    else out.append(bytes.substr(i, n));
    i += n;
  }
  return out;
}

std::string RedactPersonIds(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (PersonIdAt(text, i) && !InsideUuid(text, i)) {
      out += kPersonIdMask;
      i += 11;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string SafeText(std::string_view bytes) { return RedactPersonIds(EscapeBytes(bytes)); }

}  // namespace liitos
