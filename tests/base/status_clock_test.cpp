#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "base/time/clock.h"
#include "base/status.h"

namespace liitos {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(StatusClockTest, StatusDefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(StatusClockTest, StatusFactoriesSetCodeAndMessage) {
  EXPECT_EQ(Status::IoError("m").code(), Status::Code::kIoError);
  EXPECT_EQ(Status::Invalid("m").code(), Status::Code::kInvalid);
  EXPECT_EQ(Status::NotFound("m").code(), Status::Code::kNotFound);
  EXPECT_EQ(Status::Corruption("m").code(), Status::Code::kCorruption);
  EXPECT_EQ(Status::Retry("m").code(), Status::Code::kRetry);
  EXPECT_EQ(Status::Fatal("m").code(), Status::Code::kFatal);
  Status s = Status::Invalid("bad row 3");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "bad row 3");
  EXPECT_EQ(s.ToString(), "invalid: bad row 3");
  EXPECT_EQ(Status::Retry("later").ToString(), "retry: later");
}

TEST(StatusClockTest, StatusFromErrno) {
  Status nf = Status::FromErrno("open /x", ENOENT);
  EXPECT_EQ(nf.code(), Status::Code::kNotFound);
  EXPECT_EQ(nf.message().rfind("open /x: ", 0), 0u) << nf.message();
  EXPECT_GT(nf.message().size(), std::string("open /x: ").size());
  EXPECT_EQ(Status::FromErrno("write", EIO).code(), Status::Code::kIoError);
  EXPECT_EQ(Status::FromErrno("write", ENOSPC).code(), Status::Code::kIoError);
}

TEST(StatusClockTest, ResultHoldsValue) {
  Result<std::string> r(std::string("hello"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.value(), "hello");
  EXPECT_EQ(*r, "hello");
  EXPECT_EQ(r->size(), 5u);
  r->append("!");
  EXPECT_EQ(*r, "hello!");
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "hello!");
}

TEST(StatusClockTest, ResultHoldsError) {
  Result<int> r = Status::Corruption("hash mismatch");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(r.status().message(), "hash mismatch");
}

Result<int> Half(int n) {
  if (n % 2) return Status::Invalid("odd");
  return n / 2;
}

TEST(StatusClockTest, ResultImplicitConversionsInReturn) {
  EXPECT_EQ(*Half(8), 4);
  EXPECT_EQ(Half(7).status().code(), Status::Code::kInvalid);
}

TEST(StatusClockTest, FakeClockStartsAtGivenTime) {
  FakeClock def;
  EXPECT_EQ(def.Now(), SysTime(seconds(1'800'000'000)));
  FakeClock c(SysTime(seconds(1000)));
  EXPECT_EQ(c.Now(), SysTime(seconds(1000)));
}

TEST(StatusClockTest, FakeClockAdvanceMovesBothClocks) {
  FakeClock c;
  SysTime wall = c.Now();
  MonoTime mono = c.Monotonic();
  c.Advance(milliseconds(1500));
  EXPECT_EQ(c.Now() - wall, milliseconds(1500));
  EXPECT_EQ(c.Monotonic() - mono, milliseconds(1500));
}

TEST(StatusClockTest, FakeClockSetNowMovesOnlyWallTime) {
  FakeClock c;
  MonoTime mono = c.Monotonic();
  c.SetNow(SysTime(seconds(5)));  // backwards, as an NTP step might
  EXPECT_EQ(c.Now(), SysTime(seconds(5)));
  EXPECT_EQ(c.Monotonic(), mono);
  c.SetNow(SysTime(seconds(2'000'000'000)));
  EXPECT_EQ(c.Monotonic(), mono);
}

TEST(StatusClockTest, FakeClockConcurrentAdvanceIsSafe) {
  FakeClock c;
  MonoTime mono = c.Monotonic();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) c.Advance(milliseconds(1));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.Monotonic() - mono, milliseconds(4000));
}

TEST(StatusClockTest, RealClockIsMonotonicAndSingleton) {
  Clock& a = RealClock();
  EXPECT_EQ(&a, &RealClock());
  MonoTime m1 = a.Monotonic();
  MonoTime m2 = a.Monotonic();
  EXPECT_LE(m1, m2);
  EXPECT_GT(a.Now(), SysTime(seconds(1'700'000'000)));
}

}  // namespace
}  // namespace liitos
