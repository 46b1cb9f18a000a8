#include "formats/xml/xml_text.h"

#include <optional>

#include <fmt/format.h>

#include "formats/encoding.h"
#include "formats/xml/xml_rules.h"

namespace liitos {
namespace {

// The value of the declaration's encoding="…" pseudo-attribute, if the text starts with one.
std::optional<std::string> DeclaredEncoding(std::string_view text) {
  if (text.substr(0, 5) != "<?xml" || text.size() < 6 || !IsXmlSpace(text[5]))
    return std::nullopt;
  size_t end = text.find("?>");
  if (end == std::string_view::npos || end > 1024)
    return std::nullopt;  // pugixml will complain
  std::string_view decl = text.substr(0, end);
  size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos)
    return std::nullopt;
  pos += 8;
  while (pos < decl.size() && IsXmlSpace(decl[pos])) ++pos;
  if (pos >= decl.size() || decl[pos] != '=')
    return std::nullopt;
  ++pos;
  while (pos < decl.size() && IsXmlSpace(decl[pos])) ++pos;
  if (pos >= decl.size() || (decl[pos] != '"' && decl[pos] != '\''))
    return std::nullopt;
  size_t close = decl.find(decl[pos], pos + 1);
  if (close == std::string_view::npos)
    return std::nullopt;
  return std::string(decl.substr(pos + 1, close - pos - 1));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The refusal of the first character XML does not allow in `utf8`, if it holds one.
std::optional<Status> RefuseForbiddenChar(std::string_view utf8) {
  if (auto c = FindForbiddenXmlChar(utf8))
    return Status::Invalid(fmt::format("{} at {}", c->what, DescribePosition(utf8, c->offset)));
  return std::nullopt;
}

Result<std::string> FromUtf16(std::string_view bytes, bool big_endian) {
  std::string out;
  size_t bad = 0;
  const bool ok = Utf16ToUtf8(bytes, big_endian, &out, &bad);
  if (auto refused = RefuseForbiddenChar(out))  // on failure `out` holds the text before `bad`
    return *refused;
  if (!ok)
    return Status::Invalid(fmt::format("invalid UTF-16 at {}", DescribePosition(out, out.size())));
  return out;
}

Result<std::string> FromSingleByte(std::string_view bytes, Encoding enc) {
  std::string out;
  size_t bad = 0;
  const bool ok = AppendDecodedUtf8(bytes, enc, &out, &bad);
  if (!ok) {  // what comes before the bad byte, for a forbidden character there
    out.clear();
    AppendDecodedUtf8(bytes.substr(0, bad), enc, &out, nullptr);
  }
  if (auto refused = RefuseForbiddenChar(out))
    return *refused;
  if (ok)
    return out;
  // Lines are the same in every encoding we read; the column counts characters, so decode the
  // line up to the bad byte to count them.
  std::string prefix;
  size_t line_start = bytes.find_last_of("\r\n", bad == 0 ? 0 : bad - 1);
  line_start = (line_start == std::string_view::npos || bad == 0) ? 0 : line_start + 1;
  TextPosition at = PositionAt(bytes, line_start);
  AppendDecodedUtf8(bytes.substr(line_start, bad - line_start), enc, &prefix, nullptr);
  size_t column = PositionAt(prefix, prefix.size()).column;
  return Status::Invalid(fmt::format("{} at line {}, column {}",
                                     DescribeInvalidByte(bytes, enc, bad), at.line, column));
}

}  // namespace

TextPosition PositionAt(std::string_view utf8, size_t offset) {
  TextPosition p;
  if (offset > utf8.size())
    offset = utf8.size();
  for (size_t i = 0; i < offset; ++i) {
    char c = utf8[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= utf8.size() || utf8[i + 1] != '\n'))) {
      ++p.line;
      p.column = 1;
    } else if (c != '\r' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

std::string DescribePosition(std::string_view utf8, size_t offset) {
  TextPosition p = PositionAt(utf8, offset);
  return fmt::format("line {}, column {}", p.line, p.column);
}

Result<XmlEncoding> DetectXmlEncoding(std::string_view bytes) {
  if (StartsWith(bytes, std::string_view("\x00\x00\xFE\xFF", 4)) ||
      StartsWith(bytes, std::string_view("\xFF\xFE\x00\x00", 4)) ||
      StartsWith(bytes, std::string_view("\x00\x00\x00\x3C", 4)) ||
      StartsWith(bytes, std::string_view("\x3C\x00\x00\x00", 4)))
    return Status::Invalid("unsupported encoding UTF-32");
  if (StartsWith(bytes, "\xFF\xFE"))
    return XmlEncoding{XmlInput::kUtf16Le, 2};
  if (StartsWith(bytes, "\xFE\xFF"))
    return XmlEncoding{XmlInput::kUtf16Be, 2};
  if (StartsWith(bytes, std::string_view("<\0?\0", 4)))
    return XmlEncoding{XmlInput::kUtf16Le, 0};
  if (StartsWith(bytes, std::string_view("\0<\0?", 4)))
    return XmlEncoding{XmlInput::kUtf16Be, 0};
  if (HasUtf8Bom(bytes))
    return XmlEncoding{XmlInput::kUtf8, 3};
  std::optional<std::string> declared = DeclaredEncoding(bytes);
  if (!declared)
    return XmlEncoding{};
  std::optional<Encoding> e = ParseEncoding(*declared);
  if (!e) {
    std::string lower;
    for (char c : *declared) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (StartsWith(lower, "utf-16") || StartsWith(lower, "utf16"))
      return Status::Invalid("the declaration says UTF-16 but the file is not UTF-16");
    return Status::Invalid(fmt::format("unsupported encoding '{}' (line 1)", *declared));
  }
  switch (*e) {
    case Encoding::kUtf8: return XmlEncoding{XmlInput::kUtf8, 0};
    case Encoding::kIso88591: return XmlEncoding{XmlInput::kIso88591, 0};
    case Encoding::kWindows1252: return XmlEncoding{XmlInput::kWindows1252, 0};
  }
  return XmlEncoding{};
}

Result<std::string> XmlToUtf8(std::string owned) {
  auto found = DetectXmlEncoding(owned);
  if (!found.ok())
    return found.status();
  std::string_view text = std::string_view(owned).substr(found->bom_bytes);
  switch (found->input) {
    case XmlInput::kUtf16Le: return FromUtf16(text, false);
    case XmlInput::kUtf16Be: return FromUtf16(text, true);
    case XmlInput::kIso88591: return FromSingleByte(text, Encoding::kIso88591);
    case XmlInput::kWindows1252: return FromSingleByte(text, Encoding::kWindows1252);
    case XmlInput::kUtf8: break;
  }
  size_t bad = 0;
  const bool valid = IsValidUtf8(text, &bad);
  if (auto refused = RefuseForbiddenChar(valid ? text : text.substr(0, bad)))
    return *refused;
  if (!valid)
    return Status::Invalid(fmt::format("{} at {}", DescribeInvalidByte(text, Encoding::kUtf8, bad),
                                       DescribePosition(text, bad)));
  owned.erase(0, found->bom_bytes);
  return owned;
}

Status RefuseDoctype(std::string_view utf8) {
  size_t pos = 0;
  while ((pos = utf8.find("<!", pos)) != std::string_view::npos) {
    std::string_view rest = utf8.substr(pos + 2);
    size_t skip_to = pos + 2;
    if (StartsWith(rest, "[CDATA[")) {
      // Unterminated (pugixml refuses it): looked on inside, so that a "<![CDATA[" in an
      // attribute value or a processing instruction hides no declaration after it.
      size_t e = utf8.find("]]>", pos);
      skip_to = e == std::string_view::npos ? pos + 2 : e + 3;
    } else if (StartsWith(rest, "--")) {
      size_t e = utf8.find("-->", pos + 4);
      skip_to = e == std::string_view::npos ? pos + 2 : e + 3;
    } else {
      std::string word;
      for (size_t i = 0; i < 7 && i < rest.size(); ++i)
        word += static_cast<char>(rest[i] >= 'a' && rest[i] <= 'z' ? rest[i] - 32 : rest[i]);
      if (word == "DOCTYPE")
        return Status::Invalid(
            fmt::format("document type declaration refused ({})", DescribePosition(utf8, pos)));
    }
    pos = skip_to;
  }
  return Status::Ok();
}

}  // namespace liitos
