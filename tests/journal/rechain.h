#pragma once
// What an attacker with write access to the journal file and this project's source can do:
// change an event and honestly recompute every hash after it, the chain's head record included
// (journal/event_hash.h). The hash chain alone cannot see it; checkpoints can (SPEC §7).

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "journal/event_hash.h"

namespace liitos::journal_test {

// Recomputes prev_hash and hash of every event from `from_seq` on and rewrites the head record.
// The append-only triggers must be gone. Returns SQLite's error message, or "".
inline std::string Rechain(sqlite3* db, int64_t from_seq) {
  auto text = [](sqlite3_stmt* st, int col) {
    const unsigned char* t = sqlite3_column_text(st, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  std::string prev = kGenesisHash;
  sqlite3_stmt* get = nullptr;
  sqlite3_stmt* put = nullptr;
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  if (from_seq > 1) {
    sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE seq = ?1", -1, &get, nullptr);
    sqlite3_bind_int64(get, 1, from_seq - 1);
    if (sqlite3_step(get) == SQLITE_ROW) prev = text(get, 0);
    sqlite3_finalize(get);
  }
  sqlite3_prepare_v2(db,
                     "SELECT seq, time, kind, source, file, file_sha256, record, message_id, batch_id, destination, "
                     "lv_case_id, detail FROM events WHERE seq >= ?1 ORDER BY seq",
                     -1, &get, nullptr);
  sqlite3_prepare_v2(db, "UPDATE events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1", -1, &put, nullptr);
  sqlite3_bind_int64(get, 1, from_seq);
  int64_t last = 0;
  while (sqlite3_step(get) == SQLITE_ROW) {
    Event e;
    e.seq = sqlite3_column_int64(get, 0);
    e.time = text(get, 1);
    e.kind = text(get, 2);
    e.source = text(get, 3);
    e.file = text(get, 4);
    e.file_sha256 = text(get, 5);
    if (sqlite3_column_type(get, 6) != SQLITE_NULL) e.record = sqlite3_column_int64(get, 6);
    e.message_id = text(get, 7);
    e.batch_id = text(get, 8);
    e.destination = text(get, 9);
    e.lv_case_id = text(get, 10);
    e.detail_json = text(get, 11);
    std::string hash = EventHash(prev, e);
    sqlite3_bind_int64(put, 1, e.seq);
    sqlite3_bind_text(put, 2, prev.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(put, 3, hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(put);
    sqlite3_reset(put);
    prev = hash;
    last = e.seq;
  }
  sqlite3_finalize(get);
  sqlite3_finalize(put);
  std::string head = "INSERT OR REPLACE INTO chain_head(id, seq, hash) VALUES (1, " + std::to_string(last) + ", '" +
                     prev + "')";
  char* err = nullptr;
  int rc = sqlite3_exec(db, (head + "; COMMIT").c_str(), nullptr, nullptr, &err);
  std::string msg = rc == SQLITE_OK ? "" : (err ? err : "error");
  sqlite3_free(err);
  return msg;
}

}  // namespace liitos::journal_test
