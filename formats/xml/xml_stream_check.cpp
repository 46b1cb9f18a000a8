// The streaming XML reader's pass 1 (see xml_stream_state.h): the whole document checked as the
// DOM reader would check it, its namespace declarations and its root noted for pass 2.
#include <fmt/format.h>

#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_rules.h"
#include "formats/xml/xml_stream_state.h"
#include "formats/xml/xml_text.h"

namespace liitos {

using namespace xml_stream_detail;

namespace {

// Formats a problem once its position is known: `format` holds "{pos}" and maybe "{what}".
std::string FormatProblem(const char* format, const std::string& pos, const std::string& what) {
  return fmt::format(fmt::runtime(format), fmt::arg("pos", pos), fmt::arg("what", what));
}

}  // namespace

Status XmlStreamReader::State::Located(const char* format, uint64_t offset,
                                       const std::string& what) const {
  return Status::Invalid(FormatProblem(format, DescribeTextOffset(path, offset), what));
}

// The malformed-XML message for the token the scanner stopped at. Reads the rest of the file
// (pugixml's message depends on its last byte); with `doctype`, also looks there for the first
// "<!DOCTYPE" from the token on. nullopt when the token was cut short by a NUL byte and pugixml,
// which stops there too, accepts it: the document ends there.
std::optional<Status> XmlStreamReader::State::MalformedAt(size_t from,
                                                          std::optional<uint64_t>* doctype) {
  XmlScanner::ErrorWindow window = scanner->Window(from);
  bool cut_by_nul = scanner->nul_offset().has_value();
  const XmlToken& t = scanner->token();
  uint64_t own_at = scanner->StreamOffset(t.at);
  std::string own_what = t.what;
  auto rest = scanner->Drain(doctype ? std::optional<size_t>(from) : std::nullopt);
  if (!rest.ok())
    return rest.status();
  if (doctype)
    *doctype = *rest;
  if (const auto& bad = scanner->source().bad())
    return Located(kBadBytesFormat, bad->offset, bad->what);
  bool accepted = false;
  if (auto exact =
          PugixmlError(std::move(window), scanner->last_byte(), scanner->total(), &accepted))
    return Located(kMalformedFormat, exact->second, exact->first);
  if (accepted && cut_by_nul)
    return std::nullopt;
  return Located(kMalformedFormat, own_at, own_what);
}

// The value of an attribute as pugixml gives it (entities, blanks): a copy in attr_scratch's
// place unless there is something to convert.
std::string XmlStreamReader::State::AttributeValue(const XmlAttr& a) {
  std::string_view raw = scanner->Text(a.value, a.value_len);
  if (raw.find_first_of("&\t\r\n") == std::string_view::npos)
    return std::string(raw);
  attr_scratch = fmt::format("<a v={0}{1}{0}/>", a.quote, raw);
  pugi::xml_document d;
  if (!d.load_buffer_inplace(attr_scratch.data(), attr_scratch.size(), pugi::parse_default,
                             pugi::encoding_utf8))
    return std::string(raw);
  return d.first_child().first_attribute().value();
}

// Pass 1: every xmlns / xmlns:p declaration, as DeclaredNamespaces (xml_reader.cpp) lists them.
void XmlStreamReader::State::CollectDeclarations() {
  for (const XmlAttr& a : scanner->attrs()) {
    std::string_view name = scanner->Text(a.name, a.name_len);
    if (name != "xmlns" && name.substr(0, 6) != "xmlns:")
      continue;
    if (declared.size() >= kMaxDeclarations) {
      declared_overflow = true;
      return;
    }
    declared.emplace(std::string(name.size() > 6 ? name.substr(6) : ""), AttributeValue(a));
  }
}

// Pass 1, at the root's start tag: its name, and the URI namespace-uri() gives it (the root's
// own first declaration of its prefix), as the DOM reader finds them.
void XmlStreamReader::State::NoteRoot() {
  const XmlToken& t = scanner->token();
  root_qname = std::string(scanner->Text(t.name, t.name_len));
  size_t colon = root_qname.find(':');
  std::string xmlns = colon == std::string::npos ? "xmlns" : "xmlns:" + root_qname.substr(0, colon);
  for (const XmlAttr& a : scanner->attrs())
    if (scanner->Text(a.name, a.name_len) == xmlns) {
      root_uri = AttributeValue(a);
      return;
    }
}

Status XmlStreamReader::State::Check() {
  std::optional<Status> malformed;
  std::optional<uint64_t> doctype;
  bool saw_element = false;
  bool ended_at_nul = false;  // a token cut by a NUL byte that pugixml accepts, as the last one
  Result<XmlEvent> ev = XmlEvent::kDone;
  for (;;) {
    ev = scanner->Next();
    if (!ev.ok())
      return ev.status();
    if (*ev == XmlEvent::kStart) {
      if (!saw_element)
        NoteRoot();
      saw_element = true;
      if (!scanner->attrs().empty())
        CollectDeclarations();
      continue;
    }
    if (*ev != XmlEvent::kEnd)
      break;
  }
  // The DOM reader's order: bad bytes anywhere, then a DOCTYPE, an empty file, malformed XML,
  // too deep. So after a problem the rest of the file is still read for the ones before it.
  std::optional<size_t> scan_from;
  std::optional<uint64_t> nul = scanner->nul_offset();  // Drain reads on past it
  if (*ev == XmlEvent::kDoctype) {
    doctype = scanner->StreamOffset(scanner->token().begin);
  } else if (*ev == XmlEvent::kMalformed) {
    if (!saw_element)  // a root "<a/" cut by a NUL byte is pugixml's whole document: its root
      NoteRoot();
    malformed = MalformedAt(scanner->token().begin, &doctype);  // reads to the end
    ended_at_nul = !malformed;
    saw_element = saw_element || ended_at_nul;  // pugixml found one, or it would have said so
  } else if (*ev == XmlEvent::kDone && nul) {
    scan_from = static_cast<size_t>(*nul - scanner->StreamOffset(0));
  }
  if (*ev != XmlEvent::kBadBytes && *ev != XmlEvent::kMalformed) {
    auto more = scanner->Drain(scan_from);
    if (!more.ok())
      return more.status();
    if (!doctype)
      doctype = *more;
  }
  if (const auto& bad = scanner->source().bad())
    return Located(kBadBytesFormat, bad->offset, bad->what);
  if (scanner->doctype_lexically_ambiguous()) {
    // "<!" in an attribute value or a PI: RefuseDoctype's own view, from the top, and the first
    // of the two. (Stricter than the DOM reader only where a "<!--" in a value made RefuseDoctype
    // skip a real declaration.)
    Utf8Source again;
    if (Status s = again.Open(path, chunk); !s.ok())
      return s;
    XmlScanner lexical(&again, chunk);
    auto found = lexical.Drain(size_t{0});
    if (!found.ok())
      return found.status();
    if (*found && (!doctype || **found < *doctype))
      doctype = *found;
  }
  if (doctype)
    return Located(kDoctypeFormat, *doctype);
  if (!scanner->saw_content())
    return Status::Invalid("the file is empty: no XML document");
  if (malformed)
    return *malformed;
  // The end of the document: pugixml's messages for what is still open or missing.
  uint64_t total = scanner->total();
  uint64_t last = total > 0 ? total - 1 : 0;
  if (scanner->depth() > 0 && !ended_at_nul) {
    uint64_t at = last;
    if (nul)  // pugixml stops there; a NUL as the last byte is stepped back from
      at = *nul == last && *nul > 0 ? *nul - 1 : *nul;
    return Located(kMalformedFormat, at, "Start-end tags mismatch");
  }
  // pugixml checks a last '<' before it looks for a document element.
  if (nul && scanner->last_byte() == '<')
    return Located(kMalformedFormat, last, "Could not determine tag type");
  if (!saw_element)
    return Located(kMalformedFormat, last, "No document element found");
  if (auto deep = scanner->too_deep())
    return Located(
        fmt::format("elements nested deeper than {} levels ({{pos}})", XmlReader::kMaxDepth)
            .c_str(),
        *deep);
  // formats/xml/xml_rules.h: whichever comes first.
  const auto& reference = scanner->bad_reference();
  std::optional<uint64_t> after_root = scanner->content_after_root();
  if (reference && (!after_root || reference->first < *after_root))
    return Located("{what} ({pos})", reference->first, reference->second);
  if (after_root)
    return Located("{what} ({pos})", *after_root, kContentAfterRoot);
  return Status::Ok();
}

}  // namespace liitos
