#include "daemon/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace liitos {
namespace {
SignalState g_state;
int g_pipe[2] = {-1, -1};

void OnSignal(int sig) {
  if (sig == SIGHUP) g_state.reload = true;
  else g_state.stop = true;
  char c = 1;
  ssize_t n = ::write(g_pipe[1], &c, 1);
  (void)n;
}
}  // namespace

SignalState& InstallSignalHandlers() {
  if (g_pipe[0] < 0) {
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
    g_state.wake_fd = g_pipe[0];
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGHUP, &sa, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
  }
  return g_state;
}

void DrainSignalPipe() {
  char buf[64];
  while (g_pipe[0] >= 0 && ::read(g_pipe[0], buf, sizeof buf) > 0) {
  }
}

}  // namespace liitos
