#include "base/uuid.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>


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
  static constexpr auto kPairs = [] {  // the two hex digits of every byte
    std::array<char, 512> t{};
    const char* hex = "0123456789abcdef";
    for (int i = 0; i < 256; ++i) {
      t[2 * i] = hex[i >> 4];
      t[2 * i + 1] = hex[i & 15];
    }
    return t;
  }();
  out->resize(36);
  char* p = out->data();
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
    std::memcpy(p, &kPairs[2 * b[i]], 2);
    p += 2;
  }
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
