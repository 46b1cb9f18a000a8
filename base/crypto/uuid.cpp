#include "base/crypto/uuid.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "base/text/fast_bytes.h"

namespace liitos {
namespace {

std::array<uint8_t, 16> ParseUuid(std::string_view text) {
  std::array<uint8_t, 16> out{};
  size_t j = 0;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size() && j < 32; ++i) {
    if (text[i] == '-') continue;
    int v = nib(text[i]);
    if (v < 0) throw std::invalid_argument("bad uuid");
    if (j % 2 == 0) out[j / 2] = static_cast<uint8_t>(v << 4);
    else out[j / 2] |= static_cast<uint8_t>(v);
    ++j;
  }
  return out;
}

void FormatInto(const uint8_t* b, std::string* out) {
  out->resize(36);
  char* p = out->data();
  char h[32];  // the 32 hex digits
  HexLower16(b, h);
  // 8-4-4-4-12
  std::memcpy(p, h, 8);
  p[8] = '-';
  std::memcpy(p + 9, h + 8, 4);
  p[13] = '-';
  std::memcpy(p + 14, h + 12, 4);
  p[18] = '-';
  std::memcpy(p + 19, h + 16, 4);
  p[23] = '-';
  std::memcpy(p + 24, h + 20, 12);
}

std::string Format(const uint8_t* b) {
  std::string out;
  FormatInto(b, &out);
  return out;
}

}  // namespace

std::string UuidV5(std::string_view namespace_uuid, std::string_view name) {
  auto ns = ParseUuid(namespace_uuid);
  std::string input(reinterpret_cast<const char*>(ns.data()), ns.size());
  input.append(name);
  auto h = Sha1(input);
  h[6] = static_cast<uint8_t>((h[6] & 0x0f) | 0x50);
  h[8] = static_cast<uint8_t>((h[8] & 0x3f) | 0x80);
  return Format(h.data());
}

namespace {
std::string NamespacedPrefix(std::string_view prefix) {
  static const std::array<uint8_t, 16> ns = ParseUuid(kUuidNamespaceUrl);
  std::string s(reinterpret_cast<const char*>(ns.data()), ns.size());
  s.append(prefix);
  return s;
}
}  // namespace

UuidV5UrlNamer::UuidV5UrlNamer(std::string_view prefix) : sha_(NamespacedPrefix(prefix)) {}

void UuidV5UrlNamer::Name(std::initializer_list<std::string_view> rest, std::string* out) const {
  auto h = sha_.Digest(rest);
  h[6] = static_cast<uint8_t>((h[6] & 0x0f) | 0x50);
  h[8] = static_cast<uint8_t>((h[8] & 0x3f) | 0x80);
  FormatInto(h.data(), out);
}

std::string UuidV4() {
  std::array<uint8_t, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  return Format(b.data());
}

}  // namespace liitos
