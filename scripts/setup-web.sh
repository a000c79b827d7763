#!/bin/sh
# setup-web.sh - install what the dashboard and its browser test need
# (idempotent: re-running does nothing when everything is there).
#
# - world-countries (npm, GeoJSON country shapes) in data/npm/, shared with the
#   gazetteer's setup-geo.sh; `make` turns it into web/world.tsv (mk/http.mk).
# - playwright-core (npm) in tests/browser/node_modules/, the browser test's
#   driver; it drives Debian's /usr/bin/chromium (no browser download).
# The Debian packages (chromium, poppler-utils, wrk, nodejs, npm) come from
# scripts/setup.sh.
set -eu
cd "$(dirname "$0")/.."

GEO_NPM=data/npm
WC="world-countries@5.1.0"
PW="playwright-core@1.65.1"

has_ver() { # has_ver DIR NAME VERSION
    pj="$1/node_modules/$2/package.json"
    [ -f "$pj" ] && grep -q "\"version\": *\"$3\"" "$pj"
}

if ! command -v npm >/dev/null 2>&1; then
    echo "setup-web: npm missing; the dashboard map and browser test will be skipped" >&2
    exit 0
fi

if ! has_ver "$GEO_NPM" world-countries 5.1.0; then
    mkdir -p "$GEO_NPM"
    [ -f "$GEO_NPM/package.json" ] || echo '{"name":"sitrep-geo-data","private":true}' > "$GEO_NPM/package.json"
    npm install --prefix "$GEO_NPM" --no-audit --no-fund --no-save "$WC"
fi

if ! has_ver tests/browser playwright-core 1.65.1; then
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the test uses Debian's chromium
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix tests/browser --no-audit --no-fund \
        --no-save --no-package-lock "$PW"
fi
echo "setup-web: world-countries in $GEO_NPM, playwright-core in tests/browser/node_modules"
