#include "formats/reasons.h"

namespace liitos {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsCenturySign(char c) {
  return c == '+' || c == '-' || (c >= 'A' && c <= 'F') || (c >= 'U' && c <= 'Y');
}

bool IsCheckChar(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Y') || (c >= 'a' && c <= 'y'); }

bool IsAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Shaped like a henkilötunnus at text[i..i+11), not glued to a longer run of letters/digits.
bool LooksLikePersonId(std::string_view t, size_t i) {
  if (i + 11 > t.size()) return false;
  for (size_t k = 0; k < 6; ++k)
    if (!IsDigit(t[i + k])) return false;
  // lower-case century signs are not valid, but are still someone's identity code
  char sign = t[i + 6];
  if (sign >= 'a' && sign <= 'z') sign = static_cast<char>(sign - 'a' + 'A');
  if (!IsCenturySign(sign)) return false;
  for (size_t k = 7; k < 10; ++k)
    if (!IsDigit(t[i + k])) return false;
  if (!IsCheckChar(t[i + 10])) return false;
  if (i > 0 && IsDigit(t[i - 1])) return false;
  if (i + 11 < t.size() && IsAlnum(t[i + 11])) return false;
  return true;
}

}  // namespace

std::string RedactPersonIds(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (LooksLikePersonId(text, i)) {
      out += "<henkilötunnus>";
      i += 11;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string ShowValue(std::string_view value, size_t max_chars) {
  std::string redacted = RedactPersonIds(value);
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < redacted.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(redacted[i]);
    bool starts_char = (c & 0xC0) != 0x80;
    if (starts_char) {
      if (chars == max_chars) {
        out += "…";
        break;
      }
      ++chars;
    }
    out += (c < 0x20 || c == 0x7F) ? ' ' : redacted[i];
  }
  return out;
}

}  // namespace liitos
