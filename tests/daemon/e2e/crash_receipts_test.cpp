// `kill -9` while a receipt is being written (found by bench/kill_campaign.sh): the receipt of a
// large file is staged in {state_dir}/spool/.receipts and copied into the receipts folder under a
// temporary dotfile name. A kill in between left both behind for good: the staged copy in the
// state directory, and the temporary in the legacy side's receipts folder. After the restart the
// receipt is written again from the journal, and neither is left over.

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/inotify.h>

#include "tests/daemon/e2e/e2e_util.h"

namespace liitos::e2e {
namespace {

using namespace std::chrono_literals;

// Files whose name starts with '.' in `dir` (the temporaries of an atomic write).
std::vector<fs::path> DotFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& f : FilesUnder(dir))
    if (f.filename().string()[0] == '.') out.push_back(f);
  return out;
}

// Waits (at most `timeout`) for a file whose name starts with '.' to be created in the folder
// that `fd` (inotify) watches.
bool WaitForDotFile(int fd, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  alignas(inotify_event) char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    for (ssize_t off = 0; off < n;) {
      auto* e = reinterpret_cast<inotify_event*>(buf + off);
      if (e->len > 0 && e->name[0] == '.') return true;
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
  }
}

TEST(CrashReceiptsTest, Kill9WhileAReceiptIsWrittenLeavesNoTemporaryBehind) {
  ScratchDir dir;
  const fs::path root = dir.path();
  fs::path cfg = WriteServiceConfig(root, "100ms", "1h");
  const fs::path receipts = root / "rakval/receipts", staging = root / "state/spool/.receipts";
  fs::create_directories(receipts);
  int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  ASSERT_GE(fd, 0);
  ASSERT_GE(::inotify_add_watch(fd, receipts.c_str(), IN_CREATE), 0);

  // A file over 1 MiB takes the streamed path: its receipt is staged, then copied. Killed as the
  // copy begins; a kill can miss that moment (the process may be faster), so a few files are tried.
  std::vector<std::string> names;
  bool caught = false;
  for (int attempt = 0; attempt < 6 && !caught; ++attempt) {
    std::vector<CsvRow> rows;
    for (int r = 0; r < 40000; ++r)
      rows.push_back({"LV-R" + std::to_string(attempt) + "-" + std::to_string(r), "20", "03.11.2026"});
    std::string name = "iso" + std::to_string(attempt) + ".csv";
    WriteAll(root / "staging" / name, RakvalCsv(rows));
    fs::rename(root / "staging" / name, root / "rakval/in" / name);
    names.push_back(name);
    Daemon d({"run", "--config", cfg.string()}, root / "daemon.log");
    bool seen = WaitForDotFile(fd, 60s);
    d.Kill9();
    ASSERT_TRUE(seen) << "no receipt was written: " << ReadAll(root / "daemon.log");
    caught = !DotFiles(receipts).empty() || !FilesUnder(staging).empty();
  }
  ::close(fd);
  ASSERT_TRUE(caught) << "no kill landed while a receipt was being written";

  auto r = RunLiitos({"run", "--once", "--config", cfg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 3000);
  for (const auto& name : names) EXPECT_TRUE(fs::exists(receipts / (name + ".receipt.csv"))) << name;
  EXPECT_TRUE(DotFiles(receipts).empty()) << DotFiles(receipts).front();
  EXPECT_TRUE(FilesUnder(staging).empty()) << FilesUnder(staging).front();
  EXPECT_TRUE(FilesUnder(root / "rakval/in").empty());
  EXPECT_EQ(RunLiitos({"journal", "verify", "--config", cfg.string()}).exit_code, 0);
}

}  // namespace
}  // namespace liitos::e2e
