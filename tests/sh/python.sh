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
exec "$py" -m pytest -q -p no:cacheprovider python/tests
