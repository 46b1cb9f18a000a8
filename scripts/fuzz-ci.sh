#!/usr/bin/env bash
# Fuzzing for CI: builds the libFuzzer targets (fuzz/) with clang, ASan and UBSan in build-fuzz/
# (only the libraries they need), then runs each target for SECONDS (default 20) from its seed
# corpus (tests/data). Exits non-zero when a target crashes; bench/fuzz.sh prints which input.
# Usage: scripts/fuzz-ci.sh [SECONDS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
gen=()
command -v ninja > /dev/null && gen=(-G Ninja)
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [[ ! -f build-fuzz/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz "${gen[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLIITOS_FUZZ=ON -DLIITOS_WERROR=ON
else
  cmake build-fuzz > /dev/null  # writes the seeds again
fi
echo "== build (clang, libFuzzer, ASan+UBSan)"
cmake --build build-fuzz -j"$(nproc)" --target fuzz_all
echo "== fuzz, ${seconds} s a target"
LIITOS_FUZZ_BUILD=build-fuzz bench/fuzz.sh "$seconds"
