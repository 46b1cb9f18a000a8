#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the service on the bundled
# demo (examples/liitos.toml): the two sample exports are dropped into the demo's inboxes, and
# liitos takes them, writes receipts, and delivers batch files to examples/demo/outbound. A fetch
# order is dropped too: a fake Luvat ja valvonta service on loopback (tests/fixtures/lv_service.py,
# port 8765) hands out the sample applications, which become import files in examples/demo/tuonti.
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
LIITOS_TESTS=OFF scripts/build.sh -DLIITOS_TESTS=OFF -DLIITOS_BENCH=OFF
for d in rakval ymparisto tilaukset; do mkdir -p examples/demo/$d/in examples/demo/$d/receipts; done
mkdir -p examples/demo/outbound examples/demo/tuonti examples/demo/state
cp examples/samples/tilat_20261120.csv examples/demo/rakval/in/
cp examples/samples/vienti_20261121.xml examples/demo/ymparisto/in/
cp examples/samples/tilaus_20261120.txt examples/demo/tilaukset/in/
build/daemon/liitos check --config examples/liitos.toml
python3 tests/fixtures/lv_service.py --port 8765 --apps tests/data/applications >/dev/null &
lv_pid=$!
trap 'kill $lv_pid 2>/dev/null || true' EXIT
echo "liitos runs; drop files into examples/demo/{rakval,ymparisto,tilaukset}/in — Ctrl-C stops it."
build/daemon/liitos run --config examples/liitos.toml
