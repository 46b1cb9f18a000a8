#!/usr/bin/env bash
# Convert throughput and peak RSS, liitos side by side with its peers (issue 2):
#   CSV ~100 MB (1M rows, ';', windows-1252): liitos convert vs `mlr --icsv --ifs ';' --ojson cat`
#   XML ~100 MB (500k records): liitos convert vs `xmlstarlet sel` and `xsltproc` extracting the same fields
# Usage: bench/convert_bench.sh [CSV_ROWS] [XML_RECORDS]   (run scripts/install-deps.sh --bench first)
#   RUNS=n (default 3) runs per side; ONLY=csv or ONLY=xml runs one half; BENCH_DIR=dir keeps the
#   generated exports between runs; LIITOS_BIN=path picks the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}; recs=${2:-500000}
bin=${LIITOS_BIN:-build/daemon/liitos}
work=${BENCH_DIR:-$(mktemp -d)}
cfg=$work/bench.toml
sed -e "s#examples/demo#$work/demo#g" examples/liitos.toml >"$cfg"
[ -f "$work/big.csv" ] || python3 bench/gen_exports.py csv "$rows" "$work/big.csv"
[ -f "$work/big.xml" ] || python3 bench/gen_exports.py xml "$recs" "$work/big.xml"

# Each side runs RUNS times (default 3), liitos and its peers taking turns, and the table shows
# the median time and the largest peak RSS: this machine's speed drifts by a third over minutes,
# so one run of each side says little about their ratio.
runs=${RUNS:-3}
declare -A name size results cmd
tf=$(mktemp)
add() {  # key, name, size_bytes, command... (the command is kept as a quoted string)
  local key=$1; name[$key]=$2; size[$key]=$3; shift 3
  cmd[$key]=$(printf '%q ' "$@")
}
run_once() {  # key
  eval "/usr/bin/time -o $tf -f '%e %M' ${cmd[$1]} >/dev/null 2>/dev/null" || true
  results[$1]="${results[$1]:-} $(tail -n1 "$tf" | tr ' ' ':')"
}
report() {  # key: its table row
  python3 - "${name[$1]}" "${size[$1]}" ${results[$1]} <<'PY'
import statistics, sys
name, size = sys.argv[1], int(sys.argv[2])
runs = [tuple(map(float, a.split(":"))) for a in sys.argv[3:]]
secs = statistics.median(t for t, _ in runs)
kb = max(m for _, m in runs)
each = " ".join(f"{t:.2f}" for t, _ in runs)
print(f"| {name:<42} | {secs:8.2f} s | {size/1e6/max(secs,1e-9):9.1f} MB/s | {kb/1024:8.1f} MiB | {each} |")
PY
}
median_of() {
  python3 -c "import statistics,sys; print(statistics.median(float(a.split(':')[0]) for a in sys.argv[1:]))" ${results[$1]}
}
ratio() {  # label, liitos key, peer key
  python3 -c "import sys; print(f'{sys.argv[1]}: {float(sys.argv[3])/float(sys.argv[2]):.1f}x')" "$1" "$(median_of "$2")" "$(median_of "$3")"
}
csv_size=$(stat -c %s "$work/big.csv"); xml_size=$(stat -c %s "$work/big.xml")
echo "CSV: $((csv_size/1000000)) MB, $rows rows; XML: $((xml_size/1000000)) MB, $recs records"
cat >"$work/fields.xsl" <<'XSL'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:v="urn:example:ymparisto:vienti:1">
<xsl:output method="text"/>
<xsl:template match="/"><xsl:for-each select="/v:Vienti/v:Asia"><xsl:value-of select="v:LvTunnus"/>|<xsl:value-of select="v:Diaari"/>|<xsl:value-of select="v:Tila/@koodi"/>|<xsl:value-of select="v:Tila/@pvm"/>|<xsl:value-of select="v:Kunta"/>|<xsl:value-of select="v:Hakija/v:Ytunnus"/>|<xsl:value-of select="v:Viesti[@kieli='fi']"/><xsl:text>&#10;</xsl:text></xsl:for-each></xsl:template>
</xsl:stylesheet>
XSL
add lcsv "liitos convert (CSV)" "$csv_size" "$bin" convert --config "$cfg" --profile rakval-csv "$work/big.csv"
add mlr "mlr --icsv --ifs ';' --ojson cat" "$csv_size" mlr --icsv --ifs ';' --ojson cat "$work/big.csv"
add lxml "liitos convert (XML)" "$xml_size" "$bin" convert --config "$cfg" --profile ymparisto-xml "$work/big.xml"
add xmlstarlet "xmlstarlet sel (same fields)" "$xml_size" xmlstarlet sel -N v=urn:example:ymparisto:vienti:1 -t -m /v:Vienti/v:Asia \
  -v v:LvTunnus -o '|' -v v:Diaari -o '|' -v v:Tila/@koodi -o '|' -v v:Tila/@pvm -o '|' -v v:Kunta -o '|' \
  -v v:Hakija/v:Ytunnus -o '|' -v "v:Viesti[@kieli='fi']" -n "$work/big.xml"
add xsltproc "xsltproc (same fields)" "$xml_size" xsltproc "$work/fields.xsl" "$work/big.xml"
keys="lcsv mlr lxml xmlstarlet xsltproc"
[ "${ONLY:-}" = csv ] && keys="lcsv mlr"
[ "${ONLY:-}" = xml ] && keys="lxml xmlstarlet xsltproc"
for _ in $(seq "$runs"); do
  for key in $keys; do run_once "$key"; done
done
rm -f "$tf"
echo "$runs runs each, taking turns"
echo "| run | median time | throughput | peak RSS | each run (s) |"
echo "|---|---|---|---|---|"
for key in $keys; do report "$key"; done
if [ "${ONLY:-}" != xml ]; then ratio "CSV, liitos against Miller (target 10x)" lcsv mlr; fi
if [ "${ONLY:-}" != csv ]; then
  ratio "XML, liitos against xmlstarlet (target 5x)" lxml xmlstarlet
  ratio "XML, liitos against xsltproc" lxml xsltproc
fi
