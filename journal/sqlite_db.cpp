#include "journal/sqlite_db.h"

#include <fmt/format.h>

namespace liitos {

Status SqliteStatus(int rc, const std::string& context, const char* message) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return Status::Ok();
  std::string msg = fmt::format("{}: {} ({})", context, message ? message : sqlite3_errstr(rc), rc);
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Retry(std::move(msg));
    case SQLITE_CANTOPEN:
      return Status::NotFound(std::move(msg));
    case SQLITE_CONSTRAINT:
    case SQLITE_READONLY:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return Status::Invalid(std::move(msg));
    default:
      return Status::IoError(std::move(msg));
  }
}

Db::~Db() {
  for (auto& [sql, stmt] : stmts_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Db>> Db::OpenName(const std::string& name, const std::string& path, int flags,
                                         int busy_timeout_ms) {
  // No memory statistics: with them every SQLite allocation takes a global mutex (a tenth of the
  // journal's CPU in a burst of small files). Only possible before SQLite initializes, so once.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteStatus(rc, "cannot open journal " + path, raw ? sqlite3_errmsg(raw) : nullptr);
    sqlite3_close_v2(raw);
    return s;
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return std::unique_ptr<Db>(new Db(raw, (flags & SQLITE_OPEN_READONLY) != 0));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only, int busy_timeout_ms) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  return OpenName(path, path, flags, busy_timeout_ms);
}

Result<std::unique_ptr<Db>> Db::OpenImmutable(const std::string& path) {
  // A URI's path is percent-encoded: every byte but the unreserved ones and '/' (names are bytes).
  std::string uri = "file:";
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                 c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  uri += "?mode=ro&immutable=1";
  return OpenName(uri, path, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, 0);
}

Status Db::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  Status s = SqliteStatus(rc, "journal", err);
  sqlite3_free(err);
  return s;
}

Result<sqlite3_stmt*> Db::Prepare(const char* sql) {
  auto it = stmts_.find(sql);
  if (it != stmts_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return LastError("journal: prepare");
  stmts_.emplace(sql, stmt);
  return stmt;
}

Status Db::LastError(const std::string& context) const {
  return SqliteStatus(sqlite3_extended_errcode(db_), context, sqlite3_errmsg(db_));
}

Query::Query(Db& db, const char* sql) : db_(db), sql_(sql) {
  auto st = db.Prepare(sql);
  if (st.ok()) {
    stmt_ = *st;
  } else {
    status_ = st.status();
  }
}

Query::~Query() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Query& Query::Bind(int i, std::string_view text) {
  if (stmt_ && status_.ok()) {
    int rc = sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) status_ = db_.LastError("journal: bind");
  }
  return *this;
}

Query& Query::BindOrNull(int i, std::string_view text) { return text.empty() ? BindNull(i) : Bind(i, text); }

Query& Query::Bind(int i, int64_t v) {
  if (stmt_ && status_.ok() && sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) status_ = db_.LastError("journal: bind");
  return *this;
}

Query& Query::BindNull(int i) {
  if (stmt_ && status_.ok() && sqlite3_bind_null(stmt_, i) != SQLITE_OK) status_ = db_.LastError("journal: bind");
  return *this;
}

Result<bool> Query::Step() {
  if (!status_.ok()) return status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  status_ = db_.LastError("journal");
  return status_;
}

Status Query::Run() {
  for (;;) {
    auto r = Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
  }
}

std::string Query::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

int64_t Query::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
bool Query::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Query::Changes() const { return sqlite3_changes64(db_.raw()); }

}  // namespace liitos
