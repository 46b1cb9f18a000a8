#pragma once
// Logging: one line per event to stderr with sd-daemon priority prefixes ("<3>", "<4>", "<6>",
// "<7>") so that journald keeps the levels. Every line passes through SafeText (base/text/safe_text.h):
// names may be logged as they are. Never log a secret.

#include <spdlog/spdlog.h>

#include <string>

namespace liitos {

// Sets up the default spdlog logger. `level` is error|warn|info|debug. Safe to call again
// (SIGHUP reload changes the level).
void InitLogging(const std::string& level);

}  // namespace liitos
