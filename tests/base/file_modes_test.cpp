#include "base/file_modes.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "base/fs.h"
#include "tests/base/test_util.h"

namespace liitos {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Restores the process umask after a test changed it.
struct UmaskGuard {
  mode_t saved = ::umask(0);
  UmaskGuard() { ::umask(saved); }
  ~UmaskGuard() { ::umask(saved); }
};

TEST(FileModesTest, RestrictUmaskAddsGroupWriteAndOtherBitsToAnyUmask) {
  UmaskGuard guard;
  ::umask(0);
  RestrictUmask();
  EXPECT_EQ(::umask(0), 027);
  ::umask(077);
  RestrictUmask();
  EXPECT_EQ(::umask(0), 077);
}

TEST(FileModesTest, RestrictUmaskWhatIsCreatedAfterwardsIs0640And0750) {
  UmaskGuard guard;
  test_util::ScratchDir dir;
  ::umask(0);
  RestrictUmask();
  ASSERT_TRUE(MakeDirs(dir / "a/b").ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "a/b/f", "x").ok());
  int fd = ::open((dir / "plain").c_str(), O_CREAT | O_WRONLY, 0666);  // as a library would
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_EQ(ModeOf(dir / "a"), 0750u);
  EXPECT_EQ(ModeOf(dir / "a/b"), 0750u);
  EXPECT_EQ(ModeOf(dir / "a/b/f"), 0640u);
  EXPECT_EQ(ModeOf(dir / "plain"), 0640u);
}

TEST(FileModesTest, LimitModeNarrowsOnlyWhatIsWider) {
  test_util::ScratchDir dir;
  ASSERT_TRUE(WriteFileAtomic(dir / "wide", "x").ok());
  ASSERT_EQ(::chmod((dir / "wide").c_str(), 0666), 0);
  ASSERT_TRUE(LimitMode(dir / "wide", 0640).ok());
  EXPECT_EQ(ModeOf(dir / "wide"), 0640u);
  ASSERT_EQ(::chmod((dir / "wide").c_str(), 0600), 0);
  ASSERT_TRUE(LimitMode(dir / "wide", 0640).ok());
  EXPECT_EQ(ModeOf(dir / "wide"), 0600u);
  // A shared directory keeps its setgid bit.
  std::filesystem::create_directory(dir / "d");
  ASSERT_EQ(::chmod((dir / "d").c_str(), 02777), 0);
  ASSERT_TRUE(LimitMode(dir / "d", 0750).ok());
  EXPECT_EQ(ModeOf(dir / "d"), 02750u);
  // A missing path is fine; a symlink is not followed.
  EXPECT_TRUE(LimitMode(dir / "missing", 0640).ok());
  ASSERT_EQ(::chmod((dir / "wide").c_str(), 0666), 0);
  std::filesystem::create_symlink(dir / "wide", dir / "link");
  EXPECT_TRUE(LimitMode(dir / "link", 0640).ok());
  EXPECT_EQ(ModeOf(dir / "wide"), 0666u);
}

}  // namespace
}  // namespace liitos
