#pragma once
// Internal to report/: what the report shows, gathered from the journal (report/gather.cpp) and
// then rendered (report/render.cpp). Times here are UTC journal times; the renderer shows them in
// Helsinki time.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "journal/audit/audit.h"
#include "journal/audit/checkpoint.h"
#include "journal/journal.h"
#include "journal/audit/report_data.h"
#include "report/period.h"
#include "report/report.h"

namespace liitos::report_detail {

// The counters of one row of the per-day and per-party tables.
enum Counter {
  kFiles, kQuarantined, kAccepted, kDuplicates, kRejected, kDelivered, kReceiverRejected, kBatchesDelivered,
  kBatchesFailed, kCounterCount
};
using Counts = std::array<int64_t, kCounterCount>;
// The counter an event kind (or kRecordsDelivered) adds to; kCounterCount for kinds not counted.
Counter CounterOf(const std::string& kind);

struct NotableRow {
  Event event;
  std::vector<std::pair<std::string, bool>> cells;  // text, shown as an identifier (monospace)
};

struct NotableTable {
  std::string anchor, title, command;
  std::vector<std::string> head;
  int64_t total = 0;
  std::vector<NotableRow> rows;
};

struct Story {
  int64_t seq = 0;  // of the row it tells about
  std::string title, command;
  std::vector<Event> events;
  bool truncated = false;
};

struct Model {
  ReportPeriod period;
  JournalIdentity identity;
  VerifyResult verify;
  std::optional<CheckpointsResult> checkpoints;
  std::vector<Counts> per_bucket;
  std::vector<std::string> oldest_pending;  // per bucket: creation time of the oldest open update, or ""
  std::vector<SysTime> pending_at;           // per bucket: when oldest_pending was taken
  std::map<std::string, Counts> per_source, per_destination;
  std::vector<NotableTable> tables;
  std::vector<Story> stories;
};

Result<Model> Gather(const ReportOptions& o);
// The HTML of `m` (report/render.cpp).
Status Render(const ReportOptions& o, const Model& m, std::string* html);

}  // namespace liitos::report_detail
