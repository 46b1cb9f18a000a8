#include "base/fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "base/crypto/hash.h"
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

TEST(FsTest, WriteFileAtomicWritesAndReplaces) {
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

TEST(FsTest, WriteFileAtomicMissingDirectoryFailsWithoutLeftovers) {
  ScratchDir dir;
  Status s = WriteFileAtomic(dir / "no/such/file", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(Listing(dir.path()).empty());
}

TEST(FsTest, WriteFileAtomicRelativePathInCurrentDirectory) {
  ScratchDir dir;
  std::string old = stdfs::current_path();
  stdfs::current_path(dir.path());
  Status s = WriteFileAtomic("plain.txt", "hello");
  stdfs::current_path(old);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Slurp(dir / "plain.txt"), "hello");
  EXPECT_EQ(Listing(dir.path()), std::set<std::string>{"plain.txt"});
}

// CopyToNewFile from an open file, as the dir source's intake and archive copies call it.
Status CopyInto(const stdfs::path& from, const stdfs::path& to, uint64_t* n, Sha256* hash = nullptr) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Status::FromErrno("open " + from.string(), errno);
  Status s = CopyToNewFile(in, from.string(), to.string(), n, hash);
  ::close(in);
  return s;
}

TEST(FsTest, CopyToNewFileCopiesBytesExactly) {
  ScratchDir dir;
  std::string data = std::string("a\0b\r\n\xff", 6);
  Touch(dir / "src", data);
  uint64_t n = 99;
  ASSERT_TRUE(CopyInto(dir / "src", dir / "dst", &n).ok());
  EXPECT_EQ(n, data.size());
  EXPECT_EQ(Slurp(dir / "dst"), data);
  EXPECT_EQ(Listing(dir.path()), (std::set<std::string>{"src", "dst"}));
}

TEST(FsTest, CopyToNewFileCopiesLargeFileAndHashesIt) {
  ScratchDir dir;
  std::string data(3 * (1 << 20) + 17, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 2654435761u) >> 11);
  Touch(dir / "big", data);
  uint64_t n = 0;
  Sha256 hash;
  ASSERT_TRUE(CopyInto(dir / "big", dir / "big.copy", &n, &hash).ok());
  EXPECT_EQ(n, data.size());
  EXPECT_EQ(Slurp(dir / "big.copy"), data);
  EXPECT_EQ(hash.HexDigest(), Sha256Hex(data));
}

TEST(FsTest, CopyToNewFileEmptyFile) {
  ScratchDir dir;
  Touch(dir / "empty", "");
  uint64_t n = 99;
  ASSERT_TRUE(CopyInto(dir / "empty", dir / "copy", &n).ok());
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(Slurp(dir / "copy"), "");
}

TEST(FsTest, CopyToNewFileNeverWritesThroughASymlink) {
  ScratchDir dir;
  Touch(dir / "src", "new");
  Touch(dir / "victim", "keep");
  stdfs::create_symlink(dir / "victim", dir / "dst");
  uint64_t n = 42;
  EXPECT_FALSE(CopyInto(dir / "src", dir / "dst", &n).ok());
  EXPECT_EQ(n, 42u);
  EXPECT_EQ(Slurp(dir / "victim"), "keep");
}

TEST(FsTest, CopyToNewFileCopyHasMode0640) {
  ScratchDir dir;
  Touch(dir / "src", "x");
  ::chmod((dir / "src").c_str(), 0644);
  mode_t old = ::umask(022);
  uint64_t n = 0;
  Status s = CopyInto(dir / "src", dir / "dst", &n);
  ::umask(old);
  ASSERT_TRUE(s.ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir / "dst").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(FsTest, ReadFileMissingIsNotFound) {
  ScratchDir dir;
  auto r = ReadFile(dir / "nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(FsTest, MakeDirsCreatesParentsAndIsIdempotent) {
  ScratchDir dir;
  std::string deep = dir / "a/b/c";
  ASSERT_TRUE(MakeDirs(deep).ok());
  EXPECT_TRUE(stdfs::is_directory(deep));
  EXPECT_TRUE(MakeDirs(deep).ok());
  EXPECT_TRUE(MakeDirs(dir.path()).ok());
}

TEST(FsTest, MakeDirsTrailingSlashRelativeAndEmpty) {
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

TEST(FsTest, MakeDirsNewDirectoriesHaveMode0750) {
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

TEST(FsTest, MakeDirsFileInTheWayFails) {
  ScratchDir dir;
  Touch(dir / "file");
  EXPECT_FALSE(MakeDirs(dir / "file").ok());
  EXPECT_FALSE(MakeDirs(dir / "file/sub").ok());
}

TEST(FsTest, UniqueNameCountsUpBeforeTheExtension) {
  ScratchDir dir;
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.csv");
  Touch(dir / "a.csv");
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.1.csv");
  Touch(dir / "a.1.csv");
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.2.csv");
  Touch(dir / "noext");
  EXPECT_EQ(UniqueName(dir.path(), "noext"), "noext.1");
}

TEST(FsTest, UniqueNameDanglingSymlinkCountsAsTaken) {
  ScratchDir dir;
  stdfs::create_symlink(dir / "gone", dir / "a.csv");
  EXPECT_EQ(UniqueName(dir.path(), "a.csv"), "a.1.csv");
}

TEST(FsTest, RenameNoReplaceMovesWhenTargetIsFree) {
  ScratchDir dir;
  Touch(dir / "from", "data");
  ASSERT_TRUE(RenameNoReplace(dir / "from", dir / "to").ok());
  EXPECT_FALSE(stdfs::exists(dir / "from"));
  EXPECT_EQ(Slurp(dir / "to"), "data");
}

TEST(FsTest, RenameNoReplaceRefusesExistingTarget) {
  ScratchDir dir;
  Touch(dir / "from", "new");
  Touch(dir / "to", "old");
  Status s = RenameNoReplace(dir / "from", dir / "to");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("exists"), std::string::npos);
  EXPECT_EQ(Slurp(dir / "to"), "old");
  EXPECT_EQ(Slurp(dir / "from"), "new");
}

TEST(FsTest, RenameNoReplaceMissingSourceIsNotFound) {
  ScratchDir dir;
  EXPECT_EQ(RenameNoReplace(dir / "nope", dir / "to").code(), Status::Code::kNotFound);
}

TEST(FsTest, MoveToUniqueNeverOverwrites) {
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

TEST(FsTest, MoveToUniqueReturnsFinalPath) {
  ScratchDir dir;
  Touch(dir / "src", "x");
  Touch(dir / "b.xml", "occupied");
  auto r = MoveToUnique(dir / "src", dir.path(), "b.xml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, dir / "b.1.xml");
  EXPECT_EQ(Slurp(*r), "x");
  EXPECT_EQ(Slurp(dir / "b.xml"), "occupied");
}

TEST(FsTest, MoveToUniqueSkipsDanglingSymlink) {
  ScratchDir dir;
  Touch(dir / "src", "x");
  MakeDirs(dir / "out");
  stdfs::create_symlink(dir / "gone", dir / "out/c.csv");
  auto r = MoveToUnique(dir / "src", dir / "out", "c.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, dir / "out/c.1.csv");
}

TEST(FsTest, MoveToUniqueMissingSourceFails) {
  ScratchDir dir;
  auto r = MoveToUnique(dir / "nope", dir / "out", "a.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

TEST(FsTest, yncDirExistingAndMissing) {
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
TEST(FsTest, SyncBatchDefersFileSyncsUntilFlush) {
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
TEST(FsTest, SyncBatchFailedSyncSurfacesAtFlush) {
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

TEST(FsTest, SyncBatchManyFilesAreSyncedEarlyNotLeaked) {
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
