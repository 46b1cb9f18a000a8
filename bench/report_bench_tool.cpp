// The report bench's helper (bench/report_bench.sh):
//   liitos_report_bench_tool init DB      creates an empty journal (the current schema) at DB
//   liitos_report_bench_tool rechain DB   recomputes every event's prev_hash and hash, and the
//                                          head record, honestly (journal/event_hash.h), for a
//                                          journal whose events were generated in SQL
// Exits 1 on failure.

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "base/time/clock.h"
#include "journal/journal.h"
#include "tests/journal/rechain.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s init|rechain DB\n", argv[0]);
    return 2;
  }
  const std::string what = argv[1], path = argv[2];
  if (what == "init") {
    auto j = liitos::Journal::Open(path, liitos::RealClock());
    if (!j.ok()) {
      std::fprintf(stderr, "%s\n", j.status().ToString().c_str());
      return 1;
    }
    return 0;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; DROP TRIGGER IF EXISTS events_no_update",
               nullptr, nullptr, nullptr);
  auto t0 = std::chrono::steady_clock::now();
  std::string err = liitos::journal_test::Rechain(db, 1);
  sqlite3_exec(db,
               "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
               "BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;",
               nullptr, nullptr, nullptr);
  sqlite3_close(db);
  if (!err.empty()) {
    std::fprintf(stderr, "rechain: %s\n", err.c_str());
    return 1;
  }
  std::printf("rechained in %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return 0;
}
