#!/usr/bin/env bash
# Applications in (issue 19, SPEC §11): ORDERS fetch orders (default 10,000) against the fake Luvat
# ja valvonta service (tests/fixtures/lv_service.py --generate: commondata + formdata about
# SIZE bytes together, default 20 KB), import files written as XML in iso-8859-1 with a done
# marker, over plain HTTP on loopback, in the same run:
#   liitos: one order file of ORDERS ids, `liitos run --once` (settle 100 ms): taken, fetched on
#           `connections` kept-open connections, written, journaled, receipt written;
#   curl:   `xargs -P4 curl` doing the same GETs (both parts of an id in one curl, one connection)
#           and writes (the two bodies as one file, renamed into place, then the done marker) —
#           no conversion, no journal, no receipt.
# Reported: wall time and applications/s of each, liitos peak RSS, CPU of liitos and of the fake
# service. Usage: bench/feed_bench.sh [ORDERS] [SIZE] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-10000}; size=${2:-20000}; conns=${3:-4}
bin=${LIITOS_BIN:-build/daemon/liitos}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work/in" "$work/state" "$work/tuonti" "$work/curl"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/r1/FI/GOV/0245437-2/LupaJaValvonta/lv-service/v1"

cat >"$work/bench.toml" <<EOF
[service]
state_dir = "$work/state"
log_level = "warn"
[interface]
xroad_client = "FI/MUN/0204819-8/liitos"
[[source]]
name = "tilaukset"
kind = "dir"
path = "$work/in"
profile = "lv-orders"
settle = "100ms"
[[profile]]
name = "lv-orders"
format = "fetch-order"
[[destination]]
name = "tuonti"
kind = "dir"
path = "$work/tuonti"
prefix = "hakemus_"
done_marker = ".valmis"
[[feed]]
name = "hakemukset"
orders = "tilaukset"
url = "$base"
allow_plain_http = true
output = "tuonti"
connections = $conns
import_format = "xml"
import_profile = "hakemus-xml"
[[import_profile]]
name = "hakemus-xml"
format = "xml"
encoding = "iso-8859-1"
root = "Hakemukset"
record = "Hakemus"
namespace = "urn:example:asianhallinta:tuonti:1"
required = ["Tunnus"]
[import_profile.fields]
Tunnus = "/externalId"
Haettu = "/fetchedAt"
Hanke = "/commondata/projectName"
Kunta = "/commondata/municipality/name"
Hakija = "/formdata/sections/hakija/nimi"
Yhteiset = "/commondata"
Lomake = "/formdata"
EOF

python3 -c "
import uuid, sys
for i in range(int(sys.argv[1])): print(uuid.uuid5(uuid.NAMESPACE_URL, 'liitos-bench-%d' % i))" "$orders" >"$work/ids.txt"

python3 tests/fixtures/lv_service.py --port "$port" --generate "$size" >"$work/lv.out" 2>"$work/lv.err" &
lpid=$!
trap 'kill $lpid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q LISTENING "$work/lv.out" 2>/dev/null && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
lcpu() { awk -v t="$ticks" '{printf "%.2f", ($14 + $15) / t}' "/proc/$lpid/stat"; }

# liitos
cp "$work/ids.txt" "$work/in/.tilaus.tmp" && mv "$work/in/.tilaus.tmp" "$work/in/tilaus.txt"
l0=$(lcpu)
/usr/bin/time -o "$work/time.liitos" -f "%e %U %S %M" "$bin" run --once --config "$work/bench.toml" \
  >"$work/liitos.log" 2>&1 || echo "liitos run --once exited $? (see $work/liitos.log)"
l1=$(lcpu)
read -r lwall luser lsys lrss <"$work/time.liitos"
written=$(find "$work/tuonti" -name 'hakemus_*.xml' | wc -l)
fetched=$(grep -c ';fetched;' "$work/receipts/tilaus.txt.receipt.csv" || true)

# the curl loop
cat >"$work/get.sh" <<'EOF'
#!/bin/sh
# $1 = base url, $2 = out dir, then ids: both parts of each id in one curl (one connection).
base=$1; out=$2; shift 2
for id in "$@"; do
  curl -sf -H 'X-Road-Client: FI/MUN/0204819-8/liitos' -H "X-Road-Id: $(cat /proc/sys/kernel/random/uuid)" \
       -H 'Accept: application/json' \
       "$base/commondata/$id/commondata" -o "$out/.$id.c" "$base/commondata/$id/formdata" -o "$out/.$id.f" &&
  cat "$out/.$id.c" "$out/.$id.f" >"$out/.$id.tmp" && rm -f "$out/.$id.c" "$out/.$id.f" &&
  mv "$out/.$id.tmp" "$out/hakemus_$id.json" && : >"$out/hakemus_$id.json.valmis"
done
EOF
chmod +x "$work/get.sh"
c0=$(lcpu)
start=$(date +%s.%N)
xargs -P4 -n1 "$work/get.sh" "$base" "$work/curl" <"$work/ids.txt"
cwall=$(python3 -c "import time; print(f'{time.time() - $start:.2f}')")
c1=$(lcpu)
cwritten=$(find "$work/curl" -name 'hakemus_*.json' | wc -l)

python3 - "$orders" "$size" "$conns" "$lwall" "$luser" "$lsys" "$lrss" "$l0" "$l1" "$written" "$fetched" \
  "$cwall" "$c0" "$c1" "$cwritten" <<'PY'
import sys
a = sys.argv[1:]
orders, size, conns = int(a[0]), int(a[1]), int(a[2])
lwall, luser, lsys, lrss = float(a[3]), float(a[4]), float(a[5]), int(a[6])
lv_l, written, fetched = float(a[8]) - float(a[7]), int(a[9]), int(a[10])
cwall, lv_c, cwritten = float(a[11]), float(a[13]) - float(a[12]), int(a[14])
print(f"{orders} orders, ~{size // 1000} KB each, XML iso-8859-1; liitos on {conns} connections")
print("| | wall | applications/s | files | CPU of the client | CPU of the fake service |")
print("|---|---|---|---|---|---|")
print(f"| liitos run --once (incl. 0.1 s settle) | {lwall:.2f} s | {orders / lwall:,.0f} | {written} written, "
      f"{fetched} fetched in the receipt | {luser + lsys:.2f} s, peak RSS {lrss / 1024:.0f} MiB | {lv_l:.2f} s |")
print(f"| xargs -P4 curl | {cwall:.2f} s | {orders / cwall:,.0f} | {cwritten} written | (processes) | {lv_c:.2f} s |")
print(f"liitos is {cwall / lwall:.1f}x as fast as the curl loop")
PY
echo "(work dir: $work)"
