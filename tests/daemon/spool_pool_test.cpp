#include "daemon/intake/spool_pool.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/base/test_util.h"

namespace liitos {
namespace {
namespace fs = std::filesystem;

class SpoolPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(dir_.path());
    fs::create_directories(root_ / "spool/src");
  }
  std::string Spool(const std::string& name) const { return (root_ / "spool/src" / name).string(); }
  std::string Free() const { return (root_ / "spool/.free").string(); }
  static void Write(const std::string& path, const std::string& data) { std::ofstream(path, std::ios::binary) << data; }
  static ino_t Inode(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
  }
  static size_t Count(const std::string& dir) {
    size_t n = 0;
    std::error_code ec;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) ++n;
    return n;
  }

  test_util::ScratchDir dir_;
  fs::path root_;
};

TEST_F(SpoolPoolTest, ARecycledCopyIsEmptiedAndItsInodeServesTheNextCopy) {
  SpoolPool pool(Free());
  Write(Spool("a"), "010101-123N;secret content");
  ino_t inode = Inode(Spool("a"));
  pool.Recycle(Spool("a"));
  EXPECT_FALSE(fs::exists(Spool("a")));
  ASSERT_EQ(Count(Free()), 1u);
  for (const auto& e : fs::directory_iterator(Free())) EXPECT_EQ(fs::file_size(e.path()), 0u) << "content kept";
  EXPECT_EQ(pool.free_count(), 1u);

  pool.Place(Spool("b"));
  EXPECT_EQ(Inode(Spool("b")), inode);
  EXPECT_EQ(fs::file_size(Spool("b")), 0u);
  EXPECT_EQ(Count(Free()), 0u);
  // With the pool empty, Place leaves nothing: the copy creates its file.
  pool.Place(Spool("c"));
  EXPECT_FALSE(fs::exists(Spool("c")));
}

TEST_F(SpoolPoolTest, AFullPoolRemovesTheCopy) {
  SpoolPool pool(Free(), /*max_free=*/2);
  for (const char* n : {"a", "b", "c"}) {
    Write(Spool(n), "x");
    pool.Recycle(Spool(n));
    EXPECT_FALSE(fs::exists(Spool(n))) << n;
  }
  EXPECT_EQ(Count(Free()), 2u);
  EXPECT_EQ(pool.free_count(), 2u);
}

TEST_F(SpoolPoolTest, KeptFilesAreAdoptedAfterARestartWithoutNameClashes) {
  {
    SpoolPool pool(Free());
    for (const char* n : {"a", "b"}) {
      Write(Spool(n), "x");
      pool.Recycle(Spool(n));
    }
  }
  SpoolPool again(Free());
  Write(Spool("c"), "y");
  again.Recycle(Spool("c"));  // a new name: the two kept files are not overwritten
  EXPECT_EQ(Count(Free()), 3u);
  EXPECT_EQ(again.free_count(), 3u);
  for (const char* n : {"d", "e", "f"}) {
    again.Place(Spool(n));
    EXPECT_TRUE(fs::exists(Spool(n))) << n;
  }
  EXPECT_EQ(Count(Free()), 0u);
}

TEST_F(SpoolPoolTest, PlaceAndRecycleOnTwoThreadsLoseAndDoubleNoFile) {
  // The intake's fetcher places while its settler recycles.
  SpoolPool pool(Free());
  constexpr int kFiles = 300;
  for (int i = 0; i < kFiles; ++i) Write(Spool("old" + std::to_string(i)), "secret");
  std::thread settler([&] {
    for (int i = 0; i < kFiles; ++i) pool.Recycle(Spool("old" + std::to_string(i)));
  });
  for (int i = 0; i < kFiles; ++i) pool.Place(Spool("new" + std::to_string(i)));
  settler.join();
  size_t placed = 0;
  for (int i = 0; i < kFiles; ++i) {
    EXPECT_FALSE(fs::exists(Spool("old" + std::to_string(i)))) << i;
    if (fs::exists(Spool("new" + std::to_string(i)))) {
      ++placed;
      EXPECT_EQ(fs::file_size(Spool("new" + std::to_string(i))), 0u) << "content kept";
    }
  }
  // Every recycled file is either kept in the pool or serves exactly one placed path.
  EXPECT_EQ(Count(Free()) + placed, static_cast<size_t>(kFiles));
  EXPECT_EQ(pool.free_count(), Count(Free()));
}

// The pool is a speed trick only: a pool that keeps nothing (max_free = 0, the plain way: create
// each copy, remove it when done) and the real one leave the same spool at every step, content
// and names alike; only the inodes differ.
TEST_F(SpoolPoolTest, APoolThatKeepsNothingLeavesTheSameSpool) {
  fs::create_directories(root_ / "plain/src");
  SpoolPool pooled(Free());
  SpoolPool plain((root_ / "plain/.free").string(), /*max_free=*/0);
  auto spool_of = [&](bool is_plain, const std::string& name) {
    return is_plain ? (root_ / "plain/src" / name).string() : Spool(name);
  };
  auto listing = [&](const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::ifstream in(e.path(), std::ios::binary);
      out[e.path().filename().string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    return out;
  };
  for (int round = 0; round < 5; ++round) {
    for (bool is_plain : {false, true}) {
      SpoolPool& pool = is_plain ? plain : pooled;
      for (int i = 0; i < 4; ++i) {
        const std::string path = spool_of(is_plain, "r" + std::to_string(round) + "-" + std::to_string(i));
        pool.Place(path);
        std::ofstream(path, std::ios::binary | std::ios::trunc) << "copy " << round << i;  // O_TRUNC, as a copy opens it
      }
      if (round > 0)
        for (int i = 0; i < 4; ++i) pool.Recycle(spool_of(is_plain, "r" + std::to_string(round - 1) + "-" + std::to_string(i)));
    }
    EXPECT_EQ(listing((root_ / "spool/src").string()), listing((root_ / "plain/src").string())) << round;
  }
  EXPECT_EQ(plain.free_count(), 0u);
  EXPECT_EQ(Count((root_ / "plain/.free").string()), 0u);
  EXPECT_EQ(pooled.free_count(), 4u);  // the pooled one kept the last round's files
}

}  // namespace
}  // namespace liitos
