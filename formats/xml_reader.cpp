#include "formats/xml_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/fs.h"
#include "formats/encoding.h"
#include "formats/xml_text.h"
#include "formats/xpath_ns.h"

namespace liitos {
namespace {

std::string_view TrimXmlSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// XPath's string value of a node: an attribute's value, or the text of an element and all of its
// descendants in document order. Iterative: no recursion on deep trees.
void StringValue(const pugi::xpath_node& xn, std::string* out) {
  out->clear();
  if (xn.attribute()) {
    out->append(xn.attribute().value());
    return;
  }
  pugi::xml_node root = xn.node();
  if (root.type() == pugi::node_pcdata || root.type() == pugi::node_cdata) {
    out->append(root.value());
    return;
  }
  pugi::xml_node cur = root.first_child();
  while (cur && cur != root) {
    if (cur.type() == pugi::node_pcdata || cur.type() == pugi::node_cdata)
      out->append(cur.value());
    if (cur.first_child()) {
      cur = cur.first_child();
      continue;
    }
    while (cur != root && !cur.next_sibling()) cur = cur.parent();
    if (cur != root)
      cur = cur.next_sibling();
  }
}

// The first element nested deeper than `limit` levels, or an empty node.
pugi::xml_node TooDeep(const pugi::xml_document& doc, size_t limit) {
  size_t depth = 1;  // of `cur`: the root element is at depth 1
  pugi::xml_node cur = doc.first_child();
  while (cur) {
    if (cur.first_child()) {
      cur = cur.first_child();
      if (++depth > limit && cur.type() == pugi::node_element)
        return cur;
      continue;
    }
    while (cur && !cur.next_sibling()) {
      cur = cur.parent();
      --depth;
      if (cur == doc)
        return pugi::xml_node();
    }
    if (cur)
      cur = cur.next_sibling();
  }
  return pugi::xml_node();
}

// Every xmlns / xmlns:p attribute of the document as (prefix, URI), without repeats.
NamespaceList DeclaredNamespaces(const pugi::xml_document& doc) {
  NamespaceList found;
  for (pugi::xml_node cur = doc.first_child(); cur;) {
    for (pugi::xml_attribute a = cur.first_attribute(); a; a = a.next_attribute()) {
      std::string_view name = a.name();
      if (name != "xmlns" && name.substr(0, 6) != "xmlns:")
        continue;
      std::pair<std::string, std::string> decl(name.size() > 6 ? name.substr(6) : "", a.value());
      if (std::find(found.begin(), found.end(), decl) == found.end())
        found.push_back(decl);
    }
    if (cur.first_child()) {
      cur = cur.first_child();
      continue;
    }
    while (cur && !cur.next_sibling()) cur = cur.parent();
    if (cur)
      cur = cur.next_sibling();
  }
  return found;
}

}  // namespace

Result<RecordReaderPtr> XmlReader::Open(const ProfileConfig& profile, const std::string& path) {
  auto reader = std::make_unique<XmlReader>();
  if (Status s = reader->Parse(path); !s.ok())
    return s;
  if (Status s = reader->Compile(profile); !s.ok())
    return s;
  return RecordReaderPtr(std::move(reader));
}

Status XmlReader::Parse(const std::string& path) {
  {
    auto bytes = ReadFile(path);
    if (!bytes.ok())
      return bytes.status();
    auto utf8 = XmlToUtf8(std::move(bytes).value());
    if (!utf8.ok())
      return utf8.status();
    text_ = std::move(utf8).value();
  }
  if (Status s = RefuseDoctype(text_); !s.ok())
    return s;
  if (TrimXmlSpace(text_).empty())
    return Status::Invalid("the file is empty: no XML document");
  // Parsing in place rewrites the text before the parser's cursor, so error positions are counted
  // in a fresh copy of the file (error paths only).
  auto position = [&path](ptrdiff_t offset) -> std::string {
    auto again = ReadFile(path);
    if (!again.ok())
      return fmt::format("byte {}", offset);
    auto utf8 = XmlToUtf8(std::move(again).value());
    if (!utf8.ok())
      return fmt::format("byte {}", offset);
    return DescribePosition(*utf8, static_cast<size_t>(offset));
  };
  // parse_default: DOCTYPE nodes skipped (there are none left), no custom entities (only the
  // five predefined ones and character references), no processing instructions or comments.
  pugi::xml_parse_result r = doc_.load_buffer_inplace(text_.data(), text_.size(),
                                                      pugi::parse_default, pugi::encoding_utf8);
  if (!r)
    return Status::Invalid(
        fmt::format("malformed XML at {}: {}", position(r.offset), r.description()));
  if (pugi::xml_node deep = TooDeep(doc_, kMaxDepth))
    return Status::Invalid(fmt::format("elements nested deeper than {} levels ({})", kMaxDepth,
                                       position(deep.offset_debug())));
  return Status::Ok();
}

Status XmlReader::Compile(const ProfileConfig& profile) {
  NamespaceList renames = UnambiguousPrefixes(profile.namespaces, DeclaredNamespaces(doc_));
  try {
    auto record = QualifyXPath(profile.record, profile.namespaces, renames);
    if (!record.ok())
      return record.status();
    pugi::xpath_query rq(record->c_str());
    if (rq.return_type() != pugi::xpath_type_node_set)
      return Status::Invalid(
          fmt::format("the record XPath '{}' does not select nodes", profile.record));
    records_ = rq.evaluate_node_set(doc_);
    records_.sort();
    for (const auto& [field, xpath] : profile.fields) {
      auto q = QualifyXPath(xpath, profile.namespaces, renames);
      if (!q.ok())
        return q.status();
      fields_.emplace_back(q->c_str());
      profile_fields_.push_back(field);
    }
  } catch (const pugi::xpath_exception& e) {
    return Status::Invalid(fmt::format("a profile XPath does not compile: {}", e.what()));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("XPath evaluation failed: {}", e.what()));
  }
  return Status::Ok();
}

Result<bool> XmlReader::Next(RawRecord* rec) {
  if (next_ >= records_.size())
    return false;
  const pugi::xpath_node& node = records_[next_++];
  rec->number = next_;
  rec->values.resize(fields_.size());
  rec->error_field.reset();
  rec->error_reason.reset();
  std::string text;
  try {
    for (size_t i = 0; i < fields_.size(); ++i) {
      std::optional<std::string>& value = rec->values[i];
      if (fields_[i].return_type() == pugi::xpath_type_node_set) {
        pugi::xpath_node first = fields_[i].evaluate_node_set(node).first();
        if (!first) {
          value.reset();
          continue;
        }
        StringValue(first, &text);
      } else {
        text = fields_[i].evaluate_string(node);
      }
      value = std::string(TrimXmlSpace(text));
      // Text came in valid, but a character reference such as &#xD800; does not, and invalid
      // UTF-8 must not reach the interface format.
      if (!IsValidUtf8(*value)) {
        value.reset();
        if (!rec->error_field) {
          rec->error_field = profile_fields_[i];
          rec->error_reason = "a character reference names an invalid code point";
        }
      }
    }
  } catch (const std::exception& e) {
    return Status::Invalid(
        fmt::format("record {}: XPath evaluation failed: {}", rec->number, e.what()));
  }
  return true;
}

}  // namespace liitos
