#pragma once
// Which names in a drop folder may ever be taken (SPEC §3): never dotfiles, *.tmp, *.part,
// *.filepart, ~* or a done marker itself; only names matching one of the source's `include` globs,
// compared case-insensitively (fnmatch with FNM_CASEFOLD).

#include <optional>
#include <string>
#include <vector>

namespace liitos {

// True for names a writer uses while it is still writing, and for done markers.
bool IsIgnoredName(const std::string& name, const std::optional<std::string>& done_marker);

// True when `name` matches one of `globs`, ignoring case.
bool MatchesInclude(const std::string& name, const std::vector<std::string>& globs);

// True when `name` is a plain file name: not empty, not "." or "..", no '/' and no NUL. Anything
// else would reach outside the configured folders (SPEC G5).
bool IsPlainFileName(const std::string& name);

}  // namespace liitos
