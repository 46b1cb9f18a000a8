#pragma once
// The read-only connection the audit functions use.

#include <memory>
#include <string>

#include "journal/sqlite_db.h"

namespace liitos {

// Opens `db_path` read-only and checks that it is a liitos journal. NotFound when it is missing.
// Works on any copy, also on read-only media: when SQLite cannot create the -shm file that a WAL
// database needs, the file is opened as immutable instead, unless a non-empty -wal beside it holds
// transactions that only a shared open could read (then IoError, saying so).
Result<std::unique_ptr<Db>> OpenAuditDb(const std::string& db_path);

}  // namespace liitos
