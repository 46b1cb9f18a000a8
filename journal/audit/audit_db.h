#pragma once
// The read-only connection the audit functions use.

#include <memory>
#include <string>

#include "journal/sqlite_db.h"

namespace liitos {

// Opens `db_path` read-only and checks that it is a liitos journal. NotFound when it is missing;
// kInvalid when it is not an SQLite database or not a journal (never kCorruption: that is kept for
// a journal whose content is damaged). Works on any copy, also on read-only media, and never
// writes beside it: a file without a -wal beside it is opened as immutable (no -wal or -shm is
// created; nothing may write the file meanwhile, which holds for a copy and for the journal of a
// stopped service). With a -wal, it is opened shared; when SQLite cannot create the -shm file that
// needs, the file is opened as immutable instead, unless the -wal is non-empty and so holds
// transactions that only a shared open could read (then IoError, saying so).
Result<std::unique_ptr<Db>> OpenAuditDb(const std::string& db_path);

}  // namespace liitos
