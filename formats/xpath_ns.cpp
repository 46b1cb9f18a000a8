#include "formats/xpath_ns.h"

#include <fmt/format.h>

namespace liitos {
namespace {

size_t NameEnd(std::string_view s, size_t i) {
  while (i < s.size() && IsXPathNameChar(s[i])) ++i;
  return i;
}

// An XPath string literal holding `uri`.
Result<std::string> Literal(std::string_view uri) {
  if (uri.find('\'') == std::string_view::npos)
    return fmt::format("'{}'", uri);
  if (uri.find('"') == std::string_view::npos)
    return fmt::format("\"{}\"", uri);
  return Status::Invalid(fmt::format("namespace URI '{}' holds both kinds of quotes", uri));
}

}  // namespace

NamespaceList UnambiguousPrefixes(const NamespaceList& profile, const NamespaceList& declared) {
  NamespaceList renames;
  for (const auto& [prefix, uri] : profile) {
    const std::string* only = nullptr;
    bool ambiguous = false;
    for (const auto& [dp, du] : declared) {
      if (du != uri)
        continue;
      if (dp.empty() || (only && *only != dp))
        ambiguous = true;
      only = &dp;
    }
    if (!only || ambiguous)
      continue;
    for (const auto& [dp, du] : declared)
      if (dp == *only && du != uri)
        ambiguous = true;
    if (!ambiguous)
      renames.emplace_back(prefix, *only);
  }
  return renames;
}

const std::string* FindPrefix(const NamespaceList& list, std::string_view prefix) {
  const std::string* found = nullptr;
  for (const auto& [p, value] : list)
    if (p == prefix)
      found = &value;
  return found;
}

Result<std::string> QualifyXPath(std::string_view xpath, const NamespaceList& namespaces,
                                 const NamespaceList& renames) {
  std::string out;
  size_t i = 0, n = xpath.size();
  while (i < n) {
    char c = xpath[i];
    if (c == '\'' || c == '"') {  // a literal, copied whole
      size_t close = xpath.find(c, i + 1);
      size_t end = close == std::string_view::npos ? n : close + 1;
      out.append(xpath.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '$') {  // a variable reference, prefix and all
      size_t end = i + 1;
      while (end < n && (IsXPathNameChar(xpath[end]) || xpath[end] == ':')) ++end;
      out.append(xpath.substr(i, end - i));
      i = end;
      continue;
    }
    if (!IsXPathNameStart(c)) {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t j = NameEnd(xpath, i);
    bool qname = j + 1 < n && xpath[j] == ':' && (IsXPathNameStart(xpath[j + 1]) || xpath[j + 1] == '*');
    if (!qname) {  // an unprefixed name, an axis ("child" before "::"), a function, an operator
      out.append(xpath.substr(i, j - i));
      i = j;
      continue;
    }
    std::string_view prefix = xpath.substr(i, j - i);
    size_t k = xpath[j + 1] == '*' ? j + 2 : NameEnd(xpath, j + 1);
    std::string_view local = xpath.substr(j + 1, k - j - 1);
    size_t after = k;
    while (after < n && (xpath[after] == ' ' || xpath[after] == '\t')) ++after;
    if (after < n && xpath[after] == '(') {  // a prefixed function: leave it to pugixml
      out.append(xpath.substr(i, k - i));
      i = k;
      continue;
    }
    const std::string* rename = FindPrefix(renames, prefix);
    if (rename) {
      out += *rename + ":";
      out.append(local);
      i = k;
      continue;
    }
    const std::string* uri = nullptr;
    for (const auto& [p, u] : namespaces)
      if (p == prefix)
        uri = &u;
    if (!uri && prefix == "xml") {  // bound by definition, never declared: pugixml sees "xml:lang"
      out.append(xpath.substr(i, k - i));
      i = k;
      continue;
    }
    if (!uri)
      return Status::Invalid(fmt::format(
          "XPath '{}' uses the namespace prefix '{}', which the profile does not declare", xpath,
          prefix));
    auto lit = Literal(*uri);
    if (!lit.ok())
      return lit.status();
    if (local == "*")
      out += fmt::format("*[namespace-uri()={}]", *lit);
    else
      out += fmt::format("*[local-name()='{}' and namespace-uri()={}]", local, *lit);
    i = k;
  }
  return out;
}

}  // namespace liitos
