#include "formats/reasons.h"

namespace liitos {
namespace {

}  // namespace

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
