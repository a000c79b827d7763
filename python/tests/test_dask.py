"""test_dask.py - the Dask runner on a LocalCluster of 2 worker processes gets
exactly the events a single-process run gets (the CLI, byte for byte and in
order), also when a partition fails or a worker dies mid-partition, and when
an interrupted run is resumed."""
import glob
import json
import os
import subprocess
import sys

import pytest

import sitrep
from conftest import corpus_records, jlines, run_cli

distributed = pytest.importorskip("distributed", reason="python3-distributed not installed")
import sitrep.dask as sd  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, shared, examples):
    """A JSON Lines corpus of a few hundred articles, with one bad record."""
    recs = corpus_records(shared, examples, 300)
    d = tmp_path_factory.mktemp("corpus")
    path = d / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, r in enumerate(recs):
            if i == 150:
                f.write('{"id": "broken", "text": "no date here"}\n')
            f.write(json.dumps({"id": r["id"], "date": r["date"], "text": r["text"]}) + "\n")
    return str(path), len(recs)


@pytest.fixture(scope="module")
def single(cli, corpus):
    """What one process gets: `sitrep code` on the corpus (lines, stderr)."""
    lines, err, rc = run_cli(cli, "code", corpus[0])
    assert rc == 1  # the broken record
    assert lines
    return lines, err


def parts_text(out):
    files = sorted(glob.glob(os.path.join(out, "part-*.jsonl")))
    return [line for p in files for line in jlines(open(p, encoding="utf-8", errors="surrogateescape", newline="").read())]


def test_two_workers_equal_single_process(client, corpus, single, tmp_path):
    out = str(tmp_path / "out")
    s = sd.run([corpus[0]], out, client=client, partition_size=40)
    assert s["workers"] == 2
    assert s["articles"] == corpus[1]
    assert s["partitions"] == (corpus[1] + 1 + 39) // 40
    got = parts_text(out)
    assert got == single[0]  # byte for byte, in order
    assert s["events"] == len(single[0])
    # the rejected record is named as the CLI names it
    assert s["rejected"] == 1
    errs = open(os.path.join(out, "_errors.txt"), encoding="utf-8").read()
    assert errs.strip() in single[1]
    # both workers took part
    assert len(s["by_worker"]) == 2
    assert not glob.glob(os.path.join(out, ".*"))


def test_python_single_process_equals_cli(coder, corpus, single):
    recs = [r for r in (sitrep.parse_jsonl_record(l, None) if '"broken"' not in l else None
                        for l in open(corpus[0], encoding="utf-8")) if r]
    assert [e.json for e in coder.code_many(recs, jobs=2)] == single[0]


def test_failed_partition_is_retried_without_duplicates(client, corpus, single, tmp_path):
    out = str(tmp_path / "out")
    s = sd.run([corpus[0]], out, client=client, partition_size=50, _inject=(2, "raise"))
    assert parts_text(out) == single[0]
    assert s["articles"] == corpus[1]
    assert not glob.glob(os.path.join(out, ".*"))


def test_worker_killed_mid_partition(client, corpus, single, tmp_path):
    out = str(tmp_path / "out")
    s = sd.run([corpus[0]], out, client=client, partition_size=50, _inject=(1, "exit"))
    assert parts_text(out) == single[0]
    assert s["articles"] == corpus[1]
    assert not glob.glob(os.path.join(out, ".*"))
    client.wait_for_workers(2, timeout=60)


def test_resume_codes_only_missing_parts(client, corpus, single, tmp_path):
    out = str(tmp_path / "out")
    sd.run([corpus[0]], out, client=client, partition_size=60)
    os.unlink(os.path.join(out, "part-00002.jsonl"))
    with pytest.raises(RuntimeError, match="already holds"):
        sd.run([corpus[0]], out, client=client, partition_size=60)
    with pytest.raises(RuntimeError, match="other inputs"):
        sd.run([corpus[0]], out, client=client, partition_size=70, resume=True)
    s = sd.run([corpus[0]], out, client=client, partition_size=60, resume=True)
    assert s["coded_now"] == 1 and s["resumed"] == s["partitions"] - 1
    assert parts_text(out) == single[0]


def test_text_inputs_and_merge_into_store(client, cli, examples, repo, tmp_path):
    want, _, rc = run_cli(cli, "code", *examples)
    assert rc == 0
    out = str(tmp_path / "out")
    db = str(tmp_path / "events.db")
    s = sd.run([os.path.join(repo, "examples")], out, client=client, partition_size=5, db=db)
    assert parts_text(out) == want
    assert s["partitions"] == (len(examples) + 4) // 5
    with sitrep.Store(db, readonly=True) as st:
        articles, events, _ = st.counts()
    assert events == len(want)
    assert articles == len({json.loads(l)["article_id"] for l in want})
    assert s["db"]["articles_stored"] == articles


def test_plan_is_deterministic(corpus, examples):
    a = sd.plan([corpus[0]] + examples, 33)
    b = sd.plan([corpus[0]] + examples, 33)
    assert a == b
    jsonl = [p for p in a if p["kind"] == "jsonl"]
    assert jsonl[0]["start"] == 0 and jsonl[0]["line"] == 1
    for x, y in zip(jsonl, jsonl[1:]):
        assert x["end"] == y["start"] and y["line"] == x["line"] + 33
    assert sum(len(p["paths"]) for p in a if p["kind"] == "text") == len(examples)


def test_command_line(corpus, single, tmp_path):
    """`python3 -m sitrep.dask` end to end on its own local cluster."""
    out = str(tmp_path / "out")
    p = subprocess.run([sys.executable, "-m", "sitrep.dask", corpus[0], "--out", out, "--workers", "2",
                        "--partition-size", "100", "--quiet"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    assert p.returncode == 1, p.stderr.decode()  # the broken record
    assert b"broken" not in p.stdout
    assert parts_text(out) == single[0]
    summary = json.load(open(os.path.join(out, "_summary.json")))
    assert summary["workers"] == 2 and summary["articles"] == corpus[1]
    p = subprocess.run([sys.executable, "-m", "sitrep.dask", corpus[0], "--out", out, "--kb", str(tmp_path / "nokb")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    assert p.returncode == 2 and b"nokb" in p.stderr


def test_jsonl_ranges_across_chunk_boundaries(tmp_path):
    import random

    def reference(data, size):
        ranges, start, first, count, line = [], 0, 1, 0, 0
        for j, c in enumerate(data):
            if c == 10:
                line += 1
                count += 1
                if count == size:
                    ranges.append((start, j + 1, first))
                    start, first, count = j + 1, line + 1, 0
        if len(data) > start:
            ranges.append((start, len(data), first))
        return ranges

    rnd = random.Random(7)
    path = tmp_path / "lines.jsonl"
    for _ in range(25):
        lines = [b"x" * rnd.randint(0, 40) for _ in range(rnd.randint(0, 120))]
        data = b"\n".join(lines) + (b"\n" if rnd.random() < 0.5 else b"")
        path.write_bytes(data)
        for size in (1, 2, 7, 50, 500):
            for chunk in (1, 5, 64, 1 << 22):
                assert sd._jsonl_ranges(str(path), size, chunk) == reference(data, size)


def test_partition_failing_every_time_stops_the_run(client, corpus, tmp_path):
    out = str(tmp_path / "out")
    # a kb that does not exist: every attempt of every partition fails in the worker
    with pytest.raises(sd.PartitionError, match="--resume"):
        sd.run([corpus[0]], out, client=client, partition_size=100, retries=1,
               options={"kb": str(tmp_path / "no-kb")})
