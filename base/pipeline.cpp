// The pipeline's engine (see pipeline.h). Queue 0 holds free slots; queue s (s >= 1) holds the
// filled items waiting for stage s, each with its sequence number. One mutex and one condition
// variable cover all queues: a stage's step is long next to the queue operations.
#include "base/pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace liitos {

namespace {

constexpr uint64_t kNoFailure = std::numeric_limits<uint64_t>::max();

struct Entry {
  uint64_t seq;
  size_t slot;
};

}  // namespace

struct PipelineEngine::State {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<size_t> free_slots;
  std::vector<std::deque<Entry>> waiting;  // [s]: items waiting for stage s (index 0 unused)
  std::vector<bool> finished;              // [s]: stage s takes nothing more; [0] the source
  uint64_t next_seq = 0;
  // The earliest failing item, and how it failed.
  uint64_t fail_seq = kNoFailure;
  Status error;
  std::exception_ptr thrown;

  void Fail(uint64_t seq, Status s, std::exception_ptr e) {
    if (seq >= fail_seq) return;
    fail_seq = seq;
    error = std::move(s);
    thrown = std::move(e);
  }
};

PipelineEngine::PipelineEngine(size_t slots) : slots_(slots) {}
PipelineEngine::~PipelineEngine() = default;

void PipelineEngine::SetSource(Fill fill, int thread) {
  fill_ = std::move(fill);
  source_thread_ = thread;
}

void PipelineEngine::AddStage(Step step, int thread) {
  steps_.push_back(std::move(step));
  step_threads_.push_back(thread);
}

void PipelineEngine::StopWhen(std::function<bool()> stop) { stop_ = std::move(stop); }

Status PipelineEngine::Run(PipelineMode mode) {
  return mode == PipelineMode::kSerial ? RunSerial() : RunThreaded();
}

Status PipelineEngine::RunSerial() {
  for (;;) {
    if (stop_ && stop_()) return Status::Ok();
    Result<bool> more = fill_(0);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    for (auto& step : steps_) {
      if (Status s = step(0); !s.ok()) return s;
    }
  }
}

Status PipelineEngine::RunThreaded() {
  State st;
  for (size_t i = 0; i < slots_; ++i) st.free_slots.push_back(i);
  st.waiting.resize(steps_.size() + 1);
  st.finished.assign(steps_.size() + 1, false);
  // Stage 0 is the source, stage s >= 1 is steps_[s - 1].
  std::map<int, std::vector<size_t>> by_thread;
  by_thread[source_thread_].push_back(0);
  for (size_t s = 0; s < steps_.size(); ++s) by_thread[step_threads_[s]].push_back(s + 1);
  std::vector<std::thread> threads;
  for (const auto& [thread, stages] : by_thread) {
    if (thread == 0) continue;
    threads.emplace_back([this, &st, &stages = stages] { RunThread(st, stages); });
  }
  if (auto it = by_thread.find(0); it != by_thread.end()) RunThread(st, it->second);
  for (auto& t : threads) t.join();
  if (st.thrown) std::rethrow_exception(st.thrown);
  return st.error;
}

// Does the work of `stages` (ascending) until each is finished: always the earliest stage that
// has an item, or that can finish because everything before it has.
void PipelineEngine::RunThread(State& st, const std::vector<size_t>& stages) {
  const size_t last = steps_.size();
  // Passes an item that stage `s` is done with on to the next stage, or back to the source.
  auto pass_on = [&](size_t s, Entry e) {
    if (s == last) st.free_slots.push_back(e.slot);
    else st.waiting[s + 1].push_back(e);
  };
  std::unique_lock lock(st.mu);
  for (;;) {
    size_t s = 0;
    bool work = false, all_finished = true;
    for (size_t c : stages) {
      if (st.finished[c]) continue;
      all_finished = false;
      bool ready = c == 0 ? !st.free_slots.empty() || st.fail_seq != kNoFailure
                          : !st.waiting[c].empty() || st.finished[c - 1];
      if (ready) {
        s = c;
        work = true;
        break;
      }
    }
    if (all_finished) return;
    if (!work) {
      st.cv.wait(lock);
      continue;
    }
    if (s == 0) {
      if (st.fail_seq != kNoFailure) {
        st.finished[0] = true;
        st.cv.notify_all();
        continue;
      }
      size_t slot = st.free_slots.front();
      st.free_slots.pop_front();
      uint64_t seq = st.next_seq;
      lock.unlock();
      Result<bool> more = false;
      std::exception_ptr thrown;
      bool stopped = stop_ && stop_();
      if (!stopped) {
        try {
          more = fill_(slot);
        } catch (...) {
          thrown = std::current_exception();
          more = Status::Invalid("a pipeline stage threw");
        }
      }
      lock.lock();
      if (more.ok() && *more && st.fail_seq == kNoFailure) {
        ++st.next_seq;
        if (last == 0) st.free_slots.push_back(slot);
        else st.waiting[1].push_back(Entry{seq, slot});
      } else {
        if (!more.ok()) st.Fail(seq, more.status(), thrown);
        st.free_slots.push_back(slot);
        st.finished[0] = true;
      }
      st.cv.notify_all();
      continue;
    }
    if (st.waiting[s].empty()) {  // everything before it has finished
      st.finished[s] = true;
      st.cv.notify_all();
      continue;
    }
    Entry e = st.waiting[s].front();
    st.waiting[s].pop_front();
    if (e.seq >= st.fail_seq) {  // at or after the failing item: goes no further
      st.free_slots.push_back(e.slot);
      st.cv.notify_all();
      continue;
    }
    lock.unlock();
    Status result;
    std::exception_ptr thrown;
    try {
      result = steps_[s - 1](e.slot);
    } catch (...) {
      thrown = std::current_exception();
      result = Status::Invalid("a pipeline stage threw");
    }
    lock.lock();
    if (result.ok()) {
      pass_on(s, e);
    } else {
      st.Fail(e.seq, std::move(result), thrown);
      st.free_slots.push_back(e.slot);
    }
    st.cv.notify_all();
  }
}

}  // namespace liitos
