#pragma once
// A bounded-queue pipeline: items flow through stages in order, each stage on a thread of its
// own choosing, and a fixed set of items circulates so memory stays flat however many pass.
//
//   Pipeline<Batch> p(/*slots=*/6);
//   p.Source([&](Batch& b) -> Result<bool> { ...fill b...; return more; }, /*thread=*/1);
//   p.Stage([&](Batch& b) { ...; return Status::Ok(); }, /*thread=*/2);
//   p.Stage([&](Batch& b) { ...; return Status::Ok(); }, Pipeline<Batch>::kCallerThread);
//   Status s = p.Run(big ? PipelineMode::kThreaded : PipelineMode::kSerial);
//
// The promises, the same in both modes (the serial mode is the threaded one's fallback and its
// reference: tests hold the two equal):
//   * Order. Every stage sees the items in the order the source filled them.
//   * Reuse. At most `slots` items exist; an item that left the last stage goes back to the
//     source, which fills it again (its members keep their storage). The source runs at most
//     `slots` items ahead of the last stage.
//   * Errors. A step that returns a non-ok Status (or throws) stops the pipeline: every item
//     filled before the failing one still goes through every stage, the failing item and those
//     after it go no further, nothing new is filled, and Run returns that Status (or rethrows
//     that exception on the caller's thread, after every thread is joined). When items fail at
//     several stages, the earliest item's failure is the one returned, as a serial run would.
//   * Cancellation. StopWhen's callable is asked before each item is filled; once it says true,
//     the input ends there as if the source had returned false, and Run returns Ok.
//   * Threads. A stage runs on the thread it names: kCallerThread (0) is the thread that calls
//     Run, any other number a thread Run starts (stages naming the same number share it; that
//     thread does the earliest stage that has work). Each stage's steps run on one thread only.
//     In PipelineMode::kSerial every stage runs on the caller's thread, one item at a time
//     through all stages, using one slot: no thread is started.
// Items filled but not yet through an earlier stage when a later item fails may have had some
// of their earlier steps done: a step's side effects must be fine without the later steps
// (as reading ahead is).
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "base/status.h"

namespace liitos {

enum class PipelineMode { kThreaded, kSerial };

// The type-independent engine under Pipeline<T>: stages work on slot numbers.
class PipelineEngine {
 public:
  using Fill = std::function<Result<bool>(size_t slot)>;
  using Step = std::function<Status(size_t slot)>;

  explicit PipelineEngine(size_t slots);
  ~PipelineEngine();
  PipelineEngine(const PipelineEngine&) = delete;
  PipelineEngine& operator=(const PipelineEngine&) = delete;

  void SetSource(Fill fill, int thread);
  void AddStage(Step step, int thread);
  void StopWhen(std::function<bool()> stop);
  // Runs once. See Pipeline<T>::Run.
  Status Run(PipelineMode mode);

 private:
  struct State;
  Status RunSerial();
  Status RunThreaded();
  void RunThread(State& st, const std::vector<size_t>& stages);

  size_t slots_;
  Fill fill_;
  int source_thread_ = 0;
  std::vector<Step> steps_;
  std::vector<int> step_threads_;
  std::function<bool()> stop_;
};

template <class T>
class Pipeline {
 public:
  static constexpr int kCallerThread = 0;

  // `slots` (at least 1) items of T, default-constructed, circulate.
  explicit Pipeline(size_t slots) : items_(slots < 1 ? 1 : slots), engine_(items_.size()) {}
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // The first stage: fills a free item (which may hold what an earlier item left in it) and
  // returns true, or returns false at the end of the input (the item is then not passed on),
  // or an error. Set exactly once.
  Pipeline& Source(std::function<Result<bool>(T&)> fill, int thread) {
    engine_.SetSource([this, f = std::move(fill)](size_t slot) { return f(items_[slot]); }, thread);
    return *this;
  }
  // The next stage after those added before it.
  Pipeline& Stage(std::function<Status(T&)> step, int thread) {
    engine_.AddStage([this, f = std::move(step)](size_t slot) { return f(items_[slot]); }, thread);
    return *this;
  }
  // Asked (on the source's thread) before each item is filled; true ends the input.
  Pipeline& StopWhen(std::function<bool()> stop) {
    engine_.StopWhen(std::move(stop));
    return *this;
  }
  // Runs every item through every stage and returns when all threads are done: Ok, or the
  // error that stopped it. Call once.
  Status Run(PipelineMode mode) { return engine_.Run(mode); }

 private:
  std::vector<T> items_;
  PipelineEngine engine_;
};

}  // namespace liitos
