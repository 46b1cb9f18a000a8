// JSON string writing and hex digits, SSE2 and scalar (see fast_bytes.h).
#include "base/text/fast_bytes.h"

#include <array>
#include <bit>

namespace liitos {
namespace {

static_assert(std::endian::native == std::endian::little, "byte k of a word is bits 8k to 8k+7");

constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;

// One byte of a JSON string, escaped if it must be.
char* JsonByte(char* p, unsigned char c) {
  const char* esc = nullptr;
  switch (c) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default:
      if (c >= 0x20) {
        *p++ = static_cast<char>(c);
        return p;
      }
      static const char* kHex = "0123456789abcdef";
      const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      std::memcpy(p, u, 6);
      return p + 6;
  }
  p[0] = esc[0];
  p[1] = esc[1];
  return p + 2;
}

using fast_bytes_detail::JsonEscapes;

// Eight bytes at a time: a word with nothing to escape is stored whole (the last, short word
// padded with harmless bytes, and built from in-bounds loads only); escapes byte by byte.
// `s` from `i` on; `seen` gathers every word's bits, for the non-ASCII check.
char* JsonWords(char* p, const char* s, size_t i, size_t n, uint64_t* seen) {
  auto word = [&](uint64_t w, size_t at, size_t len) {
    *seen |= w;
    if (JsonEscapes(w) == 0) {
      std::memcpy(p, &w, 8);
      p += len;
      return;
    }
    for (size_t k = at; k < at + len; ++k) p = JsonByte(p, static_cast<unsigned char>(s[k]));
  };
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s + i, 8);
    word(w, i, 8);
  }
  if (i < n) {  // the last 1 to 7 bytes, in a word whose other bytes are 'a'
    const size_t len = n - i;
    uint64_t w = (kOnes * 'a') << (8 * len);
    if (n >= 8) {  // the word that ends with the value, shifted: no byte-wise copy to stall on
      uint64_t last;
      std::memcpy(&last, s + n - 8, 8);
      w |= last >> (8 * (8 - len));
    } else {
      for (size_t k = 0; k < len; ++k) w |= uint64_t{static_cast<unsigned char>(s[i + k])} << (8 * k);
    }
    word(w, i, len);
  }
  return p;
}

}  // namespace

char* WriteJsonStringScalar(char* p, std::string_view v, bool* non_ascii) {
  *p++ = '"';
  uint64_t seen = 0;
  p = JsonWords(p, v.data(), 0, v.size(), &seen);
  *p++ = '"';
  if (seen & kHigh) *non_ascii = true;
  return p;
}

char* WriteLongJsonString(char* p, std::string_view v, bool* non_ascii) {
#if defined(__SSE2__)
  *p++ = '"';
  const char* s = v.data();
  const size_t n = v.size();
  size_t i = 0;
  // Sixteen bytes at a time: a block with nothing to escape is stored whole; otherwise the
  // bytes before the first escape are kept from the whole-block store.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  unsigned high = 0;
  while (i + 16 <= n) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const auto top = static_cast<unsigned>(_mm_movemask_epi8(x));
    // Signed x < 0x20 also holds for the bytes >= 0x80, which are not escaped: `top` unmarks them.
    const auto esc = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                         _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                         _mm_cmpgt_epi8(space, x)))) & ~top;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), x);
    if (esc == 0) {
      high |= top;
      p += 16;
      i += 16;
      continue;
    }
    const unsigned k = static_cast<unsigned>(__builtin_ctz(esc));
    high |= top & ((1u << k) - 1);
    p = JsonByte(p + k, static_cast<unsigned char>(s[i + k]));
    i += k + 1;
  }
  uint64_t seen = high ? kHigh : 0;
  p = JsonWords(p, s, i, n, &seen);
  *p++ = '"';
  if (seen & kHigh) *non_ascii = true;
  return p;
#else
  return WriteJsonStringScalar(p, v, non_ascii);
#endif
}

void HexLower16Scalar(const uint8_t* b, char* out) {
  static constexpr auto kPairs = [] {  // the two hex digits of every byte
    std::array<char, 512> t{};
    const char* hex = "0123456789abcdef";
    for (int i = 0; i < 256; ++i) {
      t[2 * i] = hex[i >> 4];
      t[2 * i + 1] = hex[i & 15];
    }
    return t;
  }();
  for (int i = 0; i < 16; ++i) std::memcpy(out + 2 * i, &kPairs[2 * b[i]], 2);
}

void HexLower16(const uint8_t* b, char* out) {
#if defined(__SSE2__)
  // Both nibbles of all sixteen bytes at once: a digit is its value + '0', and 39 more above 9.
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
  const __m128i nibble = _mm_set1_epi8(0x0f);
  const __m128i hi = _mm_and_si128(_mm_srli_epi16(x, 4), nibble), lo = _mm_and_si128(x, nibble);
  auto digits = [](__m128i v) {
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
    return _mm_add_epi8(_mm_add_epi8(v, _mm_set1_epi8('0')), letter);
  };
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), digits(_mm_unpacklo_epi8(hi, lo)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), digits(_mm_unpackhi_epi8(hi, lo)));
#else
  HexLower16Scalar(b, out);
#endif
}

}  // namespace liitos
