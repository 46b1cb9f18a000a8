#include "transports/drop_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "transports/dir/dir_files.h"
#include "transports/dir/dir_names.h"
#include "transports/sftp/sftp_session.h"

namespace liitos {
namespace {

Result<std::string> DropLocal(const SourceConfig& src, const std::string& name, std::string_view data) {
  const std::string final_path = JoinPath(src.path, name);
  const std::string tmp = JoinPath(src.path, "." + name + ".tmp");
  struct stat st;
  if (::lstat(final_path.c_str(), &st) == 0) return Status::Invalid(final_path + " exists already");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno("create " + tmp, errno);
  Status s = WriteAll(fd, data, tmp);
  if (s.ok()) s = FsyncFile(fd, tmp);
  if (::close(fd) != 0 && s.ok()) s = Status::FromErrno("close " + tmp, errno);
  if (s.ok() && ::link(tmp.c_str(), final_path.c_str()) != 0) s = Status::FromErrno("rename to " + final_path, errno);
  ::unlink(tmp.c_str());
  if (s.ok()) s = FsyncDir(src.path);
  if (s.ok() && src.done_marker) s = TouchDurable(final_path + *src.done_marker);
  if (!s.ok()) return s;
  return final_path;
}

Result<std::string> DropRemote(const SourceConfig& src, const TransportContext& ctx, const std::string& name,
                               std::string_view data) {
  SftpSession session(SftpSourceSettingsOf(src).endpoint, src.name, ctx, SftpOptions{});
  std::vector<std::string> steps;
  if (Status s = session.ConnectForCheck(&steps); !s.ok()) return s;
  const std::string dir = src.path == "/" ? "" : src.path;
  const std::string final_path = dir + "/" + name, tmp = dir + "/." + name + ".tmp";
  auto exists = session.Stat(final_path);
  if (!exists.ok()) return exists.status();
  if (*exists) return Status::Invalid(final_path + " exists already");
  Status s = session.Upload(tmp, data, /*exclusive=*/true);
  if (s.ok()) s = session.Rename(tmp, final_path);
  if (!s.ok()) {
    (void)session.Unlink(tmp, true);
    return s;
  }
  if (src.done_marker) s = session.Upload(final_path + *src.done_marker, "", false);
  if (!s.ok()) return s;
  return session.label() + ":" + final_path;
}

}  // namespace

bool SourceWouldTake(const SourceConfig& src, const std::string& name) {
  return IsPlainFileName(name) && !IsIgnoredName(name, src.done_marker) && MatchesInclude(name, src.include);
}

Result<std::string> DropFileIntoInbox(const SourceConfig& src, const TransportContext& ctx, const std::string& name,
                                      std::string_view data) {
  if (!SourceWouldTake(src, name)) return Status::Invalid("source " + src.name + " would not take a file named " + name);
  return src.kind == "sftp" ? DropRemote(src, ctx, name, data) : DropLocal(src, name, data);
}

}  // namespace liitos
