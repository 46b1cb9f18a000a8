#include "base/paths.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/base/test_util.h"

namespace liitos {
namespace {

namespace stdfs = std::filesystem;

TEST(PathsTest, LexicalPathNormalizesWithoutTheFilesystem) {
  EXPECT_EQ(LexicalPath("/a/./b/../c/"), "/a/c");
  EXPECT_EQ(LexicalPath("/a//b///"), "/a/b");
  EXPECT_EQ(LexicalPath("/"), "/");
  EXPECT_EQ(LexicalPath("///"), "/");
  EXPECT_EQ(LexicalPath("/.."), "/");
  EXPECT_EQ(LexicalPath("vienti/out/"), "vienti/out");
  EXPECT_EQ(LexicalPath("./"), ".");
  EXPECT_EQ(LexicalPath("../x"), "../x");
  EXPECT_EQ(LexicalPath(""), "");
}

TEST(PathsTest, PathWithinWholeComponentsOnly) {
  EXPECT_TRUE(PathWithin("/a/b", "/a/b"));
  EXPECT_TRUE(PathWithin("/a/b/c", "/a/b"));
  EXPECT_FALSE(PathWithin("/a/bc", "/a/b"));
  EXPECT_FALSE(PathWithin("/a", "/a/b"));
  EXPECT_TRUE(PathWithin("/a", "/"));
  EXPECT_TRUE(PathWithin("/", "/"));
  EXPECT_TRUE(PathWithin("out/archive", "out"));
  EXPECT_FALSE(PathWithin("/out", "out"));
  EXPECT_TRUE(PathWithin("x", "."));
  EXPECT_FALSE(PathWithin("../x", "."));
  EXPECT_FALSE(PathWithin("", "/"));
}

TEST(PathsTest, LocalPathAbsoluteWithSymlinksOfTheExistingPartResolved) {
  test_util::ScratchDir dir;
  stdfs::create_directories(dir / "real/in");
  stdfs::create_directory_symlink(dir / "real", dir / "link");
  std::string real = stdfs::canonical(dir.path()).string() + "/real";
  EXPECT_EQ(LocalPath(dir / "link/in"), real + "/in");
  // The part that does not exist yet is kept, lexically normalized.
  EXPECT_EQ(LocalPath(dir / "link/in/not/../yet/"), real + "/in/yet");
  EXPECT_EQ(LocalPath("rel/x"), LexicalPath(stdfs::current_path().string() + "/rel/x"));
  EXPECT_EQ(LocalPath("/"), "/");
}

}  // namespace
}  // namespace liitos
