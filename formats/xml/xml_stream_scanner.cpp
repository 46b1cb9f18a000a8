#include "formats/xml/xml_stream_scanner.h"

#include <algorithm>
#include <cstring>

#include <pugixml.hpp>

#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_rules.h"
#include "formats/xml/xml_text.h"

namespace liitos {
namespace {

// pugixml's character classes (ct_space, ct_symbol, ct_start_symbol).
enum CharClass : uint8_t { kSpace = 1, kSymbol = 2, kStartSymbol = 4 };

struct CharTable {
  uint8_t cls[256] = {};
  constexpr CharTable() {
    for (int c = 0; c < 256; ++c) {
      bool start =
          c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
      bool symbol = start || (c >= '0' && c <= '9') || c == '-' || c == '.';
      cls[c] = static_cast<uint8_t>((start ? kStartSymbol : 0) | (symbol ? kSymbol : 0) |
                                    (c == ' ' || c == '\t' || c == '\r' || c == '\n' ? kSpace : 0));
    }
  }
};
constexpr CharTable kChars;

inline bool Is(char c, CharClass k) {
  return kChars.cls[static_cast<unsigned char>(c)] & k;
}

// memchr over [p, end).
inline const char* FindByte(const char* p, const char* end, char c) {
  return p < end ? static_cast<const char*>(std::memchr(p, c, end - p)) : nullptr;
}

}  // namespace

Result<bool> XmlScanner::Fill(size_t keep) {
  if (AtEnd() || bad_)
    return false;
  keep = std::min({keep, mark_, buf_.size()});
  if (keep > 0) {
    for (size_t i = text_start_; i < keep && !text_nonspace_; ++i)
      text_nonspace_ = !IsXmlSpace(buf_[i]);
    text_start_ -= std::min(text_start_, keep);
    buf_.erase(0, keep);
    base_ += keep;
    pos_ -= std::min(pos_, keep);
    if (mark_ != kNoMark)
      mark_ -= keep;
  }
  size_t old = buf_.size();
  // At least double what is kept, so that a long token is rescanned a bounded number of times.
  auto more = src_->Read(&buf_, std::max(chunk_, old));
  if (!more.ok())
    return more.status();
  bad_ = src_->bad().has_value();
  if (!*more && !bad_)
    src_eof_ = true;
  if (!buf_.empty())
    last_byte_ = buf_.back();
  limit_ = buf_.size();
  if (draining_)
    return buf_.size() > old;
  if (const void* z = std::memchr(buf_.data() + old, 0, buf_.size() - old)) {
    nul_ = true;
    saw_content_ = true;
    limit_ = static_cast<const char*>(z) - buf_.data();
  }
  return buf_.size() > old;
}

size_t XmlScanner::Find(std::string_view what, size_t from) const {
  if (from >= limit_)
    return kNoMark;
  std::string_view hay(buf_.data() + from, limit_ - from);
  size_t at = hay.find(what);
  return at == std::string_view::npos ? kNoMark : from + at;
}

void XmlScanner::Pop() {
  if (overflow_ > 0) {
    --overflow_;
    return;
  }
  names_.resize(names_at_.back());
  names_at_.pop_back();
}

void XmlScanner::Push(size_t name, size_t len) {
  if (names_at_.size() >= XmlReader::kMaxDepth || overflow_ > 0) {
    ++overflow_;
    return;
  }
  names_at_.push_back(names_.size());
  names_.append(buf_, name, len);
}

Result<XmlEvent> XmlScanner::Next() {
  for (;;) {
    if (bad_)
      return XmlEvent::kBadBytes;
    const char* lt =
        pos_ < limit_
            ? static_cast<const char*>(std::memchr(buf_.data() + pos_, '<', limit_ - pos_))
            : nullptr;
    if (!saw_content_) {
      size_t upto = lt ? lt - buf_.data() : limit_;
      for (size_t i = pos_; i < upto && !saw_content_; ++i) saw_content_ = !IsXmlSpace(buf_[i]);
    }
    const size_t cut = CheckText(pos_, lt ? lt - buf_.data() : limit_);
    if (!lt) {
      // Only text: keep its last byte, where pugixml would report the document cut short (and a
      // reference that the buffer cuts, whole).
      pos_ = cut != kNoMark ? cut : limit_ > pos_ ? limit_ - 1 : pos_;
      if (AtEnd()) {
        pos_ = limit_;
        return XmlEvent::kDone;
      }
      auto more = Fill(pos_);
      if (!more.ok())
        return more.status();
      continue;
    }
    size_t b = lt - buf_.data();
    pos_ = b;
    saw_content_ = true;
    Parse p = ParseToken(b);
    if (p == Parse::kNeedMore) {
      if (AtEnd()) {
        Error("Unexpected end of data", limit_);
        tok_.begin = b;
        return XmlEvent::kMalformed;
      }
      auto more = Fill(b);
      if (!more.ok())
        return more.status();
      continue;
    }
    tok_.begin = pos_;
    if (p == Parse::kError)
      return XmlEvent::kMalformed;
    if (p == Parse::kDoctype)
      return XmlEvent::kDoctype;
    pos_ = tok_.end;
    text_start_ = pos_;
    text_nonspace_ = false;
    const char kind = buf_[b + 1];
    if (root_closed_ && !after_root_ && kind != '?' && !(kind == '!' && buf_[b + 2] == '-'))
      after_root_ = base_ + b;
    if (kind == '/') {
      tok_.depth = depth();
      Pop();
      root_closed_ = root_closed_ || tok_.depth == 1;
      return XmlEvent::kEnd;
    }
    if (kind == '?' || kind == '!')
      continue;
    tok_.depth = depth() + 1;
    if (tok_.depth > XmlReader::kMaxDepth && !too_deep_)
      too_deep_ = base_ + tok_.name;
    if (!bad_reference_)
      for (const XmlAttr& a : attrs_) CheckReferences(a.value, a.value + a.value_len);
    if (!tok_.empty)
      Push(tok_.name, tok_.name_len);
    else
      root_closed_ = root_closed_ || tok_.depth == 1;
    return XmlEvent::kStart;
  }
}

size_t XmlScanner::CheckText(size_t b, size_t e) {
  if (root_closed_ && !after_root_) {
    for (size_t i = b; i < e; ++i)
      if (!IsXmlSpace(buf_[i])) {
        after_root_ = base_ + i;
        break;
      }
  }
  for (const char* amp = FindByte(buf_.data() + b, buf_.data() + e, '&'); amp && !bad_reference_;
       amp = FindByte(amp + 1, buf_.data() + e, '&')) {
    const size_t a = amp - buf_.data();
    XmlReference r = ClassifyReference(Text(a, limit_ - a), AtEnd());
    if (r.kind == XmlReference::Kind::kNeedMore)
      return a;
    if (r.kind == XmlReference::Kind::kBad)
      bad_reference_.emplace(base_ + a, std::move(r.problem));
  }
  return kNoMark;
}

void XmlScanner::CheckReferences(size_t b, size_t e) {
  // The closing quote is in the buffer, so a reference never needs more text.
  for (const char* amp = FindByte(buf_.data() + b, buf_.data() + e, '&'); amp && !bad_reference_;
       amp = FindByte(amp + 1, buf_.data() + e, '&')) {
    const size_t a = amp - buf_.data();
    XmlReference r = ClassifyReference(Text(a, limit_ - a), AtEnd());
    if (r.kind == XmlReference::Kind::kBad)
      bad_reference_.emplace(base_ + a, std::move(r.problem));
  }
}

Result<bool> XmlScanner::SkipElement() {
  size_t open = 1;
  for (;;) {
    const char* lt = FindByte(buf_.data() + pos_, buf_.data() + limit_, '<');
    size_t b = lt ? lt - buf_.data() : limit_;
    int change = 0;
    size_t end = lt ? SkipTag(b, &change) : kNoMark;
    if (end == kNoMark) {
      if (AtEnd() || bad_)
        return false;
      pos_ = b;
      auto more = Fill(b);  // the mark keeps the element itself
      if (!more.ok())
        return more.status();
      continue;
    }
    pos_ = end;
    open += change;
    if (open == 0) {
      tok_.end = end;
      tok_.depth = depth();
      Pop();
      return true;
    }
  }
}

size_t XmlScanner::SkipTag(size_t b, int* depth_change) const {
  auto after = [&](std::string_view close, size_t from) {
    size_t at = Find(close, from);
    return at == kNoMark ? kNoMark : at + close.size();
  };
  if (b + 2 >= limit_)
    return kNoMark;
  switch (buf_[b + 1]) {
    case '/': {
      *depth_change = -1;
      const char* gt = FindByte(buf_.data() + b + 2, buf_.data() + limit_, '>');
      return gt ? gt - buf_.data() + 1 : kNoMark;
    }
    case '?':
      return after("?>", b + 2);
    case '!':
      if (buf_[b + 2] == '-')
        return after("-->", b + 4);
      return after(buf_[b + 2] == '[' ? "]]>" : ">", b + 2);
    default:
      break;
  }
  for (size_t i = b + 1; i < limit_; ++i) {  // a start tag: '>' outside quoted values
    char c = buf_[i];
    if (c == '>') {
      *depth_change = buf_[i - 1] == '/' ? 0 : 1;
      return i + 1;
    }
    if (c == '"' || c == '\'') {
      const char* q = FindByte(buf_.data() + i + 1, buf_.data() + limit_, c);
      if (!q)
        return kNoMark;
      i = q - buf_.data();
    }
  }
  return kNoMark;
}

XmlScanner::Parse XmlScanner::ParseToken(size_t b) {
  if (b + 1 >= limit_)
    return Parse::kNeedMore;
  char c = buf_[b + 1];
  if (Is(c, kStartSymbol))
    return ParseStart(b);
  if (c == '/')
    return ParseEnd(b);
  if (c == '?')
    return ParsePi(b);
  if (c == '!')
    return ParseBang(b);
  return Error("Could not determine tag type", b + 1);
}

XmlScanner::Parse XmlScanner::ParseStart(size_t b) {
  attrs_.clear();
  size_t i = b + 1;
  while (i < limit_ && Is(buf_[i], kSymbol)) ++i;
  if (i >= limit_)
    return Parse::kNeedMore;
  tok_.name = b + 1;
  tok_.name_len = i - (b + 1);
  tok_.empty = false;
  auto skip_space = [&] {
    while (i < limit_ && Is(buf_[i], kSpace)) ++i;
    return i < limit_;
  };
  auto close = [&]() -> Parse {  // at '/' or '>'
    if (buf_[i] == '>') {
      tok_.end = i + 1;
      return Parse::kOk;
    }
    if (i + 1 >= limit_)
      return Parse::kNeedMore;
    if (buf_[i + 1] != '>')
      return Error("Error parsing start element tag", i + 1);
    tok_.empty = true;
    tok_.end = i + 2;
    return Parse::kOk;
  };
  if (buf_[i] == '>' || buf_[i] == '/')
    return close();
  if (!Is(buf_[i], kSpace))
    return Error("Error parsing start element tag", i);
  for (;;) {
    if (!skip_space())
      return Parse::kNeedMore;
    char c = buf_[i];
    if (c == '>' || c == '/')
      return close();
    if (!Is(c, kStartSymbol))
      return Error("Error parsing start element tag", i);
    XmlAttr a;
    a.name = i;
    while (i < limit_ && Is(buf_[i], kSymbol)) ++i;
    a.name_len = i - a.name;
    if (!skip_space())
      return Parse::kNeedMore;
    if (buf_[i] != '=')
      return Error("Error parsing element attribute", i);
    ++i;
    if (!skip_space())
      return Parse::kNeedMore;
    a.quote = buf_[i];
    if (a.quote != '"' && a.quote != '\'')
      return Error("Error parsing element attribute", i);
    a.value = ++i;
    const char* q = FindByte(buf_.data() + i, buf_.data() + limit_, a.quote);
    if (!q)
      return Parse::kNeedMore;
    i = q - buf_.data();
    a.value_len = i - a.value;
    if (FindByte(buf_.data() + a.value, buf_.data() + i, '<'))
      lexical_risk_ = lexical_risk_ || Text(a.value, a.value_len).find("<!") != kNoMark;
    ++i;
    if (i >= limit_)
      return Parse::kNeedMore;
    if (Is(buf_[i], kStartSymbol))
      return Error("Error parsing element attribute", i);
    attrs_.push_back(a);
  }
}

XmlScanner::Parse XmlScanner::ParseEnd(size_t b) {
  size_t i = b + 2;
  while (i < limit_ && Is(buf_[i], kSymbol)) ++i;
  if (i >= limit_)
    return Parse::kNeedMore;
  if (depth() == 0)
    return Error("Start-end tags mismatch", b + 2);
  if (overflow_ == 0) {
    std::string_view open = std::string_view(names_).substr(names_at_.back());
    if (Text(b + 2, i - (b + 2)) != open)
      return Error("Start-end tags mismatch", b + 2);
  }
  while (i < limit_ && Is(buf_[i], kSpace)) ++i;
  if (i >= limit_)
    return Parse::kNeedMore;
  if (buf_[i] != '>')
    return Error("Error parsing end element tag", i);
  tok_.end = i + 1;
  return Parse::kOk;
}

XmlScanner::Parse XmlScanner::ParsePi(size_t b) {
  size_t i = b + 2;
  if (i >= limit_)
    return Parse::kNeedMore;
  if (!Is(buf_[i], kStartSymbol))
    return Error("Error parsing document declaration/processing instruction", i);
  while (i < limit_ && Is(buf_[i], kSymbol)) ++i;
  size_t close = Find("?>", i);
  if (close == kNoMark)
    return Parse::kNeedMore;
  if (Text(i, close - i).find("<!") != kNoMark)
    lexical_risk_ = true;
  tok_.end = close + 2;
  return Parse::kOk;
}

XmlScanner::Parse XmlScanner::ParseBang(size_t b) {
  auto have = [&](size_t n) { return b + n <= limit_; };
  if (!have(3))
    return Parse::kNeedMore;
  if (buf_[b + 2] == '-') {
    if (!have(4))
      return Parse::kNeedMore;
    if (buf_[b + 3] != '-')
      return Error("Error parsing comment", b + 3);
    size_t close = Find("-->", b + 4);
    if (close == kNoMark)
      return Parse::kNeedMore;
    tok_.end = close + 3;
    return Parse::kOk;
  }
  if (buf_[b + 2] == '[') {
    if (!have(9) && !AtEnd())
      return Parse::kNeedMore;
    if (Text(b, std::min<size_t>(9, limit_ - b)) != "<![CDATA[")
      return Error("Error parsing CDATA section", b + 3);
    size_t close = Find("]]>", b + 9);
    if (close == kNoMark)
      return Parse::kNeedMore;
    tok_.end = close + 3;
    return Parse::kOk;
  }
  if (!have(9) && !AtEnd())
    return Parse::kNeedMore;
  std::string word;
  for (size_t i = b + 2; i < b + 9 && i < limit_; ++i)
    word += static_cast<char>(buf_[i] >= 'a' && buf_[i] <= 'z' ? buf_[i] - 32 : buf_[i]);
  if (word == "DOCTYPE")
    return Parse::kDoctype;
  return Error("Could not determine tag type", b + 2);
}

}  // namespace liitos
