#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the service on the bundled
# demo (examples/liitos.toml): the two sample exports are dropped into the demo's inboxes, and
# liitos takes them, writes receipts, and delivers batch files to examples/demo/outbound.
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
LIITOS_TESTS=OFF scripts/build.sh -DLIITOS_TESTS=OFF -DLIITOS_BENCH=OFF
for d in rakval ymparisto; do mkdir -p examples/demo/$d/in examples/demo/$d/receipts; done
mkdir -p examples/demo/outbound examples/demo/state
cp examples/samples/tilat_20261120.csv examples/demo/rakval/in/
cp examples/samples/vienti_20261121.xml examples/demo/ymparisto/in/
build/daemon/liitos check --config examples/liitos.toml
echo "liitos runs; drop files into examples/demo/{rakval,ymparisto}/in — Ctrl-C stops it."
exec build/daemon/liitos run --config examples/liitos.toml
