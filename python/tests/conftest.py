"""conftest.py - shared fixtures of the binding tests: the repository, the
built CLI, the optional shared data, one Coder per session.

The package is imported from this checkout (python/) unless SITREP_TEST_INSTALLED
is set; PYTHONPATH is exported too so Dask worker processes import the same.

The tests compare the CLI with the binding, run at different moments; so that
a rebuild or a knowledge-base edit made meanwhile in the working tree cannot
change one side only, the session runs on a snapshot: copies of libsitrep.so,
the sitrep program and the default home (kb/, models/, build/gazetteer.bin),
named by $SITREP_LIB, $SITREP and $SITREP_HOME for this process and the Dask
workers it starts. SITREP_TEST_NO_SNAPSHOT=1 uses the tree as it is."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYDIR)
if not os.environ.get("SITREP_TEST_INSTALLED"):
    sys.path.insert(0, PYDIR)
    os.environ["PYTHONPATH"] = PYDIR + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
BUILD = os.environ.get("BUILD") or os.path.join(REPO, "build")
if not os.environ.get("SITREP_LIB") and os.path.exists(os.path.join(BUILD, "libsitrep.so")):
    os.environ["SITREP_LIB"] = os.path.join(BUILD, "libsitrep.so")
SHARED = os.environ.get("SITREP_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
CLI = os.environ.get("SITREP") or os.path.join(BUILD, "sitrep")


def _snapshot():
    """Copy the library, the program and the default home to a temporary
    directory and point the environment at the copies."""
    global CLI
    snap = tempfile.mkdtemp(prefix="sitrep-pytest-")
    atexit.register(shutil.rmtree, snap, True)
    home = os.environ.get("SITREP_HOME") or REPO
    new_home = os.path.join(snap, "home")
    os.makedirs(os.path.join(new_home, "build"))
    for sub in ("kb", "models"):
        if os.path.isdir(os.path.join(home, sub)):
            shutil.copytree(os.path.join(home, sub), os.path.join(new_home, sub))
    gaz = os.path.join(home, "build", "gazetteer.bin")
    if os.path.exists(gaz):
        shutil.copy2(gaz, os.path.join(new_home, "build", "gazetteer.bin"))
    os.environ["SITREP_HOME"] = new_home
    if os.environ.get("SITREP_LIB") and os.path.exists(os.environ["SITREP_LIB"]):
        lib = os.path.join(snap, "libsitrep.so")
        shutil.copy2(os.environ["SITREP_LIB"], lib)
        os.environ["SITREP_LIB"] = lib
    if os.access(CLI, os.X_OK):
        CLI = os.path.join(snap, "sitrep")
        shutil.copy2(os.environ.get("SITREP") or os.path.join(BUILD, "sitrep"), CLI)
        os.environ["SITREP"] = CLI


if not os.environ.get("SITREP_TEST_NO_SNAPSHOT"):
    _snapshot()

import sitrep  # noqa: E402  (after the path set-up above)


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def cli():
    """Path of the built `sitrep` program."""
    p = CLI
    if not os.access(p, os.X_OK):
        pytest.skip(f"{p} not built (run make)")
    return p


@pytest.fixture(scope="session")
def shared():
    """The shared data directory, or None when absent."""
    return SHARED if os.path.isdir(SHARED) else None


@pytest.fixture(scope="session")
def examples():
    d = os.path.join(REPO, "examples")
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".txt"))
    assert files, "no bundled examples"
    return files


@pytest.fixture(scope="session")
def coder():
    c = sitrep.Coder()
    yield c
    c.close()


def jlines(text):
    """JSON Lines text split at newlines only (not at U+2028 and the like)."""
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n") if text else []


def run_cli(cli, *args, check=True):
    """stdout lines of `sitrep ARGS` (UTF-8, raw bytes kept)."""
    p = subprocess.run([cli, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode not in (0, 1):
        raise AssertionError(f"sitrep {' '.join(args)}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return jlines(p.stdout.decode("utf-8", "surrogateescape")), p.stderr.decode("utf-8", "replace"), p.returncode


def corpus_records(shared, examples, n=300):
    """About n article records: the head of the shared Reuters corpus when
    present, else copies of the bundled examples under distinct ids."""
    if shared:
        path = os.path.join(shared, "corpus", "reuters21578.jsonl")
        if os.path.exists(path):
            recs = []
            with open(path, "rb") as f:
                for line in f:
                    r = sitrep.parse_jsonl_record(line)
                    if r:
                        recs.append(r)
                    if len(recs) >= n:
                        break
            return recs
    base = [a for f in examples for a in sitrep.read_articles(f)]
    return [dict(base[i % len(base)], id=f"{base[i % len(base)]['id']}-{i}") for i in range(n)]
