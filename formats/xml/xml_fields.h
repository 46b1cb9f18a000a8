#pragma once
// The field XPaths of an XML profile (SPEC §4) and their values on one record node, shared by
// the DOM reader (formats/xml/xml_reader.h) and the streaming reader (formats/xml/xml_stream.h) so that
// the two cannot differ.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "config/config.h"
#include "formats/record_reader.h"
#include "formats/xml/xpath_ns.h"

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

  struct DirectPath;  // formats/xml/xml_fields.cpp

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

}  // namespace liitos
