#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, builds with -Werror, runs every
# test, then builds and runs the tests again (but the slow ones) under ASan+UBSan and under TSan, and
# checks the systemd unit, the package (under systemd, in a container), the include rules, and runs
# each fuzz target for a few seconds.
#
# Tests are chosen by their ctest label (tests/CMakeLists.txt), never by name: `unit` (in-process,
# no child process or sleep, under a minute in all), `e2e` (the binary, servers, the hostile suite)
# and `slow` (a million records through the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

# The main build is Release (-O3), the build type packagers use, with -Werror: a warning that only
# the optimiser finds fails CI here, while a user's own build (LIITOS_WERROR off by default) only
# shows it. Release, like RelWithDebInfo, defines NDEBUG; no test relies on an assert firing.
echo "== build (Release, -Werror)"
BUILD_DIR=build BUILD_TYPE=Release scripts/build.sh -DLIITOS_WERROR=ON -DLIITOS_TESTS=ON -DLIITOS_BENCH=ON -DLIITOS_SANITIZE=OFF
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900

echo "== build (ASan+UBSan)"
BUILD_DIR=build-asan BUILD_TYPE=Debug scripts/build.sh -DLIITOS_WERROR=ON -DLIITOS_TESTS=ON -DLIITOS_SANITIZE=ON -DLIITOS_BENCH=OFF
echo "== tests under ASan+UBSan"
# Not the slow tests: a million records through the binary, whose memory figures mean nothing under
# ASan, would double the time of CI.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 1800 -LE slow

echo "== build (TSan)"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIITOS_WERROR=ON -DLIITOS_TESTS=ON \
  -DLIITOS_BENCH=OFF -DLIITOS_TSAN=ON >/dev/null
cmake --build build-tsan -j"$jobs"
echo "== tests under TSan"
# The unit tests run the threads in-process (the conversion pipeline, the journal synced from another
# thread, the dir source beside the intake's threads, the spool pool, the scheduler); the e2e tests
# run the service built with TSan. halt_on_error makes a race fail the test (or the service process
# a test started, which then exits with 66). Not the slow tests, as under ASan. About four minutes
# on two cores.
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
ctest --test-dir build-tsan --output-on-failure -j"$jobs" --timeout 1800 -LE slow
unset TSAN_OPTIONS

echo "== systemd unit"
# verify needs the binary where ExecStart names it: check a copy that points at our build.
unit_dir=$(mktemp -d)
sed "s#/usr/bin/liitos#$PWD/build/daemon/liitos#g" systemd/liitos.service >"$unit_dir/liitos.service"
systemd-analyze verify --man=no "$unit_dir/liitos.service"
systemd-analyze security --offline=true --threshold=15 "$unit_dir/liitos.service" | tail -n 1
rm -rf "$unit_dir"

# ---- the package under a real systemd ------------------------------------------------------------
# The .deb of the Release build, installed, run, reloaded, stopped, removed and purged in a
# booted Debian 12 container (scripts/package-test.sh, tests/systemd/checks.sh); nothing is
# installed on this machine. The first run makes the container's root (about 2 minutes); each run
# boots it (about 3 minutes with the checks). A machine where the container cannot boot fails here.
echo "== package and service under systemd (in a container)"
box_started=$SECONDS
scripts/package-test.sh build
echo "== package and service under systemd: $((SECONDS - box_started)) s"
# --------------------------------------------------------------------------------------------------

if [ -x ../shared/tools/include-rules ] || [ -f ../shared/tools/include-rules ]; then
  echo "== include rules"
  python3 ../shared/tools/include-rules
fi
echo "== fuzzing (clang, libFuzzer, ASan+UBSan): each target 10 s from its seed corpus"
# bench/fuzz.sh runs them for hours; scripts/fuzz-ci.sh builds only the libraries they need.
scripts/fuzz-ci.sh 10
echo "== all tests passed"
