#include "formats/encoding.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "base/text/fast_bytes.h"

namespace liitos {
namespace {

// windows-1252 bytes 0x80–0x9F; 0 marks the five undefined bytes.
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80–87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88–8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90–97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98–9F
};

// The UTF-8 bytes of every byte >= 0x80 of a single-byte encoding; len 0 = invalid byte.
struct Utf8Seq {
  uint8_t len = 0;
  char bytes[3] = {0, 0, 0};
};
using HighTable = std::array<Utf8Seq, 128>;

Utf8Seq EncodeSeq(char32_t cp) {
  Utf8Seq s;
  if (cp == 0)
    return s;
  if (cp < 0x800) {
    s.len = 2;
    s.bytes[0] = static_cast<char>(0xC0 | (cp >> 6));
    s.bytes[1] = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s.len = 3;
    s.bytes[0] = static_cast<char>(0xE0 | (cp >> 12));
    s.bytes[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s.bytes[2] = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

HighTable MakeTable(Encoding enc) {
  HighTable t{};
  for (unsigned b = 0x80; b <= 0xFF; ++b) {
    char32_t cp = b;
    if (b < 0xA0)
      cp = enc == Encoding::kWindows1252 ? kCp1252High[b - 0x80] : 0;  // C1: invalid
    t[b - 0x80] = EncodeSeq(cp);
  }
  return t;
}

const HighTable& TableFor(Encoding enc) {
  static const HighTable latin1 = MakeTable(Encoding::kIso88591);
  static const HighTable cp1252 = MakeTable(Encoding::kWindows1252);
  return enc == Encoding::kWindows1252 ? cp1252 : latin1;
}

// Length of the leading run of ASCII bytes, eight at a time.
bool IsCont(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Length of the valid UTF-8 sequence at p[0] (lead byte >= 0x80), 0 when invalid.
size_t Utf8SeqLen(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;  // overlong
    if (c == 0xED)
      hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;  // overlong
    if (c == 0xF4)
      hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (avail < len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t k = 2; k < len; ++k)
    if (!IsCont(p[k]))
      return 0;
  return len;
}

bool AppendSingleByte(std::string_view in, const HighTable& table, std::string* out, size_t* bad) {
  size_t first = AsciiPrefix(in.data(), in.size());
  out->append(in.data(), first);  // most fields are all ASCII: no worst-case sizing needed
  if (first == in.size())
    return true;
  in.remove_prefix(first);
  // Short fields: size for the worst case. Whole files: count exactly, not three times the file.
  // kSlack: room for a whole 16-byte store at the end.
  constexpr size_t kSlack = 16;
  size_t need = in.size() * 3;
  if (in.size() > 4096) {
    need = 0;
    for (unsigned char c : in) need += c < 0x80 ? 1 : std::max<size_t>(table[c - 0x80].len, 1);
  }
  size_t base = out->size();
  out->resize(base + need + kSlack);
  char* w = out->data() + base;
  const char* p = in.data();
  size_t n = in.size(), i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x80) {  // an ASCII run, copied in whole blocks into the slack
      const size_t run = CopyAsciiPrefix(p + i, n - i, w);
      w += run;
      i += run;
      continue;
    }
    const Utf8Seq& s = table[c - 0x80];
    if (s.len == 0) {
      if (bad)
        *bad = first + i;
      out->resize(w - out->data());
      return false;
    }
    std::memcpy(w, s.bytes, 3);
    w += s.len;
    ++i;
  }
  out->resize(w - out->data());
  return true;
}

}  // namespace

std::optional<Encoding> ParseEncoding(std::string_view name) {
  std::string n;
  for (char c : name) n += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "utf-8" || n == "utf8" || n == "us-ascii" || n == "ascii")
    return Encoding::kUtf8;
  if (n == "iso-8859-1" || n == "iso8859-1" || n == "iso_8859-1" || n == "latin1" || n == "latin-1")
    return Encoding::kIso88591;
  if (n == "windows-1252" || n == "cp1252")
    return Encoding::kWindows1252;
  return std::nullopt;
}

const char* EncodingName(Encoding enc) {
  switch (enc) {
    case Encoding::kUtf8: return "utf-8";
    case Encoding::kIso88591: return "iso-8859-1";
    case Encoding::kWindows1252: return "windows-1252";
  }
  return "?";
}

bool IsValidUtf8(std::string_view in, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      i += AsciiPrefix(in.data() + i, n - i);
      continue;
    }
    // Two-byte sequences (ä, ö, å and the rest of Latin-1) are most of the non-ASCII text here.
    if (c >= 0xC2 && c <= 0xDF && i + 1 < n && IsCont(p[i + 1])) {
      i += 2;
      continue;
    }
    const size_t len = Utf8SeqLen(p + i, n - i);
    if (len == 0) {
      if (bad_offset)
        *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

bool AppendDecodedUtf8(std::string_view in, Encoding enc, std::string* out, size_t* bad_offset) {
  if (enc == Encoding::kUtf8) {
    if (!IsValidUtf8(in, bad_offset))
      return false;
    out->append(in);
    return true;
  }
  return AppendSingleByte(in, TableFor(enc), out, bad_offset);
}

bool DecodeToUtf8(std::string_view in, Encoding enc, std::string* out, size_t* bad_offset) {
  out->clear();
  return AppendDecodedUtf8(in, enc, out, bad_offset);
}

std::string DescribeInvalidByte(std::string_view in, Encoding enc, size_t bad_offset) {
  unsigned byte = bad_offset < in.size() ? static_cast<unsigned char>(in[bad_offset]) : 0;
  if (enc == Encoding::kUtf8)
    return fmt::format("invalid UTF-8 sequence (byte 0x{:02X})", byte);
  return fmt::format("invalid {} byte 0x{:02X}", EncodingName(enc), byte);
}

char32_t Windows1252ToCodePoint(uint8_t byte) {
  if (byte >= 0x80 && byte < 0xA0)
    return kCp1252High[byte - 0x80];
  return byte;
}

void AppendCodePoint(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeFromUtf8(std::string_view utf8, Encoding enc) {
  if (enc == Encoding::kUtf8)
    return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  size_t n = utf8.size(), i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      out.push_back(static_cast<char>(p[i++]));
      continue;
    }
    size_t len = Utf8SeqLen(p + i, n - i);
    if (len == 0) {
      out.push_back('?');
      ++i;
      continue;
    }
    char32_t cp = p[i] & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    i += len;
    char b = '?';
    if (cp >= 0xA0 && cp <= 0xFF) {
      b = static_cast<char>(cp);
    } else if (enc == Encoding::kWindows1252) {
      for (unsigned k = 0; k < 32; ++k)
        if (kCp1252High[k] == cp)
          b = static_cast<char>(0x80 + k);
    }
    out.push_back(b);
  }
  return out;
}

bool HasUtf8Bom(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF";
}

std::string_view StripUtf8Bom(std::string_view text) {
  return HasUtf8Bom(text) ? text.substr(3) : text;
}

bool Utf16ToUtf8(std::string_view in, bool big_endian, std::string* out, size_t* bad_offset) {
  out->clear();
  out->reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  auto unit = [&](size_t i) -> char32_t {
    return big_endian ? (char32_t(p[i]) << 8) | p[i + 1] : (char32_t(p[i + 1]) << 8) | p[i];
  };
  size_t n = in.size(), i = 0;
  for (; i + 1 < n; i += 2) {
    char32_t u = unit(i);
    if (u >= 0xDC00 && u <= 0xDFFF)
      break;  // a low surrogate without its high half
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 >= n)
        break;
      char32_t lo = unit(i + 2);
      if (lo < 0xDC00 || lo > 0xDFFF)
        break;
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
      i += 2;
    }
    AppendCodePoint(u, out);
  }
  if (i < n) {
    if (bad_offset)
      *bad_offset = i;
    return false;
  }
  return true;
}

}  // namespace liitos
