"""sitrep.dask - code a corpus across a Dask cluster (Debian python3-distributed).

    python3 -m sitrep.dask INPUT... --out DIR [--scheduler ADDRESS]
                           [--partition-size N] [--workers N] [--threads N]
                           [--input auto|text|jsonl] [--date YYYY-MM-DD] [--kb DIR]
                           [--petrarch-verbs F --petrarch-actors F[,F] --petrarch-agents F
                            --petrarch-discards F | --tabari-project F]
                           [--retries N] [--resume | --force] [--db DB] [--quiet]

How it works
- The client splits the inputs, in the order given (directories walked in
  sorted order), into partitions of --partition-size articles: runs of N lines
  of a JSON Lines file (byte ranges, found by one scan for newlines), or N text
  files. Partition k writes DIR/part-{k:05d}.jsonl, so concatenating the parts
  in name order gives exactly what `sitrep code INPUT...` prints.
- Each worker process lazily builds one Coder (per set of options) the first
  time it gets a partition, and keeps it; its threads share it.
- A partition is written to a temporary file in DIR and renamed into place
  only when complete, so a failed or killed attempt leaves no events behind
  and the retry (Dask's `retries`, or a rescheduled task after a worker dies)
  writes the part once. Runs are resumable: --resume keeps the parts that are
  already there (DIR/_manifest.json must match the inputs and options).
- Workers read the inputs and write DIR themselves: on a real cluster INPUT and
  DIR must be on a filesystem every worker sees at the same path (NFS, ...).
- Rejected records are reported as FILE:LINE: reason, as `sitrep code` does,
  in DIR/_errors.txt (in input order); DIR/_summary.json has the totals.
- --db DB merges the parts into an SQLite store afterwards, in order (the same
  as `sitrep ingest --events DIR/part-00000.jsonl ... --db DB`).

Exit status: 0 when every record was coded, 1 when some were rejected, 2 for
bad usage or a failed run.
"""

import argparse
import glob
import hashlib
import json
import os
import socket
import sys
import threading
import time
import uuid

import sitrep

PART_FMT = "part-{:05d}.jsonl"
DEFAULT_PARTITION_SIZE = 200
_TEXT_EXT = (".txt", ".text", "")
_JSONL_EXT = (".jsonl", ".ndjson", ".json")


# ---------------------------------------------------------------- planning


def _expand(inputs):
    """Files named by `inputs`, directories walked in sorted order."""
    files = []
    for p in inputs:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    ext = os.path.splitext(n)[1].lower()
                    if not n.startswith(".") and (ext in _TEXT_EXT or ext in _JSONL_EXT):
                        files.append(os.path.join(root, n))
        elif os.path.exists(p):
            files.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or directory")
    return files


def _kind(path, mode):
    """'jsonl' or 'text' for a file, decided as libsitrep's reader does."""
    if mode in ("jsonl", "text"):
        return mode
    low = path.lower()
    if low.endswith(".jsonl") or low.endswith(".ndjson"):
        return "jsonl"
    with open(path, "rb") as f:
        head = f.read(4096)
        while head and not head.lstrip(b" \t\r\n"):
            more = f.read(4096)
            if not more:
                break
            head = more
    return "jsonl" if head.lstrip(b" \t\r\n")[:1] == b"{" else "text"


def _jsonl_ranges(path, size, chunk_bytes=1 << 22):
    """[(start, end, first_line)]: byte ranges of `size` lines each (one
    bytes.find per line: some 100 MB/s with 100-byte lines, disk speed with
    article-sized lines)."""
    ranges, start, first, seen, in_range, pos = [], 0, 1, 0, 0, 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(chunk_bytes)
            if not chunk:
                break
            i = chunk.find(b"\n")
            while i >= 0:
                seen += 1
                in_range += 1
                if in_range == size:
                    ranges.append((start, pos + i + 1, first))
                    start, first, in_range = pos + i + 1, seen + 1, 0
                i = chunk.find(b"\n", i + 1)
            pos += len(chunk)
    if pos > start:
        ranges.append((start, pos, first))
    return ranges


def plan(inputs, partition_size=DEFAULT_PARTITION_SIZE, input="auto"):
    """The partitions of `inputs`, in order: a list of dicts
    {"kind": "jsonl", "path", "label", "start", "end", "line"} or
    {"kind": "text", "paths", "labels"}."""
    if partition_size < 1:
        raise ValueError("--partition-size must be at least 1")
    parts, text_run = [], []

    def flush():
        for i in range(0, len(text_run), partition_size):
            run = text_run[i:i + partition_size]
            parts.append({"kind": "text", "paths": [os.path.abspath(p) for p in run], "labels": run})
        text_run.clear()

    for path in _expand(inputs):
        if _kind(path, input) == "text":
            text_run.append(path)
            continue
        flush()
        for start, end, line in _jsonl_ranges(path, partition_size):
            parts.append({"kind": "jsonl", "path": os.path.abspath(path), "label": path,
                          "start": start, "end": end, "line": line})
    flush()
    return parts


# ---------------------------------------------------------------- workers

_coders = {}
_coders_lock = threading.Lock()


def worker_coder(options):
    """This process's Coder for `options` (a dict of Coder arguments), built
    on first use and kept for the life of the worker process."""
    key = json.dumps(options, sort_keys=True)
    c = _coders.get(key)
    if c is None:
        with _coders_lock:
            c = _coders.get(key)
            if c is None:
                c = sitrep.Coder(**options)
                _coders[key] = c
    return c


def _articles(spec, date):
    """(article dict or InputError, label, line) for each record of a partition."""
    if spec["kind"] == "text":
        for path, label in zip(spec["paths"], spec["labels"]):
            for rec in sitrep.read_articles_lenient(path, "text", date):
                if isinstance(rec, Exception):
                    msg = str(rec)
                    # the reader names the absolute path; report the one given
                    if msg.startswith(path + ":"):
                        msg = label + msg[len(path):]
                    yield sitrep.InputError(msg, getattr(rec, "status", -5)), label, 0
                else:
                    yield rec, label, rec["line"]
        return
    with open(spec["path"], "rb") as f:
        f.seek(spec["start"])
        data = f.read(spec["end"] - spec["start"])
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    for line, raw in enumerate(lines, spec["line"]):
        try:
            rec = sitrep.parse_jsonl_record(raw, date)
        except sitrep.InputError as e:
            yield e, spec["label"], line
        else:
            if rec is not None:
                yield rec, spec["label"], line


def _fail_once(out_dir, index, inject):
    """Test hook: fail partition `index` once (inject = (index, "raise"|"exit"))."""
    if not inject or inject[0] != index:
        return None
    marker = os.path.join(out_dir, f".fail-{index:05d}")
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return None
    os.close(fd)
    return inject[1]


def code_partition(index, spec, out_dir, options, date=None, inject=None):
    """Code partition `index` (a plan() entry) with this worker's Coder and
    write DIR/part-{index}.jsonl atomically. Returns a summary dict:
    {"partition", "articles", "events", "rejected", "errors", "seconds",
    "cpu_seconds" (this thread's CPU time: C coding included), "worker"}."""
    t0, c0 = time.time(), time.thread_time()
    coder = worker_coder(options)
    final = os.path.join(out_dir, PART_FMT.format(index))
    tmp = os.path.join(out_dir, f".{PART_FMT.format(index)}.{uuid.uuid4().hex}.tmp")
    fail = _fail_once(out_dir, index, inject)
    articles = events = 0
    errors = []
    try:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape", newline="\n") as f:
            for rec, label, line in _articles(spec, date):
                if fail and articles:
                    f.flush()
                    if fail == "exit":
                        os._exit(3)  # the worker process dies mid-partition
                    raise RuntimeError(f"sitrep.dask: injected failure in partition {index}")
                if isinstance(rec, Exception):
                    errors.append(f"{label}:{line}: {rec}" if line else str(rec))
                    continue
                try:
                    evs = coder.code_json(rec["text"], rec["date"], rec["id"])
                except sitrep.InputError as e:
                    errors.append(f"{label}:{line}: {e}")
                    continue
                articles += 1
                if evs:
                    events += evs.count("\n")
                    f.write(evs)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return {"partition": index, "articles": articles, "events": events, "rejected": len(errors),
            "errors": errors, "seconds": time.time() - t0, "cpu_seconds": time.thread_time() - c0,
            "worker": f"{socket.gethostname()}:{os.getpid()}"}


# ---------------------------------------------------------------- client


class PartitionError(RuntimeError):
    """A partition failed on every attempt; the run stopped."""


def _manifest(parts, options, date, partition_size):
    body = {"partitions": parts, "options": options, "date": date, "partition_size": partition_size,
            "sitrep": sitrep.version()}
    body["digest"] = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return body


def run(inputs, out_dir, scheduler=None, partition_size=DEFAULT_PARTITION_SIZE, workers=None,
        threads=1, input="auto", date=None, options=None, retries=2, resume=False, force=False,
        db=None, progress=None, client=None, _inject=None):
    """Code `inputs` on a Dask cluster into `out_dir`; returns the summary
    dict also written to out_dir/_summary.json. `scheduler`: a scheduler
    address; None starts a LocalCluster of `workers` processes with `threads`
    threads each (or pass a distributed `client`). `options`: Coder arguments
    (kb, petrarch, models, gazetteer). `progress`: a callable taking a line."""
    from distributed import Client, LocalCluster, as_completed

    options = {k: v for k, v in (options or {}).items() if v is not None}
    if date is not None:
        date = sitrep._norm_date(date).decode()
    t0 = time.time()
    parts = plan(inputs, partition_size, input)
    os.makedirs(out_dir, exist_ok=True)
    manifest = _manifest(parts, options, date, partition_size)
    mpath = os.path.join(out_dir, "_manifest.json")
    existing = sorted(glob.glob(os.path.join(out_dir, "part-*.jsonl")))
    done = set()
    if existing:
        old = None
        if os.path.exists(mpath):
            with open(mpath, encoding="utf-8") as f:
                old = json.load(f)
        if force:
            for p in existing:
                os.unlink(p)
        elif resume and old and old.get("digest") == manifest["digest"]:
            done = {int(os.path.basename(p)[5:10]) for p in existing}
        elif resume:
            raise RuntimeError(f"{out_dir}: the parts there come from other inputs or options "
                               "(use --force to replace them)")
        else:
            raise RuntimeError(f"{out_dir}: already holds part files (use --resume to finish that run "
                               "or --force to replace it)")
    for p in glob.glob(os.path.join(out_dir, "_errors.txt")) + glob.glob(os.path.join(out_dir, "_summary.json")):
        os.unlink(p)
    tmp = mpath + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    os.replace(tmp, mpath)

    cluster = None
    own_client = client is None
    if client is None:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=threads, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    results = {}
    t_ready = time.time()
    try:
        nworkers = len(client.scheduler_info().get("workers", {}))
        todo = [i for i in range(len(parts)) if i not in done]
        token = manifest["digest"] + "-" + uuid.uuid4().hex[:8]
        # by reference to the importable module, also under `python -m sitrep.dask`
        from sitrep.dask import code_partition as task
        futures = client.map(task, todo, [parts[i] for i in todo], [os.path.abspath(out_dir)] * len(todo),
                             [options] * len(todo), [date] * len(todo), [_inject] * len(todo),
                             key=[f"sitrep-part-{i:05d}-{token}" for i in todo], retries=retries, pure=False)
        arts = evs = 0
        index_of = {f.key: i for f, i in zip(futures, todo)}
        for fut in as_completed(futures):
            try:
                r = fut.result()
            except Exception as e:
                for f in futures:
                    f.cancel()
                raise PartitionError(
                    f"partition {index_of[fut.key]} failed after {retries} retries: {type(e).__name__}: {e} "
                    f"(the {len(results)} parts done are kept in {out_dir}: run again with --resume)") from e
            results[r["partition"]] = r
            arts += r["articles"]
            evs += r["events"]
            if progress:
                dt = max(time.time() - t0, 1e-9)
                progress(f"[{len(results)}/{len(todo)} partitions] {arts} articles, {evs} events, "
                         f"{arts / dt:.1f} articles/s")
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()
    for p in glob.glob(os.path.join(out_dir, ".part-*.tmp")) + glob.glob(os.path.join(out_dir, ".fail-*")):
        os.unlink(p)
    elapsed = time.time() - t0
    errors = [e for i in sorted(results) for e in results[i]["errors"]]
    if errors:
        with open(os.path.join(out_dir, "_errors.txt"), "w", encoding="utf-8") as f:
            f.write("".join(e + "\n" for e in errors))
    summary = {
        "partitions": len(parts), "coded_now": len(results), "resumed": len(done),
        "articles": sum(r["articles"] for r in results.values()),
        "events": sum(r["events"] for r in results.values()),
        "rejected": len(errors), "seconds": round(elapsed, 3), "workers": nworkers,
        "startup_seconds": round(t_ready - t0, 3),
        "code_seconds": round(sum(r["seconds"] for r in results.values()), 3),
        "cpu_seconds": round(sum(r["cpu_seconds"] for r in results.values()), 3),
        "by_worker": {},
    }
    for r in results.values():
        w = summary["by_worker"].setdefault(r["worker"], {"partitions": 0, "articles": 0})
        w["partitions"] += 1
        w["articles"] += r["articles"]
    summary["articles_per_s"] = round(summary["articles"] / elapsed, 2) if elapsed else 0
    summary["events_per_s"] = round(summary["events"] / elapsed, 2) if elapsed else 0
    # throughput once the cluster is up (workers still load their Coder)
    busy = max(elapsed - summary["startup_seconds"], 1e-9)
    summary["run_articles_per_s"] = round(summary["articles"] / busy, 2)
    summary["run_events_per_s"] = round(summary["events"] / busy, 2)
    if db:
        t1 = time.time()
        stored, bad = 0, []
        with sitrep.Store(db) as st:
            for i in range(len(parts)):
                n, msgs = st.import_events(os.path.join(out_dir, PART_FMT.format(i)))
                stored += n
                bad += msgs
        summary["db"] = {"path": db, "articles_stored": stored, "bad_lines": len(bad),
                         "seconds": round(time.time() - t1, 3)}
    with open(os.path.join(out_dir, "_summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m sitrep.dask",
                                 description="Code JSON Lines or text corpora into events across a Dask cluster; "
                                             "one JSON Lines file per partition in --out.")
    ap.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines files, text files or directories")
    ap.add_argument("--out", required=True, metavar="DIR", help="output directory (part-00000.jsonl ...)")
    ap.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786); default: a local cluster")
    ap.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE, metavar="N",
                    help=f"articles per partition (default {DEFAULT_PARTITION_SIZE})")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                    help="worker processes of the local cluster (default: CPUs)")
    ap.add_argument("--threads", type=int, default=1, metavar="N", help="threads per local worker (default 1)")
    ap.add_argument("--input", choices=("auto", "text", "jsonl"), default="auto")
    ap.add_argument("--date", metavar="YYYY-MM-DD", help="date for articles without one")
    ap.add_argument("--kb", metavar="DIR")
    ap.add_argument("--models", metavar="DIR")
    ap.add_argument("--gazetteer", metavar="FILE")
    ap.add_argument("--petrarch-verbs", metavar="F")
    ap.add_argument("--petrarch-actors", metavar="F[,F...]")
    ap.add_argument("--petrarch-agents", metavar="F")
    ap.add_argument("--petrarch-discards", metavar="F")
    ap.add_argument("--tabari-project", metavar="F")
    ap.add_argument("--retries", type=int, default=2, metavar="N", help="retries of a failed partition (default 2)")
    ap.add_argument("--resume", action="store_true", help="keep the parts an interrupted run already wrote")
    ap.add_argument("--force", action="store_true", help="replace the parts already in --out")
    ap.add_argument("--db", metavar="DB", help="merge the events into this SQLite store afterwards")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    a = ap.parse_args(argv)

    options = {"kb": a.kb, "models": a.models, "gazetteer": a.gazetteer}
    if a.tabari_project:
        options["petrarch"] = a.tabari_project
    elif a.petrarch_verbs or a.petrarch_actors:
        options["petrarch"] = {k: v for k, v in (("verbs", a.petrarch_verbs), ("actors", a.petrarch_actors),
                                                 ("agents", a.petrarch_agents),
                                                 ("discards", a.petrarch_discards)) if v}
    try:
        # load once here so that a bad kb or dictionary fails fast, with its message
        sitrep.Coder(**{k: v for k, v in options.items() if v is not None}).close()
        tty = sys.stderr.isatty()
        progress = None if a.quiet else (
            (lambda line: print("\r" + line, end="", file=sys.stderr, flush=True)) if tty
            else (lambda line: print(line, file=sys.stderr, flush=True)))
        s = run(a.inputs, a.out, scheduler=a.scheduler, partition_size=a.partition_size, workers=a.workers,
                threads=a.threads, input=a.input, date=a.date, options=options, retries=a.retries,
                resume=a.resume, force=a.force, db=a.db, progress=progress)
    except KeyboardInterrupt:
        print("\nsitrep.dask: interrupted (finished parts are kept: run again with --resume)", file=sys.stderr)
        return 2
    except Exception as e:  # a failed run: one line, not a traceback
        print(f"\nsitrep.dask: {type(e).__name__}: {e}" if not isinstance(e, (sitrep.SitrepError, OSError,
              RuntimeError, ValueError)) else f"\nsitrep.dask: {e}", file=sys.stderr)
        return 2
    if os.path.exists(os.path.join(a.out, "_errors.txt")):
        with open(os.path.join(a.out, "_errors.txt"), encoding="utf-8") as f:
            sys.stderr.write(("\n" if tty and not a.quiet else "") + f.read())
    if not a.quiet:
        if tty:
            print(file=sys.stderr)
        print(f"sitrep.dask: {s['articles']} articles, {s['events']} events, {s['rejected']} rejected in "
              f"{s['seconds']:.2f} s ({s['articles_per_s']:.1f} articles/s, {s['events_per_s']:.1f} events/s) "
              f"on {s['workers']} workers; {s['partitions']} parts in {a.out}"
              + (f" ({s['resumed']} kept from before)" if s["resumed"] else ""), file=sys.stderr)
        if "db" in s:
            print(f"sitrep.dask: {s['db']['articles_stored']} articles merged into {a.db}", file=sys.stderr)
    return 1 if s["rejected"] else 0


if __name__ == "__main__":
    sys.exit(main())
