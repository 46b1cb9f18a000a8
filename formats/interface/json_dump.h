#pragma once
// What the interface format's writers share (status_json.cpp, batch_json.cpp).

#include <nlohmann/json.hpp>

#include <string>

namespace liitos::interface_json {

using OrderedJson = nlohmann::ordered_json;

// Compact, one line, UTF-8 kept as is (not \u-escaped); invalid UTF-8 becomes U+FFFD instead of
// throwing, so a stray byte can never take the pipeline down.
inline std::string Dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace liitos::interface_json
