#pragma once
// The streaming XML reader (SPEC §4): the records of an export whose profile selects them by a
// plain absolute path ("/v:Vienti/v:Asia") are read one at a time, so memory is bounded by the
// largest record (plus a 1 MiB read buffer), not by the file.
//
// Two passes over the file, both streaming (formats/xml/xml_stream_source.h decodes,
// formats/xml/xml_stream_scanner.h tokenizes):
//  1. Open() checks the whole document as XmlReader's DOM path does, with the same messages and
//     the same precedence: the encoding (BOM/declaration, invalid bytes, characters XML does
//     not allow), any "<!DOCTYPE", an
//     empty file, malformed or truncated XML (pugixml's own description and position: the
//     failing region is parsed again by pugixml with the open elements put back around it), and
//     elements deeper than XmlReader::kMaxDepth, then the rules of formats/xml/xml_rules.h (bad
//     references, content after the root element) and, once the profile's XPaths compile, a root
//     element the record path cannot select from. It also collects the namespace declarations for
//     the same UnambiguousPrefixes renames. So a bad file is refused at Open, before any record
//     is handed out, as before.
//  2. Next() reads again; each element on the record path is cut out of the text, parsed alone by
//     pugixml inside a wrapper element that carries the in-scope namespace declarations of its
//     ancestors, and its fields are evaluated by XmlFieldSet exactly as on the DOM.
// Should pugixml refuse a record in pass 2 after all (the file changed in between), Next()
// returns that error; the ConvertFile contract (formats/mapping.h) allows it.
//
// The one known difference from the DOM reader: a "<!DOCTYPE" that RefuseDoctype misses because
// an attribute value or PI holding "<!--" made it skip ahead is refused here too.
//
// XmlReader::Open uses this reader when CanStream(profile), the DOM reader otherwise.

#include <cstddef>
#include <memory>
#include <string>

#include "config/config.h"
#include "formats/record_reader.h"

namespace liitos {

class XmlStreamReader : public RecordReader {
 public:
  static constexpr size_t kDefaultChunk = 1 << 20;

  // True when every record the profile selects can be read without the rest of the document:
  // `record` is an absolute path of element name steps ("/a/p:b", each prefix declared in
  // `namespaces`; no predicates, wildcards, axes or "//"), and no field XPath can leave the
  // record: none starts with '/' or uses "..", the parent/ancestor/preceding/following axes,
  // lang(), id() or variables.
  static bool CanStream(const ProfileConfig& profile);

  // Checks the whole file (pass 1) and compiles the field XPaths. `chunk`: the read size (tests
  // use a few bytes, to put a chunk boundary everywhere). Refusals as XmlReader::Open's, word for
  // word. kInvalid when the profile does not satisfy CanStream.
  static Result<RecordReaderPtr> Open(const ProfileConfig& profile, const std::string& path,
                                      size_t chunk = kDefaultChunk);

  ~XmlStreamReader() override;
  // The next record (pass 2); RecordReader's contract. Single-threaded: one owner at a time.
  Result<bool> Next(RawRecord* rec) override;
  const char* RecordNoun() const override { return "record"; }

  struct State;  // formats/xml/xml_stream.cpp
  explicit XmlStreamReader(std::unique_ptr<State> state);

 private:
  std::unique_ptr<State> state_;
};

}  // namespace liitos
