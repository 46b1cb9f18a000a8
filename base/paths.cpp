#include "base/paths.h"

#include <filesystem>
#include <system_error>

namespace liitos {
namespace fs = std::filesystem;

std::string LexicalPath(const std::string& path) {
  if (path.empty()) return path;
  std::string out = fs::path(path).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

std::string LocalPath(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) return LexicalPath(path);
  fs::path resolved = fs::weakly_canonical(p, ec);
  return LexicalPath(ec ? p.string() : resolved.string());
}

bool PathWithin(const std::string& inner, const std::string& outer) {
  if (inner.empty() || outer.empty()) return false;
  if (inner == outer) return true;
  if (outer == "/") return inner.front() == '/';
  if (outer == ".") return inner.front() != '/' && inner.rfind("../", 0) != 0 && inner != "..";
  return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/';
}

}  // namespace liitos
