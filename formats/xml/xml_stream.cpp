// The streaming XML reader's pass 2 (see xml_stream_state.h): records one at a time, each parsed
// by pugixml in a wrapper carrying the namespaces in scope; and the reader's public face.
#include <algorithm>

#include <fmt/format.h>

#include "formats/xml/xml_reader.h"
#include "formats/xml/xml_rules.h"
#include "formats/xml/xml_stream_state.h"
#include "formats/xml/xml_text.h"
#include "formats/xml/xpath_ns.h"

namespace liitos {

using namespace xml_stream_detail;

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

}  // namespace liitos
