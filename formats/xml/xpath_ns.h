#pragma once
// Namespaces for pugixml's XPath, which has none: a profile's prefixed name tests are rewritten
// into tests of local-name() and namespace-uri(), so that `v:Asia` finds the element whatever
// prefix the document uses for the URI — the same one, another one, or the default namespace.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace liitos {

// The characters of names as the XPath rewriters read them: ASCII letters, '_' and any non-ASCII
// byte may start one; digits, '-' and '.' may follow.
inline bool IsXPathNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
inline bool IsXPathNameChar(char c) { return IsXPathNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

using NamespaceList = std::vector<std::pair<std::string, std::string>>;  // prefix -> URI

// Rewrites every prefixed name test of `xpath` ("p:Name", "p:*", "@p:name", "axis::p:Name")
// into "*[local-name()='Name' and namespace-uri()='URI']" (or "*[namespace-uri()='URI']").
// Unprefixed names, string literals, variables and function names are left as they are.
// kInvalid when a prefix is not in `namespaces` (except the predefined "xml", kept as is).
// `renames` (profile prefix -> document prefix) lists prefixes that may instead simply be renamed
// ("p:Name" -> "d:Name"): see UnambiguousPrefixes.
Result<std::string> QualifyXPath(std::string_view xpath, const NamespaceList& namespaces,
                                 const NamespaceList& renames = {});

// Every namespace declaration of a document: (prefix, URI), "" for a default namespace.
// Profile prefixes whose URI the document binds to exactly one prefix, which it binds to no other
// URI, and which no default namespace declaration uses: for them a rename is exact and much
// faster to evaluate than local-name()/namespace-uri() tests.
NamespaceList UnambiguousPrefixes(const NamespaceList& profile, const NamespaceList& declared);

// The value `list` gives `prefix` (the last entry wins, as a rename list is built), or nullptr.
const std::string* FindPrefix(const NamespaceList& list, std::string_view prefix);

// A plain absolute path "/a/p:b" as its (prefix, local) steps ("" for no prefix); nullopt when
// `path` is anything else (predicates, axes, '//', '*', a relative path).
std::optional<NamespaceList> ParseSimpleXPath(std::string_view path);

// True when `xpath`, evaluated on an element, cannot look outside that element's subtree (no
// parent or sibling axes, no absolute or rooted path, no id()/lang()/variables). Conservative: a
// false answer for an expression that would stay inside is allowed.
bool XPathStaysInContext(std::string_view xpath);

}  // namespace liitos
