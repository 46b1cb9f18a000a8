#!/usr/bin/env bash
# Builds the Debian package from an existing build directory, installs it on this machine, checks
# the installed binary, configuration and unit, then removes and purges it and checks that nothing
# of it is left. Run as root on a Debian 12 machine (CI); it really installs the package.
#   scripts/package-test.sh [BUILD_DIR]     default: build
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
export DEBIAN_FRONTEND=noninteractive

fail() { echo "package-test: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (it installs the package)"
[ -f "$build/CMakeCache.txt" ] || fail "$build is not a configured build directory (run scripts/build.sh)"

echo "== package (cpack -G DEB in $build)"
cmake --build "$build" --target liitos liitos_man >/dev/null
rm -f "$build"/liitos_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
debs=("$build"/liitos_*_amd64.deb)
[ -f "${debs[0]}" ] && [ ${#debs[@]} = 1 ] || fail "expected one liitos_VERSION_amd64.deb in $build"
deb=$(realpath "${debs[0]}")
echo "$(basename "$deb")"
dpkg-deb -f "$deb" Depends
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/liitos ./usr/lib/systemd/system/liitos.service ./usr/lib/sysusers.d/liitos.conf \
         ./usr/lib/tmpfiles.d/liitos.conf ./etc/liitos/liitos.toml ./usr/share/man/man8/liitos.8.gz \
         ./usr/share/doc/liitos/README.md ./usr/share/doc/liitos/operations.md \
         ./usr/share/doc/liitos/copyright; do
  grep -qx "$f" <<<"$contents" || fail "$f is not in the package"
done
[ "$(dpkg-deb -I "$deb" conffiles)" = /etc/liitos/liitos.toml ] || fail "conffiles is not /etc/liitos/liitos.toml"

echo "== install"
apt-get install -y -qq "$deb" >/dev/null
dpkg-query -W -f='${Status}\n' liitos | grep -q "install ok installed" || fail "liitos is not installed"
liitos --version
getent passwd liitos >/dev/null || fail "no system user liitos"
for d in /var/lib/liitos /srv/liitos/rakval/in /srv/liitos/ymparisto/in /srv/liitos/outbound; do
  [ "$(stat -c %U "$d")" = liitos ] || fail "$d is missing or not owned by liitos"
done
[ "$(stat -c %a:%U:%G /etc/liitos/liitos.toml)" = 640:root:liitos ] || fail "/etc/liitos/liitos.toml is not root:liitos 0640"

echo "== the installed configuration is valid, for root and for the service user"
liitos check --config /etc/liitos/liitos.toml
runuser -u liitos -- liitos check --config /etc/liitos/liitos.toml >/dev/null

echo "== the man page renders"
if command -v groff >/dev/null; then zcat /usr/share/man/man8/liitos.8.gz | groff -man -Tutf8 -ww -z; fi
if command -v man >/dev/null; then man -w liitos >/dev/null || fail "man cannot find liitos(8)"; fi

echo "== systemd unit"
unit=/usr/lib/systemd/system/liitos.service
man_check=yes
command -v man >/dev/null || man_check=no  # verify runs man(1) for Documentation=man:liitos(8)
systemd-analyze verify --man=$man_check "$unit"
# --threshold compares 10 x the exposure: 15 = 1.5. Exit status non-zero when the exposure is above.
security=$(systemd-analyze security --offline=true --threshold=15 "$unit") || {
  echo "$security" | grep -v '✓' >&2
  fail "the unit's exposure is above 1.5"
}
echo "$security" | tail -n 1

echo "== remove, then purge"
apt-get remove -y -qq liitos >/dev/null
[ ! -e /usr/bin/liitos ] || fail "/usr/bin/liitos is left after remove"
[ ! -e "$unit" ] || fail "$unit is left after remove"
[ -e /etc/liitos/liitos.toml ] || fail "remove (not purge) dropped the conffile"
apt-get purge -y -qq liitos >/dev/null
if dpkg-query -W -f='${Status}' liitos 2>/dev/null | grep -qv "not-installed"; then
  fail "liitos is still known to dpkg: $(dpkg-query -W -f='${Status}' liitos)"
fi
for f in /usr/bin/liitos "$unit" /usr/lib/sysusers.d/liitos.conf /usr/lib/tmpfiles.d/liitos.conf \
         /usr/share/man/man8/liitos.8.gz /usr/share/doc/liitos /etc/liitos \
         /etc/systemd/system/multi-user.target.wants/liitos.service; do
  [ ! -e "$f" ] || fail "$f is left after purge"
done
echo "== package test passed (kept by design: user liitos, /var/lib/liitos, /srv/liitos)"
