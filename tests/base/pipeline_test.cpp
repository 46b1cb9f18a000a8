// Pipeline<T>: order, reuse of items, errors, cancellation, threads, and the serial mode held
// equal to the threaded one.
#include "base/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace liitos {
namespace {

struct Item {
  int n = -1;
  std::vector<int> values;  // refilled for each item: keeps its storage
};

// What one run did: the items the last stage saw (in order) and how the run ended.
struct Outcome {
  std::vector<int> seen;
  std::vector<int> values_sum;
  Status status;
  bool operator==(const Outcome& o) const {
    return seen == o.seen && values_sum == o.values_sum && status.code() == o.status.code() &&
           status.message() == o.status.message();
  }
};

// A source of `count` items, a doubling stage, a summing stage on the caller's thread. Item
// `fail_at` fails at stage `fail_stage` (0 = the source).
Outcome RunNumbers(PipelineMode mode, int count, int fail_at = -1, int fail_stage = -1, size_t slots = 4) {
  Outcome out;
  Pipeline<Item> p(slots);
  int next = 0;
  p.Source(
      [&](Item& it) -> Result<bool> {
        if (next == count) return false;
        if (fail_stage == 0 && next == fail_at) return Status::IoError("read " + std::to_string(next));
        it.n = next++;
        it.values.assign(static_cast<size_t>(it.n % 7), it.n);
        return true;
      },
      1);
  p.Stage(
      [&](Item& it) {
        if (fail_stage == 1 && it.n == fail_at) return Status::Invalid("map " + std::to_string(it.n));
        for (int& v : it.values) v *= 2;
        return Status::Ok();
      },
      2);
  p.Stage(
      [&](Item& it) {
        if (fail_stage == 2 && it.n == fail_at) return Status::Retry("sink " + std::to_string(it.n));
        out.seen.push_back(it.n);
        int sum = 0;
        for (int v : it.values) sum += v;
        out.values_sum.push_back(sum);
        return Status::Ok();
      },
      Pipeline<Item>::kCallerThread);
  out.status = p.Run(mode);
  return out;
}

std::vector<int> Iota(int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(PipelineTest, KeepsOrderThroughEveryStage) {
  Outcome o = RunNumbers(PipelineMode::kThreaded, 5000);
  ASSERT_TRUE(o.status.ok());
  EXPECT_EQ(o.seen, Iota(5000));
  EXPECT_EQ(o.values_sum[13], 2 * 13 * (13 % 7));
}

TEST(PipelineTest, SerialRunEqualsThreadedRun) {
  for (int count : {0, 1, 2, 3, 5, 17, 200}) {
    for (size_t slots : {1u, 2u, 6u}) {
      EXPECT_EQ(RunNumbers(PipelineMode::kSerial, count, -1, -1, slots),
                RunNumbers(PipelineMode::kThreaded, count, -1, -1, slots))
          << count << " items, " << slots << " slots";
      for (int stage = 0; stage < 3; ++stage) {
        for (int fail_at : {0, 1, count / 2, count - 1}) {
          if (fail_at < 0) continue;
          Outcome serial = RunNumbers(PipelineMode::kSerial, count, fail_at, stage, slots);
          Outcome threaded = RunNumbers(PipelineMode::kThreaded, count, fail_at, stage, slots);
          EXPECT_EQ(serial, threaded) << count << " items, failing at " << fail_at << " in stage " << stage;
        }
      }
    }
  }
}

TEST(PipelineTest, AnErrorStopsTheRestAndIsReturned) {
  for (int stage = 0; stage < 3; ++stage) {
    Outcome o = RunNumbers(PipelineMode::kThreaded, 1000, 300, stage);
    EXPECT_FALSE(o.status.ok());
    EXPECT_EQ(o.seen, Iota(300)) << "stage " << stage;  // everything before it, nothing after
    EXPECT_NE(o.status.message().find("300"), std::string::npos) << o.status.message();
  }
}

TEST(PipelineTest, TheEarliestItemsFailureIsReturned) {
  // Item 9 fails late (on the caller's thread), item 10 early (in the source's stage): a
  // serial run would meet item 9's failure first.
  for (PipelineMode mode : {PipelineMode::kSerial, PipelineMode::kThreaded}) {
    Pipeline<Item> p(8);
    int next = 0;
    p.Source([&](Item& it) -> Result<bool> { it.n = next++; return it.n < 100; }, 1);
    p.Stage([](Item& it) { return it.n == 10 ? Status::Invalid("early 10") : Status::Ok(); }, 1);
    p.Stage([](Item& it) { return it.n == 9 ? Status::Invalid("late 9") : Status::Ok(); },
            Pipeline<Item>::kCallerThread);
    EXPECT_EQ(p.Run(mode).message(), "late 9");
  }
}

TEST(PipelineTest, ReusesItsItems) {
  for (PipelineMode mode : {PipelineMode::kSerial, PipelineMode::kThreaded}) {
    Pipeline<Item> p(3);
    std::set<const Item*> used;
    std::vector<size_t> capacities;
    int next = 0;
    p.Source(
        [&](Item& it) -> Result<bool> {
          used.insert(&it);
          capacities.push_back(it.values.capacity());
          it.values.assign(10, next);
          return ++next <= 50;
        },
        1);
    p.Stage([](Item&) { return Status::Ok(); }, 2);
    ASSERT_TRUE(p.Run(mode).ok());
    EXPECT_LE(used.size(), mode == PipelineMode::kSerial ? 1u : 3u);
    EXPECT_EQ(capacities.back(), 10u);  // the storage an earlier item left in it
  }
}

TEST(PipelineTest, TheSourceRunsAtMostSlotsAhead) {
  Pipeline<Item> p(3);
  std::atomic<int> filled{0}, done{0}, worst{0};
  p.Source([&](Item& it) -> Result<bool> {
    it.n = filled++;
    return it.n < 200;
  }, 1);
  p.Stage(
      [&](Item&) {
        worst = std::max(worst.load(), filled.load() - done.load());
        ++done;
        return Status::Ok();
      },
      Pipeline<Item>::kCallerThread);
  ASSERT_TRUE(p.Run(PipelineMode::kThreaded).ok());
  EXPECT_LE(worst.load(), 3);
  EXPECT_EQ(done.load(), 200);
}

TEST(PipelineTest, StopsWhenAskedAndFinishesWhatItFilled) {
  for (PipelineMode mode : {PipelineMode::kSerial, PipelineMode::kThreaded}) {
    Pipeline<Item> p(4);
    std::atomic<bool> stop{false};
    int next = 0, filled = 0;
    std::vector<int> seen;
    p.Source([&](Item& it) -> Result<bool> { it.n = next++; ++filled; return true; }, 1);  // endless
    p.StopWhen([&] { return stop.load(); });
    p.Stage(
        [&](Item& it) {
          seen.push_back(it.n);
          if (it.n == 20) stop = true;
          return Status::Ok();
        },
        Pipeline<Item>::kCallerThread);
    ASSERT_TRUE(p.Run(mode).ok());
    EXPECT_EQ(seen, Iota(filled));  // every filled item went through
    EXPECT_GE(filled, 21);
    EXPECT_LE(filled, 21 + 4);
  }
}

TEST(PipelineTest, AThrowingStageIsRethrownOnTheCallersThread) {
  for (PipelineMode mode : {PipelineMode::kSerial, PipelineMode::kThreaded}) {
    for (int thread : {Pipeline<Item>::kCallerThread, 3}) {
      Pipeline<Item> p(4);
      int next = 0;
      std::vector<int> seen;
      p.Source([&](Item& it) -> Result<bool> { it.n = next++; return true; }, 1);
      p.Stage(
          [&](Item& it) {
            if (it.n == 7) throw std::runtime_error("boom");
            return Status::Ok();
          },
          thread);
      p.Stage([&](Item& it) { seen.push_back(it.n); return Status::Ok(); }, 2);
      EXPECT_THROW((void)p.Run(mode), std::runtime_error);
      EXPECT_EQ(seen, Iota(7));
    }
  }
}

TEST(PipelineTest, EachStageStaysOnItsThread) {
  Pipeline<Item> p(4);
  int next = 0;
  std::set<std::thread::id> source, first, second, third;
  p.Source([&](Item& it) -> Result<bool> { source.insert(std::this_thread::get_id()); it.n = next++; return it.n < 500; }, 1);
  p.Stage([&](Item&) { first.insert(std::this_thread::get_id()); return Status::Ok(); }, 0);
  p.Stage([&](Item&) { second.insert(std::this_thread::get_id()); return Status::Ok(); }, 2);
  p.Stage([&](Item&) { third.insert(std::this_thread::get_id()); return Status::Ok(); }, 0);  // shares the caller's
  ASSERT_TRUE(p.Run(PipelineMode::kThreaded).ok());
  ASSERT_EQ(source.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(first, std::set{std::this_thread::get_id()});
  EXPECT_EQ(third, std::set{std::this_thread::get_id()});
  EXPECT_NE(*source.begin(), std::this_thread::get_id());
  EXPECT_NE(*second.begin(), std::this_thread::get_id());
  EXPECT_NE(*source.begin(), *second.begin());
}

TEST(PipelineTest, SerialModeStartsNoThread) {
  Pipeline<Item> p(4);
  int next = 0;
  std::set<std::thread::id> ids;
  p.Source([&](Item& it) -> Result<bool> { ids.insert(std::this_thread::get_id()); it.n = next++; return it.n < 10; }, 1);
  p.Stage([&](Item&) { ids.insert(std::this_thread::get_id()); return Status::Ok(); }, 2);
  ASSERT_TRUE(p.Run(PipelineMode::kSerial).ok());
  EXPECT_EQ(ids, std::set{std::this_thread::get_id()});
}

}  // namespace
}  // namespace liitos
