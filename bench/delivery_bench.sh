#!/usr/bin/env bash
# X-Road delivery throughput (issue 6): FILES x RECORDS pending updates (default 100 x 1000 =
# 100,000) delivered over plain HTTP to the local test receiver (tests/fixtures/receiver.py) in
# batches of 1,000.
#   phase 1: `liitos run --once` with the receiver down: intake only (one batch is created and its
#            attempt refused at connect; everything stays pending).
#   phase 2: receiver up, `liitos run --once` delivers all 100 batches. Reported: wall time and
#            updates/s (whole command, and the delivery phase alone from the journal: first
#            BATCH_ATTEMPT to last BATCH_DELIVERED), CPU time of liitos and of the receiver,
#            liitos CPU per batch.
# Usage: bench/delivery_bench.sh [FILES] [RECORDS_PER_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100}; per=${2:-1000}
bin=${LIITOS_BIN:-build/daemon/liitos}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work/in" "$work/state" "$work/receipts"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/r1/FI/GOV/0245437-2/LupaJaValvonta/status/v1/batches"
sed -e "s#@ROOT@#$work#g" -e "s#@URL@#$url#" -e "s#@INTERVAL@#1h#" -e "s#@TIMEOUT@#60s#" \
    -e "s#@MAX_ITEMS@#1000#" -e "s#@TLS@#allow_plain_http = true#" tests/data/e2e/xroad.toml.in |
  sed -e "s#$work/rakval/in#$work/in#" -e "s#$work/rakval/receipts#$work/receipts#" >"$work/bench.toml"
cfg=$work/bench.toml

python3 - "$work/in" "$files" "$per" <<'PY'
import os, sys
out, files, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
head = "Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Edellinen tila;Päätöspvm;Päätös;Pykälä;Päättäjä;Viesti;Y-tunnus;Hetu;Käsittelijä\r\n"
for f in range(files):
    rows = [f"LV-2026-{f:03d}{i:04d};RAVA/{i}/2026;20;{1 + i % 28:02d}.11.2026 09:15;10;;;;;"
            f"\"Käsittely jatkuu; lisätietoja 350 € maksusta.\";0737546-2;;Matti Mäkelä\r\n" for i in range(per)]
    tmp = os.path.join(out, f".tilat_{f:03d}.tmp")
    with open(tmp, "w", encoding="cp1252", newline="") as fh:
        fh.write(head + "".join(rows))
    os.rename(tmp, os.path.join(out, f"tilat_{f:03d}.csv"))
PY
total=$((files * per))

/usr/bin/time -o "$work/time1" -f "%e %U %S" "$bin" run --once --config "$cfg" >"$work/phase1.log" 2>&1 || true
t1=$(tail -n1 "$work/time1")
echo "phase 1 (intake of $total records, receiver down): wall/user/sys s = $t1"

python3 tests/fixtures/receiver.py --port "$port" >"$work/receiver.out" 2>"$work/receiver.err" &
rpid=$!
trap 'kill $rpid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q LISTENING "$work/receiver.out" 2>/dev/null && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
rcpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$rpid/stat"; }
r0=$(rcpu)
/usr/bin/time -o "$work/time2" -f "%e %U %S" "$bin" run --once --config "$cfg" >"$work/phase2.log" 2>&1
t2=$(tail -n1 "$work/time2")
r1=$(rcpu)

"$bin" journal list --kind BATCH_ATTEMPT --format json --config "$cfg" >"$work/attempts.json"
"$bin" journal list --kind BATCH_DELIVERED --format json --config "$cfg" >"$work/delivered.json"
"$bin" status --json --config "$cfg" >"$work/status.json"
python3 - "$t2" "$r0" "$r1" "$total" "$work" <<'PY'
import json, sys
from datetime import datetime
wall, user, sys_ = map(float, sys.argv[1].split())
r0, r1, total, work = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
attempts = [e for e in json.load(open(work + "/attempts.json")) if e["detail"].get("http_status") == 200]
delivered = json.load(open(work + "/delivered.json"))
status = json.load(open(work + "/status.json"))["destinations"][0]
span = (t(delivered[-1]["time"]) - t(attempts[0]["time"])).total_seconds() if attempts and delivered else float("nan")
batches = len(delivered)
print(f"phase 2 (delivery): {batches} batches delivered, {status['pending']} pending, "
      f"{status['batchesAwaitingRetry']} awaiting retry, {status['failedBatches']} failed")
print(f"| measure | value |\n|---|---|")
print(f"| run --once wall (incl. ~0.4 s settle wait) | {wall:.2f} s ({total / wall:,.0f} updates/s) |")
print(f"| delivery phase (journal: 1st attempt .. last BATCH_DELIVERED) | {span:.2f} s ({total / span:,.0f} updates/s) |")
print(f"| liitos CPU user+sys | {user + sys_:.2f} s ({(user + sys_) / max(batches, 1) * 1000:.1f} ms per batch of 1000) |")
print(f"| receiver.py CPU (python) | {r1 - r0:.2f} s ({(r1 - r0) / max(batches, 1) * 1000:.1f} ms per batch) |")
PY
echo "(work dir: $work)"
