// libFuzzer target: the config loader (config/config.h) on any text. Properties: no crash, no
// exception; a config exactly when there is no error; every error renders as text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "fuzz/fuzz_util.h"
#include "transports/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using liitos::fuzz::Check;
  const std::string text(reinterpret_cast<const char*>(data), size);
  liitos::LoadResult r = liitos::LoadConfigFromString(text, "fuzz.toml", liitos::TransportKinds());
  Check(r.config.has_value() == r.errors.empty(), "a config exactly when there is no error");
  for (const liitos::ConfigError& e : r.errors) {
    Check(!e.ToString().empty(), "an error renders as text");
    Check(e.line >= 0 && e.column >= 0, "positions are not negative");
  }
  return 0;
}
