#include "formats/import/import_render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <string_view>

#include "formats/encoding.h"
#include "formats/import/strict_encode.h"

namespace liitos {
namespace {

using Json = nlohmann::ordered_json;

// One field's value as UTF-8 text, and whether it is JSON text (object or array).
struct Value {
  std::string text;
  bool json_text = false;
};

Result<Value> Find(const Json& doc, const std::string& field, const std::string& pointer) {
  Value v;
  try {
    Json::json_pointer ptr(pointer);
    if (!doc.contains(ptr)) return v;
    const Json& found = doc.at(ptr);
    if (found.is_string()) {
      v.text = found.get_ref<const std::string&>();
    } else if (found.is_structured()) {
      v.text = found.dump(-1, ' ', /*ensure_ascii=*/false);
      v.json_text = true;
    } else if (!found.is_null()) {
      v.text = found.dump();
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid(fmt::format("{} ({}): not a usable JSON pointer", field, pointer));
  }
  return v;
}

// Where XML 1.0 cannot carry a character of `text` (C0 controls but tab, LF, CR; U+FFFE, U+FFFF):
// its code point, or 0.
char32_t XmlForbidden(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return b;
    if (b == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) == 0xBE || static_cast<unsigned char>(text[i + 2]) == 0xBF))
      return static_cast<unsigned char>(text[i + 2]) == 0xBE ? 0xFFFE : 0xFFFF;
  }
  return 0;
}

void XmlEscape(std::string_view text, std::string* out) {
  size_t from = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    const char* ref;
    switch (text[at]) {
      case '&': ref = "&amp;"; break;
      case '<': ref = "&lt;"; break;
      case '>': ref = "&gt;"; break;
      case '\r': ref = "&#13;"; break;  // kept: a parser would turn a bare CR into LF
      default: continue;
    }
    out->append(text.data() + from, at - from);
    out->append(ref);
    from = at + 1;
  }
  out->append(text.data() + from, text.size() - from);
}

bool CsvNeedsQuotes(std::string_view cell, char delimiter) {
  if (cell.empty()) return false;
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (blank(cell.front()) || blank(cell.back())) return true;
  return cell.find_first_of(std::string{delimiter, '"', '\r', '\n'}) != std::string_view::npos;
}

void CsvCell(std::string_view cell, char delimiter, std::string* out) {
  if (!CsvNeedsQuotes(cell, delimiter)) {
    out->append(cell);
    return;
  }
  out->push_back('"');
  for (char c : cell) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

class Renderer {
 public:
  Renderer(const ImportProfileConfig& p, Encoding enc) : p_(p), enc_(enc) {}

  // The field's value, encoded into the profile's encoding (still to be escaped for XML/CSV:
  // every special character is ASCII, the same in all three encodings).
  Result<std::string> Encoded(const Json& doc, const std::string& field, const std::string& pointer) const {
    auto v = Find(doc, field, pointer);
    if (!v.ok()) return v.status();
    bool required = std::find(p_.required.begin(), p_.required.end(), field) != p_.required.end();
    if (required && v->text.empty())
      return Status::Invalid(fmt::format("{} ({}) is required, and the application has no value there", field,
                                         pointer));
    if (p_.format == ImportFormat::kXml) {
      if (char32_t bad = XmlForbidden(v->text))
        return Status::Invalid(fmt::format("{} ({}): {} cannot be written in XML", field, pointer,
                                           DescribeCharacter(bad)));
    }
    std::string out;
    if (v->json_text) {
      AppendJsonTextEncoded(v->text, enc_, &out);
      return out;
    }
    char32_t bad = 0;
    if (!AppendEncodedStrict(v->text, enc_, &out, &bad))
      return Status::Invalid(fmt::format("{} ({}): {} is not in {}; the application is not written rather than "
                                         "written with a character lost",
                                         field, pointer, DescribeCharacter(bad), EncodingName(enc_)));
    return out;
  }

  Result<std::string> Xml(const Json& doc) const {
    std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"{}\"?>\n<{}", XmlEncodingName(), p_.root);
    if (!p_.namespace_uri.empty()) {
      out += " xmlns=\"";
      for (char c : p_.namespace_uri) out += c == '"' ? std::string("&quot;") : c == '&' ? "&amp;" : std::string(1, c);
      out += "\"";
    }
    out += fmt::format(">\n  <{}>\n", p_.record);
    for (const auto& [field, pointer] : p_.fields) {
      auto value = Encoded(doc, field, pointer);
      if (!value.ok()) return value.status();
      if (value->empty()) {
        out += fmt::format("    <{}/>\n", field);
        continue;
      }
      out += fmt::format("    <{}>", field);
      XmlEscape(*value, &out);
      out += fmt::format("</{}>\n", field);
    }
    out += fmt::format("  </{}>\n</{}>\n", p_.record, p_.root);
    return out;
  }

  Result<std::string> Csv(const Json& doc) const {
    std::string header, row;
    for (size_t i = 0; i < p_.fields.size(); ++i) {
      const auto& [field, pointer] = p_.fields[i];
      if (i > 0) {
        header.push_back(p_.delimiter);
        row.push_back(p_.delimiter);
      }
      std::string name;
      char32_t bad = 0;
      if (!AppendEncodedStrict(field, enc_, &name, &bad))
        return Status::Invalid(fmt::format("column name {}: {} is not in {}", field, DescribeCharacter(bad),
                                           EncodingName(enc_)));
      CsvCell(name, p_.delimiter, &header);
      auto value = Encoded(doc, field, pointer);
      if (!value.ok()) return value.status();
      CsvCell(*value, p_.delimiter, &row);
    }
    return header + "\r\n" + row + "\r\n";
  }

 private:
  const char* XmlEncodingName() const {
    switch (enc_) {
      case Encoding::kIso88591: return "ISO-8859-1";
      case Encoding::kWindows1252: return "windows-1252";
      default: return "UTF-8";
    }
  }

  const ImportProfileConfig& p_;
  Encoding enc_;
};

}  // namespace

Result<std::string> RenderImportFile(const ImportProfileConfig& profile, const Json& doc) {
  auto enc = ParseEncoding(profile.encoding);
  if (!enc) return Status::Invalid("import profile " + profile.name + ": unknown encoding " + profile.encoding);
  Renderer r(profile, *enc);
  return profile.format == ImportFormat::kCsv ? r.Csv(doc) : r.Xml(doc);
}

}  // namespace liitos
