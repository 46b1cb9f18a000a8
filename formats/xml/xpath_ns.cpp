#include "formats/xml/xpath_ns.h"

#include <fmt/format.h>

#include "formats/xml/xml_text.h"

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

std::optional<NamespaceList> ParseSimpleXPath(std::string_view path) {
  NamespaceList steps;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '/' || i + 1 >= path.size() || !IsXPathNameStart(path[i + 1]))
      return std::nullopt;
    size_t b = ++i;
    i = NameEnd(path, b);
    std::string first(path.substr(b, i - b));
    if (i < path.size() && path[i] == ':') {
      size_t l = ++i;
      if (l >= path.size() || !IsXPathNameStart(path[l]))
        return std::nullopt;
      i = NameEnd(path, l);
      steps.emplace_back(first, std::string(path.substr(l, i - l)));
    } else {
      steps.emplace_back("", first);
    }
  }
  if (steps.empty())
    return std::nullopt;
  return steps;
}

bool XPathStaysInContext(std::string_view xpath) {
  std::string code;  // the XPath with its literals emptied
  for (size_t i = 0; i < xpath.size(); ++i) {
    char c = xpath[i];
    if (c == '\'' || c == '"') {
      size_t close = xpath.find(c, i + 1);
      if (close == std::string_view::npos)
        return false;
      code += "''";
      i = close;
      continue;
    }
    code += c;
  }
  std::string squeezed;  // and without blanks, for the axis and function names
  for (char c : code)
    if (!IsXmlSpace(c))
      squeezed += c;
  for (const char* bad :
       {"..", "parent::", "ancestor", "preceding", "following", "lang(", "id(", "$"})
    if (squeezed.find(bad) != std::string::npos)
      return false;
  // Every '/' must continue a path: after a name, a ']', a ')', a '.', a '*' name test or
  // another '/'; never first, never after an operator, a blank, '(', '[', ',' or '|'.
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] != '/')
      continue;
    if (i == 0)
      return false;
    char prev = code[i - 1];
    if (prev == '/' || prev == ']' || prev == ')' || prev == '.')
      continue;
    if (prev == '*') {
      char before = i >= 2 ? code[i - 2] : '(';  // "*" first is a name test too
      if (before == '/' || before == ':' || before == '@' || before == '(' || before == '[' ||
          before == ',' || before == '|')
        continue;
      return false;
    }
    if (!IsXPathNameChar(prev))
      return false;
    size_t w = i;
    while (w > 0 && (IsXPathNameChar(code[w - 1]) || code[w - 1] == ':')) --w;
    std::string_view word = std::string_view(code).substr(w, i - w);
    if (word == "and" || word == "or" || word == "div" || word == "mod")
      return false;
  }
  return true;
}

}  // namespace liitos
