#include "journal/redact.h"

#include <cctype>
#include <cstring>

#include "base/finnish_ids.h"

namespace liitos {
namespace {

bool Digits(const std::string& s, size_t at, size_t n) {
  for (size_t i = at; i < at + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

}  // namespace

int RedactPersonIds(std::string& text) {
  constexpr size_t kLen = 11;  // DDMMYY C NNN Q
  int found = 0;
  for (size_t i = 0; i + kLen <= text.size(); ++i) {
    if (!std::strchr("+-ABCDEFYXWVU", text[i + 6]) || text[i + 6] == '\0') continue;
    if (!Digits(text, i, 6) || !Digits(text, i + 7, 3)) continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    if (!IsValidPersonId(std::string_view(text).substr(i, kLen))) continue;
    text.replace(i, kLen, kPersonIdMask);
    i += std::strlen(kPersonIdMask) - 1;
    ++found;
  }
  return found;
}

}  // namespace liitos
