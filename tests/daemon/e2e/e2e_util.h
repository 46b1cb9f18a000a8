#pragma once
// Helpers for end-to-end tests through the real `liitos` binary: a scratch directory, a config
// written from a template, running the binary to completion or in the background, and waiting for
// a condition with a deadline (an event on the filesystem, never a fixed sleep).

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/scratch_dir.h"

namespace liitos::e2e {

namespace fs = std::filesystem;

inline std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteAll(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << data;
}

using test_util::ScratchDir;  // tests/scratch_dir.h

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string Binary() { return LIITOS_BINARY; }

// Runs the binary with `args` to completion and captures stdout and stderr.
// In a forked child: replaces it with the binary run with `args`; exit 127 if that fails.
[[noreturn]] inline void ExecLiitos(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string bin = Binary();
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(bin.c_str(), argv.data());
  _exit(127);
}

inline RunResult RunLiitos(const std::vector<std::string>& args, const fs::path& cwd = fs::current_path()) {
  fs::path out_file = fs::temp_directory_path() / ("liitos-out-" + std::to_string(::getpid()) + "-" +
                                                   std::to_string(std::rand()));
  fs::path err_file = out_file.string() + ".err";
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) _exit(127);
    int o = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ExecLiitos(args);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadAll(out_file);
  r.err = ReadAll(err_file);
  fs::remove(out_file);
  fs::remove(err_file);
  return r;
}

// The binary running in the background; killed (SIGKILL) at destruction if still running.
class Daemon {
 public:
  Daemon(const std::vector<std::string>& args, const fs::path& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ExecLiitos(args);
    }
  }
  ~Daemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  void Signal(int sig) { ::kill(pid_, sig); }
  // Waits for the process to exit; returns its exit code, or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  void Kill9() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// Polls `cond` until it holds or `timeout` passes; returns whether it held. This waits for an
// observable outcome (a file appearing), it does not sleep in place of synchronisation.
inline bool WaitUntil(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

inline std::vector<fs::path> FilesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file()) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string SourceDir() { return LIITOS_SOURCE_DIR; }
inline std::string TestData() { return LIITOS_TEST_DATA; }

// A rakval-csv export (windows-1252, ';', CRLF, the full header) with rows of
// {lvCaseId, legacy status, status date}; the other columns empty.
struct CsvRow {
  std::string lv_case_id, status, date;
};
inline std::string RakvalCsv(const std::vector<CsvRow>& rows) {
  std::string out =
      "Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Edellinen tila;P\xe4\xe4t\xf6spvm;P\xe4\xe4t\xf6s;"
      "Pyk\xe4l\xe4;P\xe4\xe4tt\xe4j\xe4;Viesti;Y-tunnus;Hetu;K\xe4sittelij\xe4\r\n";
  for (const auto& r : rows) out += r.lv_case_id + ";;" + r.status + ";" + r.date + ";;;;;;;;;\r\n";
  return out;
}

inline void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = text->find(from, p)) != std::string::npos; p += to.size()) text->replace(p, from.size(), to);
}

// The service config of tests/data/e2e/service.toml.in for a scratch root, written to root/liitos.toml.
inline fs::path WriteServiceConfig(const fs::path& root, const std::string& settle = "300ms",
                                   const std::string& interval = "1h") {
  std::string text = ReadAll(fs::path(TestData()) / "e2e/service.toml.in");
  ReplaceAll(&text, "@ROOT@", root.string());
  ReplaceAll(&text, "@SETTLE@", settle);
  ReplaceAll(&text, "@INTERVAL@", interval);
  for (const char* d : {"rakval/in", "ymparisto/in", "outbound", "state"}) fs::create_directories(root / d);
  fs::path cfg = root / "liitos.toml";
  WriteAll(cfg, text);
  return cfg;
}

}  // namespace liitos::e2e
