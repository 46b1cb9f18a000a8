#pragma once
// Inside the streaming XML reader (formats/xml/xml_stream.h): the state both passes share.
// Pass 1, checking the whole document, is in xml_stream_check.cpp; pass 2, streaming the
// records, in xml_stream.cpp.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "formats/xml/xml_fields.h"
#include "formats/xml/xml_stream.h"
#include "formats/xml/xml_stream_scanner.h"
#include "formats/xml/xml_stream_source.h"

namespace liitos {
namespace xml_stream_detail {


constexpr size_t kMaxDeclarations = 10000;  // distinct xmlns declarations kept for renames
constexpr const char* kWrapperEnd = "</_>";

// One step of the record path, matched as pugixml evaluates the qualified XPath.
struct PathStep {
  std::string qname;  // compared as is (an unprefixed name, or a renamed prefix + ':' + local)
  bool by_namespace = false;  // else: local-name() == local and namespace-uri() == uri
  std::string local, uri;
};

constexpr const char* kMalformedFormat = "malformed XML at {pos}: {what}";
constexpr const char* kDoctypeFormat = "document type declaration refused ({pos})";
constexpr const char* kBadBytesFormat = "{what} at {pos}";

}  // namespace xml_stream_detail

struct XmlStreamReader::State {
  using PathStep = xml_stream_detail::PathStep;

  std::string path;
  size_t chunk = kDefaultChunk;
  Utf8Source source;
  std::unique_ptr<XmlScanner> scanner;  // pass 1's, then pass 2's
  std::vector<PathStep> steps;          // the record path
  XmlFieldSet fields;

  // Pass 1: every xmlns declaration of the document, for the renames (none past the cap).
  std::set<std::pair<std::string, std::string>> declared;
  bool declared_overflow = false;
  // Pass 1: the root element's name and the namespace its prefix is bound to on it.
  std::string root_qname, root_uri;

  // Pass 2: the declarations of the open elements on the record path, in document order.
  struct Declaration {
    size_t depth;
    std::string name;   // "xmlns" or "xmlns:p"
    std::string value;  // as pugixml reads it
    std::string raw;    // name="value" as written
  };
  std::vector<Declaration> in_scope;
  uint64_t scope_version = 0, wrapper_version = ~uint64_t{0};
  std::string wrapper;  // "<_ xmlns…>": in_scope, one per name, as of wrapper_version
  size_t matched = 0;   // open elements that match the record path's first steps
  size_t records = 0;
  std::string text;  // the wrapper around one record, parsed in place into doc
  pugi::xml_document doc;
  std::string attr_scratch;

  Status Located(const char* format, uint64_t offset, const std::string& what = "") const;
  std::optional<Status> MalformedAt(size_t from, std::optional<uint64_t>* doctype = nullptr);
  Status Check();
  Status PrepareStream(const ProfileConfig& profile);
  std::string AttributeValue(const XmlAttr& a);
  void CollectDeclarations();
  void NoteRoot();
  bool Matches(const PathStep& step, std::string_view qname) const;
  void PushDeclarations(size_t depth);
  void PopDeclarations(size_t depth);
  Result<bool> NextRecord(RawRecord* rec);
  Result<bool> Emit(size_t begin, size_t end, RawRecord* rec);
  Status Truncated() const;
};

}  // namespace liitos
