#include "base/file_modes.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

namespace liitos {

void RestrictUmask() {
  mode_t old = ::umask(kUmaskBits);
  ::umask(old | kUmaskBits);
}

Status LimitMode(const std::string& path, mode_t allowed) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::FromErrno("stat " + path, errno);
  }
  if (S_ISLNK(st.st_mode)) return Status::Ok();
  mode_t mode = st.st_mode & 0777;
  if ((mode & ~allowed) == 0) return Status::Ok();
  // The special bits (setgid on a shared directory) stay as they are.
  mode_t narrowed = (st.st_mode & 07000) | (mode & allowed);
  if (::fchmodat(AT_FDCWD, path.c_str(), narrowed, 0) != 0)
    return Status::FromErrno("chmod " + path, errno);
  return Status::Ok();
}

}  // namespace liitos
