#include "formats/xml_stream.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "formats/xml_fields.h"
#include "formats/xml_reader.h"
#include "formats/xml_rules.h"
#include "formats/xml_text.h"
#include "formats/xml_stream_scanner.h"
#include "formats/xml_stream_source.h"
#include "formats/xpath_ns.h"

namespace liitos {
namespace {

constexpr size_t kMaxDeclarations = 10000;  // distinct xmlns declarations kept for renames
constexpr const char* kWrapperEnd = "</_>";

// One step of the record path, matched as pugixml evaluates the qualified XPath.
struct PathStep {
  std::string qname;  // compared as is (an unprefixed name, or a renamed prefix + ':' + local)
  bool by_namespace = false;  // else: local-name() == local and namespace-uri() == uri
  std::string local, uri;
};

}  // namespace

struct XmlStreamReader::State {
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

namespace {

// Formats a problem once its position is known: `format` holds "{pos}" and maybe "{what}".
std::string FormatProblem(const char* format, const std::string& pos, const std::string& what) {
  return fmt::format(fmt::runtime(format), fmt::arg("pos", pos), fmt::arg("what", what));
}

constexpr const char* kMalformedFormat = "malformed XML at {pos}: {what}";
constexpr const char* kDoctypeFormat = "document type declaration refused ({pos})";
constexpr const char* kBadBytesFormat = "{what} at {pos}";

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
  // formats/xml_rules.h: whichever comes first.
  const auto& reference = scanner->bad_reference();
  std::optional<uint64_t> after_root = scanner->content_after_root();
  if (reference && (!after_root || reference->first < *after_root))
    return Located("{what} ({pos})", reference->first, reference->second);
  if (after_root)
    return Located("{what} ({pos})", *after_root, kContentAfterRoot);
  return Status::Ok();
}

Status XmlStreamReader::State::PrepareStream(const ProfileConfig& profile) {
  NamespaceList renames;
  if (!declared_overflow)
    renames =
        UnambiguousPrefixes(profile.namespaces, NamespaceList(declared.begin(), declared.end()));
  declared.clear();
  // The record path must compile as it does for the DOM reader (same messages).
  try {
    auto record = QualifyXPath(profile.record, profile.namespaces, renames);
    if (!record.ok())
      return record.status();
    pugi::xpath_query rq(record->c_str());
  } catch (const pugi::xpath_exception& e) {
    return Status::Invalid(fmt::format("a profile XPath does not compile: {}", e.what()));
  }
  auto path_steps = ParseSimpleXPath(profile.record);  // CanStream checked it parses
  for (const auto& [prefix, local] : *path_steps) {
    PathStep step;
    if (prefix.empty()) {
      step.qname = local;
      steps.push_back(std::move(step));
      continue;
    }
    const std::string* rename = FindPrefix(renames, prefix);
    if (rename) {
      step.qname = *rename + ":" + local;
    } else {
      step.by_namespace = true;
      step.local = local;
      for (const auto& [p, uri] : profile.namespaces)
        if (p == prefix)
          step.uri = uri;
    }
    steps.push_back(std::move(step));
  }
  if (Status s = fields.Compile(profile, renames); !s.ok())
    return s;
  if (auto mismatch = RootMismatch(profile, root_qname, root_uri))
    return Status::Invalid(*mismatch);
  if (Status s = source.Rewind(); !s.ok())
    return s;
  scanner = std::make_unique<XmlScanner>(&source, chunk);
  return Status::Ok();
}

// As pugixml's XPath sees an element named `qname` (namespace-uri() looks for the first
// xmlns / xmlns:prefix attribute on the element, then on its ancestors).
bool XmlStreamReader::State::Matches(const PathStep& step, std::string_view qname) const {
  if (!step.by_namespace)
    return qname == step.qname;
  size_t colon = qname.find(':');
  std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
  if (local != step.local)
    return false;
  std::string_view prefix = colon == std::string_view::npos ? "" : qname.substr(0, colon);
  const Declaration* found = nullptr;
  for (size_t k = in_scope.size(); k-- > 0;) {
    const Declaration& d = in_scope[k];
    if (found && d.depth < found->depth)
      break;
    std::string_view n = d.name;
    bool match = colon == std::string_view::npos
                     ? n == "xmlns"
                     : n.size() > 5 && n[5] == ':' && n.substr(6) == prefix;
    if (match)
      found = &d;  // the first in document order among one element's declarations
  }
  return (found ? std::string_view(found->value) : std::string_view()) == step.uri;
}

void XmlStreamReader::State::PushDeclarations(size_t depth) {
  for (const XmlAttr& a : scanner->attrs()) {
    std::string_view name = scanner->Text(a.name, a.name_len);
    if (name.substr(0, 5) != "xmlns" || (name.size() > 5 && name[5] != ':'))
      continue;
    std::string raw =
        fmt::format("{}={}{}{}", name, a.quote, scanner->Text(a.value, a.value_len), a.quote);
    in_scope.push_back({depth, std::string(name), AttributeValue(a), std::move(raw)});
    ++scope_version;
  }
}

void XmlStreamReader::State::PopDeclarations(size_t depth) {
  while (!in_scope.empty() && in_scope.back().depth >= depth) {
    in_scope.pop_back();
    ++scope_version;
  }
}

// One record element, [begin, end) of the scanner's buffer: parsed in the wrapper that carries
// the ancestors' declarations (one per name: the innermost, the first of an element's), so that
// namespace-uri() answers as in the whole document.
Result<bool> XmlStreamReader::State::Emit(size_t begin, size_t end, RawRecord* rec) {
  if (wrapper_version != scope_version) {
    wrapper = "<_";
    std::vector<std::string_view> names;
    for (size_t group_end = in_scope.size(); group_end > 0;) {  // innermost element first
      size_t group = group_end - 1;
      while (group > 0 && in_scope[group - 1].depth == in_scope[group_end - 1].depth) --group;
      for (size_t k = group; k < group_end; ++k) {  // an element's first declaration of a name
        bool seen = false;
        for (std::string_view n : names) seen = seen || n == in_scope[k].name;
        if (seen)
          continue;
        names.push_back(in_scope[k].name);
        wrapper += ' ';
        wrapper += in_scope[k].raw;
      }
      group_end = group;
    }
    wrapper += '>';
    wrapper_version = scope_version;
  }
  text.assign(wrapper);
  text.append(scanner->Text(begin, end - begin));
  text.append(kWrapperEnd);
  pugi::xml_parse_result r =
      doc.load_buffer_inplace(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    size_t in_record = static_cast<size_t>(std::max<ptrdiff_t>(r.offset, 0));
    in_record = in_record < wrapper.size() ? 0 : in_record - wrapper.size();
    return Located(kMalformedFormat,
                   scanner->StreamOffset(begin + std::min(in_record, end - begin)),
                   r.description());
  }
  rec->number = ++records;
  if (Status s = fields.Evaluate(pugi::xpath_node(doc.first_child().first_child()), rec); !s.ok())
    return s;
  return true;
}

Result<bool> XmlStreamReader::State::NextRecord(RawRecord* rec) {
  for (;;) {
    auto ev = scanner->Next();
    if (!ev.ok())
      return ev.status();
    const XmlToken& t = scanner->token();
    switch (*ev) {
      case XmlEvent::kStart: {
        if (t.depth != matched + 1 || t.depth > steps.size())
          continue;
        PushDeclarations(t.depth);
        if (!Matches(steps[t.depth - 1], scanner->Text(t.name, t.name_len))) {
          PopDeclarations(t.depth);
          continue;
        }
        if (t.depth < steps.size()) {
          if (t.empty)
            PopDeclarations(t.depth);
          else
            matched = t.depth;
          continue;
        }
        PopDeclarations(t.depth);  // its own declarations are inside the text parsed
        if (t.empty)
          return Emit(t.begin, t.end, rec);
        scanner->SetMark(t.begin);
        auto closed = scanner->SkipElement();
        if (!closed.ok())
          return closed.status();
        if (!*closed)
          return Truncated();
        size_t begin = scanner->mark();
        scanner->ClearMark();
        return Emit(begin, scanner->token().end, rec);
      }
      case XmlEvent::kEnd:
        if (t.depth == matched) {
          PopDeclarations(t.depth);
          --matched;
        }
        continue;
      case XmlEvent::kDone:
        if (scanner->depth() > 0)
          return Truncated();
        return false;
      case XmlEvent::kMalformed: {
        std::optional<Status> bad = MalformedAt(t.begin);
        if (!bad)
          return false;
        return *bad;
      }
      case XmlEvent::kDoctype:
        return Located(kDoctypeFormat, scanner->StreamOffset(t.begin));
      case XmlEvent::kBadBytes:
        return Truncated();
    }
  }
}

// The text ended (or turned invalid) inside an element although pass 1 found it complete: the
// file changed in between.
Status XmlStreamReader::State::Truncated() const {
  if (const auto& bad = scanner->source().bad())
    return Located(kBadBytesFormat, bad->offset, bad->what);
  uint64_t total = scanner->total();
  return Located(kMalformedFormat, total > 0 ? total - 1 : 0, "Start-end tags mismatch");
}

bool XmlStreamReader::CanStream(const ProfileConfig& profile) {
  auto steps = ParseSimpleXPath(profile.record);
  if (!steps)
    return false;
  for (const auto& [prefix, local] : *steps) {
    if (prefix.empty())
      continue;
    bool declared = false;
    for (const auto& [p, uri] : profile.namespaces) declared = declared || p == prefix;
    if (!declared)
      return false;
  }
  for (const auto& [field, xpath] : profile.fields)
    if (!XPathStaysInContext(xpath))
      return false;
  return true;
}

Result<RecordReaderPtr> XmlStreamReader::Open(const ProfileConfig& profile, const std::string& path,
                                              size_t chunk) {
  if (!CanStream(profile))
    return Status::Invalid("the profile's XPaths need the whole document");
  auto state = std::make_unique<State>();
  state->path = path;
  state->chunk = chunk == 0 ? 1 : chunk;
  if (Status s = state->source.Open(path, state->chunk); !s.ok())
    return s;
  state->scanner = std::make_unique<XmlScanner>(&state->source, state->chunk);
  if (Status s = state->Check(); !s.ok())
    return s;
  if (Status s = state->PrepareStream(profile); !s.ok())
    return s;
  return RecordReaderPtr(new XmlStreamReader(std::move(state)));
}

XmlStreamReader::XmlStreamReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
XmlStreamReader::~XmlStreamReader() = default;

Result<bool> XmlStreamReader::Next(RawRecord* rec) {
  return state_->NextRecord(rec);
}

size_t XmlStreamReader::buffer_capacity() const {
  return state_->scanner ? state_->scanner->capacity() : 0;
}

}  // namespace liitos
