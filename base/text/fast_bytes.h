#pragma once
// The byte-level speed tricks, in one room: SSE2 sixteen bytes at a time where the target has
// it, each function beside its scalar twin, which gives the same result and is what a target
// without SSE2 runs (tests/base/fast_bytes_test.cpp holds the two equal on every length and
// alignment). No function reads outside the bytes it is given; a few write whole blocks past
// the bytes they promise, into room the caller provides (said at each).
//
// The searches are inline: they run once or more per field, where a call costs as much as the
// search.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace liitos {

// The number of ASCII bytes (< 0x80) that [p, p + n) starts with.
inline size_t AsciiPrefixScalar(const char* p, size_t n) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (uint64_t h = w & kHigh) return i + (__builtin_ctzll(h) >> 3);  // little-endian: byte k is bits 8k..
  }
  if (i < n && n >= 8) {  // the last 1 to 7 bytes: the word ending with them, shifted down
    uint64_t w;
    std::memcpy(&w, p + n - 8, 8);
    uint64_t h = (w & kHigh) >> (8 * (8 - (n - i)));
    return h ? i + (__builtin_ctzll(h) >> 3) : n;
  }
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
  return i;
}

inline size_t AsciiPrefix(const char* p, size_t n) {
#if defined(__SSE2__)
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
    if (high) return i + static_cast<size_t>(__builtin_ctz(high));
  }
  if (i == n) return n;
  if (n >= 16) {  // the last bytes: the block that ends with them, its mask shifted down
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(
                          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16)))) >>
                      (16 - (n - i));
    return high ? i + static_cast<size_t>(__builtin_ctz(high)) : n;
  }
#endif
  return AsciiPrefixScalar(p, n);
}

// Copies the ASCII bytes [p, p + n) starts with to `out` and returns their number
// (AsciiPrefix). `out` must have room for that number + 16 bytes: whole blocks are stored, and
// what lies past the returned count is not promised.
inline size_t CopyAsciiPrefixScalar(const char* p, size_t n, char* out) {
  size_t i = 0;
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) {
    out[i] = p[i];
    ++i;
  }
  return i;
}

inline size_t CopyAsciiPrefix(const char* p, size_t n, char* out) {
#if defined(__SSE2__)
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), x);
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(x));
    if (high) return i + static_cast<size_t>(__builtin_ctz(high));
  }
  return i + CopyAsciiPrefixScalar(p + i, n - i, out + i);
#else
  return CopyAsciiPrefixScalar(p, n, out);
#endif
}

// Finds the first of three bytes, as a CSV scanner does per field (a quote or a line end; a
// delimiter or a line end). Made once per record: the broadcasts are not repeated per field.
class AnyOfThree {
 public:
  AnyOfThree(char a, char b, char c) : a_(a), b_(b), c_(c) {
#if defined(__SSE2__)
    va_ = _mm_set1_epi8(a);
    vb_ = _mm_set1_epi8(b);
    vc_ = _mm_set1_epi8(c);
#endif
  }
  // The first of the three bytes in [p, end), or `end`. Sets *high (when given) if a byte
  // >= 0x80 comes before it; leaves it as it was otherwise.
  [[gnu::always_inline]] const char* Find(const char* p, const char* end, bool* high) const {
#if defined(__SSE2__)
    unsigned top_bits = 0;
    while (end - p >= 16) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const auto hits = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va_), _mm_cmpeq_epi8(x, vb_)), _mm_cmpeq_epi8(x, vc_))));
      const auto top = static_cast<unsigned>(_mm_movemask_epi8(x));
      if (hits != 0) {
        const int n = __builtin_ctz(hits);
        top_bits |= top & ((1u << n) - 1);
        if (high && top_bits) *high = true;
        return p + n;
      }
      top_bits |= top;
      p += 16;
    }
    if (high && top_bits) *high = true;
#endif
    return FindScalar(p, end, high);
  }
  [[gnu::always_inline]] const char* FindScalar(const char* p, const char* end, bool* high) const {
    unsigned top_bits = 0;
    while (p < end && *p != a_ && *p != b_ && *p != c_) top_bits |= static_cast<unsigned char>(*p++) & 0x80;
    if (high && top_bits) *high = true;
    return p;
  }

 private:
  char a_, b_, c_;
#if defined(__SSE2__)
  __m128i va_, vb_, vc_;
#endif
};

// Bytes WriteJsonString may write for a value of `n` bytes: every byte escaped as \u00XX, the
// quotes, and the 16 bytes a whole-block store may write past the end.
constexpr size_t JsonStringBound(size_t n) { return n * 6 + 2 + 16; }

// Writes `v` at `out` as a JSON string, the bytes nlohmann's dump() gives for valid UTF-8: '"',
// '\\' and bytes below 0x20 escaped, every other byte as it is. `out` has room for
// JsonStringBound(v.size()) bytes; returns the end of what was written. Sets *non_ascii if a
// byte >= 0x80 was written (the caller checks such a value as UTF-8); leaves it otherwise.
char* WriteJsonStringScalar(char* out, std::string_view v, bool* non_ascii);
char* WriteLongJsonString(char* out, std::string_view v, bool* non_ascii);  // the general case

namespace fast_bytes_detail {

// High bit set in each byte of `w` that is below 0x20, '"' or '\\' (never for bytes >= 0x80).
template <class W>
constexpr W JsonEscapes(W w) {
  constexpr W kOnes = static_cast<W>(0x0101010101010101ull), kHigh = static_cast<W>(0x8080808080808080ull);
  auto eq = [w](uint8_t b) {
    W x = w ^ static_cast<W>(kOnes * b);
    return static_cast<W>((x - kOnes) & ~x);
  };
  return static_cast<W>(((w - kOnes * 0x20) & ~w & kHigh) | ((eq('"') | eq('\\')) & kHigh));
}

// Short values with nothing to escape (most fields: codes, dates, ids, names), written as two
// overlapping words that both lie inside the value; false when something needs escaping.
template <class W>
inline bool WriteShortPlain(char*& p, const char* s, size_t n, bool* non_ascii) {
  constexpr W kHigh = static_cast<W>(0x8080808080808080ull);
  W a, b;
  std::memcpy(&a, s, sizeof a);
  std::memcpy(&b, s + n - sizeof b, sizeof b);
  if ((JsonEscapes(a) | JsonEscapes(b)) != 0) return false;
  if ((a | b) & kHigh) *non_ascii = true;
  p[0] = '"';
  std::memcpy(p + 1, &a, sizeof a);
  std::memcpy(p + 1 + n - sizeof b, &b, sizeof b);
  p[n + 1] = '"';
  p += n + 2;
  return true;
}

}  // namespace fast_bytes_detail

#if defined(__SSE2__)
namespace fast_bytes_detail {

// The same for values of 16 to 32 bytes, in two overlapping blocks.
inline bool WriteShortPlain16(char*& p, const char* s, size_t n, bool* non_ascii) {
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16));
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  auto escapes = [&](__m128i x) {  // signed x < 0x20 also holds for bytes >= 0x80: `top` unmarks them
    const auto top = static_cast<unsigned>(_mm_movemask_epi8(x));
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
               _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)), _mm_cmpgt_epi8(space, x)))) &
           ~top;
  };
  if ((escapes(a) | escapes(b)) != 0) return false;
  if (_mm_movemask_epi8(_mm_or_si128(a, b)) != 0) *non_ascii = true;
  p[0] = '"';
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p + 1), a);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p + 1 + n - 16), b);
  p[n + 1] = '"';
  p += n + 2;
  return true;
}

}  // namespace fast_bytes_detail
#endif

inline char* WriteJsonString(char* out, std::string_view v, bool* non_ascii) {
  const size_t n = v.size();
#if defined(__SSE2__)
  if (n >= 16 && n <= 32) {
    if (fast_bytes_detail::WriteShortPlain16(out, v.data(), n, non_ascii)) return out;
  } else
#endif
  if (n >= 8 && n <= 16) {
    if (fast_bytes_detail::WriteShortPlain<uint64_t>(out, v.data(), n, non_ascii)) return out;
  } else if (n >= 4 && n < 8) {
    if (fast_bytes_detail::WriteShortPlain<uint32_t>(out, v.data(), n, non_ascii)) return out;
  }
  return WriteLongJsonString(out, v, non_ascii);
}

// The 32 lowercase hex digits of 16 bytes, written at `out`.
void HexLower16(const uint8_t* bytes, char* out);
void HexLower16Scalar(const uint8_t* bytes, char* out);

}  // namespace liitos
