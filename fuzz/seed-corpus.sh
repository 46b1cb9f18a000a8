#!/usr/bin/env bash
# Writes the seed corpus of every fuzz target into OUT/<target>/ from the test data in DATA
# (tests/data): samples, golden files, receipts, configs, plus a few cron expressions and dates.
# The CSV and XML targets read their first byte as the profile selector (see fuzz_csv.cpp and
# fuzz_xml.cpp), so each sample is written behind a few selector bytes.
# Usage: fuzz/seed-corpus.sh DATA OUT
set -euo pipefail
data=$1
out=$2
rm -rf "$out"
mkdir -p "$out"/{csv,xml,config,cron,dates,interface}

# $1 target, $2 selector byte (octal escape for printf), $3 file
seed() { { printf "$2"; cat "$3"; } > "$out/$1/$(basename "$3").$(printf "$2" | od -An -tx1 | tr -d ' ')"; }

# CSV selector: bits 0-1 delimiter (; , tab |), bits 2-3 encoding (utf-8 windows-1252
# iso-8859-1), bit 4 no header, bit 5 a 64-byte record bound.
for f in "$data"/samples/*.csv "$data"/receipts/*.csv; do
  for sel in '\000' '\001' '\004' '\010' '\024' '\044'; do seed csv "$sel" "$f"; done
done
# XML selector: bit 0 the namespaced profile, bits 1-3 the stream reader's chunk size.
for f in "$data"/samples/*.xml "$data"/receipts/*.xml; do
  for sel in '\001' '\003' '\007' '\013' '\012'; do seed xml "$sel" "$f"; done
done
printf '\012<a><b s="K"><c>1</c><d e="x"><c>2</c></d></b><b>t&amp;<c/></b></a>' > "$out/xml/plain"
printf '\003<a>\n<b s="&#x41;"><![CDATA[x]]><c> y </c><?pi z?><!-- c --></b>\n</a>\n' > "$out/xml/plain2"

for f in "$data"/config/*.toml "$data"/e2e/*.toml.in; do cp "$f" "$out/config/"; done

# Cron: four bytes of start time, then the expression.
i=0
for e in '*/15 * * * *' '0 2 * * *' '30 3 1-7 * 1' '0 0 29 2 *' '5,35 8-18/2 * 1,6,12 mon-fri' \
         '0 3 31 * 0' '59 23 * * 7' '0 */6 1,15 * *'; do
  i=$((i + 1))
  printf '\000\000\100\137%s' "$e" > "$out/cron/e$i"
done

# Dates: a format, a newline, a value.
i=0
while IFS= read -r line; do
  i=$((i + 1))
  printf '%s' "$line" | sed 's/|/\n/' > "$out/dates/d$i"
done <<'DATES'
%d.%m.%Y|20.11.2026
%Y-%m-%d|2026-11-03
%Y-%m-%dT%H:%M:%S|2026-11-20T14:05:00
%d.%m.%Y %H:%M|1.3.2026 3:30
%Y%m%d%H%M%S%z|20261025033000+0200
%%%Y|%2026
x|2026-10-25T03:30:00.123+03:00
x|2026-03-29 03:30
x|1921-05-01T00:00Z
x|2199-12-31T23:59:59-12:00
DATES

for f in "$data"/interface/*.json "$data"/golden/*.jsonl; do cp "$f" "$out/interface/"; done
