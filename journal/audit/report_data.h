#pragma once
// What the auditor's report (SPEC §12) asks of the journal, answered with aggregate SQL over
// indexes (schema v8): counts by period, kind and source or destination; the age of the oldest
// pending update over time; the rows of the report's tables and the story of each. Nothing here
// walks every event of a period in C++.
//
// Every function opens the database read-only and works while the service writes. Values are as
// the journal recorded them (names already SafeText, SPEC G6); the caller escapes them for HTML.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "journal/journal.h"

namespace liitos {

// A half-open interval of UTC journal times ("2026-11-20T12:05:00.000Z").
struct TimeBucket {
  std::string from, to;
};

struct JournalIdentity {
  int64_t events = 0;
  int64_t first_seq = 0, last_seq = 0;
  std::string first_time, last_time;  // UTC; empty when the journal is empty
  std::string head_hash;              // the last event's hash
};
Result<JournalIdentity> ReadJournalIdentity(const std::string& db_path);

// The events of the report's kinds (LIITOS_REPORT_KINDS, journal/audit/report_sql.h) in each bucket, counted per kind and party: the
// source for FILE_* and RECORD_* events, the destination for BATCH_* and ITEM_* events. With
// `source`, only that source's events; its updates delivered and rejected by a receiver are then
// counted from the outbox, and batches are not counted (a batch carries updates of many sources).
struct KindCount {
  size_t bucket = 0;
  std::string kind;   // an event kind, or kRecordsDelivered
  std::string party;  // source or destination
  int64_t count = 0;
};
// The updates a receiver took (summed from BATCH_DELIVERED; from the outbox with a source).
inline constexpr const char* kRecordsDelivered = "RECORDS_DELIVERED";
Result<std::vector<KindCount>> CountEvents(const std::string& db_path, const std::vector<TimeBucket>& buckets,
                                           const std::optional<std::string>& source);

// The creation time (UTC) of the oldest update not yet final (delivered, rejected or failed) at
// the end of each bucket ("" when none was pending then), for `source` or every source.
Result<std::vector<std::string>> OldestPending(const std::string& db_path, const std::vector<TimeBucket>& buckets,
                                               const std::optional<std::string>& source);

// The events of `kinds` in `period`, oldest first, at most `limit` of each kind. With `source`:
// that source's events, the receiver's rejections of its updates, the failed batches that carried
// one, and every host-key refusal and configuration change (they concern every source).
// `totals` receives how many events of each kind there are in all; CONFIG_LOADED and
// CONFIG_REFUSED count, and are limited, together as CONFIG_LOADED (the configuration changes).
Result<std::vector<Event>> ListNotable(const std::string& db_path, const std::vector<std::string>& kinds,
                                       const TimeBucket& period, const std::optional<std::string>& source,
                                       int64_t limit, std::map<std::string, int64_t>* totals);

// The story of a notable event, as `journal trace` would tell it but kept to that one thing: a
// file's events (same source, name and content); a batch's own events and the acceptance of its
// first five updates; an item's acceptance, rejection and its batch's own events; otherwise the event alone.
// At most `limit` events, oldest first; `truncated` says whether some were left out.
Result<std::vector<Event>> StoryOf(const std::string& db_path, const Event& e, int64_t limit, bool* truncated);

}  // namespace liitos
