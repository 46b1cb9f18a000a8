#pragma once
// Helpers for the dir transport tests: a real temporary folder tree
// (ROOT/in, ROOT/archive, ROOT/error, ROOT/receipts) and a FakeClock, so no test sleeps.

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "base/time/clock.h"
#include "tests/scratch_dir.h"
#include "transports/dir/dir_source.h"
#include "transports/registry.h"

namespace liitos::dirtest {

inline void WriteText(const std::string& path, const std::string& data, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << data;
  out.close();
  ASSERT_TRUE(out.good()) << path;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// The names in `dir`, without "." and "..".
inline std::set<std::string> Names(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) out.insert(e.path().filename().string());
  return out;
}

inline std::set<std::string> CandidateNames(const std::vector<Candidate>& cs) {
  std::set<std::string> out;
  for (const auto& c : cs) out.insert(c.name);
  return out;
}

class DirFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = scratch_.path().string();
    inbox_ = root_ + "/in";
    std::filesystem::create_directories(inbox_);
    cfg_.name = "rakval";
    cfg_.kind = "dir";
    cfg_.path = inbox_;
    cfg_.receipts = root_ + "/receipts";
    cfg_.settle = std::chrono::seconds(5);
    ctx_.clock = &clock_;
  }
  void TearDown() override { source_.reset(); }

  // Builds the source from cfg_ (call after adjusting cfg_).
  Source& Open() {
    auto r = MakeDirSource(cfg_, ctx_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    source_ = std::move(r).value();
    return *source_;
  }

  std::vector<Candidate> PollOk() {
    auto r = source_->Poll();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : std::vector<Candidate>{};
  }

  // Polls, lets `settle` pass on the fake clock, polls again.
  std::vector<Candidate> PollSettled() {
    PollOk();
    clock_.Advance(cfg_.settle);
    return PollOk();
  }

  std::string In(const std::string& name) const { return inbox_ + "/" + name; }

  test_util::ScratchDir scratch_;
  std::string root_, inbox_;
  FakeClock clock_;
  SourceConfig cfg_;
  TransportContext ctx_;
  SourcePtr source_;
};

}  // namespace liitos::dirtest
