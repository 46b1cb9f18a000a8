#include "base/file_names.h"

#include "base/crypto/hash.h"
#include "base/crypto/uuid.h"

namespace liitos {
namespace {

// The longest prefix of `s` of at most `n` bytes that does not end inside a UTF-8 sequence.
std::string_view Head(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace

std::string FitName(std::string_view name, std::string_view suffix) {
  if (name.size() + suffix.size() <= kNameMax) return std::string(name) + std::string(suffix);
  std::string tag = "~" + Sha256Hex(name).substr(0, 8);
  size_t room = kNameMax > suffix.size() + tag.size() ? kNameMax - suffix.size() - tag.size() : 0;
  return std::string(Head(name, room)) + tag + std::string(suffix);
}

std::string NumberedName(std::string_view name, int n) {
  if (n == 0) return FitName(name);
  size_t dot = name.rfind('.');
  if (dot == 0 || dot == std::string_view::npos) dot = name.size();  // ".x" and "x" have no extension
  std::string tail = "." + std::to_string(n) + std::string(name.substr(dot));
  return FitName(name.substr(0, dot), tail);
}

std::string TempNameFor(std::string_view name) {
  return FitName("." + std::string(name), "." + UuidV4().substr(0, 8) + ".tmp");
}

bool IsTempName(std::string_view name) {
  constexpr std::string_view kTail = ".tmp";
  constexpr size_t kHex = 8;
  // '.', one byte at least, '.', the digits, ".tmp"
  if (name.size() < 1 + 1 + 1 + kHex + kTail.size() || name[0] != '.') return false;
  if (name.substr(name.size() - kTail.size()) != kTail) return false;
  std::string_view digits = name.substr(name.size() - kTail.size() - kHex, kHex);
  for (char c : digits)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return name[name.size() - kTail.size() - kHex - 1] == '.';
}

}  // namespace liitos
