// File operations of SftpSession over a connected session. Each one turns a libssh2 failure into
// a Status right away (OpError): an SFTP status code leaves the connection up, anything else
// tears it down and schedules the reconnect.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "base/crypto/uuid.h"
#include "base/fs.h"
#include "transports/sftp/sftp_session.h"

namespace liitos {
namespace {

const char* FxText(unsigned long fx) {
  switch (fx) {
    case LIBSSH2_FX_EOF: return "end of file";
    case LIBSSH2_FX_NO_SUCH_FILE: return "no such file";
    case LIBSSH2_FX_PERMISSION_DENIED: return "permission denied";
    case LIBSSH2_FX_FAILURE: return "failure";
    case LIBSSH2_FX_BAD_MESSAGE: return "bad message";
    case LIBSSH2_FX_OP_UNSUPPORTED: return "operation unsupported";
    case LIBSSH2_FX_NO_SUCH_PATH: return "no such path";
    case LIBSSH2_FX_FILE_ALREADY_EXISTS: return "file already exists";
    case LIBSSH2_FX_WRITE_PROTECT: return "write protected";
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM: return "no space on filesystem";
    case LIBSSH2_FX_QUOTA_EXCEEDED: return "quota exceeded";
    default: return "SFTP error";
  }
}

RemoteEntry FromAttrs(std::string name, const LIBSSH2_SFTP_ATTRIBUTES& a) {
  RemoteEntry e;
  e.name = std::move(name);
  e.size = (a.flags & LIBSSH2_SFTP_ATTR_SIZE) ? a.filesize : 0;
  e.mtime = (a.flags & LIBSSH2_SFTP_ATTR_ACMODTIME) ? a.mtime : 0;
  if (a.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) {
    unsigned long t = a.permissions & LIBSSH2_SFTP_S_IFMT;
    if (t == LIBSSH2_SFTP_S_IFREG) e.type = RemoteEntry::Type::kRegular;
    else if (t == LIBSSH2_SFTP_S_IFDIR) e.type = RemoteEntry::Type::kDirectory;
    else if (t == LIBSSH2_SFTP_S_IFLNK) e.type = RemoteEntry::Type::kSymlink;
  }
  return e;
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

Status SftpSession::OpError(const std::string& what) {
  int err = session_ != nullptr ? libssh2_session_last_errno(session_) : 0;
  if (err == LIBSSH2_ERROR_SFTP_PROTOCOL && sftp_ != nullptr) {
    unsigned long fx = libssh2_sftp_last_error(sftp_);
    std::string msg = fmt::format("{}: {}: {}", label(), what, FxText(fx));
    if (fx == LIBSSH2_FX_NO_SUCH_FILE || fx == LIBSSH2_FX_NO_SUCH_PATH) return Status::NotFound(msg);
    if (fx == LIBSSH2_FX_PERMISSION_DENIED || fx == LIBSSH2_FX_WRITE_PROTECT) return Status::Fatal(msg);
    return Status::IoError(msg);
  }
  Status s = Status::Retry(fmt::format("{}: {}: connection lost ({})", label(), what, SessionErrorText()));
  ScheduleReconnect(s);
  return s;
}

Result<std::vector<RemoteEntry>> SftpSession::ListDir(const std::string& path) {
  if (!connected()) return Status::Retry(label() + ": not connected");
  LIBSSH2_SFTP_HANDLE* dir = libssh2_sftp_opendir(sftp_, path.c_str());
  if (dir == nullptr) return OpError("open directory " + path);
  std::vector<RemoteEntry> out;
  std::vector<char> name(4096);
  for (;;) {
    LIBSSH2_SFTP_ATTRIBUTES attrs{};
    int n = libssh2_sftp_readdir(dir, name.data(), name.size(), &attrs);
    if (n == 0) break;
    if (n < 0) {
      Status s = OpError("read directory " + path);
      if (connected()) libssh2_sftp_closedir(dir);
      return s;
    }
    std::string entry(name.data(), static_cast<size_t>(n));
    if (entry == "." || entry == "..") continue;
    out.push_back(FromAttrs(std::move(entry), attrs));
  }
  libssh2_sftp_closedir(dir);
  return out;
}

Result<std::optional<RemoteEntry>> SftpSession::Stat(const std::string& path) {
  if (!connected()) return Status::Retry(label() + ": not connected");
  LIBSSH2_SFTP_ATTRIBUTES attrs{};
  if (libssh2_sftp_lstat(sftp_, path.c_str(), &attrs) != 0) {
    Status s = OpError("stat " + path);
    if (s.code() == Status::Code::kNotFound) return std::optional<RemoteEntry>();
    return s;
  }
  return std::optional<RemoteEntry>(FromAttrs(std::filesystem::path(path).filename().string(), attrs));
}

Status SftpSession::Rename(const std::string& from, const std::string& to) {
  if (!connected()) return Status::Retry(label() + ": not connected");
  // Flags are ignored by SFTP v3 servers: a rename onto an existing name fails.
  if (libssh2_sftp_rename_ex(sftp_, from.data(), static_cast<unsigned>(from.size()), to.data(),
                             static_cast<unsigned>(to.size()), LIBSSH2_SFTP_RENAME_NATIVE) != 0)
    return OpError("rename " + from + " to " + to);
  return Status::Ok();
}

Status SftpSession::Unlink(const std::string& path, bool missing_ok) {
  if (!connected()) return Status::Retry(label() + ": not connected");
  if (libssh2_sftp_unlink(sftp_, path.c_str()) != 0) {
    Status s = OpError("remove " + path);
    if (missing_ok && s.code() == Status::Code::kNotFound) return Status::Ok();
    return s;
  }
  return Status::Ok();
}

Status SftpSession::MakeDirs(const std::string& path) {
  auto st = Stat(path);
  if (!st.ok()) return st.status();
  if (*st) {
    if ((*st)->type == RemoteEntry::Type::kDirectory) return Status::Ok();
    return Status::Fatal(fmt::format("{}: {} exists and is not a directory", label(), path));
  }
  std::string parent = std::filesystem::path(path).parent_path().string();
  if (!parent.empty() && parent != path && parent != "/") {
    Status s = MakeDirs(parent);
    if (!s.ok()) return s;
  }
  if (libssh2_sftp_mkdir(sftp_, path.c_str(), 0750) != 0) {
    Status s = OpError("create directory " + path);
    auto again = connected() ? Stat(path) : Result<std::optional<RemoteEntry>>(s);
    if (again.ok() && *again && (*again)->type == RemoteEntry::Type::kDirectory) return Status::Ok();
    return s;
  }
  return Status::Ok();
}

Status SftpSession::Download(const std::string& remote, int fd, uint64_t max_bytes, uint64_t* bytes) {
  *bytes = 0;
  if (!connected()) return Status::Retry(label() + ": not connected");
  LIBSSH2_SFTP_HANDLE* h = libssh2_sftp_open(sftp_, remote.c_str(), LIBSSH2_FXF_READ, 0);
  if (h == nullptr) return OpError("open " + remote);
  // libssh2 pipelines as many read requests as fit the buffer; a small file needs only one.
  size_t want = max_bytes < opts_.read_buffer ? static_cast<size_t>(max_bytes) + 1 : opts_.read_buffer;
  std::vector<char> buf(std::max<size_t>(want, 4096));
  Status s;
  for (;;) {
    ssize_t n = libssh2_sftp_read(h, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      s = OpError("read " + remote);
      break;
    }
    for (ssize_t off = 0; off < n && s.ok();) {
      ssize_t w = ::write(fd, buf.data() + off, static_cast<size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) s = Status::FromErrno("write local copy of " + remote, errno);
      else off += w;
    }
    if (!s.ok()) break;
    *bytes += static_cast<uint64_t>(n);
    if (*bytes > max_bytes) {
      s = Status::Retry(fmt::format("{}: {} grew past {} bytes while read", label(), remote, max_bytes));
      break;
    }
    if (opts_.on_download_progress) opts_.on_download_progress(*bytes);
  }
  if (connected()) libssh2_sftp_close(h);
  return s;
}

namespace {

// Writes all of `data` to an open handle.
bool WriteWhole(LIBSSH2_SFTP_HANDLE* h, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = libssh2_sftp_write(h, data.data() + off, data.size() - off);
    if (n < 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Status SftpSession::UploadWith(const std::string& remote, bool exclusive,
                               const std::function<Status(const PieceWriter&)>& fill) {
  if (!connected()) return Status::Retry(label() + ": not connected");
  unsigned long flags = LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | (exclusive ? LIBSSH2_FXF_EXCL : LIBSSH2_FXF_TRUNC);
  LIBSSH2_SFTP_HANDLE* h = libssh2_sftp_open(sftp_, remote.c_str(), flags, 0640);
  if (h == nullptr) return OpError("create " + remote);
  Status s = fill([&](std::string_view piece) {
    return WriteWhole(h, piece) ? Status::Ok() : OpError("write " + remote);
  });
  if (!s.ok()) {
    if (connected()) libssh2_sftp_close(h);
    return s;
  }
  if (libssh2_sftp_close(h) != 0) return OpError("close " + remote);
  return Status::Ok();
}

Status SftpSession::Upload(const std::string& remote, std::string_view data, bool exclusive) {
  return UploadWith(remote, exclusive, [&](const PieceWriter& write) { return write(data); });
}

Status SftpSession::UploadFile(const std::string& remote, const std::string& local, bool exclusive) {
  // 1 MiB pieces: the file is never held whole.
  return UploadWith(remote, exclusive, [&](const PieceWriter& write) { return ReadPieces(local, write); });
}

Result<std::string> SftpSession::RenameUnique(const std::string& from, const std::string& dir,
                                              const std::string& name) {
  std::filesystem::path p(name);
  std::string stem = p.stem().string(), ext = p.extension().string();
  for (int i = 0; i < 10000; ++i) {
    std::string candidate = i == 0 ? name : fmt::format("{}.{}{}", stem, i, ext);
    std::string target = JoinPath(dir, candidate);
    auto st = Stat(target);
    if (!st.ok()) return st.status();
    if (*st) continue;
    Status s = Rename(from, target);
    if (s.ok()) return target;
    if (!connected() || s.code() == Status::Code::kNotFound || s.code() == Status::Code::kFatal)
      return s;
    // Another writer took the name between stat and rename: try the next one.
  }
  return Status::IoError(fmt::format("{}: no free name for {} in {}", label(), name, dir));
}

Status SftpSession::PutReplacing(const std::string& dir, const std::string& name, std::string_view data) {
  return Replace(dir, name, [&](const std::string& tmp) { return Upload(tmp, data, /*exclusive=*/true); });
}

Status SftpSession::PutReplacingFile(const std::string& dir, const std::string& name, const std::string& local) {
  return Replace(dir, name, [&](const std::string& tmp) { return UploadFile(tmp, local, /*exclusive=*/true); });
}

Status SftpSession::Replace(const std::string& dir, const std::string& name,
                            const std::function<Status(const std::string& tmp)>& upload) {
  std::string tmp = JoinPath(dir, "." + name + "." + UuidV4().substr(0, 8) + ".tmp");
  std::string target = JoinPath(dir, name);
  Status s = upload(tmp);
  if (!s.ok()) {
    if (connected()) Unlink(tmp, true);
    return s;
  }
  s = Rename(tmp, target);
  if (!s.ok() && connected()) {
    // SFTP v3 cannot rename over an existing file: remove the old one, then rename.
    auto st = Stat(target);
    if (st.ok() && *st) {
      s = Unlink(target, true);
      if (s.ok()) s = Rename(tmp, target);
    }
  }
  if (!s.ok() && connected()) Unlink(tmp, true);
  return s;
}

}  // namespace liitos
