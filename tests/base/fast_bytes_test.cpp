// The SSE2 byte tricks against their scalar twins (and a plain byte loop), on random bytes of
// every length 0..100 at every alignment. Each input is copied into a heap block of exactly its
// size, so ASan reports any read past it.
#include "base/text/fast_bytes.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace liitos {
namespace {

// Random bytes biased toward what the tricks look for: ASCII letters, high bytes, quotes,
// backslashes, control bytes, CSV delimiters and line ends.
std::string RandomBytes(std::mt19937& rng, size_t n) {
  static const char kSpecial[] = {'"', '\\', '\n', '\r', ';', ',', '\t', '\0', '\x1f', ' ', '\x7f', '\x80', '\xc3', '\xa4', '\xff'};
  std::string s(n, 'a');
  std::uniform_int_distribution<int> kind(0, 9), letter('a', 'z'), any(0, 255), special(0, sizeof kSpecial - 1);
  for (char& c : s) {
    int k = kind(rng);
    c = k < 6 ? static_cast<char>(letter(rng)) : k < 8 ? kSpecial[special(rng)] : static_cast<char>(any(rng));
  }
  return s;
}

// Each input at every offset 0..15 inside a buffer that ends where the input ends.
template <class F>
void ForEveryInput(F&& check) {
  std::mt19937 rng(18);
  for (size_t n = 0; n <= 100; ++n) {
    for (int round = 0; round < 8; ++round) {
      std::string s = RandomBytes(rng, n);
      if (round == 0) s.assign(n, 'x');  // nothing to find
      for (size_t align = 0; align < 16; ++align) {
        auto block = std::make_unique<char[]>(align + n);
        std::memcpy(block.get() + align, s.data(), n);
        check(block.get() + align, n);
      }
    }
  }
}

TEST(FastBytesTest, AsciiPrefixEqualsScalar) {
  ForEveryInput([](const char* p, size_t n) {
    size_t plain = 0;
    while (plain < n && static_cast<unsigned char>(p[plain]) < 0x80) ++plain;
    ASSERT_EQ(AsciiPrefixScalar(p, n), plain);
    ASSERT_EQ(AsciiPrefix(p, n), plain) << n;
  });
}

TEST(FastBytesTest, CopyAsciiPrefixEqualsScalar) {
  ForEveryInput([](const char* p, size_t n) {
    std::vector<char> a(n + 16), b(n + 16);
    size_t na = CopyAsciiPrefix(p, n, a.data());
    size_t nb = CopyAsciiPrefixScalar(p, n, b.data());
    ASSERT_EQ(na, nb);
    ASSERT_EQ(na, AsciiPrefix(p, n));
    ASSERT_EQ(std::string(a.data(), na), std::string(p, na));
    ASSERT_EQ(std::string(b.data(), nb), std::string(p, nb));
  });
}

TEST(FastBytesTest, AnyOfThreeEqualsScalar) {
  const AnyOfThree finders[] = {{'"', '\r', '\n'}, {';', '\r', '\n'}, {',', '"', '\0'}};
  ForEveryInput([&](const char* p, size_t n) {
    for (const AnyOfThree& f : finders) {
      for (size_t from = 0; from <= n; from += 7) {
        bool high_a = false, high_b = false;
        const char* a = f.Find(p + from, p + n, &high_a);
        const char* b = f.FindScalar(p + from, p + n, &high_b);
        ASSERT_EQ(a, b);
        ASSERT_EQ(high_a, high_b);
        ASSERT_EQ(f.Find(p + from, p + n, nullptr), b);
      }
    }
  });
}

TEST(FastBytesTest, WriteJsonStringEqualsScalar) {
  ForEveryInput([](const char* p, size_t n) {
    std::string a(JsonStringBound(n), '\0'), b(JsonStringBound(n), '\0');
    bool high_a = false, high_b = false;
    a.resize(WriteJsonString(a.data(), std::string_view(p, n), &high_a) - a.data());
    b.resize(WriteJsonStringScalar(b.data(), std::string_view(p, n), &high_b) - b.data());
    ASSERT_EQ(a, b);
    ASSERT_EQ(high_a, high_b);
    ASSERT_EQ(high_a, AsciiPrefix(p, n) != n);
  });
}

TEST(FastBytesTest, WriteJsonStringEscapes) {
  std::string out(JsonStringBound(40), '\0');
  bool high = false;
  std::string_view v("a\"b\\c\nd\te\x01 \xc3\xa4", 13);
  out.resize(WriteJsonString(out.data(), v, &high) - out.data());
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa4\"");
  EXPECT_TRUE(high);
}

TEST(FastBytesTest, HexLower16EqualsScalar) {
  std::mt19937 rng(16);
  std::uniform_int_distribution<int> any(0, 255);
  for (int round = 0; round < 200; ++round) {
    uint8_t b[16];
    for (auto& x : b) x = static_cast<uint8_t>(any(rng));
    char a[32], s[32];
    HexLower16(b, a);
    HexLower16Scalar(b, s);
    ASSERT_EQ(std::string(a, 32), std::string(s, 32));
  }
  const uint8_t b[16] = {0x00, 0x01, 0x9a, 0xff, 0x10, 0xab, 0xcd, 0xef, 0, 0, 0, 0, 0, 0, 0, 0x7f};
  char h[32];
  HexLower16(b, h);
  EXPECT_EQ(std::string(h, 32), "00019aff10abcdef000000000000007f");
}

}  // namespace
}  // namespace liitos
