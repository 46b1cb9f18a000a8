#include "formats/xml/xml_stream_source.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "formats/encoding.h"
#include "formats/input_file.h"
#include "formats/xml/xml_rules.h"
#include "formats/xml/xml_text.h"

namespace liitos {
namespace {

constexpr size_t kPrefixBytes = 4096;  // a BOM and an XML declaration (at most 1024 + "?>")

using Input = Utf8Source::Input;

// Bytes at the end of `s` that start a UTF-8 sequence the next chunk must complete.
size_t IncompleteUtf8Tail(std::string_view s) {
  for (size_t k = 1; k <= 3 && k <= s.size(); ++k) {
    auto c = static_cast<unsigned char>(s[s.size() - k]);
    if ((c & 0xC0) == 0x80)
      continue;
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

// The UTF-8 form of the bytes 0x80–0xFF of a single-byte encoding; len 0 for a refused byte
// (ISO-8859-1's C1 controls, windows-1252's five undefined bytes: see formats/encoding.h).
struct HighBytes {
  struct Seq {
    uint8_t len = 0;
    char bytes[3] = {0, 0, 0};
  } seq[128];
};

HighBytes MakeHighBytes(Encoding e) {
  HighBytes t;
  for (unsigned b = 0x80; b <= 0xFF; ++b) {
    char32_t cp = e == Encoding::kWindows1252 ? Windows1252ToCodePoint(static_cast<uint8_t>(b))
                                              : (b < 0xA0 ? 0 : b);
    if (cp == 0)
      continue;
    std::string utf8;
    AppendCodePoint(cp, &utf8);
    t.seq[b - 0x80].len = static_cast<uint8_t>(utf8.size());
    std::memcpy(t.seq[b - 0x80].bytes, utf8.data(), utf8.size());
  }
  return t;
}

const HighBytes& HighBytesOf(Encoding e) {
  static const HighBytes latin1 = MakeHighBytes(Encoding::kIso88591);
  static const HighBytes cp1252 = MakeHighBytes(Encoding::kWindows1252);
  return e == Encoding::kWindows1252 ? cp1252 : latin1;
}

}  // namespace

Utf8Source::~Utf8Source() {
  if (fd_ >= 0)
    ::close(fd_);
}

Status Utf8Source::Open(const std::string& path, size_t chunk) {
  path_ = path;
  chunk_ = chunk == 0 ? 1 : chunk;
  auto fd = OpenRegularFile(path, "open " + path);
  if (!fd.ok())
    return fd.status();
  fd_ = *fd;
  return Rewind();
}

Status Utf8Source::Rewind() {
  if (::lseek(fd_, 0, SEEK_SET) < 0)
    return Status::FromErrno("seek " + path_, errno);
  raw_.Clear();
  eof_ = false;
  produced_ = 0;
  bad_.reset();
  while (raw_.size() < kPrefixBytes && !eof_)
    if (Status s = ReadRaw(kPrefixBytes - raw_.size()); !s.ok())
      return s;
  auto found = DetectXmlEncoding(raw_.view());
  if (!found.ok())
    return found.status();
  enc_ = found->input;
  raw_.Consume(found->bom_bytes);
  return Status::Ok();
}

Result<bool> Utf8Source::Read(std::string* out, size_t want) {
  if (bad_)
    return false;
  size_t start = out->size();
  while (out->size() - start < want && !bad_) {
    if (raw_.empty() && eof_)
      break;
    if (!eof_)
      if (Status s = ReadRaw(chunk_); !s.ok())
        return s;
    Decode(out);
  }
  return out->size() > start;
}

Status Utf8Source::ReadRaw(size_t n) {
  char* to = raw_.Grow(n);
  for (;;) {
    ssize_t got = ::read(fd_, to, n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return Status::FromErrno("read " + path_, errno);
    raw_.Commit(static_cast<size_t>(got));
    eof_ = got == 0;
    return Status::Ok();
  }
}

// Decodes what raw_ holds (keeping a cut sequence unless at the end) onto *out.
void Utf8Source::Decode(std::string* out) {
  size_t before = out->size();
  size_t take = raw_.size();
  size_t bad = 0;
  bool ok = true;
  switch (enc_) {
    case Input::kUtf8: {
      if (!eof_)
        take -= IncompleteUtf8Tail(raw_.view());
      std::string_view text(raw_.data(), take);
      ok = IsValidUtf8(text, &bad);
      out->append(raw_.data(), ok ? take : bad);
      if (!ok)
        bad_ = BadBytes{produced_ + bad, DescribeInvalidByte(text, Encoding::kUtf8, bad)};
      break;
    }
    case Input::kIso88591:
    case Input::kWindows1252:
      DecodeSingleByte(out);
      break;
    case Input::kUtf16Le:
    case Input::kUtf16Be: {
      bool big = enc_ == Input::kUtf16Be;
      if (!eof_) {
        take &= ~size_t{1};
        if (take >= 2) {  // a high surrogate waits for its low half
          auto hi = static_cast<unsigned char>(raw_.data()[take - (big ? 2 : 1)]);
          if (hi >= 0xD8 && hi <= 0xDB)
            take -= 2;
        }
      }
      ok = Utf16ToUtf8(std::string_view(raw_.data(), take), big, &utf16_, &bad);
      out->append(utf16_);  // on failure: the text before the bad unit
      if (!ok)
        bad_ = BadBytes{produced_ + utf16_.size(), "invalid UTF-16"};
      break;
    }
  }
  // A character XML does not allow ends the text as an invalid byte does (it comes before any
  // such byte: the text appended stops there).
  if (auto c = FindForbiddenXmlChar(std::string_view(*out).substr(before))) {
    out->resize(before + c->offset);
    bad_ = BadBytes{produced_ + c->offset, std::move(c->what)};
  }
  produced_ += out->size() - before;
  raw_.Consume(take);
}

// ISO-8859-1 / windows-1252 → UTF-8 as AppendDecodedUtf8 does (the same bytes refused), in one
// sizing pass over words and one copying pass.
void Utf8Source::DecodeSingleByte(std::string* out) {
  Encoding e = enc_ == Input::kIso88591 ? Encoding::kIso88591 : Encoding::kWindows1252;
  const HighBytes& table = HighBytesOf(e);
  size_t before = out->size(), n = raw_.size(), i = 0;
  const char* p = raw_.data();
  size_t high = 0;  // bytes >= 0x80: two UTF-8 bytes each (three for windows-1252's 0x80–0x9F)
  for (uint64_t v; i + 8 <= n; i += 8) {
    std::memcpy(&v, p + i, 8);
    high += (((v & 0x8080808080808080ull) >> 7) * 0x0101010101010101ull) >> 56;  // byte sum
  }
  for (; i < n; ++i) high += static_cast<unsigned char>(p[i]) >> 7;
  i = 0;
  out->resize(before + n + high * (e == Encoding::kIso88591 ? 1 : 2));
  char* w = out->data() + before;
  while (i < n) {
    for (uint64_t v; i + 8 <= n; i += 8, w += 8) {
      std::memcpy(&v, p + i, 8);
      if (v & 0x8080808080808080ull)
        break;
      std::memcpy(w, &v, 8);
    }
    while (i < n && static_cast<unsigned char>(p[i]) < 0x80) *w++ = p[i++];
    if (i == n)
      break;
    const HighBytes::Seq& seq = table.seq[static_cast<unsigned char>(p[i]) - 0x80];
    if (seq.len == 0) {
      out->resize(w - out->data());
      bad_ = BadBytes{produced_ + (out->size() - before), DescribeInvalidByte(raw_.view(), e, i)};
      return;
    }
    std::memcpy(w, seq.bytes, 3);
    w += seq.len;
    ++i;
  }
  out->resize(w - out->data());
}

char* Utf8Source::RawBytes::Grow(size_t n) {
  if (size_ + n > cap_) {
    cap_ = std::max(size_ + n, 2 * cap_);
    std::unique_ptr<char[]> bigger(new char[cap_]);
    if (size_ > 0)
      std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
  }
  return data_.get() + size_;
}

void Utf8Source::RawBytes::Consume(size_t n) {
  std::memmove(data_.get(), data_.get() + n, size_ - n);
  size_ -= n;
}

std::string DescribeTextOffset(const std::string& path, uint64_t offset) {
  Utf8Source src;
  std::string buf;
  TextPosition p;
  bool cr = false;  // a CR was the last byte: a line end unless an LF follows
  uint64_t seen = 0;
  if (src.Open(path, size_t{1} << 20).ok()) {
    for (;;) {
      buf.clear();
      auto more = src.Read(&buf, 1);
      if (!more.ok() || buf.empty())
        break;
      for (char c : buf) {
        if (seen == offset) {
          if (cr && c != '\n')
            p = TextPosition{p.line + 1, 1};
          return fmt::format("line {}, column {}", p.line, p.column);
        }
        ++seen;
        if (cr && c != '\n')
          p = TextPosition{p.line + 1, 1};
        cr = c == '\r';
        if (c == '\n')
          p = TextPosition{p.line + 1, 1};
        else if (c != '\r' && (static_cast<unsigned char>(c) & 0xC0) != 0x80)
          ++p.column;
      }
    }
  }
  if (seen < offset)
    return fmt::format("byte {}", offset);
  if (cr)
    p = TextPosition{p.line + 1, 1};
  return fmt::format("line {}, column {}", p.line, p.column);
}

}  // namespace liitos
