#pragma once
// The XML reader (SPEC §4). `record` selects the record nodes and each `fields` XPath, relative to
// a record, gives one value: the string value of the first node it selects (an attribute's value,
// an element's text), trimmed; nullopt when it selects nothing. A field XPath that is not a
// node-set (e.g. "concat(…)") gives its string result.
//
// Two ways to read, same records and same refusals:
//  - streaming (formats/xml_stream.h), when the profile allows it (XmlStreamReader::CanStream: a
//    plain absolute record path and fields that stay inside the record): memory is bounded by
//    the largest record;
//  - otherwise the DOM: the whole document is parsed in place into a pugixml DOM (memory: the
//    file as UTF-8 plus the DOM, about 64 bytes per element, text and attribute).
//
// Refused as a whole, at Open: unreadable encodings or bytes, any "<!DOCTYPE", malformed or
// truncated XML ("line L, column C"), elements nested deeper than kMaxDepth, an XPath that does
// not compile or uses a prefix the profile does not declare.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "config/config.h"
#include "formats/record_reader.h"
#include "formats/xpath_ns.h"

namespace liitos {

// The profile's field XPaths, compiled once, and their evaluation on one record node: shared by
// both readers so that they cannot differ. Single-threaded (pugixml queries are not shared).
//
// Most profiles' fields are plain paths ("v:Tila/@koodi", "v:Viesti[@kieli='fi']"): those are
// evaluated by walking the record's children directly, with pugixml's XPath semantics (name
// tests as the qualified query would make them, document order, xmlns attributes not being
// attributes); everything else goes through pugixml's XPath engine.
class XmlFieldSet {
 public:
  XmlFieldSet();
  ~XmlFieldSet();
  XmlFieldSet(const XmlFieldSet&) = delete;
  XmlFieldSet& operator=(const XmlFieldSet&) = delete;

  // Qualifies (QualifyXPath with `renames`) and compiles every `fields` XPath, in order.
  // kInvalid "a profile XPath does not compile: …" or QualifyXPath's message. With
  // `direct_paths` false every field uses pugixml's engine (tests compare the two).
  Status Compile(const ProfileConfig& profile, const NamespaceList& renames,
                 bool direct_paths = true);

  // Fills rec->values (one per field) and rec->error_field/error_reason; rec->number must be set
  // (it names the record in the error). kInvalid when pugixml throws while evaluating.
  Status Evaluate(const pugi::xpath_node& record, RawRecord* rec);

  struct DirectPath;  // formats/xml_reader.cpp

 private:
  struct DirectGroup {                 // direct fields whose first steps test the same name
    const DirectPath* lead = nullptr;  // the first of them
    std::vector<std::pair<size_t, const DirectPath*>> members;  // field index, its path
  };
  void FindDirect(pugi::xml_node record);

  std::vector<pugi::xpath_query> queries_;
  std::vector<std::unique_ptr<DirectPath>> direct_;  // per field; null: use the query
  static constexpr size_t kBuckets = 64;
  std::vector<DirectGroup> groups_;
  std::vector<size_t> by_name_[kBuckets];   // groups testing a name as is, by its hash
  std::vector<size_t> by_local_[kBuckets];  // groups testing local-name() and namespace-uri()
  std::vector<pugi::xpath_node> found_;     // per field, by FindDirect
  std::vector<std::string> fields_;         // the interface field of each query
  std::string text_;                        // scratch for string values
};

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
