#include "base/logging.h"

#include "base/text/safe_text.h"

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <mutex>

namespace liitos {
namespace {

class SdDaemonSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    int prio = 6;
    switch (msg.level) {
      case spdlog::level::critical: prio = 2; break;
      case spdlog::level::err: prio = 3; break;
      case spdlog::level::warn: prio = 4; break;
      case spdlog::level::info: prio = 6; break;
      default: prio = 7; break;
    }
    std::string line = "<" + std::to_string(prio) + ">";
    // One line per event whatever the message holds: a name with a newline or an escape
    // sequence cannot forge a line or a priority, and no henkilötunnus reaches the log (G6).
    line += SafeText(std::string_view(msg.payload.data(), msg.payload.size()));
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

void InitLogging(const std::string& level) {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>("liitos", std::make_shared<SdDaemonSink>());
    spdlog::set_default_logger(l);
    return l;
  }();
  auto lv = spdlog::level::info;
  if (level == "error") lv = spdlog::level::err;
  else if (level == "warn") lv = spdlog::level::warn;
  else if (level == "debug") lv = spdlog::level::debug;
  logger->set_level(lv);
  logger->flush_on(spdlog::level::trace);
}

}  // namespace liitos
