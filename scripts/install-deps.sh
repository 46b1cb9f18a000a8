#!/usr/bin/env bash
# Installs, with apt-get, whatever liitos needs to build and test that is missing on a Debian 12
# machine. Idempotent and quiet when everything is there. Run as root.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --bench  also the peers the benchmarks run side by side
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config            # the toolchain: C++20 on g++ 12, CMake >= 3.25
  libpugixml-dev                              # XML exports: DOM + XPath 1.0
  libssh2-1-dev                               # SFTP sources and destinations
  libsqlite3-dev sqlite3                      # the transfer journal (sqlite3: backups, tests)
  libspdlog-dev libfmt-dev                    # logging, formatting (no <format> on g++ 12)
  libgtest-dev libgmock-dev                   # the tests
  libcurl4-openssl-dev                        # X-Road REST to the security server
  libtomlplusplus-dev                         # config with line:column errors
  libcli11-dev                                # subcommands
  nlohmann-json3-dev                          # JSON (interface format, receipts of the receiver)
  libsystemd-dev                              # sd_notify: READY, STATUS, watchdog
  libssl-dev                                  # SHA-256, SHA-1 (UUID v5), random UUIDs
  libhowardhinnant-date-dev tzdata            # Europe/Helsinki from the tz database
  openssh-server openssh-client               # a real sshd for the SFTP tests
  openssl python3                             # test certificates; the test X-Road receiver
  systemd                                     # systemd-analyze verify / security in CI
  dpkg-dev file                               # cpack -G DEB
  libctemplate-dev                            # the auditor's report: HTML from a template, escaped per variable
  chromium poppler-utils                      # the report rendered in a real browser; pdftotext for its PDF
  clang libclang-rt-14-dev                    # the fuzz targets (libFuzzer), scripts/fuzz-ci.sh
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(miller xmlstarlet xsltproc inotify-tools time rclone)
fi

missing=()
for p in "${packages[@]}"; do
  [[ "$p" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
