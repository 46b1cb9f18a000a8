// The read-only connection of the audit functions (journal/audit/audit_db.h).
#include "journal/audit/audit_db.h"

#include <sys/stat.h>

#include <cerrno>

#include "journal/journal_sql.h"

namespace liitos {
namespace {

// PRAGMA user_version; on failure *sqlite_rc gets SQLite's extended result code.
Result<int64_t> SchemaVersion(Db& db, int* sqlite_rc) {
  Query q(db, sql::kUserVersion);
  auto r = q.Step();
  if (!r.ok()) {
    *sqlite_rc = sqlite3_extended_errcode(db.raw());
    return r.status();
  }
  return q.Int(0);
}

// The size of `path`, 0 when it is missing.
int64_t SizeOf(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

}  // namespace

Result<std::unique_ptr<Db>> OpenAuditDb(const std::string& db_path) {
  struct stat st;
  if (::stat(db_path.c_str(), &st) != 0) return Status::FromErrno("journal " + db_path, errno);
  const std::string wal = db_path + "-wal";
  struct stat wal_st;
  const bool has_wal = ::stat(wal.c_str(), &wal_st) == 0;
  // Without a -wal beside it the file holds the whole journal, and a shared open would still
  // create -wal and -shm files in its folder: read it as an immutable file, which writes nothing.
  auto db = has_wal ? Db::Open(db_path, /*read_only=*/true) : Db::OpenImmutable(db_path);
  if (!db.ok()) return db.status();
  int rc = SQLITE_OK;
  auto version = SchemaVersion(**db, &rc);
  if (has_wal && !version.ok() && ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY)) {
    // A WAL database that SQLite cannot share: no -shm file beside it and none can be created (a
    // copy on read-only media, or a folder the reader may not write). Read as an immutable file;
    // that is the whole journal only when no -wal holds committed transactions.
    if (int64_t wal_size = SizeOf(wal); wal_size > 0)
      return Status::IoError("cannot read journal " + db_path + ": its write-ahead log " + wal + " (" +
                             std::to_string(wal_size) + " bytes) can be read only where SQLite may create " +
                             db_path + "-shm; copy both files to a writable folder first");
    db->reset();
    db = Db::OpenImmutable(db_path);
    if (!db.ok()) return db.status();
    version = SchemaVersion(**db, &rc);
  }
  // Not a database at all (random bytes, a directory, another kind of file): a journal that cannot
  // be opened, not a damaged one (SPEC §8: that is exit 1, not tampering).
  if (!version.ok() && (rc & 0xff) == SQLITE_NOTADB)
    return Status::Invalid(db_path + " is not a liitos journal: not an SQLite database");
  if (!version.ok()) return version.status();
  if (*version < 1 || *version > sql::kSchemaVersion)
    return Status::Invalid(db_path + " is not a journal this liitos can read (schema version " +
                           std::to_string(*version) + ")");
  return db;
}

}  // namespace liitos
