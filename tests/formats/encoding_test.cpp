#include "formats/encoding.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace liitos {
namespace {

std::string Decode(std::string_view in, Encoding enc, bool* ok = nullptr, size_t* bad = nullptr) {
  std::string out = "garbage";  // DecodeToUtf8 replaces, never appends
  bool r = DecodeToUtf8(in, enc, &out, bad);
  if (ok)
    *ok = r;
  return r ? out : "<invalid>";
}

// windows-1252 0x80–0x9F from the Unicode consortium's CP1252.TXT (0 = undefined), written out
// independently of formats/encoding.cpp.
struct HighByte {
  unsigned byte;
  char32_t cp;
  const char* utf8;
};
const HighByte kCp1252Table[32] = {
    {0x80, 0x20AC, "€"}, {0x81, 0, nullptr},  {0x82, 0x201A, "‚"}, {0x83, 0x0192, "ƒ"},
    {0x84, 0x201E, "„"}, {0x85, 0x2026, "…"}, {0x86, 0x2020, "†"}, {0x87, 0x2021, "‡"},
    {0x88, 0x02C6, "ˆ"}, {0x89, 0x2030, "‰"}, {0x8A, 0x0160, "Š"}, {0x8B, 0x2039, "‹"},
    {0x8C, 0x0152, "Œ"}, {0x8D, 0, nullptr},  {0x8E, 0x017D, "Ž"}, {0x8F, 0, nullptr},
    {0x90, 0, nullptr},  {0x91, 0x2018, "‘"}, {0x92, 0x2019, "’"}, {0x93, 0x201C, "“"},
    {0x94, 0x201D, "”"}, {0x95, 0x2022, "•"}, {0x96, 0x2013, "–"}, {0x97, 0x2014, "—"},
    {0x98, 0x02DC, "˜"}, {0x99, 0x2122, "™"}, {0x9A, 0x0161, "š"}, {0x9B, 0x203A, "›"},
    {0x9C, 0x0153, "œ"}, {0x9D, 0, nullptr},  {0x9E, 0x017E, "ž"}, {0x9F, 0x0178, "Ÿ"},
};

TEST(EncodingTest, Windows1252EveryByteOf80To9FMatchesTheTable) {
  for (const HighByte& h : kCp1252Table) {
    SCOPED_TRACE(testing::Message() << "byte 0x" << std::hex << h.byte);
    std::string in = "a" + std::string(1, static_cast<char>(h.byte)) + "b";
    bool ok = false;
    size_t bad = 99;
    std::string out = Decode(in, Encoding::kWindows1252, &ok, &bad);
    EXPECT_EQ(Windows1252ToCodePoint(static_cast<uint8_t>(h.byte)), h.cp);
    if (h.utf8 == nullptr) {
      EXPECT_FALSE(ok);
      EXPECT_EQ(bad, 1u);
      EXPECT_EQ(DescribeInvalidByte(in, Encoding::kWindows1252, bad),
                fmt::format("invalid windows-1252 byte 0x{:02X}", h.byte));
    } else {
      EXPECT_TRUE(ok);
      EXPECT_EQ(out, std::string("a") + h.utf8 + "b");
      // and back again, for CSV receipts
      EXPECT_EQ(EncodeFromUtf8(out, Encoding::kWindows1252), in);
    }
  }
}

TEST(EncodingTest, SingleByteUpperHalfIsLatin1InBoth) {
  for (unsigned b = 0xA0; b <= 0xFF; ++b) {
    std::string in(1, static_cast<char>(b)), expected;
    AppendCodePoint(b, &expected);
    EXPECT_EQ(Decode(in, Encoding::kIso88591), expected) << b;
    EXPECT_EQ(Decode(in, Encoding::kWindows1252), expected) << b;
    EXPECT_EQ(EncodeFromUtf8(expected, Encoding::kIso88591), in);
    EXPECT_EQ(EncodeFromUtf8(expected, Encoding::kWindows1252), in);
  }
  EXPECT_EQ(Decode("P\xE4\xE4t\xF6s \xC4\xD6\xC5", Encoding::kIso88591), "Päätös ÄÖÅ");
  EXPECT_EQ(Decode("", Encoding::kIso88591), "");
}

TEST(EncodingTest, Iso88591RefusesC1Controls) {
  for (unsigned b = 0x80; b <= 0x9F; ++b) {
    bool ok = true;
    size_t bad = 99;
    Decode("xy" + std::string(1, static_cast<char>(b)), Encoding::kIso88591, &ok, &bad);
    EXPECT_FALSE(ok) << b;
    EXPECT_EQ(bad, 2u);
  }
  EXPECT_EQ(DescribeInvalidByte("\x85", Encoding::kIso88591, 0), "invalid iso-8859-1 byte 0x85");
}

TEST(EncodingTest, Utf8ValidBoundaries) {
  for (const char* s :
       {"", "ascii only", "Päätös", "€", "\xED\x9F\xBF" /* U+D7FF */, "\xEE\x80\x80" /* U+E000 */,
        "\xEF\xBF\xBF" /* U+FFFF */, "\xF0\x90\x80\x80" /* U+10000 */,
        "\xF4\x8F\xBF\xBF" /* U+10FFFF */, "\xC2\x80",
        "\xEF\xBB\xBF"
        "BOM is kept"}) {
    EXPECT_EQ(Decode(s, Encoding::kUtf8), s);
    EXPECT_TRUE(IsValidUtf8(s));
  }
}

TEST(EncodingTest, Utf8RejectsOverlongsSurrogatesAndOutOfRange) {
  struct Bad {
    std::string in;
    size_t offset;
  };
  const Bad cases[] = {
      {"ab\xC0\xAF", 2},        // overlong '/'
      {"\xC1\xBF", 0},          // overlong
      {"x\xE0\x80\x80", 1},     // overlong 3-byte
      {"\xE0\x9F\xBF", 0},      // overlong 3-byte (U+07FF)
      {"\xF0\x80\x80\x80", 0},  // overlong 4-byte
      {"\xF0\x8F\xBF\xBF", 0},  // overlong 4-byte (U+FFFF)
      {"ok\xED\xA0\x80", 2},    // U+D800 high surrogate
      {"\xED\xBF\xBF", 0},      // U+DFFF low surrogate
      {"\xF4\x90\x80\x80", 0},  // U+110000
      {"\xF5\x80\x80\x80", 0},  // lead byte beyond U+10FFFF
      {"\xFF", 0},
      {"\xFE", 0},
      {"abc\x80", 3},        // stray continuation
      {"\xE2\x82", 0},       // truncated €
      {"\xE2\x82x", 0},      // broken €
      {"12345678\xC3(", 8},  // after the 8-byte ASCII fast path
  };
  for (const Bad& c : cases) {
    bool ok = true;
    size_t bad = 99;
    Decode(c.in, Encoding::kUtf8, &ok, &bad);
    EXPECT_FALSE(ok) << testing::PrintToString(c.in);
    EXPECT_EQ(bad, c.offset) << testing::PrintToString(c.in);
    size_t bad2 = 99;
    EXPECT_FALSE(IsValidUtf8(c.in, &bad2));
    EXPECT_EQ(bad2, c.offset);
  }
  EXPECT_EQ(DescribeInvalidByte("a\xC0", Encoding::kUtf8, 1), "invalid UTF-8 sequence (byte 0xC0)");
}

TEST(EncodingTest, EncodeFromUtf8ReplacesWhatCannotBeRepresented) {
  EXPECT_EQ(EncodeFromUtf8("Päätös 350 € – “ok”", Encoding::kWindows1252),
            "P\xE4\xE4t\xF6s 350 \x80 \x96 \x93ok\x94");
  EXPECT_EQ(EncodeFromUtf8("Päätös 350 € – “ok”", Encoding::kIso88591),
            "P\xE4\xE4t\xF6s 350 ? ? ?ok?");
  EXPECT_EQ(EncodeFromUtf8("日本 😀 x", Encoding::kWindows1252), "?? ? x");  // one '?' per character
  EXPECT_EQ(EncodeFromUtf8("\xC2\x85", Encoding::kIso88591), "?");  // C1 control: not written
  EXPECT_EQ(EncodeFromUtf8("bad \xFF byte", Encoding::kIso88591), "bad ? byte");
  EXPECT_EQ(EncodeFromUtf8("Päätös €", Encoding::kUtf8), "Päätös €");
}

TEST(EncodingTest, ParseEncodingNamesAndAliases) {
  EXPECT_EQ(ParseEncoding("utf-8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("US-ASCII"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("iso-8859-1"), Encoding::kIso88591);
  EXPECT_EQ(ParseEncoding("ISO-8859-1"), Encoding::kIso88591);
  EXPECT_EQ(ParseEncoding("latin1"), Encoding::kIso88591);
  EXPECT_EQ(ParseEncoding("windows-1252"), Encoding::kWindows1252);
  EXPECT_EQ(ParseEncoding("Windows-1252"), Encoding::kWindows1252);
  EXPECT_EQ(ParseEncoding("cp1252"), Encoding::kWindows1252);
  EXPECT_FALSE(ParseEncoding("utf-16"));
  EXPECT_FALSE(ParseEncoding("ebcdic"));
  EXPECT_FALSE(ParseEncoding(""));
  EXPECT_STREQ(EncodingName(Encoding::kWindows1252), "windows-1252");
  EXPECT_STREQ(EncodingName(Encoding::kIso88591), "iso-8859-1");
  EXPECT_STREQ(EncodingName(Encoding::kUtf8), "utf-8");
}

TEST(EncodingTest, ByteOrderMark) {
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB\xBF"
                         "abc"),
            "abc");
  EXPECT_EQ(StripUtf8Bom("abc"), "abc");
  EXPECT_EQ(StripUtf8Bom("\xEF\xBB"), "\xEF\xBB");
  EXPECT_TRUE(HasUtf8Bom("\xEF\xBB\xBF"));
  EXPECT_FALSE(HasUtf8Bom(""));
}

// The ASCII run before a bad byte is measured a word at a time, with the last short word read
// shifted: the offset must be exact for every length and position.
// Lengths past two 16-byte blocks: the block-wise ASCII paths and their scalar tails.
TEST(EncodingTest, BadByteOffsetAtEveryPosition) {
  for (size_t len = 1; len <= 40; ++len) {
    for (size_t bad = 0; bad < len; ++bad) {
      std::string s(len, 'a');
      s[bad] = '\xff';  // never valid UTF-8; 0x81 is not windows-1252
      size_t at = 99;
      EXPECT_FALSE(IsValidUtf8(s, &at));
      EXPECT_EQ(at, bad) << len;
      s[bad] = '\x81';
      std::string out;
      at = 99;
      EXPECT_FALSE(DecodeToUtf8(s, Encoding::kWindows1252, &out, &at));
      EXPECT_EQ(at, bad) << len;
      s[bad] = '\xe4';  // ä in windows-1252
      EXPECT_TRUE(DecodeToUtf8(s, Encoding::kWindows1252, &out, &at));
      EXPECT_EQ(out, s.substr(0, bad) + "\xc3\xa4" + s.substr(bad + 1)) << len;
      s[len - 1] = '\x80';  // and a € at the end
      EXPECT_TRUE(DecodeToUtf8(s, Encoding::kWindows1252, &out, &at));
      const std::string want = bad + 1 == len ? s.substr(0, bad) + "\xe2\x82\xac"
                                              : s.substr(0, bad) + "\xc3\xa4" + s.substr(bad + 1, len - bad - 2) + "\xe2\x82\xac";
      EXPECT_EQ(out, want) << len;
      EXPECT_TRUE(IsValidUtf8(want));
      size_t at_end = 99;
      EXPECT_FALSE(IsValidUtf8(want + "\xc3", &at_end));  // a sequence cut short at the end
      EXPECT_EQ(at_end, want.size());
    }
  }
}

TEST(EncodingTest, AppendKeepsWhatIsThere) {
  std::string out = "x=";
  EXPECT_TRUE(AppendDecodedUtf8("\xE4", Encoding::kIso88591, &out));
  EXPECT_EQ(out, "x=ä");
}

TEST(EncodingTest, Utf16) {
  std::string out;
  EXPECT_TRUE(Utf16ToUtf8(std::string("P\0\xE4\0\xAC\x20=\xD8\x00\xDE", 10), false, &out));
  EXPECT_EQ(out, "Pä€😀");
  EXPECT_TRUE(Utf16ToUtf8(std::string("\0P\0\xE4\x20\xAC\xD8=\xDE\x00", 10), true, &out));
  EXPECT_EQ(out, "Pä€😀");
  size_t bad = 99;
  EXPECT_FALSE(Utf16ToUtf8(std::string("a\0\x00\xDC", 4), false, &out, &bad));  // lone low
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(Utf16ToUtf8(std::string("a\0\x00\xD8"
                                       "b\0",
                                       6),
                           false, &out, &bad));  // unpaired high
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(Utf16ToUtf8(std::string("a\0b", 3), false, &out, &bad));  // odd length
  EXPECT_EQ(bad, 2u);
}

}  // namespace
}  // namespace liitos
