#pragma once
// What the transports of one service share: the clock, the state folder, the sender's X-Road id,
// the stop flag and the host-key callback. Built once by daemon/ and passed by value or const
// reference to each factory; the pointers it holds outlive every transport made with it.

#include <atomic>
#include <functional>
#include <string>

#include "base/time/clock.h"

namespace liitos {

struct TransportContext {
  Clock* clock = nullptr;
  std::string state_dir;
  std::string xroad_client;  // the sender's X-Road client id (interface.xroad_client)
  // Set when the service is asked to stop: long transfers may give up early (safely: nothing is
  // marked done that was not).
  const std::atomic<bool>* stop = nullptr;
  // Called when an SFTP host key is refused: (endpoint "user@host:port", offered fingerprint).
  std::function<void(const std::string&, const std::string&)> on_hostkey_refused;
};

}  // namespace liitos
