"""sitrep - Python binding of libsitrep: code dated news articles into
political events (CAMEO/PLOVER: who did what to whom, when and where).

    import sitrep
    coder = sitrep.Coder()                      # the bundled knowledge base
    events = coder.code("Israel held talks with Hamas in Doha.", "2024-03-18")
    events[0]["cameo"]["code"]                  # '046'
    events.to_pandas()                          # one row per event (needs pandas)
    coder.code_many(articles, jobs=4)           # several threads, input order kept

Events are dicts of the shape CONTRACT.md gives for `sitrep code`: each is
built from the line libsitrep writes (sitrep_event_json), and keeps that line
in `.json`, so Python and the command line give byte-identical output.

Threads: one Coder holds one sitrep_ctx (read-only, shared); each thread that
codes gets its own sitrep_doc. ctypes releases the GIL during C calls, so
code_many(jobs=N) runs N articles at once.
"""

import concurrent.futures
import datetime
import itertools
import json
import os
import re
import threading
import ctypes
import weakref

from . import _lib

__all__ = [
    "Coder", "Event", "Events", "Place", "Places", "Store", "SitrepError", "InputError", "SitrepIOError",
    "read_articles", "read_articles_lenient", "parse_jsonl_record", "library_path", "version",
]

# ---------------------------------------------------------------- errors


class SitrepError(Exception):
    """An error reported by libsitrep; `status` is the SITREP_E* code and the
    message is the library's own (sitrep_ctx_errmsg / sitrep_doc_errmsg)."""

    def __init__(self, message, status=_lib.EINVAL):
        super().__init__(message)
        self.status = status


class InputError(SitrepError, ValueError):
    """Bad input: a bad argument, a malformed record, a limit exceeded."""


class SitrepIOError(SitrepError, OSError):
    """A file could not be read or written."""


_INPUT_STATUSES = (_lib.EINVAL, _lib.ELIMIT, _lib.EFORMAT)


def _error(status, message):
    """The exception for a SITREP_E* status and its message."""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    message = message or f"sitrep error {status}"
    if status == _lib.ENOMEM:
        return MemoryError(message)
    if status == _lib.EIO:
        return SitrepIOError(message, status)
    if status in _INPUT_STATUSES:
        return InputError(message, status)
    return SitrepError(message, status)


def _opened(h, status, errmsg, free):
    """h, a handle a C constructor returned; when it failed, the exception
    (and h freed)."""
    if not h:
        raise MemoryError("sitrep: out of memory")
    st = status(h)
    if st:
        msg = errmsg(h)
        free(h)
        raise _error(st, msg)
    return h


class _Closing:
    """A handle owner that close() frees: `with` closes it, and so does the
    collector (errors at interpreter shutdown ignored)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def version():
    """libsitrep's version string."""
    return _lib.lib().sitrep_version().decode()


def library_path():
    """Path of the libsitrep.so in use."""
    return _lib.library_path()


# ---------------------------------------------------------------- results


class Event(dict):
    """One event: a dict in the CONTRACT.md shape. `.json` is the exact line
    libsitrep wrote (no trailing newline)."""
    __slots__ = ("json",)

    def __init__(self, line):
        super().__init__(json.loads(line))
        self.json = line


class Place(dict):
    """One place mention (the `sitrep places` shape); `.json` as for Event."""
    __slots__ = ("json",)

    def __init__(self, line):
        super().__init__(json.loads(line))
        self.json = line


def _flat(d, prefix=""):
    """Nested dicts flattened to one level with dotted keys (lists kept)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


class _Rows(list):
    """A list of Event or Place dicts with JSON Lines and pandas views."""

    def to_jsonl(self):
        """The items as JSON Lines text, exactly as `sitrep code` prints them."""
        return "".join(e.json + "\n" for e in self)

    def to_pandas(self):
        """A pandas DataFrame, one row per item, nested fields flattened to
        dotted columns ("source.code", "cameo.root", "location.lat", ...)."""
        try:
            import pandas
        except ImportError as e:  # pragma: no cover - depends on the system
            raise ImportError("to_pandas() needs pandas (Debian: python3-pandas)") from e
        rows = []
        for e in self:
            r = dict(e)
            if r.get("location", 0) is None:
                r["location"] = {}
            rows.append(_flat(r))
        return pandas.DataFrame.from_records(rows)


class Events(_Rows):
    """The events of one article or of many, in order."""


class Places(_Rows):
    """The place mentions of one article."""


# ---------------------------------------------------------------- articles

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_LINE_BYTES = 32 * 1024 * 1024
_MDAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_date(s):
    """libsitrep's date rule: YYYY-MM-DD, year >= 1000, a day the month has
    (29 February in any year)."""
    if not _DATE_RE.match(s):
        return False
    y, m, d = int(s[:4]), int(s[5:7]), int(s[8:10])
    return y >= 1000 and 1 <= m <= 12 and 1 <= d <= _MDAYS[m - 1]


def _norm_date(date):
    """'YYYY-MM-DD' bytes (or None) for a str/date/datetime; InputError when bad."""
    if date is None:
        return None
    if isinstance(date, (datetime.date, datetime.datetime)):
        return date.strftime("%Y-%m-%d").encode()
    if isinstance(date, bytes):
        date = date.decode("ascii", "replace")
    if not isinstance(date, str):
        raise TypeError(f"date must be 'YYYY-MM-DD', a datetime.date or None, not {type(date).__name__}")
    d = date[:10] if len(date) > 10 and date[10:11] in ("T", " ") else date
    if _valid_date(d):
        return d.encode()
    raise InputError(f"date is not YYYY-MM-DD: {date!r}")


def _to_bytes(s, what):
    """UTF-8 bytes of a str (raw bytes kept by a surrogateescape decode come
    back as they were; lone surrogates are passed for libsitrep to repair)."""
    if isinstance(s, bytes):
        return s
    if not isinstance(s, str):
        raise TypeError(f"{what} must be str or bytes, not {type(s).__name__}")
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return s.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return s.encode("utf-8", "surrogatepass")


class _CArticle:
    """A sitrep_article over Python-owned bytes (kept alive by this object)."""
    __slots__ = ("st", "_keep")

    def __init__(self, text, date, id=None, spans=None):
        if text is None:
            raise InputError("no article text")
        tb = _to_bytes(text, "text")
        ib = b"" if id is None else _to_bytes(id if isinstance(id, (str, bytes)) else str(id), "id")
        db = _norm_date(date)
        tbuf = ctypes.create_string_buffer(tb, len(tb) + 1)
        ibuf = ctypes.create_string_buffer(ib, len(ib) + 1)
        st = _lib.Article()
        st.id = ctypes.addressof(ibuf)
        st.id_len = len(ib)
        st.date = db
        st.text = ctypes.addressof(tbuf)
        st.text_len = len(tb)
        keep = [tbuf, ibuf, db]
        if spans:
            flat = []
            for s, e in spans:
                flat += [int(s), int(e)]
            arr = (ctypes.c_uint32 * len(flat))(*flat)
            st.spans = ctypes.cast(arr, ctypes.POINTER(ctypes.c_uint32))
            st.nspans = len(flat) // 2
            keep.append(arr)
        self.st = st
        self._keep = keep


def _article_fields(item, index):
    """(text, date, id, spans) from a dict {"text", "date", "id", "spans"}, a
    (text, date[, id]) tuple, or an object with those attributes."""
    if isinstance(item, dict):
        if "text" not in item:
            raise InputError(f"article {index}: missing \"text\"")
        return item["text"], item.get("date"), item.get("id"), item.get("spans")
    if isinstance(item, (tuple, list)):
        if len(item) == 2:
            return item[0], item[1], None, None
        if len(item) == 3:
            return item[0], item[1], item[2], None
        raise InputError(f"article {index}: a tuple must be (text, date) or (text, date, id)")
    if hasattr(item, "text"):
        return item.text, getattr(item, "date", None), getattr(item, "id", None), getattr(item, "spans", None)
    raise TypeError(f"article {index}: expected a dict, a (text, date) tuple or an object with .text, "
                    f"not {type(item).__name__}")


def read_articles(path, input="auto", date=None):
    """Read articles with libsitrep's own reader (exactly as `sitrep code`
    reads them): yields dicts {"id", "date", "text", "title", "url",
    "source", "spans", "file", "line"}. `input` is "auto", "text" or "jsonl";
    `date` is the date for text without a 'date' header. A rejected record
    raises InputError with the reader's FILE:LINE: reason (to go on past bad
    records, use read_articles_lenient)."""
    for rec in read_articles_lenient(path, input, date):
        if isinstance(rec, Exception):
            raise rec
        yield rec


def read_articles_lenient(path, input="auto", date=None):
    """As read_articles, but a rejected record is yielded as an InputError
    (or SitrepIOError) instance and reading goes on where the reader can."""
    L = _lib.lib()
    mode = {"auto": _lib.INPUT_AUTO, "text": _lib.INPUT_TEXT, "jsonl": _lib.INPUT_JSONL}.get(input)
    if mode is None:
        raise ValueError("input must be 'auto', 'text' or 'jsonl'")
    r = L.sitrep_reader_open(os.fsencode(path), mode, _norm_date(date))
    if not r:
        raise MemoryError("sitrep: out of memory")
    try:
        a = _lib.Article()
        while True:
            rc = L.sitrep_reader_next(r, ctypes.byref(a))
            if rc == 0:
                return
            if rc < 0:
                yield _error(rc, L.sitrep_reader_errmsg(r))
                if rc == _lib.EIO:
                    return
                continue
            spans = None
            if a.nspans:
                spans = [(a.spans[2 * i], a.spans[2 * i + 1]) for i in range(a.nspans)]
            yield {
                "id": ctypes.string_at(a.id, a.id_len).decode("utf-8", "surrogateescape") if a.id else "",
                "date": a.date.decode() if a.date else None,
                "text": ctypes.string_at(a.text, a.text_len).decode("utf-8", "surrogateescape"),
                "title": a.title.decode("utf-8", "replace") if a.title else None,
                "url": a.url.decode("utf-8", "replace") if a.url else None,
                "source": a.source.decode("utf-8", "replace") if a.source else None,
                "spans": spans,
                "file": a.file.decode("utf-8", "replace") if a.file else None,
                "line": a.line,
            }
    finally:
        L.sitrep_reader_free(r)


def _raw_num(s):
    return _RawNumber(s)


class _RawNumber(str):
    """A JSON number kept as its text (ids like 00123 or 1.50 stay as written)."""


def parse_jsonl_record(line, default_date=None):
    """Parse one JSON Lines article record the way libsitrep's reader does:
    returns a dict {"id", "date", "text", "title", "url", "source", "spans"},
    None for a blank line, or raises InputError with the reader's reason.
    `default_date` ('YYYY-MM-DD') is used for records without a date."""
    if isinstance(line, bytes):
        if len(line) > _MAX_LINE_BYTES:
            raise InputError("line longer than the limit (32 MB); record skipped", _lib.ELIMIT)
        if b"\0" in line:
            raise InputError("NUL byte in a JSON line (binary data?)", _lib.EFORMAT)
        line = line.decode("utf-8", "surrogateescape")
    s = line.strip(" \t\r\n")
    if not s:
        return None
    try:
        obj = json.loads(s, parse_int=_raw_num, parse_float=_raw_num, strict=False)
    except ValueError as e:
        raise InputError(f"invalid JSON: {e}", _lib.EFORMAT) from None
    if not isinstance(obj, dict):
        raise InputError("invalid JSON: expected a JSON object", _lib.EFORMAT)

    def sval(k):
        v = obj.get(k)
        return v if isinstance(v, str) and not isinstance(v, _RawNumber) else None

    rid = obj.get("id")
    if isinstance(rid, _RawNumber):
        rid = str(rid)
    elif not isinstance(rid, str):
        rid = None
    if not rid:
        raise InputError("missing \"id\"", _lib.EFORMAT)
    text = sval("text")
    if text is None:
        raise InputError("missing \"text\"", _lib.EFORMAT)
    date = sval("date")
    if not date:
        if not default_date:
            raise InputError("missing \"date\" (and no --date given)", _lib.EFORMAT)
        date = default_date
    elif not _valid_date(date[:10]) or (len(date) > 10 and date[10] not in "T "):
        raise InputError("\"date\" is not YYYY-MM-DD", _lib.EFORMAT)
    date = date[:10]
    if len(text) > _lib.MAX_ARTICLE_BYTES // 4 and len(_to_bytes(text, "text")) > _lib.MAX_ARTICLE_BYTES:
        raise InputError("article text longer than the limit (16 MB)", _lib.ELIMIT)
    spans = obj.get("spans")
    if isinstance(spans, list):
        try:
            spans = [(int(p[0]), int(p[1])) for p in spans]
        except (TypeError, ValueError, IndexError):
            raise InputError("bad \"spans\" (want [[start, end], ...])", _lib.EFORMAT) from None
    else:
        spans = None
    return {"id": rid, "date": date, "text": text, "title": sval("title"),
            "url": sval("url"), "source": sval("source"), "spans": spans}


# ---------------------------------------------------------------- coder


class _Doc:
    """A sitrep_doc and an output buffer for one thread."""
    __slots__ = ("h", "buf", "L", "__weakref__")

    def __init__(self, L):
        self.L = L
        self.h = L.sitrep_doc_new()
        if not self.h:
            raise MemoryError("sitrep: out of memory")
        self.buf = _lib.Buf()

    def text(self):
        """The buffer's text, then emptied (kept allocated)."""
        if not self.buf.len:
            return ""
        text = ctypes.string_at(self.buf.data, self.buf.len).decode("utf-8", "surrogateescape")
        self.buf.len = 0
        return text

    def lines(self):
        """The buffer's text as lines, then emptied."""
        return self.text().split("\n")[:-1]

    def free(self):
        """Free the document and the buffer (idempotent)."""
        L, self.L = getattr(self, "L", None), None
        if L is None:
            return
        if getattr(self, "h", None):
            L.sitrep_doc_free(self.h)
            self.h = None
        if getattr(self, "buf", None) is not None:
            L.sitrep_buf_free(ctypes.byref(self.buf))
            self.buf = None

    def __del__(self):
        try:
            self.free()
        except Exception:  # interpreter shutdown: the process frees it all
            pass


class Coder(_Closing):
    """A loaded knowledge base (or PETRARCH/TABARI dictionaries) that codes
    articles into events.

    kb:       directory of our knowledge base (None: the installed one).
    petrarch: PETRARCH-2 dictionaries as a dict with keys "verbs", "actors"
              (a path or a list of paths), "agents", "discards"; or a str,
              the path of a TABARI .project file.
    models, gazetteer: tagger/parser model directory and compiled gazetteer
              (None: installed ones; "" for none).

    Loading errors raise SitrepError with libsitrep's message. A Coder may be
    shared by threads; close() (or `with`) frees it early."""

    def __init__(self, kb=None, petrarch=None, models=None, gazetteer=None):
        self._L = L = _lib.lib()
        self._local = threading.local()
        o = _lib.Options()
        self._keep = []

        def put(field, value):
            if value is None:
                return
            b = os.fsencode(value) if not isinstance(value, bytes) else value
            self._keep.append(b)
            setattr(o, field, b)

        put("kb_dir", kb)
        put("models_dir", models)
        put("gazetteer", gazetteer)
        if petrarch is not None:
            if isinstance(petrarch, (str, bytes, os.PathLike)):
                put("tabari_project", petrarch)
            elif isinstance(petrarch, dict):
                unknown = set(petrarch) - {"verbs", "actors", "agents", "discards"}
                if unknown:
                    raise ValueError(f"petrarch: unknown keys {sorted(unknown)} "
                                     "(want verbs, actors, agents, discards)")
                actors = petrarch.get("actors")
                if isinstance(actors, (list, tuple)):
                    actors = ",".join(os.fspath(a) for a in actors)
                put("petrarch_verbs", petrarch.get("verbs"))
                put("petrarch_actors", actors)
                put("petrarch_agents", petrarch.get("agents"))
                put("petrarch_discards", petrarch.get("discards"))
            else:
                raise TypeError("petrarch must be a dict of dictionary paths or a TABARI .project path")
        self.options = {"kb": kb, "petrarch": petrarch, "models": models, "gazetteer": gazetteer}
        self._h = _opened(L.sitrep_ctx_new(ctypes.byref(o)), L.sitrep_ctx_status, L.sitrep_ctx_errmsg,
                          L.sitrep_ctx_free)
        self._docs = weakref.WeakSet()  # every live thread's _Doc, freed by close()
        self._docs_lock = threading.Lock()

    # -- lifetime
    def close(self):
        """Free the context and the documents. Not while another thread codes."""
        h, self._h = getattr(self, "_h", None), None
        if h:
            with self._docs_lock:
                docs, self._docs = list(self._docs), weakref.WeakSet()
            for d in docs:
                d.free()
            self._L.sitrep_ctx_free(h)

    @property
    def warnings(self):
        """Non-fatal warnings from loading, one per line ("" if none)."""
        self._check()
        return self._L.sitrep_ctx_warnings(self._h).decode("utf-8", "replace")

    def _check(self):
        if not self._h:
            raise SitrepError("sitrep: the Coder is closed")

    def _doc(self):
        d = getattr(self._local, "doc", None)
        if d is None or d.L is None:
            d = _Doc(self._L)
            self._local.doc = d
            with self._docs_lock:
                self._docs.add(d)
        return d

    # -- coding
    def code(self, text, date, id=None):
        """Code one article: `text` (str or UTF-8 bytes), `date` ('YYYY-MM-DD',
        a datetime.date, or None), `id` (the article_id of its events, "" when
        None). Returns Events (a list of Event dicts). Raises InputError for
        bad input (a bad date, text over 16 MB) with libsitrep's message."""
        return self._code(_CArticle(text, date, id))

    def code_json(self, text, date, id=None):
        """As code(), but returns the events as JSON Lines text (the exact
        `sitrep code` output, "" when none) without building dicts: the
        cheaper call for writing events out."""
        return self._code(_CArticle(text, date, id), raw=True)

    def _code(self, art, raw=False):
        self._check()
        L, d = self._L, self._doc()
        rc = L.sitrep_code(self._h, d.h, ctypes.byref(art.st))
        if rc:
            raise _error(rc, L.sitrep_doc_errmsg(d.h))
        n = L.sitrep_doc_nevents(d.h)
        for i in range(n):
            if L.sitrep_event_json(d.h, i, ctypes.byref(d.buf)):
                raise MemoryError("sitrep: out of memory")
        if raw:
            return d.text()
        return Events(Event(line) for line in d.lines())

    def places(self, text, date=None, id=None, spans=None):
        """Find and resolve the place names of one article. With `spans`
        ([(start, end), ...] byte offsets) exactly those spans are resolved,
        one Place each. Returns Places (a list of Place dicts)."""
        self._check()
        art = _CArticle(text, date, id, spans)
        L, d = self._L, self._doc()
        rc = L.sitrep_places(self._h, d.h, ctypes.byref(art.st))
        if rc:
            raise _error(rc, L.sitrep_doc_errmsg(d.h))
        for i in range(L.sitrep_doc_nplaces(d.h)):
            if L.sitrep_place_json(d.h, i, ctypes.byref(d.buf)):
                raise MemoryError("sitrep: out of memory")
        return Places(Place(line) for line in d.lines())

    def code_file(self, path, input="auto", date=None):
        """Code every article of a file as `sitrep code FILE` does (same
        reader, same ids). Returns Events; a rejected record raises."""
        out = Events()
        for a in read_articles(path, input, date):
            out.extend(self.code(a["text"], a["date"], a["id"]))
        return out

    def iter_code_many(self, articles, jobs=1, errors="raise"):
        """Like code_many, but yields one Events per article, in input order,
        as they are done (at most jobs*32 articles in flight)."""
        if errors not in ("raise", "skip"):
            raise ValueError("errors must be 'raise' or 'skip'")
        self._check()

        def one(args):
            index, item = args
            try:
                text, date, aid, _ = _article_fields(item, index)
                return self.code(text, date, aid)
            except (SitrepError, TypeError) as e:
                if errors == "skip":
                    return Events()
                if isinstance(e, SitrepError):
                    raise _error(e.status, f"article {index}: {e}") from e
                raise TypeError(f"article {index}: {e}") from e

        items = enumerate(articles)
        jobs = max(1, int(jobs or 1))
        if jobs == 1:
            for it in items:
                yield one(it)
            return
        window = jobs * 32
        with concurrent.futures.ThreadPoolExecutor(jobs, thread_name_prefix="sitrep") as ex:
            pending = [ex.submit(one, it) for it in itertools.islice(items, window)]
            head = 0
            while head < len(pending):
                res = pending[head].result()
                pending[head] = None
                head += 1
                nxt = next(items, None)
                if nxt is not None:
                    pending.append(ex.submit(one, nxt))
                yield res

    def code_many(self, articles, jobs=1, errors="raise"):
        """Code many articles on `jobs` threads (one sitrep_doc each, sharing
        this Coder's context). `articles`: an iterable of dicts with "text",
        "date", "id" (as JSON Lines records), of (text, date) or (text, date,
        id) tuples, or of objects with those attributes. Returns one Events
        list, articles in input order: the same for any `jobs`. errors="skip"
        drops articles that cannot be coded instead of raising."""
        out = Events()
        for evs in self.iter_code_many(articles, jobs, errors):
            out.extend(evs)
        return out


# ---------------------------------------------------------------- store


class Store(_Closing):
    """An SQLite event store (docs/schema.md), for merging events coded
    elsewhere (`sitrep ingest --events`)."""

    def __init__(self, path, readonly=False):
        self._L = L = _lib.lib()
        self._h = _opened(L.sitrep_store_open(os.fsencode(path), 1 if readonly else 0), L.sitrep_store_status,
                          L.sitrep_store_errmsg, L.sitrep_store_close)

    def import_events(self, path):
        """Merge a JSON Lines events file (the `sitrep code` output). Returns
        (articles stored, [bad line messages])."""
        L = self._L
        errs = _lib.Buf()
        try:
            n = L.sitrep_store_import_events(self._h, os.fsencode(path), ctypes.byref(errs))
            msgs = ctypes.string_at(errs.data, errs.len).decode("utf-8", "replace").splitlines() if errs.len else []
        finally:
            L.sitrep_buf_free(ctypes.byref(errs))
        if n < 0:
            raise _error(n, L.sitrep_store_errmsg(self._h))
        return n, msgs

    def counts(self):
        """(articles, events, clusters) in the store."""
        a, e, c = ctypes.c_long(), ctypes.c_long(), ctypes.c_long()
        rc = self._L.sitrep_store_counts(self._h, ctypes.byref(a), ctypes.byref(e), ctypes.byref(c))
        if rc < 0:
            raise _error(rc, self._L.sitrep_store_errmsg(self._h))
        return a.value, e.value, c.value

    def close(self):
        h, self._h = getattr(self, "_h", None), None
        if h:
            self._L.sitrep_store_close(h)
