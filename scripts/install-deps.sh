#!/usr/bin/env bash
# Installs every build, run and test dependency of Inop from Debian's
# packages (and playwright-core from npm for the browser tests).
# Idempotent: each package is looked up with dpkg-query, and apt-get runs
# only when one is missing (as root, or through sudo).
set -euo pipefail

pkgs=(
  build-essential cmake pkg-config git ca-certificates
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev zlib1g-dev libssl-dev
  libcurl4-openssl-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev libharfbuzz-dev libdeflate-dev
  fonts-dejavu-core libcmocka-dev
  sqlite3 python3 python3-yaml curl
)
if [ "${INOP_TEST_DEPS:-0}" = 1 ]; then
  pkgs+=(postgresql postgresql-client nginx-light wrk python3-aiosmtpd
         poppler-utils unzip cppcheck clang-tidy chromium clang
         libclang-rt-14-dev clang-format mandoc systemd dpkg-dev fakeroot)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
# Node.js and npm for the browser tests: Debian's packages unless a
# newer Node.js (with its own npm) is already there.
if [ "${INOP_TEST_DEPS:-0}" = 1 ] && ! command -v npm >/dev/null; then
  command -v node >/dev/null || missing+=(nodejs)
  missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
