#!/usr/bin/env bash
# Builds the Debian package from an existing build directory, checks what is in it, then boots a
# Debian 12 container with a real systemd as PID 1, installs the package there and runs
# tests/systemd/checks.sh inside: lintian, the unit under systemd (readiness, watchdog, sandbox,
# reload, stop, a broken configuration), remove and purge. Nothing is installed on this machine:
# the user liitos, /var/lib/liitos and /srv/liitos that purge keeps stay inside the container,
# which is thrown away. Run as root (CI does; scripts/test.sh calls it).
#
#   scripts/package-test.sh [BUILD_DIR]     default: build (a Release or RelWithDebInfo build)
#
# It needs the two tools of the machine CI runs on, found in LIITOS_TOOLS (default: the directory
# shared/tools beside the checkout): debian-root makes a bare Debian 12 root with debootstrap
# (about 2 minutes, once: it is kept in LIITOS_DEBIAN_ROOT, default .debian-root beside the
# checkout) and systemd-box boots a copy of it with systemd-nspawn. When they are missing, or the
# container cannot boot, this fails: a skipped check would look like a passed one.
# LIITOS_BOX_KEEP=1 keeps the container's files for inspection (systemd-box -k).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tools=$(realpath -m "${LIITOS_TOOLS:-../shared/tools}")
root=$(realpath -m "${LIITOS_DEBIAN_ROOT:-../.debian-root}")

fail() { echo "package-test: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (it boots a container)"
[ -f "$build/CMakeCache.txt" ] || fail "$build is not a configured build directory (run scripts/build.sh)"
for t in debian-root systemd-box; do
  [ -x "$tools/$t" ] || fail "$tools/$t is missing: set LIITOS_TOOLS to the directory that holds debian-root and systemd-box"
done
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
case $build_type in Release|RelWithDebInfo) ;; *) fail "$build is a '$build_type' build; package a Release or RelWithDebInfo one" ;; esac

echo "== package (cpack -G DEB in $build)"
cmake --build "$build" --target liitos liitos_man >/dev/null
rm -f "$build"/liitos_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
debs=("$build"/liitos_*_amd64.deb)
[ -f "${debs[0]}" ] && [ ${#debs[@]} = 1 ] || fail "expected one liitos_VERSION_amd64.deb in $build"
deb=$(realpath "${debs[0]}")
version=$(dpkg-deb -f "$deb" Version)
echo "$(basename "$deb"), Depends: $(dpkg-deb -f "$deb" Depends)"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/liitos ./usr/lib/systemd/system/liitos.service ./usr/lib/sysusers.d/liitos.conf \
         ./usr/lib/tmpfiles.d/liitos.conf ./etc/liitos/liitos.toml ./usr/share/man/man8/liitos.8.gz \
         ./usr/share/doc/liitos/README.md ./usr/share/doc/liitos/contract.md \
         ./usr/share/doc/liitos/operations.md \
         ./usr/share/doc/liitos/copyright ./usr/share/doc/liitos/changelog.gz \
         ./usr/share/lintian/overrides/liitos; do
  grep -qx "$f" <<<"$contents" || fail "$f is not in the package"
done
[ "$(dpkg-deb -I "$deb" conffiles)" = /etc/liitos/liitos.toml ] || fail "conffiles is not /etc/liitos/liitos.toml"
head -n 1 packaging/changelog | grep -q "^liitos ($version) " ||
  fail "packaging/changelog: its first entry is not for version $version (add one)"
if command -v groff >/dev/null; then zcat "$build/man/liitos.8.gz" | groff -man -Tutf8 -ww -z; fi

echo "== Debian 12 root for the container ($root)"
"$tools/debian-root" "$root" || fail "could not make the Debian 12 root $root"

echo "== the package under systemd (systemd-box: boot, apt-get install, tests/systemd/checks.sh)"
# lintian checks the .deb inside the container, so that this machine needs none of it.
started=$SECONDS
rc=0
SDBOX_PKGS="lintian ${SDBOX_PKGS:-}" "$tools/systemd-box" ${LIITOS_BOX_KEEP:+-k} \
  -B "$PWD/tests/systemd:/mnt/liitos-tests" -B "$PWD/examples/samples:/mnt/liitos-samples" \
  "$root" "$deb" "bash /mnt/liitos-tests/checks.sh /mnt/liitos-samples /root/pkgs/$(basename "$deb")" || rc=$?
echo "== systemd-box: exit $rc after $((SECONDS - started)) s"
[ $rc = 0 ] || fail "the checks under systemd failed (exit $rc: the number of FAILs, or the box itself failed)"
echo "== package test passed"
