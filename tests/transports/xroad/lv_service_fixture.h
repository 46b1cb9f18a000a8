#pragma once
// The fake Luvat ja valvonta service (tests/fixtures/lv_service.py) for tests: a ReceiverFixture
// running that script with the sample applications of tests/data/applications, and its faults.

#include <string>

#include "tests/transports/xroad/receiver_fixture.h"

namespace liitos::testing {

inline const std::string kSampleApp = "0f8fad5b-d9cb-469f-a165-70867728950e";     // Finnish, a henkilötunnus
inline const std::string kSampleEuroApp = "7c9e6679-7425-40de-944b-e07fc1f90ae7";  // '€' and '–' in its text
inline const std::string kUnknownApp = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
inline const char* const kLvPath = "/r1/FI/GOV/0245437-2/LupaJaValvonta/lv-service/v1";

inline ReceiverOptions LvServiceOptions(ReceiverOptions o = {}) {
  o.script = "lv_service.py";
  o.extra_args.insert(o.extra_args.end(), {"--apps", std::string(LIITOS_SOURCE_DIR) + "/tests/data/applications"});
  return o;
}

// The fake service; Url() is the feed's base url.
class LvServiceFixture : public ReceiverFixture {
 public:
  explicit LvServiceFixture(ReceiverOptions o = {}) : ReceiverFixture(LvServiceOptions(std::move(o))) {}
  std::string BaseUrl() const { return Url(kLvPath); }
  // A fault for the next GET (of `id`/`part` when given): see lv_service.py.
  bool Fault(nlohmann::json cmd, const std::string& id = "", const std::string& part = "") const {
    if (!id.empty()) cmd["id"] = id;
    if (!part.empty()) cmd["part"] = part;
    return Control(cmd);
  }
  bool Set(const std::string& id, const std::string& part, const std::string& body) const {
    return Control({{"action", "set"}, {"id", id}, {"part", part}, {"body", body}});
  }
};

}  // namespace liitos::testing
