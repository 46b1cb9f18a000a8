#pragma once
// Internal to daemon/feed*.cpp: one round's work. A Task is the orders of one application in the
// round (usually one), done one after the other on a worker thread; an Outcome is what one order
// came to, journaled afterwards on the feed's thread.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/feeds/feed.h"

namespace liitos {

struct Feed::Outcome {
  enum class Kind { kFetched, kUnchanged, kNotFound, kRejected, kFailed, kRetry, kConfigFault };
  FetchOrder order;
  Kind kind = Kind::kRetry;
  std::string attempt_detail;  // the FETCH_ATTEMPT detail (JSON object)
  std::vector<PartDigest> parts;  // when every part came back as JSON
  std::string digest;             // "part=sha256 …" of the parts
  std::string import_file, import_sha256;
  size_t import_size = 0;
  std::string error;  // why, when not fetched or unchanged
  std::optional<Millis> retry_after;
  // kFetched before its import file is written: the file's bytes, written with the worker's next
  // batch of files (FileSink::PutAll), which settles the kind.
  bool write_pending = false;
  std::string data;
  // kUnchanged against a file of this round's earlier order of the same application (its index
  // in Task::outcomes), which may yet fail to be written; -1 otherwise.
  int relies_on = -1;
};

struct Feed::Task {
  std::vector<FetchOrder> orders;  // of one external id, oldest first
  // What was last written of the application before the round: {digest, import file}.
  std::optional<std::pair<std::string, std::string>> written;
  std::vector<Outcome> outcomes;  // filled by the worker, one per order it got to
};

}  // namespace liitos
