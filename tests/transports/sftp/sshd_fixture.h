#pragma once
// A real OpenSSH sshd on 127.0.0.1 for SFTP tests and benchmarks (header-only; no gtest).
//
//   SshdFixture sshd;                      // temp dir, keys, config; sshd started on a free port
//   sshd.root()                            // the directory sftp sessions start in (absolute paths work too)
//   sshd.Endpoint()                        // SftpEndpoint: ed25519 user key, known_hosts [127.0.0.1]:PORT
//   sshd.Stop(); sshd.Start();             // kill -9 (with every session process), restart on the same port
//   sshd.ChangeHostKey();                  // new ed25519 host key (restarts when running); known_hosts unchanged
//   sshd.HostKeyFingerprint()              // `ssh-keygen -lf` of the current host key: "SHA256:…"
//   sshd.WriteHashedKnownHosts()           // a second known_hosts with the entry hashed (|1|…)
//   sshd.AddUserKey("id_x", "ecdsa", "pw") // another accepted user key, optionally passphrase-protected
//
// Runs as root (creates /run/sshd, PermitRootLogin) and as a normal user. sshd's own log goes to
// dir()/sshd.log (LogLevel from $SSHD_LOGLEVEL, default ERROR). Setup failures throw
// std::runtime_error.

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "transports/sftp/sftp_config.h"
#include "config/config.h"
#include "tests/scratch_dir.h"

extern char** environ;

namespace liitos::testing {

class SshdFixture {
 public:
  SshdFixture() {
    dir_ = scratch_.path().string();
    ::chmod(dir_.c_str(), 0755);
    root_ = dir_ + "/root";
    std::filesystem::create_directories(root_);
    if (::geteuid() == 0) std::filesystem::create_directories("/run/sshd");
    struct passwd* pw = ::getpwuid(::geteuid());
    if (pw == nullptr) throw std::runtime_error("getpwuid failed");
    user_ = pw->pw_name;
    Keygen("ed25519", dir_ + "/host_ed25519");
    Keygen("ed25519", dir_ + "/id_ed25519");
    Keygen("ecdsa", dir_ + "/id_ecdsa");
    WriteText(dir_ + "/authorized_keys", ReadText(dir_ + "/id_ed25519.pub") + ReadText(dir_ + "/id_ecdsa.pub"));
    port_ = FreePort();
    WriteConfig();
    WriteKnownHosts();
    Start();
  }

  ~SshdFixture() { Stop(); }

  SshdFixture(const SshdFixture&) = delete;
  SshdFixture& operator=(const SshdFixture&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& root() const { return root_; }
  const std::string& user() const { return user_; }
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }
  std::string ed25519_key() const { return dir_ + "/id_ed25519"; }
  std::string ecdsa_key() const { return dir_ + "/id_ecdsa"; }
  std::string known_hosts() const { return dir_ + "/known_hosts"; }
  std::string host_key() const { return dir_ + "/host_ed25519"; }

  SftpEndpoint Endpoint() const {
    SftpEndpoint e;
    e.host = "127.0.0.1";
    e.port = port_;
    e.user = user_;
    e.identity = ed25519_key();
    e.known_hosts = known_hosts();
    return e;
  }

  // Starts sshd and waits (bounded) until the port accepts connections.
  void Start() {
    if (pid_ > 0) return;
    std::string log = dir_ + "/sshd.log";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::string conf = dir_ + "/sshd_config";
    const char* argv[] = {"/usr/sbin/sshd", "-D", "-e", "-f", conf.c_str(), nullptr};
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw std::runtime_error("cannot start sshd");
    pid_ = pid;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!PortAccepts()) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("sshd exited; see " + log + ":\n" + ReadText(log));
      }
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("sshd did not start: " + log);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // kill -9 of sshd and of every process it forked (the per-connection session processes, which
  // call setsid() and so are not in its process group): connections die mid-transfer.
  void Stop() {
    if (pid_ <= 0) return;
    std::vector<pid_t> tree = Descendants(pid_);
    for (pid_t p : tree) ::kill(p, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // Replaces the host key with a fresh ed25519 key (restarting sshd if it runs). known_hosts is
  // left alone, so clients now see a changed key.
  void ChangeHostKey() {
    bool was_running = running();
    Stop();
    std::filesystem::remove(host_key());
    std::filesystem::remove(host_key() + ".pub");
    Keygen("ed25519", host_key());
    if (was_running) Start();
  }

  // `ssh-keygen -lf host_key.pub`'s fingerprint field.
  std::string HostKeyFingerprint() const {
    std::istringstream in(Run("ssh-keygen -lf " + host_key() + ".pub"));
    std::string bits, fp;
    in >> bits >> fp;
    return fp;
  }

  // The known_hosts line for the current host key.
  std::string KnownHostsLine() const {
    std::istringstream in(ReadText(host_key() + ".pub"));
    std::string type, key;
    in >> type >> key;
    return "[127.0.0.1]:" + std::to_string(port_) + " " + type + " " + key + "\n";
  }

  void WriteKnownHosts() { WriteText(known_hosts(), KnownHostsLine()); }

  // Writes a known_hosts file with the entry hashed by `ssh-keygen -H`; returns its path.
  std::string WriteHashedKnownHosts() const {
    std::string path = dir_ + "/known_hosts.hashed";
    WriteText(path, KnownHostsLine());
    Run("ssh-keygen -q -H -f " + path + " 2>&1");
    std::filesystem::remove(path + ".old");
    if (ReadText(path).rfind("|1|", 0) != 0) throw std::runtime_error("ssh-keygen -H did not hash");
    return path;
  }

  // Generates a user key `dir()/NAME` (type "ed25519" or "ecdsa", optional passphrase) that the
  // server accepts; returns the private key's path.
  std::string AddUserKey(const std::string& name, const std::string& type, const std::string& passphrase = "") {
    std::string path = dir_ + "/" + name;
    Keygen(type, path, passphrase);
    std::ofstream(dir_ + "/authorized_keys", std::ios::app) << ReadText(path + ".pub");
    return path;
  }

  static std::string Run(const std::string& cmd) {
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) throw std::runtime_error("popen " + cmd);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    if (::pclose(p) != 0) throw std::runtime_error("command failed: " + cmd + "\n" + out);
    return out;
  }

  static std::string ReadText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  static void WriteText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
  }

 private:
  static void Keygen(const std::string& type, const std::string& path, const std::string& passphrase = "") {
    std::string bits = type == "ecdsa" ? " -b 256" : "";
    Run("ssh-keygen -q -t " + type + bits + " -N '" + passphrase + "' -C liitos-test -f " + path +
        " </dev/null 2>&1");
    ::chmod(path.c_str(), 0600);
  }

  static int FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
  }

  bool PortAccepts() const {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

  static std::vector<pid_t> Descendants(pid_t root) {
    std::multimap<pid_t, pid_t> children;
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
      std::string name = e.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string stat = ReadText(e.path().string() + "/stat");
      auto close = stat.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream in(stat.substr(close + 2));
      char state;
      pid_t ppid = 0;
      in >> state >> ppid;
      children.emplace(ppid, std::stoi(name));
    }
    std::vector<pid_t> out, todo{root};
    while (!todo.empty()) {
      pid_t p = todo.back();
      todo.pop_back();
      auto range = children.equal_range(p);
      for (auto it = range.first; it != range.second; ++it) {
        out.push_back(it->second);
        todo.push_back(it->second);
      }
    }
    return out;
  }

  void WriteConfig() const {
    std::ostringstream c;
    c << "Port " << port_ << "\n"
      << "ListenAddress 127.0.0.1\n"
      << "HostKey " << host_key() << "\n"
      << "PidFile none\n"
      << "UsePAM no\n"
      << "StrictModes no\n"
      << "AuthorizedKeysFile " << dir_ << "/authorized_keys\n"
      << "PubkeyAuthentication yes\n"
      << "PasswordAuthentication no\n"
      << "KbdInteractiveAuthentication no\n"
      << "PermitRootLogin prohibit-password\n"
      << "AllowUsers " << user_ << "\n"
      << "MaxStartups 50\n"
      << "LogLevel " << (getenv("SSHD_LOGLEVEL") ? getenv("SSHD_LOGLEVEL") : "ERROR") << "\n"
      << "Subsystem sftp internal-sftp\n"
      << "ForceCommand internal-sftp -d " << root_ << "\n";
    WriteText(dir_ + "/sshd_config", c.str());
  }

  test_util::ScratchDir scratch_;  // removed after Stop()
  std::string dir_, root_, user_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace liitos::testing
