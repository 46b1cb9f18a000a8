#pragma once
// The one scratch folder of the tests: a fresh directory made for a test and removed, with
// everything in it, when the ScratchDir goes out of scope. Every test that needs files on disk
// uses it (a journal, a drop folder, a spool, a config for the binary, an sshd's root).
//
// The directory is made with mkdtemp under $TMPDIR (or /tmp when unset), so parallel tests and
// parallel ctest runs never share one. Set LIITOS_KEEP_TEST_DIRS=1 to keep the folders of a run
// for a look afterwards.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>

namespace liitos::test_util {

class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/liitos-test.XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp " << tmpl << " failed";
    path_ = tmpl;
  }
  ~ScratchDir() {
    if (std::getenv("LIITOS_KEEP_TEST_DIRS")) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the folder, as text.
  std::string operator/(std::string_view name) const { return (path_ / name).string(); }
  // Writes `bytes` to `name` inside the folder (its parent folders made); returns its path.
  std::string Write(std::string_view name, std::string_view bytes) const {
    std::filesystem::path p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }

 private:
  std::filesystem::path path_;
};

// The names in folder `dir` (no recursion).
inline std::set<std::string> FileNames(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

// The whole content of the file at `path` ("" when it cannot be read).
inline std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace liitos::test_util
