#!/usr/bin/env bash
# One big export through the whole service, side by side with `liitos convert` on the same file in
# the same run (issue 16): `run --once` takes the file (spool, journal, receipts), delivers every
# update to a dir destination in batches of 1000 and writes the delivery receipt.
#   CSV: 1M rows (~130 MB, windows-1252); XML: 500k records (~230 MB, ISO-8859-1)
# Usage: bench/bigfile_bench.sh [CSV_ROWS] [XML_RECORDS]
#   RUNS=n (default 1) runs per side; ONLY=csv|xml; BENCH_DIR=dir keeps the generated exports;
#   LIITOS_BIN=path picks the binary. Prints wall time and peak RSS of each, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}; recs=${2:-500000}
bin=${LIITOS_BIN:-$PWD/build/daemon/liitos}
work=${BENCH_DIR:-$(mktemp -d)}
runs=${RUNS:-1}
[ "${ONLY:-csv}" = xml ] || [ -f "$work/big.csv" ] || python3 bench/gen_exports.py csv "$rows" "$work/big.csv"
[ "${ONLY:-xml}" = csv ] || [ -f "$work/big.xml" ] || python3 bench/gen_exports.py xml "$recs" "$work/big.xml"
tf=$(mktemp)

measure() {  # label, command...: prints "label seconds MiB"
  local label=$1; shift
  /usr/bin/time -o "$tf" -f '%e %M' "$@" >/dev/null 2>"$work/last.log" || {
    echo "$label failed:"; tail -n 5 "$work/last.log"; exit 1; }
  read -r secs kb <"$tf"
  echo "$label $secs $((kb / 1024))"
}

one() {  # kind (csv|xml), file, profile, source folder
  local kind=$1 file=$2 profile=$3 src=$4
  local root=$work/svc
  rm -rf "$root"
  mkdir -p "$root"
  sed -e "s#@ROOT@#$root#g; s#@SETTLE@#100ms#; s#@INTERVAL@#1h#" tests/data/e2e/service.toml.in >"$root/liitos.toml"
  mkdir -p "$root/rakval/in" "$root/ymparisto/in"
  cp "$file" "$root/$src/in/"
  local c s
  c=$(measure convert "$bin" convert --config "$root/liitos.toml" --profile "$profile" "$file")
  s=$(measure service "$bin" run --once --config "$root/liitos.toml")
  python3 - "$kind" "$(stat -c %s "$file")" "$c" "$s" <<'PY'
import sys
kind, size, c, s = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
ct, cm, st, sm = float(c[1]), int(c[2]), float(s[1]), int(s[2])
print(f"| {kind} {size/1e6:.0f} MB | convert {ct:.2f} s, {cm} MiB | run --once {st:.2f} s, {sm} MiB "
      f"| {st/ct:.1f}x convert's time |")
PY
  ls "$root/outbound" | wc -l | xargs echo "  batch files:"
}

echo "| export | liitos convert | service (intake + delivery) | ratio |"
for _ in $(seq "$runs"); do
  [ "${ONLY:-csv}" = xml ] || one csv "$work/big.csv" rakval-csv rakval
  [ "${ONLY:-xml}" = csv ] || one xml "$work/big.xml" ymparisto-xml ymparisto
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
