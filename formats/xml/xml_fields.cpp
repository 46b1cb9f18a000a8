// XmlFieldSet: a profile's field XPaths on one record node, for both XML readers.
#include "formats/xml/xml_fields.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "formats/encoding.h"
#include "formats/xml/xml_text.h"

namespace liitos {
namespace {

// XPath's string value of a node: an attribute's value, or the text of an element and all of its
// descendants in document order. Iterative: no recursion on deep trees.
void StringValue(const pugi::xpath_node& xn, std::string* out) {
  out->clear();
  if (xn.attribute()) {
    out->append(xn.attribute().value());
    return;
  }
  pugi::xml_node root = xn.node();
  if (root.type() == pugi::node_pcdata || root.type() == pugi::node_cdata) {
    out->append(root.value());
    return;
  }
  pugi::xml_node cur = root.first_child();
  while (cur && cur != root) {
    if (cur.type() == pugi::node_pcdata || cur.type() == pugi::node_cdata)
      out->append(cur.value());
    if (cur.first_child()) {
      cur = cur.first_child();
      continue;
    }
    while (cur != root && !cur.next_sibling()) cur = cur.parent();
    if (cur != root)
      cur = cur.next_sibling();
  }
}

// The string value of an attribute, or of an element holding one text node and nothing else,
// without copying it; a null view for anything else.
std::string_view SingleText(const pugi::xpath_node& xn) {
  if (xn.attribute())
    return xn.attribute().value();
  pugi::xml_node n = xn.node();
  pugi::xml_node only = n.first_child();
  if (n.type() != pugi::node_element)
    return {};
  if (!only)
    return "";
  if ((only.type() != pugi::node_pcdata && only.type() != pugi::node_cdata) || only.next_sibling())
    return {};
  return only.value();
}

// Sets value i of *rec to `text`, trimmed, unless it is invalid UTF-8 (then false).
bool SetTrimmed(std::string_view text, size_t i, RawRecord* rec) {
  text = TrimXmlSpace(text);
  // Text came in valid, and a character reference such as &#xD800; refuses the file at Open
  // (formats/xml/xml_rules.h); kept as a guard: invalid UTF-8 must not reach the interface format.
  if (!IsValidUtf8(text))
    return false;
  rec->SetValue(i, text);
  return true;
}

// A name test as pugixml evaluates the qualified XPath (formats/xml/xpath_ns.h): the name as is
// (unprefixed, a renamed prefix, "xml:"), or local-name() and namespace-uri().
struct NameTest {
  std::string qname;
  bool by_namespace = false;
  std::string local, uri;
};

std::string_view LocalName(const char* qname) {
  const char* colon = std::strchr(qname, ':');
  return colon ? colon + 1 : qname;
}

// pugixml's namespace-uri(): the first xmlns / xmlns:prefix attribute of the node or an ancestor.
// Attributes without a prefix have none.
const char* NamespaceUri(const char* qname, pugi::xml_node scope, bool attribute) {
  const char* colon = std::strchr(qname, ':');
  if (attribute && !colon)
    return "";
  std::string_view prefix = colon ? std::string_view(qname, colon - qname) : std::string_view();
  for (; scope; scope = scope.parent()) {
    for (pugi::xml_attribute a = scope.first_attribute(); a; a = a.next_attribute()) {
      const char* n = a.name();
      if (std::strncmp(n, "xmlns", 5) != 0)
        continue;
      if (colon ? n[5] == ':' && std::string_view(n + 6) == prefix : n[5] == 0)
        return a.value();
    }
  }
  return "";
}

// Namespace declarations are not attributes to XPath.
inline bool IsXPathAttribute(const char* name) {
  return !(name[0] == 'x' && std::strncmp(name, "xmlns", 5) == 0 &&
           (name[5] == 0 || name[5] == ':'));
}

// strcmp, inlined: names mostly differ within their first few bytes.
bool NameIs(const char* name, const std::string& expected) {
  size_t n = expected.size();
  for (size_t i = 0; i < n; ++i)
    if (name[i] != expected[i])
      return false;  // a shorter name stops at its NUL
  return name[n] == 0;
}

bool MatchesNamespaced(const NameTest& t, const char* name, pugi::xml_node scope, bool attribute) {
  return LocalName(name) == t.local && t.uri == NamespaceUri(name, scope, attribute);
}

inline bool Matches(const NameTest& t, const char* name, pugi::xml_node scope, bool attribute) {
  return t.by_namespace ? MatchesNamespaced(t, name, scope, attribute) : NameIs(name, t.qname);
}

bool operator==(const NameTest& a, const NameTest& b) {
  return a.qname == b.qname && a.by_namespace == b.by_namespace && a.local == b.local &&
         a.uri == b.uri;
}

}  // namespace

// child::name steps with [@a='literal'] predicates, then maybe one @a step; no steps: ".".
struct XmlFieldSet::DirectPath {
  struct Step {
    NameTest name;
    std::vector<std::pair<NameTest, std::string>> equals;  // [@a='v']
    bool PredicatesHold(pugi::xml_node element) const;
  };
  std::vector<Step> steps;
  std::optional<NameTest> attribute;

  // `xpath` as a DirectPath, or null when it is anything else.
  static std::unique_ptr<DirectPath> Parse(std::string_view xpath, const NamespaceList& namespaces,
                                           const NamespaceList& renames);
  // The first node `steps` and `attribute` select from `node`, in document order.
  pugi::xpath_node First(pugi::xml_node node, size_t step) const;
};

std::unique_ptr<XmlFieldSet::DirectPath> XmlFieldSet::DirectPath::Parse(
    std::string_view x, const NamespaceList& namespaces, const NamespaceList& renames) {
  auto path = std::make_unique<DirectPath>();
  if (x == ".")
    return path;
  size_t i = 0;
  auto name = [&](NameTest* t) {
    if (i >= x.size() || !IsXPathNameStart(x[i]))
      return false;
    size_t b = i;
    while (i < x.size() && IsXPathNameChar(x[i])) ++i;
    std::string_view first = x.substr(b, i - b);
    if (i >= x.size() || x[i] != ':') {
      t->qname = std::string(first);
      return true;
    }
    size_t l = ++i;
    if (i >= x.size() || !IsXPathNameStart(x[i]))
      return false;
    while (i < x.size() && IsXPathNameChar(x[i])) ++i;
    std::string_view local = x.substr(l, i - l);
    for (const auto& [p, d] : renames)
      if (p == first) {
        t->qname = d + ":" + std::string(local);
        return true;
      }
    for (const auto& [p, uri] : namespaces)
      if (p == first) {
        t->by_namespace = true;
        t->local = std::string(local);
        t->uri = uri;
        return true;
      }
    t->qname = std::string(x.substr(b, i - b));
    return first == "xml";  // kept as is by QualifyXPath
  };
  for (;;) {
    if (i < x.size() && x[i] == '@') {
      ++i;
      if (!name(&path->attribute.emplace()) || i != x.size())
        return nullptr;
      return path;
    }
    Step step;
    if (!name(&step.name))
      return nullptr;
    while (i < x.size() && x[i] == '[') {
      std::pair<NameTest, std::string> eq;
      if (++i >= x.size() || x[i++] != '@' || !name(&eq.first) || i >= x.size() || x[i++] != '=')
        return nullptr;
      if (i >= x.size() || (x[i] != '\'' && x[i] != '"'))
        return nullptr;
      size_t close = x.find(x[i], i + 1);
      if (close == std::string_view::npos || close + 1 >= x.size() || x[close + 1] != ']')
        return nullptr;
      eq.second = std::string(x.substr(i + 1, close - i - 1));
      i = close + 2;
      step.equals.push_back(std::move(eq));
    }
    path->steps.push_back(std::move(step));
    if (i == x.size())
      return path;
    if (x[i] != '/' || ++i >= x.size() || x[i] == '/')
      return nullptr;
  }
}

pugi::xpath_node XmlFieldSet::DirectPath::First(pugi::xml_node node, size_t k) const {
  if (k == steps.size()) {
    if (!attribute)
      return pugi::xpath_node(node);
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute())
      if (IsXPathAttribute(a.name()) && Matches(*attribute, a.name(), node, true))
        return pugi::xpath_node(a, node);
    return pugi::xpath_node();
  }
  const Step& step = steps[k];
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || !Matches(step.name, c.name(), c, false) ||
        !step.PredicatesHold(c))
      continue;
    if (pugi::xpath_node found = First(c, k + 1))
      return found;
  }
  return pugi::xpath_node();
}

// [@a='v']: some attribute a (an XPath attribute) has the value v.
bool XmlFieldSet::DirectPath::Step::PredicatesHold(pugi::xml_node element) const {
  for (const auto& [test, value] : equals) {
    bool any = false;
    for (pugi::xml_attribute a = element.first_attribute(); a && !any; a = a.next_attribute())
      any = IsXPathAttribute(a.name()) && Matches(test, a.name(), element, true) &&
            value == a.value();
    if (!any)
      return false;
  }
  return true;
}

// A hash of a name and of its local part (after the first ':'), for FindDirect's buckets.
struct NameHashes {
  uint32_t name = 2166136261u, local = 2166136261u;
};
NameHashes HashName(const char* p) {
  NameHashes h;
  bool colon = false;
  for (; *p; ++p) {
    h.name = (h.name ^ static_cast<unsigned char>(*p)) * 16777619u;
    if (*p == ':' && !colon) {
      colon = true;
      h.local = 2166136261u;
      continue;
    }
    h.local = (h.local ^ static_cast<unsigned char>(*p)) * 16777619u;
  }
  return h;
}

// Every direct field that starts with a child step, grouped by that step's name test, found in
// one walk over the record's children: the first child (in document order) from which a field's
// path leads somewhere gives its node. A child only meets the groups of its name's bucket.
void XmlFieldSet::FindDirect(pugi::xml_node record) {
  found_.assign(queries_.size(), pugi::xpath_node());
  if (groups_.empty())
    return;
  for (pugi::xml_node c = record.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element)
      continue;
    const char* name = c.name();
    NameHashes h = HashName(name);
    for (const std::vector<size_t>* bucket :
         {&by_name_[h.name % kBuckets], &by_local_[h.local % kBuckets]}) {
      for (size_t gi : *bucket) {
        const DirectGroup& g = groups_[gi];
        if (!Matches(g.lead->steps[0].name, name, c, false))
          continue;
        for (const auto& [f, path] : g.members)
          if (!found_[f] && path->steps[0].PredicatesHold(c))
            found_[f] = path->First(c, 1);
      }
    }
  }
}

XmlFieldSet::XmlFieldSet() = default;
XmlFieldSet::~XmlFieldSet() = default;

Status XmlFieldSet::Compile(const ProfileConfig& profile, const NamespaceList& renames,
                            bool direct_paths) {
  try {
    for (const auto& [field, xpath] : profile.fields) {
      auto q = QualifyXPath(xpath, profile.namespaces, renames);
      if (!q.ok())
        return q.status();
      queries_.emplace_back(q->c_str());  // compiled also for a direct path: same errors
      direct_.push_back(direct_paths ? DirectPath::Parse(xpath, profile.namespaces, renames)
                                     : nullptr);
      fields_.push_back(field);
      const DirectPath* d = direct_.back().get();
      if (!d || d->steps.empty())
        continue;
      auto same = [&](const DirectGroup& g) { return g.lead->steps[0].name == d->steps[0].name; };
      auto g = std::find_if(groups_.begin(), groups_.end(), same);
      if (g != groups_.end()) {
        g->members.emplace_back(queries_.size() - 1, d);
        continue;
      }
      groups_.push_back(DirectGroup{d, {{queries_.size() - 1, d}}});
      const NameTest& test = d->steps[0].name;
      if (test.by_namespace)
        by_local_[HashName(test.local.c_str()).local % kBuckets].push_back(groups_.size() - 1);
      else
        by_name_[HashName(test.qname.c_str()).name % kBuckets].push_back(groups_.size() - 1);
    }
  } catch (const pugi::xpath_exception& e) {
    return Status::Invalid(fmt::format("a profile XPath does not compile: {}", e.what()));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("XPath evaluation failed: {}", e.what()));
  }
  return Status::Ok();
}

Status XmlFieldSet::Evaluate(const pugi::xpath_node& record, RawRecord* rec) {
  rec->ResetValues(queries_.size());
  rec->error_field.reset();
  rec->error_reason.reset();
  try {
    bool on_element = !record.attribute();
    if (on_element)
      FindDirect(record.node());
    for (size_t i = 0; i < queries_.size(); ++i) {
      const DirectPath* direct = on_element ? direct_[i].get() : nullptr;
      bool valid = true;
      if (direct || queries_[i].return_type() == pugi::xpath_type_node_set) {
        pugi::xpath_node first = !direct ? queries_[i].evaluate_node_set(record).first()
                                 : direct->steps.empty() ? direct->First(record.node(), 0)
                                                         : found_[i];
        if (!first)
          continue;  // absent
        std::string_view single = SingleText(first);
        if (single.data()) {
          valid = SetTrimmed(single, i, rec);
        } else {
          StringValue(first, &text_);
          valid = SetTrimmed(text_, i, rec);
        }
      } else {
        text_ = queries_[i].evaluate_string(record);
        valid = SetTrimmed(text_, i, rec);
      }
      if (!valid && !rec->error_field) {
        rec->error_field = fields_[i];
        rec->error_reason = "a character reference names an invalid code point";
      }
    }
  } catch (const std::exception& e) {
    return Status::Invalid(
        fmt::format("record {}: XPath evaluation failed: {}", rec->number, e.what()));
  }
  return Status::Ok();
}

}  // namespace liitos
