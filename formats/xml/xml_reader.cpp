#include "formats/xml/xml_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "formats/input_file.h"
#include "formats/xml/xml_rules.h"
#include "formats/xml/xml_stream.h"
#include "formats/xml/xml_text.h"
#include "formats/xml/xpath_ns.h"

namespace liitos {
namespace {

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
  if (XmlStreamReader::CanStream(profile))
    return XmlStreamReader::Open(profile, path);
  return OpenDom(profile, path);
}

Result<RecordReaderPtr> XmlReader::OpenDom(const ProfileConfig& profile, const std::string& path) {
  auto reader = std::make_unique<XmlReader>();
  if (Status s = reader->Parse(path); !s.ok())
    return s;
  if (Status s = reader->Compile(profile); !s.ok())
    return s;
  return RecordReaderPtr(std::move(reader));
}

Status XmlReader::Parse(const std::string& path) {
  {
    auto bytes = ReadRegularFile(path);
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
  // References and what follows the root element, looked for while the text is as in the file
  // (parsing in place rewrites it); reported only if pugixml accepts the document.
  std::optional<std::string> text_problem;
  if (auto p = FindXmlTextProblem(text_))
    text_problem = fmt::format("{} ({})", p->what, DescribePosition(text_, p->offset));
  // Parsing in place rewrites the text before the parser's cursor, so error positions are counted
  // in a fresh copy of the file (error paths only).
  auto position = [&path](ptrdiff_t offset) -> std::string {
    auto again = ReadRegularFile(path);
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
  if (text_problem)
    return Status::Invalid(*text_problem);
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
  } catch (const pugi::xpath_exception& e) {
    return Status::Invalid(fmt::format("a profile XPath does not compile: {}", e.what()));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("XPath evaluation failed: {}", e.what()));
  }
  if (Status s = fields_.Compile(profile, renames); !s.ok())
    return s;
  // The root's namespace as namespace-uri() gives it: the root's own first declaration of its
  // prefix (a root has no ancestors to inherit one from).
  pugi::xml_node root = doc_.document_element();
  std::string_view qname = root.name();
  size_t colon = qname.find(':');
  std::string xmlns = colon == std::string_view::npos
                          ? std::string("xmlns")
                          : "xmlns:" + std::string(qname.substr(0, colon));
  std::string_view uri;
  for (pugi::xml_attribute a = root.first_attribute(); a; a = a.next_attribute())
    if (xmlns == a.name()) {
      uri = a.value();
      break;
    }
  if (auto mismatch = RootMismatch(profile, qname, uri))
    return Status::Invalid(*mismatch);
  return Status::Ok();
}

Result<bool> XmlReader::Next(RawRecord* rec) {
  if (next_ >= records_.size())
    return false;
  const pugi::xpath_node& node = records_[next_++];
  rec->number = next_;
  if (Status s = fields_.Evaluate(node, rec); !s.ok())
    return s;
  return true;
}

}  // namespace liitos

