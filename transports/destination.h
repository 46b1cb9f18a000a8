#pragma once
// A Destination delivers one batch document and answers Ok, Retry or Fatal; the scheduler, not the
// destination, owns backoff (STYLE.md practice 3, fluent-bit's FLB_OK / FLB_RETRY / FLB_ERROR).
// A Destination knows nothing of the interface format: it moves bytes. For X-Road the receiver's
// body is handed back for formats/interface to parse.
//
// Threading: one thread drives a Destination.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "base/status.h"
#include "config/config.h"

namespace liitos {

struct OutgoingBatch {
  std::string batch_id;
  std::string created_at_compact;  // "20261120T141500" (Helsinki) for file names
  std::string document;            // the SPEC §5.2 JSON
};

enum class SendOutcome { kOk, kRetry, kFatal };

struct SendResult {
  SendOutcome outcome = SendOutcome::kRetry;
  std::string error;                 // plain words when not kOk
  int http_status = 0;               // X-Road only
  std::string request_id;            // X-Road-Request-Id of the answer
  std::string body;                  // the receiver's answer (X-Road), to be parsed by the caller
  std::optional<Millis> retry_after;  // from Retry-After, when the receiver sent one
  bool per_item_results = false;     // true when `body` carries per-item results
};

class Destination {
 public:
  Destination() = default;
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;
  virtual ~Destination() = default;

  virtual const DestinationConfig& config() const = 0;

  // Sends one batch. Must be idempotent for the same batch_id (retries reuse it): a file
  // destination writes the same file name again.
  virtual SendResult Send(const OutgoingBatch& batch) = 0;

  // For `liitos check --connect`.
  virtual Status Check(std::vector<std::string>* report) = 0;

  // For metrics: whether a connection-based transport is connected now; nullopt when the
  // transport has no connection (local folders).
  virtual std::optional<bool> Connected() const { return std::nullopt; }
};

using DestinationPtr = std::unique_ptr<Destination>;

}  // namespace liitos
