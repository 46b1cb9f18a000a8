#pragma once
// One SSH/SFTP connection to an SftpEndpoint, shared by the SFTP source and destination.
//
// Trust is fail-closed (SPEC G5): the server's host key must be in `known_hosts` (OpenSSH format,
// plain, `[host]:port` or hashed `|1|` entries); an unknown or changed key closes the session,
// calls TransportContext::on_hostkey_refused(endpoint, "SHA256:…") and is never accepted. The
// identity file must have mode 0600 or 0400.
//
// Connection loss: every failed connect and every lost connection schedules the next attempt with
// backoff (1 s doubling to 5 min) on the injected clock. While backing off, Ensure() answers a
// Retry status at once, without touching the network. libssh2 runs in blocking mode with a socket
// timeout, so no call hangs for longer than `io_timeout`.
//
// Status codes of the operations: kRetry = connection lost or not connected (try later);
// kNotFound = no such remote file; kFatal = a configuration fault (host key refused, identity
// refused, authentication refused, permission denied); kIoError = another SFTP failure.
//
// Threading: one thread drives a session.

#include <libssh2.h>
#include <libssh2_sftp.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time/clock.h"
#include "base/status.h"
#include "transports/sftp/sftp_config.h"
#include "transports/transport_context.h"

namespace liitos {

struct SftpOptions {
  Millis connect_timeout = std::chrono::seconds(15);
  Millis io_timeout = std::chrono::seconds(60);
  int keepalive_interval_s = 30;
  size_t read_buffer = 1 << 20;  // 1 MiB: libssh2 pipelines reads up to the buffer size
  Millis backoff_initial = std::chrono::seconds(1);
  Millis backoff_max = std::chrono::minutes(5);
  // Called after each block a download has written locally (tests cut the connection mid-file).
  std::function<void(uint64_t bytes_so_far)> on_download_progress;
};

struct RemoteEntry {
  enum class Type { kRegular, kDirectory, kSymlink, kOther };
  std::string name;
  Type type = Type::kOther;
  uint64_t size = 0;
  uint64_t mtime = 0;  // seconds since the epoch, as the server reports it
};

// "SHA256:" + unpadded base64, exactly as `ssh-keygen -lf` prints it.
std::string SshSha256Fingerprint(const unsigned char* digest32);

class SftpSession {
 public:
  // `owner_name` names the source/destination: log text and the systemd credential
  // "<owner_name>.passphrase".
  SftpSession(SftpEndpoint endpoint, std::string owner_name, TransportContext ctx, SftpOptions opts);
  ~SftpSession();
  SftpSession(const SftpSession&) = delete;
  SftpSession& operator=(const SftpSession&) = delete;

  // Ok when connected (sends a keepalive when due). Otherwise connects if the backoff allows,
  // else returns Retry at once.
  Status Ensure();
  // Connects now, ignoring the backoff (`liitos check --connect`); appends a line per step.
  Status ConnectForCheck(std::vector<std::string>* report);
  void Disconnect();
  bool connected() const { return sftp_ != nullptr; }
  std::string label() const;  // "user@host:port"
  const SftpOptions& options() const { return opts_; }

  // The entries of a directory (not "." and ".."); attributes as lstat sees them.
  Result<std::vector<RemoteEntry>> ListDir(const std::string& path);
  // lstat; std::nullopt when the path does not exist.
  Result<std::optional<RemoteEntry>> Stat(const std::string& path);
  // SFTP v3 rename: fails when `to` exists.
  Status Rename(const std::string& from, const std::string& to);
  Status Unlink(const std::string& path, bool missing_ok);
  // Creates `path` and missing parents.
  Status MakeDirs(const std::string& path);
  // Reads the whole remote file into `fd`; stops with an error past `max_bytes`.
  Status Download(const std::string& remote, int fd, uint64_t max_bytes, uint64_t* bytes);
  // Creates `remote` (exclusive when `exclusive`, else truncating) and writes `data`.
  Status Upload(const std::string& remote, std::string_view data, bool exclusive);
  // The same with the contents of the local file `local`, read and written 1 MiB at a time.
  Status UploadFile(const std::string& remote, const std::string& local, bool exclusive);
  // Renames into `dir` under `name`, or `stem.1.ext`, `stem.2.ext`, … when taken. Returns the
  // final path.
  Result<std::string> RenameUnique(const std::string& from, const std::string& dir,
                                   const std::string& name);
  // Uploads `data` under a unique temporary name in `dir`, then renames it to `name`, replacing an
  // existing `name` (remove, then rename: SFTP v3 has no overwriting rename).
  Status PutReplacing(const std::string& dir, const std::string& name, std::string_view data);
  // The same with the contents of the local file `local` (UploadFile: never held whole).
  Status PutReplacingFile(const std::string& dir, const std::string& name, const std::string& local);

 private:
  // Creates `remote` and lets `fill` write it piece by piece through the writer it is given.
  using PieceWriter = std::function<Status(std::string_view)>;
  Status UploadWith(const std::string& remote, bool exclusive, const std::function<Status(const PieceWriter&)>& fill);
  // PutReplacing's steps: `upload` writes the unique temporary name, which is then renamed.
  Status Replace(const std::string& dir, const std::string& name,
                 const std::function<Status(const std::string& tmp)>& upload);
  Status Connect(std::vector<std::string>* report);
  Status CheckIdentity() const;
  Result<std::optional<std::string>> LoadPassphrase() const;
  Status OpenSocket();
  Status VerifyHostKey(LIBSSH2_KNOWNHOSTS* known);
  void PreferKnownKeyTypes(LIBSSH2_KNOWNHOSTS* known);
  // Turns the failure of the last libssh2 call into a Status; a lost connection is torn down and
  // the reconnect scheduled.
  Status OpError(const std::string& what);
  void ScheduleReconnect(const Status& why);
  std::string SessionErrorText() const;

  SftpEndpoint endpoint_;
  std::string owner_name_;
  TransportContext ctx_;
  SftpOptions opts_;
  int sock_ = -1;
  LIBSSH2_SESSION* session_ = nullptr;
  LIBSSH2_SFTP* sftp_ = nullptr;
  std::string fingerprint_;
  std::string last_refused_fingerprint_;
  Status last_error_;
  MonoTime next_attempt_{};
  Millis backoff_;
};

}  // namespace liitos
