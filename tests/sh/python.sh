#!/usr/bin/env bash
# python.sh - runs the Python binding's pytest suite (python/tests: the binding
# codes like the CLI, bad input raises, threads agree, and the Dask runner on a
# 2-worker LocalCluster gets exactly the single-process events) against the
# library in $BUILD. Skips cleanly when no python3 with pytest is installed
# (Debian: python3-pytest) or when the library is built with sanitizers
# (`make asan`: an ASan library cannot be loaded into an uninstrumented
# python). The Dask tests skip themselves without python3-distributed; tests
# on ../shared data skip when it is absent.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-$PWD/build}
export BUILD
export SITREP=${SITREP:-$BUILD/sitrep}

py=""
for c in ${PYTHON:-} python3 /usr/bin/python3; do
  command -v "$c" >/dev/null 2>&1 || continue
  if "$c" -c "import pytest" >/dev/null 2>&1; then py=$c; break; fi
done
if [ -z "$py" ]; then
  echo "python.sh: skipped (no python3 with pytest; install python3-pytest)"
  exit 0
fi
if [ ! -f "$BUILD/libsitrep.so" ]; then
  echo "python.sh: $BUILD/libsitrep.so is missing (make builds it)" >&2
  exit 1
fi
if ldd "$BUILD/libsitrep.so" 2>/dev/null | grep -q -e libasan -e libubsan; then
  echo "python.sh: skipped (libsitrep.so is built with sanitizers)"
  exit 0
fi
export SITREP_LIB="$BUILD/libsitrep.so"
export PYTHONDONTWRITEBYTECODE=1
"$py" -c "import distributed" >/dev/null 2>&1 || echo "python.sh: python3-distributed missing: the Dask tests will be skipped"

# The package installs offline (no build-time downloads) and, installed, finds
# this checkout's library by itself (recorded at install time).
if "$py" -c "import setuptools, wheel" >/dev/null 2>&1 && "$py" -m pip --version >/dev/null 2>&1; then
  t=$(mktemp -d)
  trap 'rm -rf "$t"' EXIT
  if ! "$py" -m pip install -q --no-build-isolation --no-index --no-deps --target "$t/site" ./python >"$t/log" 2>&1; then
    cat "$t/log" >&2; echo "python.sh: FAIL: pip install --no-build-isolation --no-index ./python" >&2; exit 1
  fi
  rm -rf python/build python/sitrep.egg-info
  n=$(cd "$t" && env -u SITREP_LIB PYTHONPATH="$t/site" "$py" -c '
import sitrep, sys
assert sitrep.__file__.startswith(sys.argv[1]), sitrep.__file__
print(len(sitrep.Coder().code("Israel held talks with Hamas in Doha.", "2024-03-18")))' "$t/site") || {
    echo "python.sh: FAIL: the installed package does not load or code" >&2; exit 1; }
  [ "$n" -gt 0 ] || { echo "python.sh: FAIL: the installed package codes no event" >&2; exit 1; }
  echo "python.sh: pip install ./python: ok (installed package codes $n event(s))"
else
  echo "python.sh: pip install check skipped (needs pip, setuptools and wheel: python3-pip python3-wheel)"
fi
"$py" -m pytest -q -p no:cacheprovider python/tests
