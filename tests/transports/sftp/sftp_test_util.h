#pragma once
// Helpers for the SFTP transport tests: a real sshd (sshd_fixture.h), a FakeClock, and a local
// spool folder. Remote paths are absolute paths inside the fixture's root.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "tests/transports/sftp/sshd_fixture.h"
#include "transports/registry.h"
#include "transports/sftp/sftp_config.h"
#include "transports/sftp/sftp_destination.h"
#include "transports/sftp/sftp_source.h"

namespace liitos::sftptest {

using liitos::testing::SshdFixture;

inline void Put(const std::string& path, const std::string& data, bool append = false) {
  std::ofstream out(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  out << data;
  out.close();
  ASSERT_TRUE(out.good()) << path;
}

inline std::string Get(const std::string& path) { return SshdFixture::ReadText(path); }

inline bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

inline std::set<std::string> Names(const std::string& dir) {
  std::set<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

inline std::set<std::string> CandidateNames(const std::vector<Candidate>& cs) {
  std::set<std::string> out;
  for (const auto& c : cs) out.insert(c.name);
  return out;
}

// One sshd, an inbox ROOT/in, receipts ROOT/receipts, a local spool and state dir.
struct SftpWorld {
  SshdFixture sshd;
  FakeClock clock;
  std::string local;  // spool + state, local
  std::vector<std::pair<std::string, std::string>> refused;  // (endpoint, fingerprint)

  SftpWorld() {
    std::filesystem::create_directories(inbox());
    local = sshd.dir() + "/local";
    std::filesystem::create_directories(local + "/spool");
  }
  std::string inbox() const { return sshd.root() + "/in"; }
  std::string receipts() const { return sshd.root() + "/receipts"; }
  std::string spool(const std::string& name) const { return local + "/spool/" + name; }
  std::string root_file(const std::string& name) const { return sshd.root() + "/" + name; }

  TransportContext Context() {
    TransportContext ctx;
    ctx.clock = &clock;
    ctx.state_dir = local + "/state";
    ctx.on_hostkey_refused = [this](const std::string& ep, const std::string& fp) { refused.emplace_back(ep, fp); };
    return ctx;
  }

  SourceConfig SourceCfg() const {
    SourceConfig cfg;
    cfg.name = "legacy_sftp";
    cfg.kind = "sftp";
    cfg.path = inbox();
    cfg.receipts = receipts();
    MutableKindSettings<SftpSourceSettings>(cfg.settings).poll = std::chrono::seconds(60);
    MutableKindSettings<SftpSourceSettings>(cfg.settings).endpoint = sshd.Endpoint();
    return cfg;
  }

  SourcePtr MakeSource(const SourceConfig& cfg, SftpOptions opts = {}) {
    opts.io_timeout = std::chrono::seconds(20);
    auto r = MakeSftpSource(cfg, Context(), std::move(opts));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  // Poll, advance the clock by `poll`, poll again: what a settled listing offers.
  std::vector<Candidate> PollSettled(Source& src) {
    auto first = src.Poll();
    EXPECT_TRUE(first.ok()) << first.status().ToString();
    clock.Advance(SftpSourceSettingsOf(src.config()).poll);
    auto second = src.Poll();
    EXPECT_TRUE(second.ok()) << second.status().ToString();
    return second.ok() ? *second : std::vector<Candidate>{};
  }
};

}  // namespace liitos::sftptest
