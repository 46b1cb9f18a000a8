#!/usr/bin/env bash
# Convert throughput and peak RSS, liitos side by side with its peers (issue 2):
#   CSV ~100 MB (1M rows, ';', windows-1252): liitos convert vs `mlr --icsv --ifs ';' --ojson cat`
#   XML ~100 MB (500k records): liitos convert vs `xmlstarlet sel` and `xsltproc` extracting the same fields
# Usage: bench/convert_bench.sh [CSV_ROWS] [XML_RECORDS]   (run scripts/install-deps.sh --bench first)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}; recs=${2:-500000}
bin=${LIITOS_BIN:-build/daemon/liitos}
work=${BENCH_DIR:-$(mktemp -d)}
cfg=$work/bench.toml
sed -e "s#examples/demo#$work/demo#g" examples/liitos.toml >"$cfg"
[ -f "$work/big.csv" ] || python3 bench/gen_exports.py csv "$rows" "$work/big.csv"
[ -f "$work/big.xml" ] || python3 bench/gen_exports.py xml "$recs" "$work/big.xml"

measure() {  # name, size_bytes, command...
  local name=$1 size=$2; shift 2
  local tf; tf=$(mktemp)
  /usr/bin/time -o "$tf" -f "%e %M" "$@" >/dev/null 2>/dev/null || true
  local t; t=$(tail -n1 "$tf"); rm -f "$tf"
  local secs=${t% *} kb=${t#* }
  python3 - "$name" "$size" "$secs" "$kb" <<'PY'
import sys
name, size, secs, kb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"| {name:<42} | {secs:8.2f} s | {size/1e6/max(secs,1e-9):9.1f} MB/s | {kb/1024:8.1f} MiB |")
PY
}
csv_size=$(stat -c %s "$work/big.csv"); xml_size=$(stat -c %s "$work/big.xml")
echo "CSV: $((csv_size/1000000)) MB, $rows rows; XML: $((xml_size/1000000)) MB, $recs records"
echo "| run | time | throughput | peak RSS |"
echo "|---|---|---|---|"
measure "liitos convert (CSV)" "$csv_size" "$bin" convert --config "$cfg" --profile rakval-csv "$work/big.csv"
measure "mlr --icsv --ifs ';' --ojson cat" "$csv_size" mlr --icsv --ifs ';' --ojson cat "$work/big.csv"
measure "liitos convert (XML)" "$xml_size" "$bin" convert --config "$cfg" --profile ymparisto-xml "$work/big.xml"
measure "xmlstarlet sel (same fields)" "$xml_size" xmlstarlet sel -N v=urn:example:ymparisto:vienti:1 -t -m /v:Vienti/v:Asia \
  -v v:LvTunnus -o '|' -v v:Diaari -o '|' -v v:Tila/@koodi -o '|' -v v:Tila/@pvm -o '|' -v v:Kunta -o '|' \
  -v v:Hakija/v:Ytunnus -o '|' -v "v:Viesti[@kieli='fi']" -n "$work/big.xml"
cat >"$work/fields.xsl" <<'XSL'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:v="urn:example:ymparisto:vienti:1">
<xsl:output method="text"/>
<xsl:template match="/"><xsl:for-each select="/v:Vienti/v:Asia"><xsl:value-of select="v:LvTunnus"/>|<xsl:value-of select="v:Diaari"/>|<xsl:value-of select="v:Tila/@koodi"/>|<xsl:value-of select="v:Tila/@pvm"/>|<xsl:value-of select="v:Kunta"/>|<xsl:value-of select="v:Hakija/v:Ytunnus"/>|<xsl:value-of select="v:Viesti[@kieli='fi']"/><xsl:text>&#10;</xsl:text></xsl:for-each></xsl:template>
</xsl:stylesheet>
XSL
measure "xsltproc (same fields)" "$xml_size" xsltproc "$work/fields.xsl" "$work/big.xml"
