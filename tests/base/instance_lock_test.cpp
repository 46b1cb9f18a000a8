#include "base/instance_lock.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "base/fs.h"
#include "tests/base/test_util.h"

namespace liitos {
namespace {

std::string Slurp(const std::string& path) {
  auto r = ReadFile(path);
  return r.ok() ? *r : std::string("<unreadable>");
}

TEST(InstanceLock, HolderWritesItsPidAndASecondTakerIsToldIt) {
  test_util::ScratchDir dir;
  const std::string path = dir / "lock";
  auto first = InstanceLock::Acquire(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Slurp(path), std::to_string(::getpid()) + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0037, 0u);  // 0640 or stricter
  // Another open file description is another taker, as another process would be.
  auto second = InstanceLock::Acquire(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kRetry);
  EXPECT_EQ(second.status().message(), "another liitos (pid " + std::to_string(::getpid()) + ") holds " + path);
  first->reset();
  auto third = InstanceLock::Acquire(path);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(InstanceLock, AStaleFileIsTakenOverAndAnUnwrittenPidIsUnknown) {
  test_util::ScratchDir dir;
  const std::string path = dir / "lock";
  ASSERT_TRUE(WriteFileAtomic(path, "999999999 stale and longer than a pid\n").ok());
  {
    auto lock = InstanceLock::Acquire(path);
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    EXPECT_EQ(Slurp(path), std::to_string(::getpid()) + "\n");
  }
  // A holder between taking the lock and writing its pid.
  int fd = ::open(path.c_str(), O_RDWR | O_TRUNC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto refused = InstanceLock::Acquire(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "another liitos (pid unknown) holds " + path);
  ::close(fd);
}

TEST(InstanceLock, AHolderThatWritesItsPidAMomentLaterIsNamed) {
  // Two services started in the same instant: the refused one may look before the holder has
  // written its PID, or while the file still names a holder that was killed.
  test_util::ScratchDir dir;
  const std::string path = dir / "lock";
  ASSERT_TRUE(WriteFileAtomic(path, "999999999\n").ok());  // no such process
  int fd = ::open(path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  std::thread holder([fd] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a slow holder
    const std::string pid = std::to_string(::getpid()) + "\n";
    EXPECT_EQ(::ftruncate(fd, 0), 0);
    EXPECT_EQ(::pwrite(fd, pid.data(), pid.size(), 0), static_cast<ssize_t>(pid.size()));
  });
  auto refused = InstanceLock::Acquire(path);
  holder.join();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "another liitos (pid " + std::to_string(::getpid()) + ") holds " + path);
  ::close(fd);
}

TEST(InstanceLock, AMissingFolderIsAnError) {
  test_util::ScratchDir dir;
  auto r = InstanceLock::Acquire(dir / "no/such/lock");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("open lock file"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace liitos
