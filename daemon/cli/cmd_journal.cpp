// liitos journal list|trace|verify|export: the auditor's commands (report, checkpoint and
// verify --checkpoints: daemon/cli/cmd_journal_report.cpp). Read-only: the journal is opened
// read-only and the commands work while the service runs, and need no lock. With --db they read
// that file, any copy of a journal (a backup on read-only media too), and no configuration.

#include <iostream>

#include "base/time/helsinki_time.h"
#include "daemon/cli/commands.h"
#include "daemon/load.h"
#include "journal/audit/audit.h"

namespace liitos {
namespace {

OutputFormat ParseFormat(const std::string& f) { return ParseOutputFormat(f).value_or(OutputFormat::kTable); }

EventFilter MakeFilter(const JournalArgs& a) {
  EventFilter f;
  // Journal times are UTC with milliseconds; a filter given in any ISO form is normalized to that.
  if (!a.since.empty()) f.since = FormatUtcMillis(*ParseIsoInstant(a.since));
  if (!a.until.empty()) f.until = FormatUtcMillis(*ParseIsoInstant(a.until));
  auto opt = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
  f.source = opt(a.source);
  f.file = opt(a.file);
  f.lv_case_id = opt(a.lv_case);
  f.message_id = opt(a.message);
  f.batch_id = opt(a.batch);
  f.kind = opt(a.kind);
  return f;
}

}  // namespace

int CmdJournal(const std::string& config_path, const JournalArgs& a) {
  if (a.action == "report") return CmdJournalReport(config_path, a);
  if (a.action == "checkpoint") return CmdJournalCheckpoint(config_path);
  if (a.action == "verify" && !a.checkpoints.empty()) return CmdJournalVerifyCheckpoints(config_path, a);
  std::string db = a.db;
  if (db.empty()) {
    auto cfg = LoadConfigOrReport(config_path);
    if (!cfg) return kExitUsage;
    db = JournalPath(*cfg);
  }
  OutputFormat format = ParseFormat(a.format);

  if (a.action == "verify") {
    auto r = VerifyJournal(db);
    if (!r.ok()) {
      // A database that is there but damaged is tampering as far as an auditor is concerned; a
      // journal that cannot be opened at all is a runtime failure.
      std::cerr << "liitos journal verify: " << r.status().message() << "\n";
      return r.status().code() == Status::Code::kCorruption ? kExitTampered : kExitRuntime;
    }
    if (r->ok) {
      std::cout << "journal verified: " << r->events << " events, hash chain intact\n";
      return kExitOk;
    }
    std::cout << "journal TAMPERED: event " << r->first_bad_seq << ": " << r->why << "\n";
    return kExitTampered;
  }

  Status s;
  for (const auto* t : {&a.since, &a.until}) {
    if (!t->empty() && !ParseIsoInstant(*t)) {
      std::cerr << "liitos journal " << a.action << ": '" << *t << "' is not an ISO 8601 date or time\n";
      return kExitUsage;
    }
  }
  if (a.action == "list") {
    s = ListEvents(db, MakeFilter(a), format, std::cout);
  } else if (a.action == "trace") {
    s = TraceEntity(db, a.target, format, std::cout);
  } else if (a.action == "export") {
    // export is list without the table: every field, CSV for Excel or JSON, filters apply.
    s = ListEvents(db, MakeFilter(a), format == OutputFormat::kTable ? OutputFormat::kCsv : format, std::cout);
  }
  if (!s.ok()) {
    std::cerr << "liitos journal " << a.action << ": " << s.message() << "\n";
    return kExitRuntime;
  }
  return kExitOk;
}

}  // namespace liitos
