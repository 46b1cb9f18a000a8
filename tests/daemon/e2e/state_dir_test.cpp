// The state directory through the real binary: what liitos creates is 0640 / 0750 whatever the
// umask (SPEC §7), one `run` per state_dir (SPEC §10), and overlapping folders are refused (SPEC §3).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;

mode_t ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// Everything under `dir` (files and folders), recursively.
std::set<fs::path> Tree(const fs::path& dir) {
  std::set<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it)
    out.insert(it->path());
  return out;
}

class StateDirTest : public ::testing::Test {
 protected:
  fs::path root() const { return dir_.path(); }
  ScratchDir dir_;
};

TEST_F(StateDirTest, EverythingCreatedIs0640Or0750UnderUmaskZero) {
  fs::path cfg = WriteServiceConfig(root(), "200ms", "1s");
  {
    std::string text = ReadAll(cfg);
    ReplaceAll(&text, "log_level = \"info\"", "log_level = \"info\"\nmetrics_file = \"" + root().string() +
                                                   "/metrics/liitos.prom\"");
    WriteAll(cfg, text);
  }
  fs::create_directories(root() / "metrics");
  // The folders the test made (state/ among them, 0755 like a careless installer's) and the
  // legacy export, written 0640 by the legacy side.
  fs::permissions(root() / "state", fs::perms(0755));
  WriteAll(root() / "rakval/in/modes.csv", RakvalCsv({{"LV-MODE-1", "10", "02.11.2026"}}));
  fs::permissions(root() / "rakval/in/modes.csv", fs::perms(0640));
  std::set<fs::path> before = Tree(root());
  before.erase(root() / "state");

  mode_t saved = ::umask(0);
  Daemon d({"run", "--config", cfg.string()}, root() / "daemon.log");
  ::umask(saved);

  const fs::path state = root() / "state";
  ASSERT_TRUE(WaitUntil([&] { return !FilesUnder(root() / "outbound").empty(); }, 20s))
      << ReadAll(root() / "daemon.log");
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(root() / "rakval/receipts/modes.csv.delivery.csv"); }, 20s))
      << ReadAll(root() / "daemon.log");
  // While it runs the journal has its -wal and -shm.
  ASSERT_TRUE(fs::exists(state / "journal.db-wal"));
  ASSERT_TRUE(fs::exists(state / "journal.db-shm"));
  EXPECT_EQ(ModeOf(state), 0750u);
  for (const char* f : {"journal.db", "journal.db-wal", "journal.db-shm", "lock"})
    EXPECT_EQ(ModeOf(state / f), 0640u) << f;
  d.Signal(SIGTERM);
  ASSERT_EQ(d.Wait(10s), 0) << ReadAll(root() / "daemon.log");

  ASSERT_TRUE(fs::exists(root() / "metrics/liitos.prom"));
  ASSERT_FALSE(FilesUnder(root() / "rakval/archive").empty());
  size_t checked = 0;
  for (const fs::path& p : Tree(root())) {
    if (before.count(p) || p == root() / "daemon.log") continue;
    mode_t mode = ModeOf(p);
    if (fs::is_directory(fs::symlink_status(p))) {
      EXPECT_EQ(mode & ~0750u, 0u) << p << " is a folder with mode " << std::oct << mode;
    } else {
      EXPECT_EQ(mode & ~0640u, 0u) << p << " has mode " << std::oct << mode;
    }
    ++checked;
  }
  EXPECT_GE(checked, 8u);  // state, journal, spool, receipts, archive, batch, metrics, lock
}

TEST_F(StateDirTest, ASecondRunOnTheSameStateDirExitsOneNamingTheHolder) {
  fs::path cfg = WriteServiceConfig(root());
  Daemon first({"run", "--config", cfg.string()}, root() / "first.log");
  const fs::path lock = root() / "state/lock";
  const std::string pid = std::to_string(first.pid());
  ASSERT_TRUE(WaitUntil([&] { return fs::exists(lock) && ReadAll(lock) == pid + "\n"; }, 10s))
      << ReadAll(root() / "first.log");

  auto started = std::chrono::steady_clock::now();
  auto second = RunLiitos({"run", "--config", cfg.string()});
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("another liitos (pid " + pid + ") holds " + lock.string()), std::string::npos)
      << second.err;
  EXPECT_LT(took, 3s);  // at once, not after a timeout
  EXPECT_EQ(RunLiitos({"run", "--once", "--config", cfg.string()}).exit_code, 1);

  // Read-only commands need no lock.
  EXPECT_EQ(RunLiitos({"status", "--config", cfg.string()}).exit_code, 0);
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg.string()}).exit_code, 0);
  EXPECT_EQ(RunLiitos({"check", "--config", cfg.string()}).exit_code, 0);

  first.Signal(SIGTERM);
  ASSERT_EQ(first.Wait(10s), 0);
  // Released with the process: the next run takes it.
  auto next = RunLiitos({"run", "--once", "--config", cfg.string()});
  EXPECT_EQ(next.exit_code, 0) << next.err;
}

TEST_F(StateDirTest, CheckAndRunRefuseReceiptsInsideAnInbox) {
  fs::path cfg = WriteServiceConfig(root());
  std::string text = ReadAll(cfg);
  ReplaceAll(&text, "receipts = \"" + root().string() + "/rakval/receipts\"",
             "receipts = \"" + root().string() + "/rakval/in/receipts\"");
  WriteAll(cfg, text);
  for (const char* cmd : {"check", "run"}) {
    auto r = RunLiitos({cmd, "--config", cfg.string()});
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find("source[rakval].receipts: '" + root().string() + "/rakval/in/receipts' lies inside "
                         "source[rakval].path '" + root().string() + "/rakval/in', an inbox"),
              std::string::npos)
        << cmd << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(root() / "state/journal.db"));
}

}  // namespace
}  // namespace liitos::e2e
