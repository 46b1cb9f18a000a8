#pragma once
// A real HTTP(S) receiver that speaks SPEC §5.4, for tests: starts tests/fixtures/receiver.py
// (python3 from PATH) as a child process in a fresh temporary directory, reads the port it
// printed, drives its faults through POST /_control, reads its JSON Lines log, and kills it (and
// removes the directory) in the destructor. With `tls`, a throw-away PKI is made first with the
// openssl CLI: a CA, a server certificate for localhost / 127.0.0.1, a client certificate, and a
// second, unrelated CA with its own client certificate (for "wrong CA" tests).
//
// Header-only; usable from any test binary (tests link libcurl and nlohmann_json through
// liitos_daemon). Not thread-safe: one test thread drives a fixture.

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/scratch_dir.h"

#ifndef LIITOS_SOURCE_DIR
#error "LIITOS_SOURCE_DIR must be defined (tests/CMakeLists.txt does)"
#endif

namespace liitos::testing {

struct TestPki {
  std::string dir;
  std::string ca_cert, server_cert, server_key, client_cert, client_key;
  std::string other_ca_cert, other_client_cert, other_client_key;  // signed by an unrelated CA
};

namespace receiver_detail {

inline bool Run(const std::string& cmd, const std::string& log) {
  return std::system((cmd + " >>'" + log + "' 2>&1").c_str()) == 0;
}

inline constexpr const char* kOpensslConf = R"(
[req]
distinguished_name = dn
prompt = no
[dn]
CN = liitos test
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
[client]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
)";

inline size_t CollectBody(char* data, size_t size, size_t nmemb, void* userp) {
  static_cast<std::string*>(userp)->append(data, size * nmemb);
  return size * nmemb;
}

}  // namespace receiver_detail

// Makes the test PKI in `dir` (which must exist). Returns "" or what failed.
inline std::string MakeTestPki(const std::string& dir, TestPki* out) {
  using receiver_detail::Run;
  const std::string conf = dir + "/openssl.cnf", log = dir + "/openssl.log";
  std::ofstream(conf) << receiver_detail::kOpensslConf;
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  auto ca = [&](const std::string& name) {
    return Run("openssl req -x509 -config '" + conf + "' -extensions v3_ca" + ec + " -days 2 -subj '/CN=" + name +
                   " test CA' -keyout '" + dir + "/" + name + "-ca.key' -out '" + dir + "/" + name + "-ca.pem'",
               log);
  };
  auto leaf = [&](const std::string& ca_name, const std::string& name, const std::string& cn, const std::string& ext) {
    const std::string base = dir + "/" + name;
    return Run("openssl req -new -config '" + conf + "'" + ec + " -subj '/CN=" + cn + "' -keyout '" + base +
                   ".key' -out '" + base + ".csr'",
               log) &&
           Run("openssl x509 -req -in '" + base + ".csr' -CA '" + dir + "/" + ca_name + "-ca.pem' -CAkey '" + dir +
                   "/" + ca_name + "-ca.key' -CAcreateserial -days 2 -extfile '" + conf + "' -extensions " + ext +
                   " -out '" + base + ".crt'",
               log);
  };
  if (!ca("main") || !ca("other") || !leaf("main", "server", "localhost", "server") ||
      !leaf("main", "client", "liitos-client", "client") ||
      !leaf("other", "other-client", "liitos-other-client", "client")) {
    return "openssl failed; see " + log;
  }
  *out = TestPki{dir,
                 dir + "/main-ca.pem",
                 dir + "/server.crt",
                 dir + "/server.key",
                 dir + "/client.crt",
                 dir + "/client.key",
                 dir + "/other-ca.pem",
                 dir + "/other-client.crt",
                 dir + "/other-client.key"};
  return "";
}

// A PKI in its own temporary directory, removed on destruction: make one per test suite
// (SetUpTestSuite) and pass it in ReceiverOptions::pki, since openssl is slow on a busy machine.
class ScopedTestPki {
 public:
  ScopedTestPki() { error_ = MakeTestPki(dir_.path().string(), &pki_); }
  ScopedTestPki(const ScopedTestPki&) = delete;
  ScopedTestPki& operator=(const ScopedTestPki&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const TestPki& pki() const { return pki_; }

 private:
  test_util::ScratchDir dir_;
  std::string error_;
  TestPki pki_;
};

struct ReceiverOptions {
  bool tls = false;                  // serve https with the fixture's PKI
  bool require_client_cert = false;  // with tls: --client-ca (mutual TLS)
  std::string state_file;            // --state, "" for none
  std::optional<TestPki> pki;        // with tls: use this PKI instead of making one (it must
                                     // outlive the fixture; see ScopedTestPki)
  std::vector<std::string> extra_args;
  // The server in tests/fixtures to run: receiver.py, or lv_service.py (the fake Luvat ja
  // valvonta service of SPEC §11, which takes the same TLS options and /_control calls).
  std::string script = "receiver.py";
};

class ReceiverFixture {
 public:
  static constexpr const char* kDefaultPath = "/r1/FI/GOV/0245437-2/LupaJaValvonta/status/v1/batches";

  explicit ReceiverFixture(ReceiverOptions opts = {}) : opts_(std::move(opts)) {
    dir_ = scratch_.path().string();
    log_path_ = dir_ + "/receiver.jsonl";
    if (opts_.tls && opts_.pki) {
      pki_ = *opts_.pki;
    } else if (opts_.tls) {
      if (std::string e = MakeTestPki(dir_, &pki_); !e.empty()) {
        error_ = e;
        return;
      }
    }
    Start();
  }

  ~ReceiverFixture() { Stop(); }

  ReceiverFixture(const ReceiverFixture&) = delete;
  ReceiverFixture& operator=(const ReceiverFixture&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  const std::string& log_path() const { return log_path_; }
  const TestPki& pki() const { return pki_; }

  std::string Url(const std::string& path = kDefaultPath) const {
    return std::string(opts_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }

  // POST /_control with `cmd` (see receiver.py); true on a 200.
  bool Control(const nlohmann::json& cmd) const {
    long status = 0;
    std::string body = Request("POST", cmd.dump(), &status);
    return status == 200;
  }
  bool FailNext(int n, int status = 503, std::optional<int> retry_after_s = std::nullopt) const {
    nlohmann::json cmd = {{"action", "fail"}, {"count", n}, {"status", status}};
    if (retry_after_s) cmd["retry_after"] = *retry_after_s;
    return Control(cmd);
  }
  bool HangNext(double seconds, int n = 1) const {
    return Control({{"action", "hang"}, {"count", n}, {"seconds", seconds}});
  }
  bool ResetNext(int n = 1) const { return Control({{"action", "reset"}, {"count", n}}); }
  bool XroadErrorNext(int status = 500, const std::string& value = "Server.ServerProxy.ServiceFailed",
                      int n = 1) const {
    return Control({{"action", "xroad_error"}, {"count", n}, {"status", status}, {"value", value}});
  }
  bool GarbageNext(int n = 1) const { return Control({{"action", "garbage"}, {"count", n}}); }
  bool RespondNext(int status, const std::string& body = "", const std::map<std::string, std::string>& headers = {},
                   int n = 1) const {
    return Control({{"action", "respond"}, {"count", n}, {"status", status}, {"body", body}, {"headers", headers}});
  }
  bool Reject(const std::vector<std::string>& message_ids, const std::string& code = "REJECTED",
              const std::string& message = "rejected by test") const {
    return Control({{"action", "reject"}, {"messageIds", message_ids}, {"code", code}, {"message", message}});
  }
  bool Clear() const { return Control({{"action", "clear"}}); }

  // Every batch request the receiver saw, oldest first (control calls and HEADs are not logged).
  std::vector<nlohmann::json> Log() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(log_path_);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
    }
    return out;
  }

  // messageId -> how many times it was answered "accepted" (delivered exactly once: all 1s).
  std::map<std::string, int> AcceptedCounts() const {
    std::map<std::string, int> counts;
    for (const auto& e : Log()) {
      if (!e.is_object() || !e.contains("results")) continue;
      for (const auto& r : e["results"]) {
        if (r.value("result", "") == "accepted") ++counts[r.value("messageId", "")];
      }
    }
    return counts;
  }

 private:
  void Start() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      error_ = "pipe failed";
      return;
    }
    std::vector<std::string> args = {"python3", std::string(LIITOS_SOURCE_DIR) + "/tests/fixtures/" + opts_.script,
                                      "--port", "0", "--log", log_path_};
    if (!opts_.state_file.empty()) args.insert(args.end(), {"--state", opts_.state_file});
    if (opts_.tls) args.insert(args.end(), {"--cert", pki_.server_cert, "--key", pki_.server_key});
    if (opts_.tls && opts_.require_client_cert) args.insert(args.end(), {"--client-ca", pki_.ca_cert});
    args.insert(args.end(), opts_.extra_args.begin(), opts_.extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string err_path = dir_ + "/receiver.stderr";

    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(fds[1], STDOUT_FILENO);
      int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      ::execvp("python3", argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    if (pid_ < 0) {
      ::close(fds[0]);
      error_ = "fork failed";
      return;
    }
    ReadPort(fds[0]);
    ::close(fds[0]);
  }

  void ReadPort(int fd) {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[128];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    if (line.rfind("LISTENING ", 0) != 0) {
      error_ = "receiver.py did not start (see " + dir_ + "/receiver.stderr): " + line;
      return;
    }
    port_ = std::atoi(line.c_str() + 10);
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  std::string Request(const char* method, const std::string& body, long* status) const {
    std::string answer;
    CURL* c = curl_easy_init();
    if (c == nullptr) return answer;
    std::string url = Url("/_control");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &receiver_detail::CollectBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    if (opts_.tls) {
      curl_easy_setopt(c, CURLOPT_CAINFO, pki_.ca_cert.c_str());
      curl_easy_setopt(c, CURLOPT_SSLCERT, pki_.client_cert.c_str());
      curl_easy_setopt(c, CURLOPT_SSLKEY, pki_.client_key.c_str());
    }
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    return answer;
  }

  ReceiverOptions opts_;
  std::string error_;
  test_util::ScratchDir scratch_;  // removed after Stop()
  std::string dir_;
  std::string log_path_;
  TestPki pki_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace liitos::testing
