#pragma once
// Comparing locations: whether one folder equals or lies inside another (SPEC §3, "Folders do not
// overlap"). Every comparison of configured paths goes through these two forms.

#include <string>

namespace liitos {

// `path` made lexically normal: "." and ".." resolved, repeated and trailing slashes dropped
// ("/a/./b/../c/" -> "/a/c"; the root stays "/"). A relative path stays relative. No I/O: for
// remote (SFTP) paths.
std::string LexicalPath(const std::string& path);

// The local `path` as it will be reached: made absolute against the working directory, the
// symlinks of its existing leading part resolved (std::filesystem::weakly_canonical), then
// LexicalPath. Reads the filesystem (stat, readlink) but changes nothing; a part that cannot be
// resolved is left as written.
std::string LocalPath(const std::string& path);

// Whether `inner` equals `outer` or lies inside it, by whole components ("/a/bc" is not inside
// "/a/b"). Both must already be in the same form (LexicalPath or LocalPath).
bool PathWithin(const std::string& inner, const std::string& outer);

}  // namespace liitos
