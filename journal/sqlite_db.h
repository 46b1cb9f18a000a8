#pragma once
// A thin RAII layer over the SQLite C API for the journal: one connection (Db) with a cache of
// statements prepared once (keyed by the address of their named constant in journal_sql.h), and
// Query, which borrows a cached statement, binds, steps and resets it when it goes out of scope.
//
// Not thread-safe: the owner (the journal, or an audit function) serializes use.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace liitos {

class Db {
 public:
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Opens `path`. Read-only opens use SQLITE_OPEN_READONLY and never create the file.
  // Every connection waits up to `busy_timeout_ms` for a lock held by another process.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only, int busy_timeout_ms = 5000);
  // Opens `path` read-only as an immutable file (URI `mode=ro&immutable=1`): SQLite takes no locks
  // and neither reads nor creates the -wal and -shm files, so this works on read-only media where a
  // WAL database cannot otherwise be read. The caller promises that nothing writes the file while
  // it is open, and accepts that committed transactions still in a -wal file are not seen.
  static Result<std::unique_ptr<Db>> OpenImmutable(const std::string& path);

  // Runs one or more statements without results (schema migrations, pragmas).
  Status Exec(const char* sql);
  // The statement for `sql`, prepared on first use and kept until the connection closes.
  Result<sqlite3_stmt*> Prepare(const char* sql);
  // The connection's last error as a Status: corruption maps to kCorruption, busy to kRetry.
  Status LastError(const std::string& context) const;

  sqlite3* raw() const { return db_; }
  bool read_only() const { return read_only_; }

 private:
  Db(sqlite3* db, bool read_only) : db_(db), read_only_(read_only) {}
  // `name` is a path, or a URI with SQLITE_OPEN_URI in `flags`; `path` names it in errors.
  static Result<std::unique_ptr<Db>> OpenName(const std::string& name, const std::string& path, int flags,
                                              int busy_timeout_ms);
  sqlite3* db_;
  bool read_only_;
  std::unordered_map<const char*, sqlite3_stmt*> stmts_;
};

// Maps an SQLite result code to a Status (nullopt-like Ok for SQLITE_OK/ROW/DONE).
Status SqliteStatus(int rc, const std::string& context, const char* message);

// One use of a cached statement. Bind errors are remembered and returned by Step()/Run().
class Query {
 public:
  Query(Db& db, const char* sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(int i, std::string_view text);
  Query& BindOrNull(int i, std::string_view text);  // NULL when empty
  Query& Bind(int i, int64_t v);
  Query& BindNull(int i);

  // true: a row is available; false: done.
  Result<bool> Step();
  // Steps to completion (statements without rows).
  Status Run();

  std::string Text(int col) const;  // "" for NULL
  int64_t Int(int col) const;
  bool IsNull(int col) const;
  int64_t Changes() const;

 private:
  Db& db_;
  const char* sql_;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

}  // namespace liitos
