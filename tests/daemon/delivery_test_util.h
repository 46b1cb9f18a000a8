#pragma once
// Helpers of the scheduler's tests: a destination that answers from a script and records what it
// was sent (and when), the answers it is scripted with, and a fixture wiring it to a Delivery over
// a real journal on a fake clock.

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"
#include "daemon/delivery.h"
#include "tests/journal/journal_test_util.h"
#include "transports/destination.h"

namespace liitos::delivery_test {

struct Sent {
  std::string batch_id;
  std::vector<std::string> message_ids;
};

// Answers each Send with the next scripted result (Ok once the script is used up) and records
// what it was sent.
class ScriptedDestination : public Destination {
 public:
  explicit ScriptedDestination(DestinationConfig c) : cfg_(std::move(c)) {}
  const DestinationConfig& config() const override { return cfg_; }
  SendResult Send(const OutgoingBatch& b) override {
    auto doc = nlohmann::json::parse(b.document);
    Sent s{b.batch_id, {}};
    for (const auto& item : doc["items"]) s.message_ids.push_back(item["messageId"]);
    sent.push_back(std::move(s));
    if (clock) sent_at.push_back(clock->Now());
    if (script.empty()) return OkResult();
    SendResult r = script.front();
    script.pop_front();
    return r;
  }
  Status Check(std::vector<std::string>*) override { return Status::Ok(); }
  static SendResult OkResult() {
    SendResult r;
    r.outcome = SendOutcome::kOk;
    r.http_status = 200;
    return r;
  }

  std::deque<SendResult> script;
  std::vector<Sent> sent;
  const Clock* clock = nullptr;  // when set, the time of each Send goes to sent_at
  std::vector<SysTime> sent_at;

 private:
  DestinationConfig cfg_;
};

inline SendResult Retry(int http = 503, std::optional<Millis> retry_after = std::nullopt) {
  SendResult r;
  r.outcome = SendOutcome::kRetry;
  r.http_status = http;
  r.error = "HTTP " + std::to_string(http);
  r.retry_after = retry_after;
  return r;
}

inline SendResult Fatal() {
  SendResult r;
  r.outcome = SendOutcome::kFatal;
  r.http_status = 400;
  r.error = "HTTP 400 Bad Request";
  return r;
}

// A destination "lupapiste" (xroad, every minute, two items a batch) over a real journal on a
// fake clock; adjust cfg_ before Wire().
class Fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.interface.xroad_client = "FI/MUN/0204819-8/liitos";
    DestinationConfig d;
    d.name = "lupapiste";
    d.kind = "xroad";
    d.interval = std::chrono::minutes(1);
    d.max_batch_items = 2;
    cfg_.destinations.push_back(d);
  }
  // Wires the delivery with the destination as configured now.
  void Wire() {
    dst_ = std::make_unique<ScriptedDestination>(cfg_.destinations[0]);
    dst_->clock = &f_.clock;
    delivery_ = std::make_unique<Delivery>(cfg_, *f_.j, f_.clock, nullptr);
    delivery_->AddDestination(dst_.get());
  }
  // A file of updates, one per case: {lvCaseId, messageId}; one second passes. Returns its id.
  int64_t File(const std::string& name, const std::vector<std::pair<std::string, std::string>>& updates) {
    std::vector<RecordOutcomeIn> records;
    for (const auto& [case_id, id] : updates) records.push_back(journal_test::Accepted(records.size() + 1, case_id, id));
    int64_t id = f_.File(name, records);
    f_.clock.Advance(std::chrono::seconds(1));
    return id;
  }
  DestinationStats Stats() { return (*f_.j->Stats({"lupapiste"}))[0]; }
  // Every messageId the destination was sent, in order (retries repeat theirs).
  std::vector<std::string> SentIds() const {
    std::vector<std::string> out;
    for (const auto& s : dst_->sent) out.insert(out.end(), s.message_ids.begin(), s.message_ids.end());
    return out;
  }

  journal_test::Fixture f_;
  Config cfg_;
  std::unique_ptr<ScriptedDestination> dst_;
  std::unique_ptr<Delivery> delivery_;
};

}  // namespace liitos::delivery_test
