#!/usr/bin/env bash
# A long kill campaign (not in CI): `kill -9` of `liitos run` N times (default 500) at random and
# aimed moments across intake and delivery, against the scripted test receiver, then the checks of
# SPEC §2 G1/G2 and §6 (every record delivered, none doubled, both receipts, journal verify).
# See bench/kill_campaign.py for what is dropped, which faults the receiver makes and what is checked.
# Usage: bench/kill_campaign.sh [--kills N] [--seed S] [--work DIR] [--keep]   (build first)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/kill_campaign.py "$@"
