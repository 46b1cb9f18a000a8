#pragma once
// The rules of SPEC §4 for XML exports that pugixml does not enforce, shared by the DOM reader
// (formats/xml/xml_reader.h) and the streaming reader (formats/xml/xml_stream.h) so that both refuse the
// same files with the same words:
//  - a character reference to a character XML forbids ("&#0;", "&#xD800;", "&#xFFFE;"), a
//    malformed one ("&#x;", "&#X41;"), and an entity reference other than the five predefined
//    ones ("&foo;") refuse the file. (pugixml would write a NUL that cuts the value short, an
//    invalid UTF-8 sequence, or keep "&foo;" as text.) A '&' that starts no reference at all
//    ("AT&T", "a & b") is kept as text, as pugixml keeps it;
//  - anything after the root element but blanks, comments and processing instructions (a second
//    root element, text, a CDATA section) refuses the file;
//  - a root element that the profile's `record` path cannot select from refuses the file: an
//    export of another layout is never read as an empty one;
//  - a character XML does not allow, written as itself (a C0 control other than tab, LF and CR,
//    or U+FFFE, U+FFFF), refuses the file wherever it is, as an invalid byte does: the document is
//    not well-formed. (pugixml keeps it in the value.) A NUL byte is the exception: pugixml ends
//    the document there, and so do both readers.
// References are looked for in text and attribute values only, never in comments, processing
// instructions or CDATA sections, and not after a NUL byte (where pugixml ends the document).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace liitos {

// What ClassifyReference found at a '&'.
struct XmlReference {
  enum class Kind { kText, kReference, kBad, kNeedMore };
  Kind kind = Kind::kText;
  std::string problem;  // kBad: "undefined entity '&foo;'", …
};

// Names and digit runs longer than this are not read further: a reference that long is refused.
constexpr size_t kMaxXmlReference = 256;

// Classifies the text `s`, which starts at a '&' and runs to the end of what is known of the
// document; `at_end` says that nothing follows `s`. kNeedMore when `s` ends before the answer is
// known (never when at_end). kText: a '&' that starts no reference; kReference: a good one.
XmlReference ClassifyReference(std::string_view s, bool at_end);

// A problem found in a document's text, by offset in its UTF-8 text; the readers say where.
struct XmlTextProblem {
  uint64_t offset = 0;
  std::string what;  // "content after the root element", "undefined entity '&foo;'", …
};

// The first character XML does not allow written raw in the UTF-8 text `utf8` (see above; NUL is
// not one of them): its offset and "control character U+0001 (not allowed in XML)". Both readers
// look for it as they decode, before anything else is judged, and say "{what} at line L,
// column C" as for an invalid byte.
std::optional<XmlTextProblem> FindForbiddenXmlChar(std::string_view utf8);

// What the "content after the root element" problem says.
constexpr const char* kContentAfterRoot = "content after the root element";

// The DOM reader's scan of a whole document (UTF-8, before pugixml parses it in place): the first
// bad reference or the first content after the root element, whichever comes first. Meaningful
// only for a document pugixml accepts; the scan stops at a NUL byte.
std::optional<XmlTextProblem> FindXmlTextProblem(std::string_view utf8);

// The refusal of a root element that `record` cannot select from: "root is {urn:x:2}Vienti; the
// profile expects {urn:x:1}Vienti". `root_qname` is the root's name as written, `root_uri` the
// namespace its prefix (or the default namespace) is bound to on the root, "" for none. nullopt
// when the root may match, or when `record` does not begin with a plain child step of the
// document ("/p:Name…" or "p:Name…", maybe "p:*"): "//…", unions and the like are not judged.
std::optional<std::string> RootMismatch(const ProfileConfig& profile, std::string_view root_qname,
                                        std::string_view root_uri);

}  // namespace liitos
