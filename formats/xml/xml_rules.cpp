// XML document rules of SPEC §4 that pugixml does not enforce: characters XML does not allow,
// references, content after the root element, and a root element the record path cannot select
// from.
#include "formats/xml/xml_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "formats/reasons.h"
#include "formats/xml/xml_text.h"
#include "formats/xml/xpath_ns.h"

namespace liitos {
namespace {

bool IsDigit(char c, bool hex) {
  return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
}
int DigitValue(char c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

// XML 1.0's Char production.
bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Entity names as pugixml and XML read them, non-ASCII letters included.
bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

XmlReference Bad(const char* format, std::string_view written) {
  return {XmlReference::Kind::kBad,
          fmt::format(fmt::runtime(format), ShowValue(written, 40))};
}

bool StartsWith(std::string_view s, size_t at, std::string_view prefix) {
  return s.substr(at, prefix.size()) == prefix;
}

}  // namespace

XmlReference ClassifyReference(std::string_view s, bool at_end) {
  using Kind = XmlReference::Kind;
  if (s.size() < 2)
    return {at_end ? Kind::kText : Kind::kNeedMore, {}};
  if (s[1] == '#') {
    size_t i = 2;
    const bool hex = i < s.size() && s[i] == 'x';
    if (hex)
      ++i;
    const size_t digits = i;
    uint32_t value = 0;
    while (i < s.size() && i - digits < kMaxXmlReference && IsDigit(s[i], hex)) {
      value = std::min<uint32_t>(value * (hex ? 16 : 10) + DigitValue(s[i]), 0x110000);
      ++i;
    }
    if (i == s.size() && i - digits < kMaxXmlReference && !at_end)
      return {Kind::kNeedMore, {}};
    if (i == digits || i == s.size() || s[i] != ';')
      return Bad("malformed character reference '{}'", s.substr(0, i + 1));
    if (!IsXmlChar(value))
      return Bad("character reference '{}' names a character XML does not allow",
                 s.substr(0, i + 1));
    return {Kind::kReference, {}};
  }
  if (!IsNameStart(s[1]))
    return {Kind::kText, {}};
  size_t i = 2;
  while (i < s.size() && i - 1 < kMaxXmlReference && IsNameChar(s[i])) ++i;
  if (i == s.size() && i - 1 < kMaxXmlReference && !at_end)
    return {Kind::kNeedMore, {}};
  if (i - 1 >= kMaxXmlReference)
    return Bad("undefined entity '{}'", s.substr(0, i));
  if (i == s.size() || s[i] != ';')
    return {Kind::kText, {}};  // "AT&T": no reference, kept as text
  std::string_view name = s.substr(1, i - 1);
  if (name == "lt" || name == "gt" || name == "amp" || name == "apos" || name == "quot")
    return {Kind::kReference, {}};
  return Bad("undefined entity '{}'", s.substr(0, i + 1));
}

std::optional<XmlTextProblem> FindForbiddenXmlChar(std::string_view t) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const char* p = t.data();
  const size_t n = t.size();
  auto byte = [p](size_t k) { return static_cast<unsigned char>(p[k]); };
  size_t i = 0;
  while (i < n) {
    // Eight bytes at a time past those that cannot matter: a word is looked at byte by byte only
    // when it may hold a byte below 0x20 or an 0xEF (which starts U+FFFE and U+FFFF).
    for (uint64_t v; i + 8 <= n; i += 8) {
      std::memcpy(&v, p + i, 8);
      const uint64_t ef = v ^ (kOnes * 0xEF);
      if ((((v - kOnes * 0x20) & ~v) | ((ef - kOnes) & ~ef)) & kHigh)
        break;
    }
    const size_t end = std::min(n, i + 8);
    for (; i < end; ++i) {
      const unsigned char c = byte(i);
      if (c < 0x20 && c != 0 && c != '\t' && c != '\n' && c != '\r')
        return XmlTextProblem{i, fmt::format("control character U+{:04X} (not allowed in XML)", c)};
      if (c == 0xEF && i + 2 < n && byte(i + 1) == 0xBF && (byte(i + 2) == 0xBE || byte(i + 2) == 0xBF))
        return XmlTextProblem{i, fmt::format("character U+FF{:02X} (not allowed in XML)", byte(i + 2) + 0x40)};
    }
  }
  return std::nullopt;
}

std::optional<XmlTextProblem> FindXmlTextProblem(std::string_view t) {
  t = t.substr(0, t.find('\0'));
  // The first bad reference among the '&'s of [b, e). Segments come in document order, so one
  // search for the next '&' serves them all; those in between were in markup.
  size_t amp = t.find('&');
  auto references = [&](size_t b, size_t e) -> std::optional<XmlTextProblem> {
    for (; amp < e; amp = t.find('&', amp + 1)) {
      if (amp < b)
        continue;
      XmlReference r = ClassifyReference(t.substr(amp), true);
      if (r.kind == XmlReference::Kind::kBad)
        return XmlTextProblem{amp, std::move(r.problem)};
    }
    return std::nullopt;
  };
  auto after_root = [](size_t at) { return XmlTextProblem{at, kContentAfterRoot}; };
  auto past = [t](size_t from, std::string_view close) {  // one past `close`, or npos
    size_t at = t.find(close, from);
    return at == std::string_view::npos ? at : at + close.size();
  };
  size_t i = 0, depth = 0;
  bool root_closed = false;
  while (i < t.size()) {
    const size_t lt = std::min(t.find('<', i), t.size());
    if (root_closed) {
      for (size_t k = i; k < lt; ++k)
        if (!IsXmlSpace(t[k]))
          return after_root(k);
    } else if (auto bad = references(i, lt)) {
      return bad;
    }
    if (lt + 1 >= t.size())
      break;
    const char kind = t[lt + 1];
    size_t end = std::string_view::npos;  // one past the token
    if (kind == '?') {
      end = past(lt + 2, "?>");
    } else if (kind == '!' && StartsWith(t, lt, "<!--")) {
      end = past(lt + 4, "-->");
    } else if (root_closed) {
      return after_root(lt);  // an element, a CDATA section, …
    } else if (kind == '!') {
      // A CDATA section; anything else was refused before this is asked (a DOCTYPE) or is
      // malformed.
      end = StartsWith(t, lt, "<![CDATA[") ? past(lt + 9, "]]>") : lt + 2;
    } else if (kind == '/') {
      end = past(lt + 2, ">");
      if (depth > 0 && --depth == 0)
        root_closed = true;
    } else {  // a start tag: its '>' is outside quoted values, which may hold references
      size_t j = lt + 1;
      for (;;) {
        const size_t gt = t.find('>', j);
        if (gt == std::string_view::npos)
          return std::nullopt;
        const std::string_view tag = t.substr(0, gt);
        const size_t quote = std::min(tag.find('"', j), tag.find('\'', j));
        if (quote == std::string_view::npos) {
          j = gt;
          break;
        }
        const size_t close = t.find(t[quote], quote + 1);
        if (close == std::string_view::npos)
          return std::nullopt;
        if (auto bad = references(quote + 1, close))
          return bad;
        j = close + 1;
      }
      if (t[j - 1] != '/')
        ++depth;
      else if (depth == 0)
        root_closed = true;
      end = j + 1;
    }
    if (end == std::string_view::npos)
      break;
    i = end;
  }
  return std::nullopt;
}

namespace {

// The first step of `record` when it is a plain child step of the document: (prefix, local),
// local "*" for a wildcard. "/p:Name", "p:Name/…", "/child::Name[…]" qualify.
std::optional<std::pair<std::string, std::string>> RootStep(std::string_view x) {
  x = TrimXmlSpace(x);
  if (x.find('|') != std::string_view::npos)
    return std::nullopt;  // a union: not judged
  size_t i = 0;
  if (!x.empty() && x[0] == '/') {
    if (x.size() > 1 && x[1] == '/')
      return std::nullopt;
    ++i;
  }
  while (i < x.size() && IsXmlSpace(x[i])) ++i;
  if (StartsWith(x, i, "child::"))
    i += 7;
  auto name = [&](std::string* out) {
    if (i < x.size() && x[i] == '*') {
      ++i;
      out->assign(1, '*');
      return true;
    }
    if (i >= x.size() || !IsXPathNameStart(x[i]))
      return false;
    size_t b = i;
    while (i < x.size() && IsXPathNameChar(x[i])) ++i;
    *out = std::string(x.substr(b, i - b));
    return true;
  };
  std::string prefix, local;
  if (!name(&local))
    return std::nullopt;
  if (i < x.size() && x[i] == ':') {
    ++i;
    prefix = std::move(local);
    if (prefix == "*" || !name(&local))
      return std::nullopt;  // "*:x" is no XPath 1.0; "axis::" is not a child step
  }
  while (i < x.size() && IsXmlSpace(x[i])) ++i;
  if (i < x.size() && x[i] != '/' && x[i] != '[')
    return std::nullopt;  // a function, an operator, …
  return std::make_pair(std::move(prefix), std::move(local));
}

std::string Clark(std::string_view uri, std::string_view local) {
  return fmt::format("{{{}}}{}", ShowValue(uri, 200), local);
}

}  // namespace

std::optional<std::string> RootMismatch(const ProfileConfig& profile, std::string_view root_qname,
                                        std::string_view root_uri) {
  auto step = RootStep(profile.record);
  if (!step)
    return std::nullopt;
  const auto& [prefix, local] = *step;
  size_t colon = root_qname.find(':');
  std::string_view root_local =
      colon == std::string_view::npos ? root_qname : root_qname.substr(colon + 1);
  std::string expected;
  if (prefix.empty() || prefix == "xml") {  // compared by name as written, as pugixml's XPath does
    std::string name = prefix.empty() ? local : fmt::format("{}:{}", prefix, local);
    if (local == "*" || root_qname == name)
      return std::nullopt;
    expected = name;
  } else {
    const std::string* uri = FindPrefix(profile.namespaces, prefix);
    if (!uri)
      return std::nullopt;  // refused as an XPath that does not compile
    if ((local == "*" || root_local == local) && root_uri == *uri)
      return std::nullopt;
    expected = Clark(*uri, local);
  }
  std::string shown = root_uri.empty() ? std::string(root_qname) : Clark(root_uri, root_local);
  return fmt::format("root is {}; the profile expects {}", shown, expected);
}

}  // namespace liitos
