#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/) for SECONDS each, one after the other, and prints the
# executions each ran and any crash. Each target keeps its corpus in
# BUILD/fuzz/corpus/<target> (grown from the seeds in BUILD/fuzz/seeds/<target>) and writes a
# crashing input to BUILD/fuzz/crashes/<target>/ (minimize it with
# `BUILD/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 FILE`).
# Usage: bench/fuzz.sh [SECONDS=3600] [TARGET...]
#   LIITOS_FUZZ_BUILD=DIR: the build (default build-fuzz, configured as scripts/fuzz-ci.sh does).
# Exits 1 when a target crashed (or ran out of time or memory on an input).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(csv xml config cron dates interface)
build=${LIITOS_FUZZ_BUILD:-build-fuzz}
dir=$PWD/$build/fuzz

failed=0
printf '%-10s %12s %8s %6s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
  bin=$dir/fuzz_$t
  if [[ ! -x "$bin" ]]; then
    echo "no $bin: build it first (scripts/fuzz-ci.sh does)" >&2
    exit 2
  fi
  mkdir -p "$dir/corpus/$t" "$dir/crashes/$t"
  log=$dir/crashes/$t/last.log
  # -timeout: one input taking 10 s is a finding; -rss_limit_mb: so is 2 GiB.
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/crashes/$t/" "$dir/corpus/$t" "$dir/seeds/$t" > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$dir/corpus/$t" -type f | wc -l)
  if [[ $rc -eq 0 ]]; then
    result=ok
  else
    failed=1
    artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
    result="CRASH (exit $rc): ${artifact:-see $log}"
  fi
  printf '%-10s %12s %8s %6s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "$result"
  if [[ $rc -ne 0 ]]; then
    grep -m1 -E 'fuzz property failed|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error' "$log" | sed 's/^/    /'
  fi
done
exit $failed
