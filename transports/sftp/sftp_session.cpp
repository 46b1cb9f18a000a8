// Connecting, trusting and authenticating; the reconnect backoff. File operations are in
// sftp_ops.cpp.
#include "transports/sftp/sftp_session.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "base/fs.h"

namespace liitos {
namespace {

void InitLibssh2Once() {
  static std::once_flag once;
  std::call_once(once, [] { libssh2_init(0); });
}

std::string Base64NoPad(const unsigned char* p, size_t n) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = static_cast<uint32_t>(p[i]) << 16;
    if (i + 1 < n) v |= static_cast<uint32_t>(p[i + 1]) << 8;
    if (i + 2 < n) v |= p[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (i + 1 < n) out += kAlphabet[(v >> 6) & 63];
    if (i + 2 < n) out += kAlphabet[v & 63];
  }
  return out;
}

// libssh2 host key type -> known_hosts key type bits, and the SSH method names for it.
int KnownhostKeyType(int hostkey_type) {
  switch (hostkey_type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519;
    default: return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
  }
}

const char* HostKeyMethods(int knownhost_type) {
  switch (knownhost_type) {
    case LIBSSH2_KNOWNHOST_KEY_ED25519: return "ssh-ed25519";
    case LIBSSH2_KNOWNHOST_KEY_ECDSA_256: return "ecdsa-sha2-nistp256";
    case LIBSSH2_KNOWNHOST_KEY_ECDSA_384: return "ecdsa-sha2-nistp384";
    case LIBSSH2_KNOWNHOST_KEY_ECDSA_521: return "ecdsa-sha2-nistp521";
    case LIBSSH2_KNOWNHOST_KEY_SSHRSA: return "rsa-sha2-512,rsa-sha2-256,ssh-rsa";
    case LIBSSH2_KNOWNHOST_KEY_SSHDSS: return "ssh-dss";
    default: return nullptr;
  }
}

const char* KeyTypeName(int hostkey_type) {
  switch (hostkey_type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa";
    case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521";
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519";
    default: return "unknown";
  }
}

Result<std::string> ReadSecret(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return Status::Fatal("cannot read passphrase: " + text.status().message());
  std::string s = std::move(text).value();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::string SshSha256Fingerprint(const unsigned char* digest32) {
  return "SHA256:" + Base64NoPad(digest32, 32);
}

SftpSession::SftpSession(SftpEndpoint endpoint, std::string owner_name, TransportContext ctx,
                         SftpOptions opts)
    : endpoint_(std::move(endpoint)),
      owner_name_(std::move(owner_name)),
      ctx_(std::move(ctx)),
      opts_(std::move(opts)),
      backoff_(opts_.backoff_initial) {
  if (ctx_.clock == nullptr) ctx_.clock = &RealClock();
  InitLibssh2Once();
}

SftpSession::~SftpSession() { Disconnect(); }

std::string SftpSession::label() const {
  return fmt::format("{}@{}:{}", endpoint_.user, endpoint_.host, endpoint_.port);
}

std::string SftpSession::SessionErrorText() const {
  if (session_ == nullptr) return "no session";
  char* msg = nullptr;
  libssh2_session_last_error(session_, &msg, nullptr, 0);
  return msg != nullptr && *msg != '\0' ? msg : "unknown libssh2 error";
}

void SftpSession::Disconnect() {
  if (sftp_ != nullptr) libssh2_sftp_shutdown(sftp_);
  sftp_ = nullptr;
  if (session_ != nullptr) {
    libssh2_session_disconnect(session_, "bye");
    libssh2_session_free(session_);
  }
  session_ = nullptr;
  if (sock_ >= 0) ::close(sock_);
  sock_ = -1;
}

void SftpSession::ScheduleReconnect(const Status& why) {
  // A dead peer must not make the teardown wait for the socket timeout.
  if (sock_ >= 0) ::shutdown(sock_, SHUT_RDWR);
  Disconnect();
  last_error_ = why;
  next_attempt_ = ctx_.clock->Monotonic() + backoff_;
  // A configuration fault (host key, identity, authentication) needs the operator: an error line.
  spdlog::log(why.code() == Status::Code::kFatal ? spdlog::level::err : spdlog::level::warn,
              "sftp {}: {}; next attempt in {} ms", owner_name_, why.message(), backoff_.count());
  backoff_ = std::min(backoff_ * 2, opts_.backoff_max);
}

Status SftpSession::Ensure() {
  if (connected()) {
    int next = 0;
    if (libssh2_keepalive_send(session_, &next) == 0) return Status::Ok();
    Status s = Status::Retry(fmt::format("{}: keepalive failed: {}", label(), SessionErrorText()));
    ScheduleReconnect(s);
    return s;
  }
  MonoTime now = ctx_.clock->Monotonic();
  if (now < next_attempt_) {
    auto wait = std::chrono::duration_cast<Millis>(next_attempt_ - now);
    return Status::Retry(fmt::format("{}: not connected ({}); next attempt in {} ms", label(),
                                     last_error_.message(), wait.count()));
  }
  return Connect(nullptr);
}

Status SftpSession::ConnectForCheck(std::vector<std::string>* report) {
  Disconnect();
  return Connect(report);
}

Status SftpSession::CheckIdentity() const {
  struct stat st {};
  if (::stat(endpoint_.identity.c_str(), &st) != 0)
    return Status::Fatal(fmt::format("identity file {}: {}", endpoint_.identity, std::strerror(errno)));
  unsigned mode = st.st_mode & 07777;
  if ((mode & 077) != 0)
    return Status::Fatal(fmt::format("identity file {} is readable by others (mode {:04o}); refusing",
                                     endpoint_.identity, mode));
  if (mode != 0600 && mode != 0400)
    return Status::Fatal(fmt::format("identity file {} has mode {:04o}, not 0600 or 0400; refusing",
                                     endpoint_.identity, mode));
  return Status::Ok();
}

Result<std::optional<std::string>> SftpSession::LoadPassphrase() const {
  if (endpoint_.passphrase_file) {
    auto s = ReadSecret(*endpoint_.passphrase_file);
    if (!s.ok()) return s.status();
    return std::optional<std::string>(std::move(s).value());
  }
  const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
  if (creds != nullptr && *creds != '\0') {
    std::string path = std::string(creds) + "/" + owner_name_ + ".passphrase";
    if (::access(path.c_str(), F_OK) == 0) {
      auto s = ReadSecret(path);
      if (!s.ok()) return s.status();
      return std::optional<std::string>(std::move(s).value());
    }
  }
  return std::optional<std::string>();
}

Status SftpSession::OpenSocket() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(endpoint_.port);
  int rc = ::getaddrinfo(endpoint_.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0)
    return Status::Retry(fmt::format("{}: cannot resolve {}: {}", label(), endpoint_.host, gai_strerror(rc)));
  std::string err = "no address";
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0) {
      err = std::strerror(errno);
      continue;
    }
    int r = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      r = ::poll(&p, 1, static_cast<int>(opts_.connect_timeout.count()));
      if (r == 0) {
        errno = ETIMEDOUT;
        r = -1;
      } else if (r > 0) {
        int so = 0;
        socklen_t len = sizeof so;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len);
        errno = so;
        r = so == 0 ? 0 : -1;
      }
    }
    if (r == 0) {
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      sock_ = fd;
      break;
    }
    err = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(res);
  if (sock_ < 0) return Status::Retry(fmt::format("{}: cannot connect: {}", label(), err));
  return Status::Ok();
}

void SftpSession::PreferKnownKeyTypes(LIBSSH2_KNOWNHOSTS* known) {
  // Without this, libssh2 may negotiate a key type that known_hosts does not list for the host and
  // then reports NOTFOUND; OpenSSH does the same ordering.
  std::vector<std::string> methods;
  libssh2_knownhost* entry = nullptr;
  libssh2_knownhost* prev = nullptr;
  while (libssh2_knownhost_get(known, &entry, prev) == 0) {
    prev = entry;
    int type = entry->typemask & LIBSSH2_KNOWNHOST_KEY_MASK;
    const char* names = HostKeyMethods(type);
    if (names == nullptr || entry->key == nullptr) continue;
    int rc = libssh2_knownhost_checkp(
        known, endpoint_.host.c_str(), endpoint_.port, entry->key, std::strlen(entry->key),
        LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_BASE64 | type, nullptr);
    if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH &&
        std::find(methods.begin(), methods.end(), names) == methods.end())
      methods.emplace_back(names);
  }
  if (methods.empty()) return;  // unknown host: the handshake goes on so the refusal can name the key
  std::string pref = fmt::format("{}", fmt::join(methods, ","));
  if (libssh2_session_method_pref(session_, LIBSSH2_METHOD_HOSTKEY, pref.c_str()) != 0)
    spdlog::debug("sftp {}: host key preference '{}' not supported: {}", owner_name_, pref,
                  SessionErrorText());
}

Status SftpSession::VerifyHostKey(LIBSSH2_KNOWNHOSTS* known) {
  size_t len = 0;
  int type = 0;
  const char* key = libssh2_session_hostkey(session_, &len, &type);
  const char* hash = libssh2_hostkey_hash(session_, LIBSSH2_HOSTKEY_HASH_SHA256);
  if (key == nullptr || hash == nullptr)
    return Status::Retry(fmt::format("{}: server offered no host key", label()));
  fingerprint_ = SshSha256Fingerprint(reinterpret_cast<const unsigned char*>(hash));
  int rc = libssh2_knownhost_checkp(
      known, endpoint_.host.c_str(), endpoint_.port, key, len,
      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | KnownhostKeyType(type), nullptr);
  if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH) return Status::Ok();
  const char* why = rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH ? "CHANGED" : "not in known_hosts";
  std::string msg = fmt::format(
      "{}: host key refused: {} key {} is {} ({}); fix known_hosts if the server's key really "
      "changed",
      label(), KeyTypeName(type), fingerprint_, why, endpoint_.known_hosts);
  if (fingerprint_ != last_refused_fingerprint_) {  // once per offered key, not per retry
    last_refused_fingerprint_ = fingerprint_;
    if (ctx_.on_hostkey_refused) ctx_.on_hostkey_refused(label(), fingerprint_);
  }
  return Status::Fatal(msg);
}

Status SftpSession::Connect(std::vector<std::string>* report) {
  auto note = [&](const std::string& line) {
    if (report != nullptr) report->push_back(line);
  };
  Status s = CheckIdentity();
  Result<std::optional<std::string>> pass = std::optional<std::string>();
  if (s.ok()) pass = LoadPassphrase();
  if (s.ok() && !pass.ok()) s = pass.status();
  if (s.ok()) s = OpenSocket();
  if (s.ok()) {
    note(fmt::format("{}: reachable", label()));
    session_ = libssh2_session_init();
    if (session_ == nullptr) s = Status::Retry(label() + ": libssh2_session_init failed");
  }
  LIBSSH2_KNOWNHOSTS* known = nullptr;
  if (s.ok()) {
    libssh2_session_set_blocking(session_, 1);
    libssh2_session_set_timeout(session_, static_cast<long>(opts_.io_timeout.count()));
    known = libssh2_knownhost_init(session_);
    if (known == nullptr ||
        libssh2_knownhost_readfile(known, endpoint_.known_hosts.c_str(),
                                   LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0)
      s = Status::Fatal(fmt::format("{}: cannot read known_hosts {}: {}", label(),
                                    endpoint_.known_hosts, SessionErrorText()));
  }
  if (s.ok()) {
    PreferKnownKeyTypes(known);
    if (libssh2_session_handshake(session_, sock_) != 0)
      s = Status::Retry(fmt::format("{}: SSH handshake failed: {}", label(), SessionErrorText()));
  }
  if (s.ok()) s = VerifyHostKey(known);
  if (known != nullptr) libssh2_knownhost_free(known);
  if (s.ok()) {
    note(fmt::format("{}: host key trusted ({})", label(), fingerprint_));
    const std::optional<std::string>& pp = pass.value();
    if (libssh2_userauth_publickey_fromfile_ex(
            session_, endpoint_.user.c_str(), static_cast<unsigned>(endpoint_.user.size()), nullptr,
            endpoint_.identity.c_str(), pp ? pp->c_str() : nullptr) != 0)
      s = Status::Fatal(fmt::format("{}: authentication with {} refused: {}", label(),
                                    endpoint_.identity, SessionErrorText()));
  }
  if (s.ok()) {
    note(fmt::format("{}: authenticated with {}", label(), endpoint_.identity));
    sftp_ = libssh2_sftp_init(session_);
    if (sftp_ == nullptr)
      s = Status::Retry(fmt::format("{}: SFTP subsystem failed: {}", label(), SessionErrorText()));
  }
  if (!s.ok()) {
    ScheduleReconnect(s);
    return s;
  }
  libssh2_keepalive_config(session_, 1, static_cast<unsigned>(opts_.keepalive_interval_s));
  backoff_ = opts_.backoff_initial;
  last_refused_fingerprint_.clear();
  spdlog::info("sftp {}: connected to {} ({})", owner_name_, label(), fingerprint_);
  return Status::Ok();
}

}  // namespace liitos
