#include "formats/xml_reader.h"

#include <fmt/format.h>

#include "base/fs.h"
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
    if (cur.type() == pugi::node_pcdata || cur.type() == pugi::node_cdata) out->append(cur.value());
    if (cur.first_child()) {
      cur = cur.first_child();
      continue;
    }
    while (cur != root && !cur.next_sibling()) cur = cur.parent();
    if (cur != root) cur = cur.next_sibling();
  }
}

// The first element nested deeper than `limit`, or an empty node.
pugi::xml_node TooDeep(const pugi::xml_document& doc, size_t limit) {
  size_t depth = 0;
  pugi::xml_node cur = doc.first_child();
  while (cur) {
    if (cur.first_child()) {
      cur = cur.first_child();
      if (++depth > limit) return cur;
      continue;
    }
    while (cur && !cur.next_sibling()) {
      cur = cur.parent();
      --depth;
      if (cur == doc) return pugi::xml_node();
    }
    if (cur) cur = cur.next_sibling();
  }
  return pugi::xml_node();
}

}  // namespace

Result<RecordReaderPtr> XmlReader::Open(const ProfileConfig& profile, const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  return FromBytes(profile, std::move(bytes).value());
}

Result<RecordReaderPtr> XmlReader::FromBytes(const ProfileConfig& profile, std::string bytes) {
  auto reader = std::make_unique<XmlReader>();
  if (Status s = reader->Parse(std::move(bytes)); !s.ok()) return s;
  if (Status s = reader->Compile(profile); !s.ok()) return s;
  return RecordReaderPtr(std::move(reader));
}

Status XmlReader::Parse(std::string bytes) {
  std::string text;
  {
    auto utf8 = XmlToUtf8(bytes);
    if (!utf8.ok()) return utf8.status();
    std::string().swap(bytes);  // free the raw bytes before pugixml copies the text
    text = std::move(utf8).value();
  }
  if (Status s = RefuseDoctype(text); !s.ok()) return s;
  if (TrimXmlSpace(text).empty()) return Status::Invalid("the file is empty: no XML document");
  // pugixml parses its own copy, so `text` stays intact to turn offsets into line:column.
  // parse_default: DOCTYPE nodes skipped (there are none left), no custom entities (only the
  // five predefined ones and character references), no processing instructions or comments.
  pugi::xml_parse_result r =
      doc_.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r)
    return Status::Invalid(fmt::format("malformed XML at {}: {}",
                                       DescribePosition(text, static_cast<size_t>(r.offset)),
                                       r.description()));
  if (pugi::xml_node deep = TooDeep(doc_, kMaxDepth))
    return Status::Invalid(fmt::format("elements nested deeper than {} levels ({})", kMaxDepth,
                                       DescribePosition(text, static_cast<size_t>(deep.offset_debug()))));
  return Status::Ok();
}

Status XmlReader::Compile(const ProfileConfig& profile) {
  try {
    auto record = QualifyXPath(profile.record, profile.namespaces);
    if (!record.ok()) return record.status();
    pugi::xpath_query rq(record->c_str());
    if (rq.return_type() != pugi::xpath_type_node_set)
      return Status::Invalid(fmt::format("the record XPath '{}' does not select nodes", profile.record));
    records_ = rq.evaluate_node_set(doc_);
    records_.sort();
    for (const auto& [field, xpath] : profile.fields) {
      auto q = QualifyXPath(xpath, profile.namespaces);
      if (!q.ok()) return q.status();
      fields_.emplace_back(q->c_str());
    }
  } catch (const pugi::xpath_exception& e) {
    return Status::Invalid(fmt::format("a profile XPath does not compile: {}", e.what()));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("XPath evaluation failed: {}", e.what()));
  }
  return Status::Ok();
}

Result<bool> XmlReader::Next(RawRecord* rec) {
  if (next_ >= records_.size()) return false;
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
    }
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("record {}: XPath evaluation failed: {}", rec->number, e.what()));
  }
  return true;
}

}  // namespace liitos
