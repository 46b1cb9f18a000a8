#pragma once
// The auditor's commands (`liitos journal list|trace|verify|export`, SPEC §8) as library
// functions. Every function opens the database at `db_path` read-only (SQLITE_OPEN_READONLY):
// it never writes, and works while the service is writing (WAL readers), and on a copy on
// read-only media (journal/audit/audit_db.h).
// Output goes to `out`; nothing is written to `out` before the database opened.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"

namespace liitos {

// Filters of `journal list`; unset = not filtered. since/until are ISO instants or dates
// ("2026-11-20", "2026-11-20T12:00:00Z", "2026-11-20T14:00:00+02:00"): since inclusive, until
// exclusive. Each other filter matches its field exactly.
struct EventFilter {
  std::optional<std::string> since, until;
  std::optional<std::string> source, file, lv_case_id, message_id, batch_id, kind;
};

// table: aligned columns for a person (columns empty in every row are left out, hashes too),
//   times in Helsinki time with their offset ("2027-01-15 11:00:00+02:00");
// csv: for Excel in a Finnish locale (UTF-8 BOM, ';', CRLF, RFC 4180 quoting), every field,
//   times in Helsinki time with milliseconds ("2027-01-15 11:00:00.000+02:00");
// json: one JSON array of event objects, every field as recorded (times UTC, "…Z"), detail as a
//   JSON value.
enum class OutputFormat { kTable, kCsv, kJson };

// "table" | "csv" | "json"; nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(const std::string& name);

// Events matching every filter, in seq order. Invalid when since/until is not a date or time.
Status ListEvents(const std::string& db_path, const EventFilter& filter, OutputFormat format, std::ostream& out);

// Every event related to `x` (a file name, lvCaseId, messageId or batchId), in time (seq) order:
// for a file, also the events of its records' messages and of the batches that carried them; for
// a case, its messages' events and their batches' events; for a message, its batch's events; for
// a batch, its messages' events. NotFound when no event concerns `x`.
Status TraceEntity(const std::string& db_path, const std::string& x, OutputFormat format, std::ostream& out);

struct VerifyResult {
  bool ok = false;
  int64_t events = 0;         // events checked (all of them when ok)
  int64_t first_bad_seq = 0;  // 0 when ok, or when the damage is not tied to one event
  std::string why;            // empty when ok
};

// Walks the hash chain from seq 1 and recomputes every hash. Not ok on: a changed field, a
// deleted row (gap in seq), an inserted, swapped or moved row (broken prev_hash link), a
// corrupt or truncated database file, an outbox that refers to events no longer there.
// A Status error only when the file cannot be opened at all (missing, unreadable).
Result<VerifyResult> VerifyJournal(const std::string& db_path);

}  // namespace liitos
