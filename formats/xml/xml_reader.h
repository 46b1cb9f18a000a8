#pragma once
// The XML reader (SPEC §4). `record` selects the record nodes and each `fields` XPath, relative to
// a record, gives one value: the string value of the first node it selects (an attribute's value,
// an element's text), trimmed; nullopt when it selects nothing. A field XPath that is not a
// node-set (e.g. "concat(…)") gives its string result.
//
// Two ways to read, same records and same refusals:
//  - streaming (formats/xml/xml_stream.h), when the profile allows it (XmlStreamReader::CanStream: a
//    plain absolute record path and fields that stay inside the record): memory is bounded by
//    the largest record;
//  - otherwise the DOM: the whole document is parsed in place into a pugixml DOM (memory: the
//    file as UTF-8 plus the DOM, about 64 bytes per element, text and attribute).
//
// Refused as a whole, at Open, in this order: unreadable encodings or bytes, any "<!DOCTYPE",
// malformed or truncated XML ("line L, column C"), elements nested deeper than kMaxDepth, then the
// rules of formats/xml/xml_rules.h — a forbidden or malformed character reference or an undefined
// entity ("undefined entity '&foo;' (line L, column C)") and content after the root element,
// whichever comes first — then an XPath that does not compile or uses a prefix the profile does
// not declare, and last a root element the record path cannot select from ("root is
// {urn:x:2}Vienti; the profile expects {urn:x:1}Vienti"). A root that matches but holds no record
// is an empty export, not an error.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "config/config.h"
#include "formats/record_reader.h"
#include "formats/xml/xml_fields.h"

namespace liitos {

class XmlReader : public RecordReader {
 public:
  static constexpr size_t kMaxDepth = 1000;

  // Streams when XmlStreamReader::CanStream(profile), else OpenDom.
  static Result<RecordReaderPtr> Open(const ProfileConfig& profile, const std::string& path);
  // Always the DOM reader (for profiles that cannot stream, and for tests that compare).
  static Result<RecordReaderPtr> OpenDom(const ProfileConfig& profile, const std::string& path);

  Result<bool> Next(RawRecord* rec) override;
  const char* RecordNoun() const override { return "record"; }

  XmlReader() = default;

 private:
  Status Parse(const std::string& path);
  Status Compile(const ProfileConfig& profile);

  std::string text_;  // the document as UTF-8, parsed in place: it must outlive doc_
  pugi::xml_document doc_;
  pugi::xpath_node_set records_;
  XmlFieldSet fields_;
  size_t next_ = 0;
};

}  // namespace liitos
