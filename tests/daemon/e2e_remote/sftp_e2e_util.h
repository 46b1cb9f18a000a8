#pragma once
// Helpers for end-to-end tests of the SFTP drop through the real binary against a real sshd
// (tests/transports/sftp/sshd_fixture.h): the config of tests/data/e2e/sftp.toml.in (an sftp source
// "etakone" on the fixture, a local drop "rakval", a dir destination "outbound"), files dropped
// on either side, delivered messageIds, log lines at a priority.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/daemon/e2e_remote/xroad_e2e_util.h"
#include "tests/transports/sftp/sshd_fixture.h"

namespace liitos::e2e {

using liitos::testing::SshdFixture;

struct SftpConfig {
  std::string poll = "300ms";
  std::string interval = "1h";
  std::string extra;     // more lines of the sftp source
  std::string identity;  // default: the fixture's ed25519 key
};

// messageId -> how many times it was delivered, over every batch file under `dir`.
inline std::map<std::string, int> Delivered(const fs::path& dir) {
  std::map<std::string, int> out;
  for (const auto& f : FilesUnder(dir)) {
    if (f.extension() != ".json" || f.filename().string()[0] == '.') continue;
    auto doc = nlohmann::json::parse(ReadAll(f), nullptr, false);
    if (!doc.is_object()) continue;
    for (const auto& item : doc["items"]) out[item["messageId"].get<std::string>()]++;
  }
  return out;
}

// The stderr lines at sd-daemon priority `prio` ("<3>" = error) that contain `needle`.
inline std::vector<std::string> LogLines(const std::string& log, const std::string& prio, const std::string& needle) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prio, 0) == 0 && line.find(needle) != std::string::npos) out.push_back(line);
  return out;
}

class SftpE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(Remote("drop"));
    fs::create_directories(root() / "rakval/in");
    fs::create_directories(root() / "outbound");
  }
  fs::path root() const { return dir_.path(); }
  fs::path Remote(const std::string& rel) const { return fs::path(sshd_.root()) / rel; }

  fs::path Config(const SftpConfig& c = {}) {
    std::string text = ReadAll(fs::path(TestData()) / "e2e/sftp.toml.in");
    ReplaceAll(&text, "@ROOT@", root().string());
    ReplaceAll(&text, "@SFTP_ROOT@", sshd_.root());
    ReplaceAll(&text, "@PORT@", std::to_string(sshd_.port()));
    ReplaceAll(&text, "@USER@", sshd_.user());
    ReplaceAll(&text, "@IDENTITY@", c.identity.empty() ? sshd_.ed25519_key() : c.identity);
    ReplaceAll(&text, "@KNOWN_HOSTS@", sshd_.known_hosts());
    ReplaceAll(&text, "@POLL@", c.poll);
    ReplaceAll(&text, "@INTERVAL@", c.interval);
    ReplaceAll(&text, "@EXTRA@", c.extra);
    cfg_ = root() / "liitos.toml";
    WriteAll(cfg_, text);
    return cfg_;
  }
  // Writes a file beside the drop and renames it in, as a careful legacy exporter would.
  void DropRemote(const std::string& name, const std::string& data) {
    WriteAll(Remote("staging") / name, data);
    fs::rename(Remote("staging") / name, Remote("drop") / name);
  }
  void DropLocal(const std::string& name, const std::string& data) {
    WriteAll(root() / "staging" / name, data);
    fs::rename(root() / "staging" / name, root() / "rakval/in" / name);
  }
  RunResult Once() { return RunLiitos({"run", "--once", "--config", cfg_.string()}); }
  // FILE_RECEIVED events of the sftp source.
  nlohmann::json RemoteReceived() {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : JournalEvents(cfg_, "FILE_RECEIVED"))
      if (e.value("source", "") == "etakone") out.push_back(e);
    return out;
  }

  ScratchDir dir_;
  SshdFixture sshd_;
  fs::path cfg_;
};

}  // namespace liitos::e2e
