#pragma once
// Writes journal events as a table, CSV or JSON (the auditor's output formats, journal/audit/audit.h).

#include <memory>
#include <ostream>
#include <string>

#include "journal/audit/audit.h"
#include "journal/journal.h"
#include "journal/sqlite_db.h"

namespace liitos {

class EventWriter {
 public:
  virtual ~EventWriter() = default;
  virtual void Write(const Event& e) = 0;
  // Completes the output (the table is laid out here; JSON closes its array).
  virtual void Finish() = 0;
};

std::unique_ptr<EventWriter> MakeEventWriter(OutputFormat format, std::ostream& out);

// One cell of the journal's CSV output; every cell the CSV writer emits, header included, passes
// here. A value that begins with '=', '+', '-', '@', a tab or a carriage return gets a leading "'"
// so that no spreadsheet runs it as a formula (SPEC §8); then it is quoted per RFC 4180 when it
// holds ';', '"', CR or LF.
std::string CsvField(const std::string& v);

// Reads an event from a statement selecting LIITOS_EVENT_COLS.
Event ReadEvent(const Query& q);

}  // namespace liitos
