#include "base/fs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "tests/base/test_util.h"

namespace liitos {
namespace {

namespace stdfs = std::filesystem;
using test_util::ScratchDir;

std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : stdfs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

std::string Slurp(const std::string& path) {
  auto r = ReadFile(path);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

void Touch(const std::string& path, const std::string& data = "x") { std::ofstream(path, std::ios::binary) << data; }

TEST(WriteFileAtomicTest, WritesAndReplaces) {
  ScratchDir dir;
  std::string path = dir / "state.json";
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  EXPECT_EQ(Slurp(path), "first");
  ASSERT_TRUE(WriteFileAtomic(path, std::string("second\0bin", 10)).ok());
  EXPECT_EQ(Slurp(path), std::string("second\0bin", 10));
  ASSERT_TRUE(WriteFileAtomic(path, "").ok());
  EXPECT_EQ(Slurp(path), "");
  EXPECT_EQ(Listing(dir.path()), std::set<std::string>{"state.json"});  // no temporary files left
}

TEST(WriteFileAtomicTest, MissingDirectoryFailsWithoutLeftovers) {
  ScratchDir dir;
  Status s = WriteFileAtomic(dir / "no/such/file", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Listing(dir.path()).empty());
}

TEST(WriteFileAtomicTest, RelativePathInCurrentDirectory) {
  ScratchDir dir;
  std::string old = stdfs::current_path();
  stdfs::current_path(dir.path());
  Status s = WriteFileAtomic("plain.txt", "hello");
  stdfs::current_path(old);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Slurp(dir / "plain.txt"), "hello");
  EXPECT_EQ(Listing(dir.path()), std::set<std::string>{"plain.txt"});
}

TEST(CopyFileDurableTest, CopiesBytesExactly) {
  ScratchDir dir;
  std::string data = std::string("a\0b\r\n\xff", 6);
  Touch(dir / "src", data);
  uint64_t n = 99;
  ASSERT_TRUE(CopyFileDurable(dir / "src", dir / "dst", &n).ok());
  EXPECT_EQ(n, data.size());
  EXPECT_EQ(Slurp(dir / "dst"), data);
  EXPECT_EQ(Listing(dir.path()), (std::set<std::string>{"src", "dst"}));
}

TEST(CopyFileDurableTest, CopiesLargeFileAndReportsBytes) {
  ScratchDir dir;
  std::string data(3 * (1 << 20) + 17, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 11);
  Touch(dir / "big", data);
  uint64_t n = 0;
  ASSERT_TRUE(CopyFileDurable(dir / "big", dir / "big.copy", &n).ok());
  EXPECT_EQ(n, data.size());
  EXPECT_EQ(Slurp(dir / "big.copy"), data);
}

TEST(CopyFileDurableTest, EmptyFileAndNullCounter) {
  ScratchDir dir;
  Touch(dir / "empty", "");
  ASSERT_TRUE(CopyFileDurable(dir / "empty", dir / "copy", nullptr).ok());
  EXPECT_EQ(Slurp(dir / "copy"), "");
}

TEST(CopyFileDurableTest, ReplacesExistingTarget) {
  ScratchDir dir;
  Touch(dir / "src", "new");
  Touch(dir / "dst", "old and longer");
  uint64_t n = 0;
  ASSERT_TRUE(CopyFileDurable(dir / "src", dir / "dst", &n).ok());
  EXPECT_EQ(Slurp(dir / "dst"), "new");
  EXPECT_EQ(n, 3u);
}

TEST(CopyFileDurableTest, RefusesSymlinkSource) {
  ScratchDir dir;
  Touch(dir / "real", "secret");
  stdfs::create_symlink(dir / "real", dir / "link");
  uint64_t n = 42;
  Status s = CopyFileDurable(dir / "link", dir / "dst", &n);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(n, 42u);
  EXPECT_FALSE(stdfs::exists(dir / "dst"));
  EXPECT_FALSE(stdfs::exists(dir / "dst.tmp"));
}

TEST(CopyFileDurableTest, MissingSourceIsNotFound) {
  ScratchDir dir;
  Status s = CopyFileDurable(dir / "nope", dir / "dst", nullptr);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_TRUE(Listing(dir.path()).empty());
}

TEST(CopyFileDurableTest, CopyHasMode0640) {
  ScratchDir dir;
  Touch(dir / "src", "x");
  ::chmod((dir / "src").c_str(), 0644);
  mode_t old = ::umask(022);
  Status s = CopyFileDurable(dir / "src", dir / "dst", nullptr);
  ::umask(old);
  ASSERT_TRUE(s.ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir / "dst").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(ReadFileTest, MissingIsNotFound) {
  ScratchDir dir;
  auto r = ReadFile(dir / "nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(MakeDirsTest, CreatesParentsAndIsIdempotent) {
  ScratchDir dir;
  std::string deep = dir / "a/b/c";
  ASSERT_TRUE(MakeDirs(deep).ok());
  EXPECT_TRUE(stdfs::is_directory(deep));
  EXPECT_TRUE(MakeDirs(deep).ok());
  EXPECT_TRUE(MakeDirs(dir.path()).ok());
}

TEST(MakeDirsTest, TrailingSlashRelativeAndEmpty) {
  ScratchDir dir;
  ASSERT_TRUE(MakeDirs(dir / "t/u/").ok());
  EXPECT_TRUE(stdfs::is_directory(dir / "t/u"));
  std::string old = stdfs::current_path();
  stdfs::current_path(dir.path());
  Status rel = MakeDirs("r/s");
  Status dot = MakeDirs("./r/../q");
  stdfs::current_path(old);
  EXPECT_TRUE(rel.ok()) << rel.ToString();
  EXPECT_TRUE(dot.ok()) << dot.ToString();
  EXPECT_TRUE(stdfs::is_directory(dir / "r/s"));
  EXPECT_TRUE(stdfs::is_directory(dir / "q"));
  EXPECT_FALSE(MakeDirs("").ok());
}

TEST(MakeDirsTest, NewDirectoriesHaveMode0750) {
  ScratchDir dir;
  mode_t old = ::umask(022);
  Status s = MakeDirs(dir / "x/y");
  ::umask(old);
  ASSERT_TRUE(s.ok());
  for (const char* sub : {"x", "x/y"}) {
    struct stat st {};
    ASSERT_EQ(::stat((dir / sub).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0750u) << sub;
  }
}

TEST(MakeDirsTest, FileInTheWayFails) {
  ScratchDir dir;
  Touch(dir / "file");
  EXPECT_FALSE(MakeDirs(dir / "file").ok());
  EXPECT_FALSE(MakeDirs(dir / "file/sub").ok());
}

TEST(UniqueNameTest, CountsUpBeforeTheExtension) {
  ScratchDir dir;
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.csv");
  Touch(dir / "a.csv");
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.1.csv");
  Touch(dir / "a.1.csv");
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.2.csv");
  Touch(dir / "noext");
  EXPECT_EQ(UniqueName(dir.path(), "noext"), "noext.1");
}

TEST(UniqueNameTest, DanglingSymlinkCountsAsTaken) {
  ScratchDir dir;
  stdfs::create_symlink(dir / "gone", dir / "a.csv");
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.1.csv");
}

TEST(RenameNoReplaceTest, MovesWhenTargetIsFree) {
  ScratchDir dir;
  Touch(dir / "from", "data");
  ASSERT_TRUE(RenameNoReplace(dir / "from", dir / "to").ok());
  EXPECT_FALSE(stdfs::exists(dir / "from"));
  EXPECT_EQ(Slurp(dir / "to"), "data");
}

TEST(RenameNoReplaceTest, RefusesExistingTarget) {
  ScratchDir dir;
  Touch(dir / "from", "new");
  Touch(dir / "to", "old");
  Status s = RenameNoReplace(dir / "from", dir / "to");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("exists"), std::string::npos);
  EXPECT_EQ(Slurp(dir / "to"), "old");
  EXPECT_EQ(Slurp(dir / "from"), "new");
}

TEST(RenameNoReplaceTest, MissingSourceIsNotFound) {
  ScratchDir dir;
  EXPECT_EQ(RenameNoReplace(dir / "nope", dir / "to").code(), Status::Code::kNotFound);
}

TEST(MoveToUniqueTest, NeverOverwrites) {
  ScratchDir dir;
  std::string archive = dir / "archive/2026";
  for (int i = 0; i < 3; ++i) {
    std::string src = dir / ("in" + std::to_string(i));
    Touch(src, "payload " + std::to_string(i));
    auto r = MoveToUnique(src, archive, "a.csv");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(stdfs::exists(src));
  }
  EXPECT_EQ(Listing(archive), (std::set<std::string>{"a.csv", "a.1.csv", "a.2.csv"}));
  EXPECT_EQ(Slurp(archive + "/a.csv"), "payload 0");
  EXPECT_EQ(Slurp(archive + "/a.1.csv"), "payload 1");
  EXPECT_EQ(Slurp(archive + "/a.2.csv"), "payload 2");
}

TEST(MoveToUniqueTest, ReturnsFinalPath) {
  ScratchDir dir;
  Touch(dir / "src", "x");
  Touch(dir / "b.xml", "occupied");
  auto r = MoveToUnique(dir / "src", dir.path(), "b.xml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, dir / "b.1.xml");
  EXPECT_EQ(Slurp(*r), "x");
  EXPECT_EQ(Slurp(dir / "b.xml"), "occupied");
}

TEST(MoveToUniqueTest, SkipsDanglingSymlink) {
  ScratchDir dir;
  Touch(dir / "src", "x");
  MakeDirs(dir / "out");
  stdfs::create_symlink(dir / "gone", dir / "out/c.csv");
  auto r = MoveToUnique(dir / "src", dir / "out", "c.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, dir / "out/c.1.csv");
}

TEST(MoveToUniqueTest, MissingSourceFails) {
  ScratchDir dir;
  auto r = MoveToUnique(dir / "nope", dir / "out", "a.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(FsyncDirTest, ExistingAndMissing) {
  ScratchDir dir;
  EXPECT_TRUE(FsyncDir(dir.path()).ok());
  EXPECT_EQ(FsyncDir(dir / "nope").code(), Status::Code::kNotFound);
}

size_t OpenDescriptors() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : stdfs::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// Handed a SyncBatch, a file's sync is deferred: the caller may close its descriptor at once, the
// batch keeps its own until Flush(), and nothing is left open afterwards.
TEST(SyncBatchTest, DefersFileSyncsUntilFlush) {
  ScratchDir dir;
  size_t before = OpenDescriptors();
  {
    SyncBatch batch;
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(WriteFileAtomic(dir / ("f" + std::to_string(i)), "data " + std::to_string(i), &batch).ok());
    EXPECT_EQ(OpenDescriptors(), before + 5);  // one kept per file written
    // A batch alive on this thread changes nothing for a call that is not handed it.
    ASSERT_TRUE(WriteFileAtomic(dir / "now", "y").ok());
    EXPECT_EQ(OpenDescriptors(), before + 5);
    EXPECT_TRUE(batch.Flush().ok());
    EXPECT_EQ(OpenDescriptors(), before);
  }
  EXPECT_EQ(Slurp(dir / "f3"), "data 3");
  EXPECT_EQ(Slurp(dir / "now"), "y");
}

// A sync that fails surfaces at Flush(), naming the file, and every other file is still synced
// and closed.
TEST(SyncBatchTest, FailedSyncSurfacesAtFlush) {
  ScratchDir dir;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  size_t before = OpenDescriptors();
  SyncBatch batch;
  ASSERT_TRUE(WriteFileAtomic(dir / "a", "a", &batch).ok());
  EXPECT_TRUE(FsyncFile(pipe_fds[1], "the-pipe", &batch).ok());  // fdatasync on a pipe fails: EINVAL
  ASSERT_TRUE(WriteFileAtomic(dir / "b", "b", &batch).ok());
  Status s = batch.Flush();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("the-pipe"), std::string::npos) << s.ToString();
  EXPECT_EQ(OpenDescriptors(), before);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST(SyncBatchTest, ManyFilesAreSyncedEarlyNotLeaked) {
  ScratchDir dir;
  size_t before = OpenDescriptors();
  SyncBatch batch;
  for (int i = 0; i < 600; ++i) ASSERT_TRUE(WriteFileAtomic(dir / ("m" + std::to_string(i)), "m", &batch).ok());
  EXPECT_LT(OpenDescriptors(), before + 300);  // at most 256 held at once
  EXPECT_TRUE(batch.Flush().ok());
  EXPECT_EQ(OpenDescriptors(), before);
}

}  // namespace
}  // namespace liitos
