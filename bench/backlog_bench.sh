#!/usr/bin/env bash
# A backlog of a million pending updates delivered over X-Road (SPEC §10 memory, §5.6 order): FILES
# x RECORDS (default 1000 x 1000) status updates, delivered over plain HTTP on loopback to the test
# receiver (tests/fixtures/receiver.py) in batches of 1,000.
#   phase 1: the backlog is made by the service itself: `liitos run --once` with the receiver
#            down takes every export through intake into the outbox; its one batch is refused at
#            connect and, being the head of the line, holds back everything behind it.
#   phase 2: receiver up, `liitos run --once` delivers the whole backlog: reported are wall time,
#            updates/s (the whole command, and the delivery alone from the journal's first
#            attempt to its last BATCH_DELIVERED), liitos's peak RSS (/usr/bin/time), CPU of liitos
#            and of the receiver, and whether the receiver saw any update out of order.
#   phase 3: the receiver's own ceiling: curl posts CEILING_BATCHES (200) new batches of 1,000 to
#            it over one connection (one at a time, as liitos does), with no liitos in the way.
# Usage: bench/backlog_bench.sh [FILES] [RECORDS_PER_FILE]; LIITOS_BIN, BENCH_DIR, CEILING_BATCHES.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-1000}; per=${2:-1000}
bin=${LIITOS_BIN:-build/daemon/liitos}
work=${BENCH_DIR:-$(mktemp -d)}
ceiling_batches=${CEILING_BATCHES:-200}
mkdir -p "$work/in" "$work/state" "$work/receipts"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/r1/FI/GOV/0245437-2/LupaJaValvonta/status/v1/batches"
sed -e "s#@ROOT@#$work#g" -e "s#@URL@#$url#" -e "s#@INTERVAL@#1h#" -e "s#@TIMEOUT@#60s#" \
    -e "s#@MAX_ITEMS@#1000#" -e "s#@TLS@#allow_plain_http = true#" -e 's#^log_level = "info"#log_level = "warn"#' \
    tests/data/e2e/xroad.toml.in |
  sed -e "s#$work/rakval/in#$work/in#" -e "s#$work/rakval/receipts#$work/receipts#" >"$work/bench.toml"
cfg=$work/bench.toml
total=$((files * per))

python3 - "$work/in" "$files" "$per" <<'PY'
import os, sys
out, files, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
head = "Asiointitunnus;Diaarinumero;Tilakoodi;Tilan pvm;Edellinen tila;Päätöspvm;Päätös;Pykälä;Päättäjä;Viesti;Y-tunnus;Hetu;Käsittelijä\r\n"
for f in range(files):
    rows = [f"LV-2026-{f:04d}{i:05d};RAVA/{i}/2026;20;{1 + i % 28:02d}.11.2026 09:15;10;;;;;"
            f"\"Käsittely jatkuu; lisätietoja 350 € maksusta.\";0737546-2;;Matti Mäkelä\r\n" for i in range(per)]
    tmp = os.path.join(out, f".tilat_{f:04d}.tmp")
    with open(tmp, "w", encoding="cp1252", newline="") as fh:
        fh.write(head + "".join(rows))
    os.rename(tmp, os.path.join(out, f"tilat_{f:04d}.csv"))
PY

/usr/bin/time -o "$work/time1" -f "%e %U %S %M" "$bin" run --once --config "$cfg" >"$work/phase1.log" 2>&1 || true
read -r w1 u1 s1 m1 < <(tail -n1 "$work/time1")
"$bin" status --json --config "$cfg" >"$work/status1.json"
pending=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["destinations"][0]; print(d["pending"])' "$work/status1.json")
echo "phase 1 (intake of $total records, receiver down): wall ${w1} s, CPU $(awk "BEGIN {print $u1 + $s1}") s, peak RSS $((m1 / 1024)) MiB; $pending pending + 1 batch awaiting retry"
echo "journal: $(du -sh "$work/state" | cut -f1)"

python3 tests/fixtures/receiver.py --port "$port" >"$work/receiver.out" 2>"$work/receiver.err" &
rpid=$!
trap 'kill $rpid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q LISTENING "$work/receiver.out" 2>/dev/null && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
rcpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$rpid/stat"; }
r0=$(rcpu)
/usr/bin/time -o "$work/time2" -f "%e %U %S %M" "$bin" run --once --config "$cfg" >"$work/phase2.log" 2>&1
read -r w2 u2 s2 m2 < <(tail -n1 "$work/time2")
r1=$(rcpu)
control=$(curl -s "http://127.0.0.1:$port/_control")

"$bin" journal list --kind BATCH_ATTEMPT --format json --config "$cfg" >"$work/attempts.json"
"$bin" journal list --kind BATCH_DELIVERED --format json --config "$cfg" >"$work/delivered.json"
"$bin" status --json --config "$cfg" >"$work/status.json"
python3 - "$w2 $u2 $s2 $m2" "$r0" "$r1" "$total" "$work" "$control" <<'PY'
import json, sys
from datetime import datetime
wall, user, sys_, rss_kb = map(float, sys.argv[1].split())
r0, r1, total, work = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
control = json.loads(sys.argv[6])
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
attempts = [e for e in json.load(open(work + "/attempts.json")) if e["detail"].get("http_status") == 200]
delivered = json.load(open(work + "/delivered.json"))
status = json.load(open(work + "/status.json"))["destinations"][0]
span = (t(delivered[-1]["time"]) - t(attempts[0]["time"])).total_seconds() if attempts and delivered else float("nan")
batches = len(delivered)
print(f"phase 2 (delivery): {batches} batches delivered, {status['pending']} pending, "
      f"{status['batchesAwaitingRetry']} awaiting retry, {status['failedBatches']} failed; "
      f"receiver: {control['requests']} requests, {control['outOfOrder']} updates out of order")
print(f"| measure | value |\n|---|---|")
print(f"| run --once wall (incl. ~0.4 s settle wait, delivery receipts) | {wall:.2f} s ({total / wall:,.0f} updates/s) |")
print(f"| delivery (journal: 1st attempt .. last BATCH_DELIVERED) | {span:.2f} s ({total / span:,.0f} updates/s) |")
print(f"| liitos peak RSS | {rss_kb / 1024:.1f} MiB |")
print(f"| liitos CPU user+sys | {user + sys_:.2f} s ({(user + sys_) / max(batches, 1) * 1000:.1f} ms per batch of 1000) |")
print(f"| receiver.py CPU (python) | {r1 - r0:.2f} s ({(r1 - r0) / max(batches, 1) * 1000:.1f} ms per batch) |")
PY

# Phase 3: the receiver alone. Batches of 1,000 new updates like liitos's (each its own batchId
# and messageIds, so every update is "accepted" as in phase 2), posted one at a time over one
# keep-alive connection by curl, with no liitos in the way.
python3 - "$work/ceiling" "$work/curl.cfg" "$url" "$ceiling_batches" <<'PY'
import json, os, sys, uuid
out, cfg, url, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
os.makedirs(out, exist_ok=True)
with open(cfg, "w") as f:
    for b in range(n):
        bid = str(uuid.uuid4())
        items = [{"messageId": str(uuid.uuid4()), "type": "status-update", "lvCaseId": f"LV-2026-C{b:04d}{i:04d}",
                  "authorityCaseId": f"RAVA/{i}/2026", "status": "KASITTELYSSA", "previousStatus": "VASTAANOTETTU",
                  "statusChangedAt": "2026-11-20T09:15:00+02:00",
                  "message": {"fi": "Käsittely jatkuu; lisätietoja 350 € maksusta."},
                  "customer": {"businessId": "0737546-2"}, "municipalityCode": "049", "handler": "Matti Mäkelä",
                  "source": {"name": "rakval", "file": "tilat.csv", "record": i + 1}} for i in range(1000)]
        doc = {"schemaVersion": "1", "batchId": bid, "createdAt": "2026-11-20T14:15:00+02:00",
               "sender": {"xroadClient": "FI/MUN/0204819-8/liitos"}, "items": items}
        path = os.path.join(out, f"batch_{b:04d}.json")
        with open(path, "w") as bf:
            bf.write(json.dumps(doc, ensure_ascii=False))
        if b:
            f.write("next\n")
        f.write(f'url = "{url}"\nheader = "X-Road-Id: {bid}"\nheader = "X-Road-Client: FI/MUN/0204819-8/liitos"\n'
                'header = "Content-Type: application/json; charset=utf-8"\nheader = "Expect:"\n'
                f'data-binary = "@{path}"\noutput = "/dev/null"\nwrite-out = "%{{http_code}}\\n"\n')
PY
r2=$(rcpu)
start=$(date +%s.%N)
curl -s -K "$work/curl.cfg" >"$work/ceiling.codes"
end=$(date +%s.%N)
r3=$(rcpu)
python3 -c "
n, wall, cpu = $ceiling_batches, $end - $start, $r3 - $r2
codes = open('$work/ceiling.codes').read().split()
print(f'phase 3 (receiver alone, curl, {n} batches of 1000, {codes.count(\"200\")} answered 200): {wall:.2f} s, '
      f'{n * 1000 / wall:,.0f} updates/s, receiver CPU {cpu:.2f} s ({cpu / n * 1000:.1f} ms per batch)')"
echo "(work dir: $work)"
