#!/usr/bin/env bash
# The auditor's report on a month of a busy journal (issue 20): a journal of EVENTS events over
# DAYS days from 2026-11-01 (Helsinki), generated in SQL with the sqlite3 shell
# (bench/report_journal.sql: files of 50 records from three sources, batches of 1,000 updates, a
# few quarantined files, failed batches and receiver rejections), then HONESTLY HASHED: every
# event's hash is recomputed by liitos_report_bench_tool with journal/event_hash.h, so `verify`
# inside the report walks a valid chain, as it would in service. Then times
#   liitos journal report --db DB --since 2026-11-01 --until 2026-12-01 --out report.html
# (wall time, CPU time and peak RSS from /usr/bin/time), twice, and once with --source. The CPU
# time is the steadier figure on a shared machine: the load average is printed beside each run.
# Usage: bench/report_bench.sh [EVENTS=5000000] [DAYS=30]
#   LIITOS_BENCH_DIR=DIR keeps the journal there (and reuses it when it is already there).
# Needs a build with -DLIITOS_BENCH=ON (build/bench/liitos_report_bench_tool) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-5000000}
days=${2:-30}
bin=$PWD/${LIITOS_BIN:-build/daemon/liitos}
tool=$PWD/build/bench/liitos_report_bench_tool
if [[ -n "${LIITOS_BENCH_DIR:-}" ]]; then
  work=$LIITOS_BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
db=$work/journal.db
start=$(date -d '2026-11-01T00:00:00+02:00' +%s)

if [[ ! -f "$db" ]]; then
  t0=$(date +%s.%N)
  "$tool" init "$db"
  sqlite3 "$db" <<SQL
.parameter set @events $events
.parameter set @days $days
.parameter set @start $start
.read bench/report_journal.sql
SQL
  t1=$(date +%s.%N)
  "$tool" rechain "$db"
  sqlite3 "$db" "PRAGMA journal_mode=WAL;" >/dev/null
  printf 'journal generated in %.0f s (SQL) + rechained: %s events, %s MB\n' "$(echo "$t1 - $t0" | bc)" \
    "$(sqlite3 "$db" 'SELECT count(*) FROM events')" "$(( $(stat -c %s "$db") / 1000000 ))"
fi

run() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$bin" journal report --db "$db" --since 2026-11-01 \
    --until 2026-12-01 --out "$work/report.html" "$@" >"$work/out" || { cat "$work/out"; exit 1; }
  read -r secs kb user sys <"$work/time"
  printf '%-28s %6.2f s  CPU %5.2f s  peak RSS %5.1f MiB  report %4.1f MB  (load %s)\n' "$label" "$secs" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$kb / 1024" | bc -l)" \
    "$(echo "$(stat -c %s "$work/report.html") / 1000000" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
}
run "report, November"
run "report, November (again)"
run "report, November, --source" --source rakval
/usr/bin/time -f "%e %M %U %S" -o "$work/time" "$bin" journal verify --db "$db" >/dev/null
read -r secs kb user sys <"$work/time"
printf '%-28s %6.2f s  CPU %5.2f s  peak RSS %5.1f MiB\n' "verify alone, for scale" "$secs" \
  "$(echo "$user + $sys" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
