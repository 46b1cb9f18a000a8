// The service's checkpoint writer (SPEC §7): one signed line every checkpoint_interval on the clock,
// none when no key is configured.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/time/clock.h"
#include "base/fs.h"
#include "daemon/checkpoints.h"
#include "journal/audit/checkpoint_key.h"
#include "journal/journal.h"
#include "tests/scratch_dir.h"
#include "tests/test_keys.h"

namespace liitos {
namespace {

namespace fs = std::filesystem;

size_t LineCount(const fs::path& p) {
  std::ifstream in(p);
  size_t n = 0;
  for (std::string l; std::getline(in, l);) ++n;
  return n;
}

TEST(CheckpointWriter, WritesEveryIntervalOnTheClock) {
  test_util::ScratchDir dir;
  const fs::path key = dir.path() / "k.pem";
  std::string pem = test_util::NewEd25519Pem().private_pem;
  ASSERT_FALSE(pem.empty());
  ASSERT_TRUE(WriteFileAtomic(key.string(), pem).ok());
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  Config cfg;
  cfg.service.state_dir = dir.path().string();
  cfg.service.checkpoint_key = key.string();
  cfg.service.checkpoint_dir = dir.path().string();
  cfg.service.checkpoint_interval = std::chrono::minutes(10);
  FakeClock clock;
  auto j = Journal::Open(dir.path() / "journal.db", clock);
  ASSERT_TRUE(j.ok());
  auto w = CheckpointWriter::Make(cfg, clock);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE(*w);
  const fs::path file = dir.path() / "liitos.checkpoints";
  (*w)->MaybeWrite(**j);
  EXPECT_FALSE(fs::exists(file));
  clock.Advance(std::chrono::minutes(9));
  (*w)->MaybeWrite(**j);
  EXPECT_FALSE(fs::exists(file));
  clock.Advance(std::chrono::minutes(1));
  (*w)->MaybeWrite(**j);
  EXPECT_EQ(LineCount(file), 1u);
  clock.Advance(std::chrono::minutes(5));
  (*w)->MaybeWrite(**j);
  EXPECT_EQ(LineCount(file), 1u);
  clock.Advance(std::chrono::minutes(5));
  (*w)->MaybeWrite(**j);
  EXPECT_EQ(LineCount(file), 2u);

  Config none;
  auto off = CheckpointWriter::Make(none, clock);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(*off);
}

}  // namespace
}  // namespace liitos
