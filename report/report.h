#pragma once
// The auditor's report (SPEC §12): one self-contained HTML file for a period — the journal's
// identity and verification, counts per day and per source or destination, a timeline chart
// (inline SVG), and the tables of quarantined files, failed batches, receiver rejections,
// host-key refusals and configuration changes, each row linked to its story within the page.
// No external resources, no scripts; prints to PDF. Helsinki time with offsets throughout. What is
// shown is what the journal recorded (names already SafeText); every value is masked once more
// for anything shaped like a henkilötunnus and escaped for HTML by the template
// (report/report.html.tpl, ctemplate's auto-escaping).

#include <cstdint>
#include <optional>
#include <string>

#include "base/time/clock.h"
#include "base/status.h"
#include "journal/audit/checkpoint_key.h"

namespace liitos {

struct ReportOptions {
  std::string db_path;       // opened read-only
  std::string journal_label;  // the journal's path as shown (db_path when empty)
  SysTime since, until;       // [since, until)
  std::optional<std::string> source;
  // Checkpoints to check (SPEC §7): both set, or the report says they were not checked and why.
  std::optional<std::string> checkpoint_dir;
  std::optional<CheckpointKey> key;
  std::string no_checkpoints_reason = "no checkpoint folder and key were given";
  bool journal_is_copy = false;  // a backup: checkpoints after its end are not held against it
  SysTime now;                    // "written at", and the end of pending ages
  int64_t max_rows = 500;         // rows per table (the rest: journal list)
  int64_t max_story_events = 40;  // events per story (the rest: journal trace)
  std::string version;            // of liitos, shown in the report
};

// What the report found, for the command to print.
struct ReportSummary {
  bool chain_ok = false;
  std::optional<bool> checkpoints_ok;  // nullopt when not checked
  int64_t events = 0;
  std::string head_hash;
};

// Renders the report into `html`. A Status error when the journal cannot be read; a tampered
// journal still gives a report (that says so).
Result<ReportSummary> RenderReport(const ReportOptions& options, std::string* html);

}  // namespace liitos
