#pragma once
// The read-only connection the audit functions use.

#include <memory>
#include <string>

#include "journal/sqlite_db.h"

namespace liitos {

// Opens `db_path` read-only and checks that it is a liitos journal. NotFound when it is missing.
Result<std::unique_ptr<Db>> OpenAuditDb(const std::string& db_path);

}  // namespace liitos
