#!/usr/bin/env bash
# The service under a burst (issue 4): N small exports (10 records each) dropped at once into a
# watched folder, a dir destination on a 1-minute interval. Reports files/s from the first drop
# until all are journaled (parsed, intake receipt written), the time until all are delivered, and
# peak RSS. Side by side: the naive peer a sysadmin would script — inotifywait -m piping each file
# through mlr to JSON.
# Usage: bench/service_bench.sh [FILES=10000]   (scripts/install-deps.sh --bench first)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
bin=$PWD/${LIITOS_BIN:-build/daemon/liitos}
work=$(mktemp -d)
# The peer's inotifywait is a grandchild: found by its (unique) watched path, so no run leaves one behind.
trap 'kill $(jobs -p) 2>/dev/null || true; pkill -f -- "$work/peer_in" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work"/{stage,in,out,state,receipts,peer_in,peer_out,peer_stage}
sed -e "s#@ROOT@#$work#g; s#@SETTLE@#500ms#; s#@INTERVAL@#1m#" tests/data/e2e/service.toml.in |
  sed -e "s#$work/rakval/in#$work/in#; s#$work/rakval/receipts#$work/receipts#; s#$work/outbound#$work/out#" >"$work/liitos.toml"
mkdir -p "$work/ymparisto/in"
python3 - "$work/stage" "$work/peer_stage" "$n" <<'PY'
import sys, os
stage, peer, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
head = "Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Edellinen tila;Päätöspvm;Päätös;Pykälä;Päättäjä;Viesti;Y-tunnus;Hetu;Käsittelijä\r\n"
for i in range(n):
    body = head + "".join(f"LV-B{i}-{r};RAVA/{i}/2026;20;0{1 + r % 9}.11.2026 09:15;10;;;;;Viesti {r};0737546-2;;Matti Mäkelä\r\n" for r in range(10))
    data = body.encode("cp1252")
    for d in (stage, peer):
        with open(os.path.join(d, f"e{i}.csv"), "wb") as f:
            f.write(data)
PY
now_ms() { date +%s%3N; }
count_parsed() { sqlite3 "file:$work/state/journal.db?mode=ro" "SELECT count(*) FROM files WHERE state IN ('parsed','done')" 2>/dev/null || echo 0; }
count_done() { sqlite3 "file:$work/state/journal.db?mode=ro" "SELECT count(*) FROM files WHERE state = 'done'" 2>/dev/null || echo 0; }

"$bin" run --config "$work/liitos.toml" 2>"$work/liitos.log" &
pid=$!
until [ -f "$work/state/journal.db" ]; do sleep 0.05; done
t0=$(now_ms)
drop() { python3 -c 'import os,sys; [os.rename(os.path.join(sys.argv[1], f), os.path.join(sys.argv[2], f)) for f in sorted(os.listdir(sys.argv[1]))]' "$1" "$2"; }
drop "$work/stage" "$work/in"   # renames, as fast as a legacy system's export step can make them
t_drop=$(now_ms)
until [ "$(count_parsed)" -ge "$n" ]; do sleep 0.1; done
t_journaled=$(now_ms)
cpu_journaled=$(awk '{print $14 + $15}' /proc/$pid/stat)  # utime + stime, clock ticks
user_journaled=$(awk '{print $14}' /proc/$pid/stat)
main_journaled=$(awk '{print $14 + $15}' /proc/$pid/task/$pid/stat)  # the service (journal) thread alone
if [ -n "${SKIP_PEER:-}" ]; then  # SKIP_PEER=1: liitos's intake alone (profiling runs)
  echo "liitos: $n files journaled in $(( t_journaled - t0 )) ms, CPU $(( cpu_journaled * 1000 / $(getconf CLK_TCK) )) ms (user $(( user_journaled * 1000 / $(getconf CLK_TCK) )) ms; service thread $(( main_journaled * 1000 / $(getconf CLK_TCK) )) ms), peak RSS $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB; now $(awk '/^Rss(Anon|File|Shmem)/ {printf "%s %s kB ", $1, $2}' /proc/$pid/status)"
  kill -TERM $pid; wait $pid || true
  if [ -n "${KEEP_LOG:-}" ]; then cp "$work/liitos.log" "$KEEP_LOG"; fi
  exit 0
fi
until [ "$(count_done)" -ge "$n" ]; do sleep 0.5; done
t_delivered=$(now_ms)
rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
kill -TERM $pid; wait $pid || true

# The peer: inotifywait -m | while read; mlr … > json
( cd "$work" && inotifywait -q -m -e close_write,moved_to --format '%f' "$work/peer_in" |
    while read -r f; do mlr --icsv --ifs ';' --ojson cat "peer_in/$f" >"peer_out/$f.json"; done ) &
sleep 0.5
p0=$(now_ms)
drop "$work/peer_stage" "$work/peer_in"
until [ "$(ls "$work/peer_out" | wc -l)" -ge "$n" ]; do sleep 0.2; done
p1=$(now_ms)

python3 - "$n" "$t0" "$t_drop" "$t_journaled" "$t_delivered" "$rss_kb" "$p0" "$p1" "$cpu_journaled" <<'PY'
import sys, os
n, t0, tdrop, tj, td, rss, p0, p1, cpu = map(int, sys.argv[1:])
cpu = cpu * 100 / os.sysconf("SC_CLK_TCK")
ours = n / ((tj - t0) / 1000)
peer = n / ((p1 - p0) / 1000)
print(f"| files | {n} |")
print(f"| liitos: first drop → all journaled | {(tj - t0) / 1000:.1f} s ({ours:.0f} files/s) |")
print(f"| liitos: first drop → all delivered (1-minute interval) | {(td - t0) / 1000:.1f} s |")
print(f"| liitos: CPU (user + system) until all journaled | {cpu / 100:.1f} s |")
print(f"| liitos: peak RSS | {rss / 1024:.1f} MiB |")
print(f"| peer (inotifywait -m + mlr per file): all converted | {(p1 - p0) / 1000:.1f} s ({peer:.0f} files/s) |")
print(f"| ratio liitos / peer | {ours / peer:.1f}× |")
PY
