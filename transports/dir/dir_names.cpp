#include "transports/dir/dir_names.h"

#include <fnmatch.h>
#include <strings.h>

namespace liitos {

namespace {

bool EndsWithNoCase(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         ::strcasecmp(s.c_str() + (s.size() - suffix.size()), suffix.c_str()) == 0;
}

}  // namespace

bool IsIgnoredName(const std::string& name, const std::optional<std::string>& done_marker) {
  if (name.empty() || name[0] == '.' || name[0] == '~') return true;
  for (const char* suffix : {".tmp", ".part", ".filepart"}) {
    if (EndsWithNoCase(name, suffix)) return true;
  }
  if (done_marker && !done_marker->empty() && name.size() > done_marker->size() &&
      name.compare(name.size() - done_marker->size(), done_marker->size(), *done_marker) == 0) {
    return true;
  }
  return false;
}

bool MatchesInclude(const std::string& name, const std::vector<std::string>& globs) {
  for (const auto& g : globs) {
    if (::fnmatch(g.c_str(), name.c_str(), FNM_CASEFOLD) == 0) return true;
  }
  return false;
}

bool IsPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

}  // namespace liitos
