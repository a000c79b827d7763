"""_lib.py - loads libsitrep.so and declares its C API for ctypes.

Where the library comes from, first match wins:
  1. $SITREP_LIB: the path of libsitrep.so (or of the directory holding it);
  2. the repository's build/ directory: the checkout this package sits in
     (python/sitrep/../../build), or the one it was installed from (recorded
     at install time in _repo.py);
  3. the system: the dynamic loader's search path (ldconfig, LD_LIBRARY_PATH,
     /usr/local/lib after `make install`).

Only declarations live here; the Python-facing classes are in __init__.py.
Every function is called through ctypes.CDLL, which releases the GIL for the
duration of the foreign call, so several threads can code at once.
"""

import ctypes
import ctypes.util
import os
import threading

# Status codes (enum sitrep_status in include/sitrep.h).
OK = 0
EINVAL = -1
ENOMEM = -2
EIO = -3
ELIMIT = -4
EFORMAT = -5
EDB = -6

MAX_ARTICLE_BYTES = 16 * 1024 * 1024

INPUT_AUTO, INPUT_TEXT, INPUT_JSONL = 0, 1, 2


class Options(ctypes.Structure):
    """struct sitrep_options."""
    _fields_ = [
        ("kb_dir", ctypes.c_char_p),
        ("models_dir", ctypes.c_char_p),
        ("gazetteer", ctypes.c_char_p),
        ("petrarch_verbs", ctypes.c_char_p),
        ("petrarch_actors", ctypes.c_char_p),
        ("petrarch_agents", ctypes.c_char_p),
        ("petrarch_discards", ctypes.c_char_p),
        ("tabari_project", ctypes.c_char_p),
        ("include_negated", ctypes.c_int),
    ]


class Article(ctypes.Structure):
    """struct sitrep_article. id and text are raw pointers (with lengths) so
    that text holding NUL bytes or read back from a reader is not cut."""
    _fields_ = [
        ("id", ctypes.c_void_p),
        ("id_len", ctypes.c_size_t),
        ("date", ctypes.c_char_p),
        ("text", ctypes.c_void_p),
        ("text_len", ctypes.c_size_t),
        ("title", ctypes.c_char_p),
        ("url", ctypes.c_char_p),
        ("source", ctypes.c_char_p),
        ("spans", ctypes.POINTER(ctypes.c_uint32)),
        ("nspans", ctypes.c_size_t),
        ("file", ctypes.c_char_p),
        ("line", ctypes.c_long),
    ]


class Buf(ctypes.Structure):
    """struct sitrep_buf (caller-owned, freed with sitrep_buf_free)."""
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("len", ctypes.c_size_t),
        ("cap", ctypes.c_size_t),
    ]


_P = ctypes.c_void_p  # opaque handles: sitrep_ctx*, sitrep_doc*, sitrep_reader*, sitrep_store*

# name: (restype, argtypes)
_DECLS = {
    "sitrep_version": (ctypes.c_char_p, []),
    "sitrep_default_home": (ctypes.c_char_p, []),
    "sitrep_ctx_new": (_P, [ctypes.POINTER(Options)]),
    "sitrep_ctx_free": (None, [_P]),
    "sitrep_ctx_status": (ctypes.c_int, [_P]),
    "sitrep_ctx_errmsg": (ctypes.c_char_p, [_P]),
    "sitrep_ctx_warnings": (ctypes.c_char_p, [_P]),
    "sitrep_reader_open": (_P, [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]),
    "sitrep_reader_next": (ctypes.c_int, [_P, ctypes.POINTER(Article)]),
    "sitrep_reader_errmsg": (ctypes.c_char_p, [_P]),
    "sitrep_reader_free": (None, [_P]),
    "sitrep_doc_new": (_P, []),
    "sitrep_doc_free": (None, [_P]),
    "sitrep_doc_errmsg": (ctypes.c_char_p, [_P]),
    "sitrep_code": (ctypes.c_int, [_P, _P, ctypes.POINTER(Article)]),
    "sitrep_places": (ctypes.c_int, [_P, _P, ctypes.POINTER(Article)]),
    "sitrep_doc_nevents": (ctypes.c_size_t, [_P]),
    "sitrep_doc_nplaces": (ctypes.c_size_t, [_P]),
    "sitrep_doc_nsentences": (ctypes.c_size_t, [_P]),
    "sitrep_doc_ntokens": (ctypes.c_size_t, [_P]),
    "sitrep_event_json": (ctypes.c_int, [_P, ctypes.c_size_t, ctypes.POINTER(Buf)]),
    "sitrep_place_json": (ctypes.c_int, [_P, ctypes.c_size_t, ctypes.POINTER(Buf)]),
    "sitrep_buf_free": (None, [ctypes.POINTER(Buf)]),
    "sitrep_store_open": (_P, [ctypes.c_char_p, ctypes.c_int]),
    "sitrep_store_close": (None, [_P]),
    "sitrep_store_status": (ctypes.c_int, [_P]),
    "sitrep_store_errmsg": (ctypes.c_char_p, [_P]),
    "sitrep_store_import_events": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.POINTER(Buf)]),
    "sitrep_store_counts": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_long),
                                           ctypes.POINTER(ctypes.c_long), ctypes.POINTER(ctypes.c_long)]),
}


def _repo_build_dirs():
    """Candidate build/ directories of the sitrep checkout."""
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [os.path.join(here, os.pardir, os.pardir, "build")]
    try:
        from . import _repo  # written by setup.py at install time
        dirs.append(os.path.join(_repo.REPO, "build"))
    except ImportError:
        pass
    return dirs


def find_library():
    """Return the path (or loader name) of libsitrep.so to load, or None."""
    env = os.environ.get("SITREP_LIB")
    if env:
        return os.path.join(env, "libsitrep.so") if os.path.isdir(env) else env
    for d in _repo_build_dirs():
        p = os.path.normpath(os.path.join(d, "libsitrep.so"))
        if os.path.exists(p):
            return p
    return ctypes.util.find_library("sitrep") or "libsitrep.so"


_lock = threading.Lock()
_lib = None
_path = None


def lib():
    """The loaded library (loaded once per process, declarations applied).
    Raises OSError naming where it looked when it cannot be loaded."""
    global _lib, _path
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            path = find_library()
            try:
                handle = ctypes.CDLL(path)
            except OSError as e:
                raise OSError(
                    f"sitrep: cannot load libsitrep ({path}): {e}; build it with `make` "
                    "in the sitrep checkout or set SITREP_LIB=/path/to/libsitrep.so") from e
            for name, (res, args) in _DECLS.items():
                try:
                    fn = getattr(handle, name)
                except AttributeError:
                    continue  # an older library: the feature using it reports the gap
                fn.restype = res
                fn.argtypes = args
            _path = getattr(handle, "_name", path)
            _lib = handle
    return _lib


def library_path():
    """Path of the loaded library (loads it if needed)."""
    lib()
    return _path


def has(name):
    """True when the loaded library exports `name`."""
    return hasattr(lib(), name)
