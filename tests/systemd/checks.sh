#!/bin/bash
# The package and the service under a real systemd (SPEC §10): run as root inside a booted Debian 12
# container in which the .deb built from the tree has just been installed with apt-get (so that its
# postinst ran against a live systemd). scripts/package-test.sh boots the container and runs this.
#
#   bash tests/systemd/checks.sh [SAMPLES_DIR [DEB]]   SAMPLES_DIR: examples/samples of the tree;
#                                                      DEB: the .deb, for lintian (which must be installed)
#
# Each check prints "PASS: what" or "FAIL: what: why"; the exit status is the number of FAILs
# (capped at 100), 0 when all passed. The checks run in order and build on each other: install,
# a clean start, intake under the sandbox, the watchdog, reload, priorities, a second instance,
# stop, a broken configuration at start, remove and purge.
#
# The test shortens two things the shipped unit sets, in a drop-in, so the run stays short:
# WatchdogSec=10s (shipped: 60s; checked before the drop-in is added), and in the configuration
# settle = "1s" and a 5 s delivery interval instead of the quarter-hour schedule. Everything else
# is the package as installed.
set -u
export LANG=C.UTF-8 SYSTEMD_PAGER= SYSTEMD_COLORS=0
SAMPLES=${1:-/mnt/liitos-samples}
DEB=${2:-}
CONF=/etc/liitos/liitos.toml
UNIT=liitos.service
DROPIN=/etc/systemd/system/$UNIT.d/test.conf
METRICS=/var/lib/prometheus/node-exporter/liitos.prom
FAILS=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: ${2//$'\n'/$'\n'      }"; FAILS=$((FAILS + 1)); }
note() { echo "      $*"; }
prop() { systemctl show -P "$1" "$UNIT"; }
# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds (0) or time is up (1)
wait_for() {
  local t=$1; shift
  local deadline=$((SECONDS + t))
  until "$@"; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
cursor() { journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p'; }
# unit_log CURSOR [PRIORITIES]: the text of the unit's journal entries after CURSOR (its own lines
# and systemd's about it) whose priority is in PRIORITIES, a bracket expression: 0-7 (default),
# 0-4 (warning or worse), 3 (err), 6 (info). The matching is done here: journalctl --after-cursor
# together with matches (-u, -p) skips the first matching entry in systemd 252.
unit_log() {
  journalctl -q --after-cursor="$1" -o json |
    grep -E "\"(_SYSTEMD_UNIT|UNIT)\":\"$UNIT\"" | grep -E "\"PRIORITY\":\"[${2:-0-7}]\"" |
    sed -E 's/.*"MESSAGE":"(([^"\\]|\\.)*)".*/\1/'
}
logged() { unit_log "$1" "${3:-0-7}" | grep -Eq -- "$2"; }  # logged CURSOR REGEX [PRIORITIES]
is_running() { [ "$(prop ActiveState)/$(prop SubState)" = active/running ]; }
main_pid_not() { local p; p=$(prop MainPID); [ "$p" != 0 ] && [ "$p" != "$1" ] && is_running; }
set_key() {  # set_key KEY 'VALUE': replace the first line that sets KEY (commented or not)
  sed -i "0,/^#\? *$1 *=.*/s||$1 = $2|" "$CONF"
}

echo "== install"
# ---------------------------------------------------------------------------------------------
if [ -n "$DEB" ]; then
  what="lintian reports no errors"
  if command -v lintian >/dev/null; then
    # as an unprivileged user (lintian warns when run as root), on a copy it can read
    lint=$(mktemp -d) && cp "$DEB" "$lint/" && chmod -R a+rX "$lint"
    if out=$(cd "$lint" && runuser -u nobody -- env HOME="$lint" lintian --fail-on error "$lint/${DEB##*/}" 2>&1); then
      pass "$what${out:+ (others: $(grep -c . <<<"$out"))}"
    else fail "$what" "$(grep '^E:' <<<"$out" || tail -n 3 <<<"$out")"; fi
    [ -n "$out" ] && note "${out//$'\n'/$'\n'      }"
    rm -rf "$lint"
  else fail "$what" "lintian is not installed in the container"; fi
fi

what="the package is installed, the service user and its folders exist"
why=
dpkg-query -W -f='${Status}' liitos | grep -q "install ok installed" || why="dpkg: $(dpkg-query -W -f='${Status}' liitos)"
getent passwd liitos >/dev/null || why="${why:+$why; }no user liitos"
for d in /var/lib/liitos /srv/liitos/rakval/in /srv/liitos/rakval/archive /srv/liitos/rakval/receipts \
         /srv/liitos/ymparisto/in /srv/liitos/outbound; do
  [ "$(stat -c %U:%G "$d" 2>/dev/null)" = liitos:liitos ] || why="${why:+$why; }$d missing or not liitos:liitos"
done
[ "$(stat -c %a:%U:%G /etc/liitos)" = 750:root:liitos ] || why="${why:+$why; }/etc/liitos is $(stat -c %a:%U:%G /etc/liitos)"
[ "$(stat -c %a:%U:%G $CONF)" = 640:root:liitos ] || why="${why:+$why; }$CONF is $(stat -c %a:%U:%G $CONF)"
[ -z "$why" ] && pass "$what" || fail "$what" "$why"

what="the installed configuration is valid, for root and for the service user"
if out=$(liitos check --config $CONF 2>&1) && runuser -u liitos -- liitos check --config $CONF >/dev/null 2>&1; then
  pass "$what ($out)"
else fail "$what" "$out"; fi

what="the package neither enables nor starts the service"
if [ "$(systemctl is-enabled $UNIT 2>&1)" = disabled ] && [ "$(prop ActiveState)" = inactive ]; then pass "$what"
else fail "$what" "is-enabled $(systemctl is-enabled $UNIT 2>&1), $(prop ActiveState)"; fi

what="systemd-analyze verify liitos.service is clean"
if out=$(systemd-analyze verify --man=no $UNIT 2>&1) && [ -z "$out" ]; then pass "$what"
else fail "$what" "$out"; fi

what="systemd-analyze security liitos.service: exposure <= 1.5"
sec=$(systemd-analyze security --no-pager $UNIT 2>&1 | sed -n 's/.*Overall exposure level for liitos.service: \([0-9.]*\).*/\1/p')
if [ -n "$sec" ] && awk -v e="$sec" 'BEGIN { exit !(e <= 1.5) }'; then pass "$what (exposure $sec)"
else fail "$what" "exposure '${sec:-not printed}'"; fi

# Every program the unit runs comes from the package itself, an Essential package or a declared
# dependency (minbase has no procps: /bin/kill would not be there on a minimal host).
what="every program the unit runs is in the package, an Essential package or a dependency"
why=
depends=$(dpkg-query -W -f='${Depends}' liitos | tr ',|' '\n\n' | sed 's/ *(.*//; s/^ *//; s/:any$//')
for cmd in $(systemctl cat $UNIT | sed -n 's/^Exec[A-Za-z]*=[-+!@:]*\(\/[^ ]*\).*/\1/p' | sort -u); do
  # dpkg -S knows the merged-/usr path a package ships (/bin/sh, not /usr/bin/sh)
  owner() { dpkg -S "$1" 2>/dev/null | grep -v '^diversion by' | head -n1 | cut -d: -f1; }
  pkg=$(owner "$cmd")
  [ -n "$pkg" ] || pkg=$(owner "${cmd#/usr}")
  if [ -z "$pkg" ]; then why="${why:+$why; }$cmd belongs to no package"; continue; fi
  [ "$pkg" = liitos ] && continue
  [ "$(dpkg-query -W -f='${Essential}' "$pkg")" = yes ] && continue
  grep -qx "$pkg" <<<"$depends" && continue
  why="${why:+$why; }$cmd is in $pkg, not a dependency"
done
[ -z "$why" ] && pass "$what" || fail "$what" "$why"

what="the shipped unit has a watchdog of 60 s and does not restart on exit 2"
# (WatchdogUSec reads "infinity" until the first start: the file says what is shipped)
wd=$(sed -n 's/^WatchdogSec=//p' "$(prop FragmentPath)") rp=$(prop RestartPreventExitStatus)
if [ "$wd" = 60s ] && [ "$rp" = 2 ]; then pass "$what"
else fail "$what" "WatchdogSec=$wd RestartPreventExitStatus=$rp"; fi

echo "== test set-up: a 10 s watchdog, settle 1s, delivery every 5 s, metrics for node_exporter"
mkdir -p "${DROPIN%/*}" "${METRICS%/*}"
chown liitos:liitos "${METRICS%/*}"
printf '[Service]\nWatchdogSec=10s\n' >"$DROPIN"
systemctl daemon-reload
set_key metrics_file "\"$METRICS\""
sed -i 's/^settle = .*/settle = "1s"/; s/^schedule = "\*\/15 \* \* \* \*".*/interval = "5s"/' "$CONF"
grep -q '^interval = "5s"' "$CONF" && grep -q '^settle = "1s"' "$CONF" && grep -q "^metrics_file" "$CONF" ||
  fail "test set-up" "the packaged configuration no longer has the lines the test edits"
cp -a "$CONF" /root/good.toml

echo "== start"
# ---------------------------------------------------------------------------------------------
c0=$(cursor)
what="start reaches active (running) through READY=1 and shows a STATUS text"
t0=$SECONDS
if systemctl start $UNIT; then
  st=$(systemctl status --no-pager -n 0 $UNIT 2>&1)
  status_text=$(prop StatusText)
  if grep -q "Active: active (running)" <<<"$st" && [ -n "$status_text" ] && grep -q "Status: \"$status_text\"" <<<"$st"; then
    pass "$what (in $((SECONDS - t0)) s; Status: \"$status_text\")"
  else fail "$what" "$(head -n 5 <<<"$st")"; fi
else
  fail "$what" "systemctl start failed: $(unit_log "$c0" | tail -n 5)"
fi
PID0=$(prop MainPID)

what="a clean start logs nothing at warning or worse"
wait_for 10 logged "$c0" "liitos .* started:" || note "(the 'started' line did not show in 10 s)"
warn=$(unit_log "$c0" 0-4)
[ -z "$warn" ] && pass "$what" || fail "$what" "$warn"

echo "== intake under the sandbox"
# ---------------------------------------------------------------------------------------------
what="files dropped as the service user are archived, receipted, batched, counted in metrics"
c1=$(cursor)
# dropped the way a legacy system should: written under a name that is never taken, then renamed
runuser -u liitos -- cp "$SAMPLES/tilat_20261120.csv" /srv/liitos/rakval/in/tilat_20261120.csv.part &&
  runuser -u liitos -- mv /srv/liitos/rakval/in/tilat_20261120.csv.part /srv/liitos/rakval/in/tilat_20261120.csv
runuser -u liitos -- cp "$SAMPLES/vienti_20261121.xml" /srv/liitos/ymparisto/in/vienti_20261121.xml.part &&
  runuser -u liitos -- mv /srv/liitos/ymparisto/in/vienti_20261121.xml.part /srv/liitos/ymparisto/in/vienti_20261121.xml
archived() { [ -n "$(find /srv/liitos/rakval/archive /srv/liitos/ymparisto/archive -type f -name "$1" 2>/dev/null)" ]; }
has_files() { [ -n "$(find "$1" -type f ${2:+-name "$2"} 2>/dev/null | head -n1)" ]; }
counted() { grep -q '^liitos_files_received_total{source="rakval"} 1$' $METRICS 2>/dev/null &&
            grep -q '^liitos_files_received_total{source="ymparisto"} 1$' $METRICS; }
why=
wait_for 30 archived tilat_20261120.csv || why="rakval: not archived in 30 s"
wait_for 10 archived vienti_20261121.xml || why="${why:+$why; }ymparisto: not archived"
wait_for 10 has_files /srv/liitos/rakval/receipts || why="${why:+$why; }no receipt in rakval/receipts"
wait_for 10 has_files /srv/liitos/ymparisto/receipts || why="${why:+$why; }no receipt in ymparisto/receipts"
wait_for 20 has_files /srv/liitos/outbound "lv_status_*" || why="${why:+$why; }no batch file in outbound/ in 20 s"
wait_for 25 counted || why="${why:+$why; }$METRICS: $(grep files_received $METRICS 2>&1 | tr '\n' ' ')"
[ -e /srv/liitos/rakval/in/tilat_20261120.csv ] && why="${why:+$why; }the original is still in rakval/in"
bad_owner=$(find /srv/liitos /var/lib/liitos "$METRICS" ! -user liitos 2>/dev/null | head -n 3)
[ -n "$bad_owner" ] && why="${why:+$why; }not owned by liitos: $bad_owner"
[ -z "$why" ] && pass "$what" || fail "$what" "$why"
note "batch: $(cd /srv/liitos/outbound && ls | head -n 1); receipts: $(ls /srv/liitos/rakval/receipts | head -n 1)"

what="no EROFS or EACCES from the sandbox"
errs=$(unit_log "$c0" | grep -E 'Read-only file system|Permission denied|EROFS|EACCES|Operation not permitted')
[ -z "$errs" ] && pass "$what" || fail "$what" "$errs"

echo "== watchdog"
# ---------------------------------------------------------------------------------------------
what="the watchdog is fed: MainPID and NRestarts unchanged past WatchdogSec (10 s)"
pid=$(prop MainPID) n0=$(prop NRestarts)
sleep 13  # the time has to pass: longer than WatchdogSec
if [ "$(prop MainPID)" = "$pid" ] && [ "$(prop NRestarts)" = "$n0" ] && is_running; then pass "$what"
else fail "$what" "MainPID $pid -> $(prop MainPID), NRestarts $n0 -> $(prop NRestarts), $(prop ActiveState)"; fi

what="a SIGSTOPped service is killed by the watchdog and restarted"
c2=$(cursor)
kill -STOP "$pid"
# WatchdogSec 10 s, then SIGABRT (up to TimeoutAbortSec = 15 s before SIGKILL), RestartSec 5 s
if wait_for 45 main_pid_not "$pid"; then
  n1=$(prop NRestarts)
  if [ "$n1" = $((n0 + 1)) ] && logged "$c2" "[Ww]atchdog timeout"; then
    pass "$what (NRestarts $n0 -> $n1, new MainPID $(prop MainPID))"
  else fail "$what" "NRestarts $n0 -> $n1; $(unit_log "$c2" | tail -n 3 | tr '\n' ' ')"; fi
else
  fail "$what" "still MainPID $(prop MainPID), $(prop ActiveState)/$(prop SubState) after 45 s"
  kill -CONT "$pid" 2>/dev/null
fi

echo "== reload"
# ---------------------------------------------------------------------------------------------
what="reload of a valid configuration: exit 0, reloaded in place"
pid=$(prop MainPID) c3=$(cursor)
sed -i 's/^rescan = "60s"/rescan = "30s"/' "$CONF"
if systemctl reload $UNIT; then
  if wait_for 10 logged "$c3" "configuration reloaded from" && [ "$(prop MainPID)" = "$pid" ] && is_running; then
    pass "$what"
  else fail "$what" "no 'configuration reloaded' line, or MainPID changed: $(unit_log "$c3" | tail -n 3)"; fi
else fail "$what" "systemctl reload exited $?"; fi

what="reload of a broken configuration: non-zero, errors logged, the old configuration keeps running"
pid=$(prop MainPID) c4=$(cursor)
sed -i 's/^settle = "1s"/settle = "1 s"/' "$CONF"
systemctl reload $UNIT 2>/dev/null; rc=$?
why=
[ $rc != 0 ] || why="systemctl reload exited 0"
[ "$(prop MainPID)" = "$pid" ] && is_running || why="${why:+$why; }MainPID $pid -> $(prop MainPID), $(prop ActiveState)"
logged "$c4" "liitos.toml:[0-9]+:[0-9]+: .*settle" 3 || why="${why:+$why; }the error (file:line:column) is not in the journal at priority 3"
logged "$c4" "configuration reloaded" && why="${why:+$why; }the service reloaded anyway"
runuser -u liitos -- cp "$SAMPLES/tilat_20261120.csv" /srv/liitos/rakval/in/.tilat2.csv &&
  runuser -u liitos -- mv /srv/liitos/rakval/in/.tilat2.csv /srv/liitos/rakval/in/tilat_20261120_2.csv
wait_for 20 archived tilat_20261120_2.csv || why="${why:+$why; }a file dropped afterwards was not taken"
[ -z "$why" ] && pass "$what (reload exited $rc)" || fail "$what" "$why"

# SIGHUP straight to the service, past ExecReload's check: the service itself refuses the file.
what="journald keeps priorities: the service's error line has priority 3, its info line 6"
c5=$(cursor)
systemctl kill -s HUP --kill-whom=main $UNIT 2>/dev/null || systemctl kill -s HUP --kill-who=main $UNIT
why=
wait_for 10 logged "$c5" "reload refused" || why="no 'reload refused' line"
logged "$c5" "reload refused" 3 || why="${why:+$why; }'reload refused' is not at priority 3"
logged "$c3" "configuration reloaded" 6 || why="${why:+$why; }'configuration reloaded' is not at priority 6"
[ "$(prop MainPID)" = "$pid" ] && is_running || why="${why:+$why; }the service did not survive a refused SIGHUP"
[ -z "$why" ] && pass "$what" || fail "$what" "$why"
cp -a /root/good.toml "$CONF"

echo "== single instance"
# ---------------------------------------------------------------------------------------------
what="a second 'liitos run' on the same state_dir exits 1 at once, naming the running PID"
pid=$(prop MainPID)
t0=$SECONDS
out=$(timeout 20 runuser -u liitos -- liitos run --config $CONF 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "\b$pid\b" <<<"$out" && [ $((SECONDS - t0)) -le 5 ]; then pass "$what"
elif [ $rc = 124 ]; then fail "$what" "it was not refused: still running after 20 s"
else fail "$what" "exit $rc after $((SECONDS - t0)) s, MainPID $pid: $(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi

echo "== stop"
# ---------------------------------------------------------------------------------------------
what="stop within 10 s, Result=success, exit status 0"
c6=$(cursor)
t0=$(date +%s%N)
systemctl stop $UNIT
ms=$((($(date +%s%N) - t0) / 1000000))
res=$(prop Result) code=$(prop ExecMainStatus)
if [ $ms -lt 10000 ] && [ "$res" = success ] && [ "$code" = 0 ] && logged "$c6" "liitos stopped"; then
  pass "$what (${ms} ms)"
else fail "$what" "${ms} ms, Result=$res, ExecMainStatus=$code"; fi

echo "== a broken configuration at start"
# ---------------------------------------------------------------------------------------------
what="start with a broken configuration: exit 2, unit failed, no restart loop"
c7=$(cursor)
sed -i 's/^settle = "1s"/settle = "1 s"/' "$CONF"
systemctl start $UNIT 2>/dev/null && fail "$what" "systemctl start succeeded"
sleep 12  # longer than RestartSec (5 s) twice: a restart would have happened by now
st=$(prop ActiveState) res=$(prop Result) code=$(prop ExecMainStatus) n=$(prop NRestarts)
if [ "$st" = failed ] && [ "$code" = 2 ] && [ "$n" = 0 ] && [ "$res" = exit-code ]; then
  pass "$what"
else fail "$what" "ActiveState=$st Result=$res ExecMainStatus=$code NRestarts=$n"; fi

what="the configuration errors at start are logged at priority 3"
logged "$c7" 'liitos.toml:[0-9]+:[0-9]+: .*settle' 3 && pass "$what" ||
  fail "$what" "$(journalctl -q -u $UNIT --after-cursor="$c7" -o verbose --output-fields=PRIORITY,MESSAGE | head -n 12)"
cp -a /root/good.toml "$CONF"
systemctl reset-failed $UNIT

echo "== remove and purge"
# ---------------------------------------------------------------------------------------------
rm -rf "${DROPIN%/*}"
systemctl daemon-reload
systemctl enable --now $UNIT >/dev/null 2>&1 || fail "enable --now" "$(unit_log "$c7" | tail -n 3)"
what="apt-get remove: stopped, disabled, programs gone, configuration kept"
out=$(DEBIAN_FRONTEND=noninteractive apt-get remove -y -q liitos 2>&1)
why=
[ ! -e /usr/bin/liitos ] || why="/usr/bin/liitos is left"
[ ! -e /usr/lib/systemd/system/$UNIT ] || why="${why:+$why; }the unit file is left"
[ -e $CONF ] || why="${why:+$why; }the conffile is gone"
[ ! -e /etc/systemd/system/multi-user.target.wants/$UNIT ] || why="${why:+$why; }still enabled"
[ "$(prop ActiveState)" = inactive ] || why="${why:+$why; }$(prop ActiveState)"
[ -z "$why" ] && pass "$what" || fail "$what" "$why; apt: $(tail -n 3 <<<"$out")"

what="apt-get purge: configuration gone, the journal, drop folders and user kept"
out=$(DEBIAN_FRONTEND=noninteractive apt-get purge -y -q liitos 2>&1)
why=
dpkg-query -W -f='${Status}' liitos 2>/dev/null | grep -qv not-installed &&
  why="dpkg still knows liitos: $(dpkg-query -W -f='${Status}' liitos)"
for f in /etc/liitos /usr/lib/sysusers.d/liitos.conf /usr/lib/tmpfiles.d/liitos.conf /usr/share/doc/liitos \
         /usr/share/man/man8/liitos.8.gz /etc/systemd/system/multi-user.target.wants/$UNIT; do
  [ ! -e "$f" ] || why="${why:+$why; }$f is left"
done
systemctl list-units --all --plain --no-legend | grep -q "^$UNIT" && why="${why:+$why; }systemd still lists $UNIT"
# kept by design (docs/operations.md, Uninstall)
[ -f /var/lib/liitos/journal.db ] || why="${why:+$why; }the journal /var/lib/liitos/journal.db is gone"
[ -d /srv/liitos/rakval/archive ] || why="${why:+$why; }/srv/liitos is gone"
getent passwd liitos >/dev/null || why="${why:+$why; }the user liitos is gone"
grep -q "kept /var/lib/liitos" <<<"$out" || why="${why:+$why; }purge did not say what it kept"
[ -z "$why" ] && pass "$what" || fail "$what" "$why"
note "left after purge: user and group liitos; $(du -sh /var/lib/liitos | cut -f1) in /var/lib/liitos;" \
  "$(find /srv/liitos -type f | wc -l) files in /srv/liitos"

echo "== $FAILS checks failed"
[ $FAILS -le 100 ] || FAILS=100
exit $FAILS
