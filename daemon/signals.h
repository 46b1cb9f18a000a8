#pragma once
// Signals for the service loop: SIGTERM/SIGINT ask it to stop, SIGHUP to reload. The handlers
// only set flags and write a byte to a self-pipe, whose read end the loop polls.

#include <atomic>

namespace liitos {

struct SignalState {
  std::atomic<bool> stop{false};
  std::atomic<bool> reload{false};
  int wake_fd = -1;  // readable after any handled signal
};

// Installs the handlers (once per process) and returns the shared state.
SignalState& InstallSignalHandlers();
// Empties the self-pipe after it became readable.
void DrainSignalPipe();

}  // namespace liitos
