"""test_binding.py - the Python binding codes exactly as the CLI does, raises
on bad input with libsitrep's messages, and codes the same on any number of
threads."""
import datetime
import json
import os
import subprocess
import sys
import threading

import pytest

import sitrep
from conftest import corpus_records, run_cli


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({k: v for k, v in r.items() if k in ("id", "date", "text", "title")}) + "\n")


# ---------------------------------------------------------------- same as the CLI


def test_examples_code_like_cli(coder, cli, examples):
    for path in examples:
        want, _, rc = run_cli(cli, "code", path)
        assert rc == 0
        got = coder.code_file(path)
        assert sorted(e.json for e in got) == sorted(want), path
        # through code(text, date, id) with the text the reader gives
        (art,) = list(sitrep.read_articles(path))
        again = coder.code(art["text"], art["date"], art["id"])
        assert [e.json for e in again] == [e.json for e in got]


def test_examples_have_events(coder, examples):
    total = sum(len(coder.code_file(p)) for p in examples)
    assert total > 0


def test_seed_article_codes_like_cli(coder, cli, shared):
    if not shared or not os.path.isdir(os.path.join(shared, "eval", "seed")):
        pytest.skip("../shared/eval/seed absent")
    seed = os.path.join(shared, "eval", "seed")
    arts = [os.path.join(seed, f) for f in sorted(os.listdir(seed)) if f.endswith(".txt")]
    assert arts
    for path in arts:
        want, _, rc = run_cli(cli, "code", path)
        assert rc == 0
        got = coder.code_file(path)
        assert got, path
        assert sorted(e.json for e in got) == sorted(want), path
        # the dicts are the JSON the CLI prints
        assert sorted((json.loads(line) for line in want), key=json.dumps) == \
            sorted((dict(e) for e in got), key=json.dumps)


def test_jsonl_corpus_codes_like_cli(coder, cli, shared, examples, tmp_path):
    recs = corpus_records(shared, examples, 120)
    path = tmp_path / "corpus.jsonl"
    write_jsonl(path, recs)
    want, _, rc = run_cli(cli, "code", str(path))
    assert rc == 0
    got = coder.code_many(recs)
    assert [e.json for e in got] == want  # same order too
    assert got.to_jsonl() == "".join(line + "\n" for line in want)


def test_places_like_cli(coder, cli, examples):
    for path in examples:
        want, _, rc = run_cli(cli, "places", path)
        assert rc == 0
        (art,) = list(sitrep.read_articles(path))
        got = coder.places(art["text"], art["date"], id=art["id"])
        assert sorted(p.json for p in got) == sorted(want), path


def test_places_spans(coder):
    text = "Shelling hit Kharkiv and Odesa overnight."
    got = coder.places(text, "2024-05-01", spans=[(13, 20), (0, 8)])
    assert len(got) == 2
    assert got[0]["text"] == "Kharkiv"


# ---------------------------------------------------------------- threads


def test_code_many_two_jobs_equals_one(coder, shared, examples):
    recs = corpus_records(shared, examples, 200)
    one = coder.code_many(recs, jobs=1)
    two = coder.code_many(recs, jobs=2)
    four = coder.code_many(iter(recs), jobs=4)
    assert len(one) > 0
    assert [e.json for e in two] == [e.json for e in one]
    assert [e.json for e in four] == [e.json for e in one]
    single = [e.json for r in recs for e in coder.code(r["text"], r["date"], r["id"])]
    assert single == [e.json for e in one]


def test_threads_share_one_coder(coder, examples):
    arts = [a for p in examples for a in sitrep.read_articles(p)]
    want = [[e.json for e in coder.code(a["text"], a["date"], a["id"])] for a in arts]
    results, errors = {}, []

    def work(k):
        try:
            for _ in range(3):
                results[k] = [[e.json for e in coder.code(a["text"], a["date"], a["id"])] for a in arts]
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors
    assert all(results[k] == want for k in range(4))


def test_input_forms(coder, examples):
    (art,) = list(sitrep.read_articles(examples[0]))
    want = [e.json for e in coder.code(art["text"], art["date"], art["id"])]
    d = datetime.date.fromisoformat(art["date"])
    forms = [
        {"id": art["id"], "date": art["date"], "text": art["text"]},
        (art["text"], art["date"], art["id"]),
        (art["text"], d, art["id"]),
        (art["text"].encode("utf-8"), art["date"], art["id"]),
    ]
    for f in forms:
        assert [e.json for e in coder.code_many([f])] == want
    no_id = coder.code_many([(art["text"], art["date"])])
    assert all(e["article_id"] == "" for e in no_id)
    assert len(no_id) == len(want)


# ---------------------------------------------------------------- errors


def test_bad_date_raises(coder):
    for bad in ("2024-13-01", "18 March 2024", "2024-02-30", "0999-01-01"):
        with pytest.raises(ValueError):
            coder.code("Israel held talks with Hamas.", bad)
    with pytest.raises(TypeError):
        coder.code("Israel held talks with Hamas.", 20240318)


def test_bad_text_raises(coder):
    with pytest.raises(TypeError):
        coder.code(12345, "2024-03-18")
    with pytest.raises(sitrep.InputError, match="no article text"):
        coder.code(None, "2024-03-18")


def test_oversized_article_raises_with_c_message(coder):
    big = "Israel held talks with Hamas. " * (17 * 1024 * 1024 // 30 + 1)
    with pytest.raises(sitrep.InputError, match="larger than the limit") as ei:
        coder.code(big, "2024-03-18")
    assert ei.value.status == -4  # SITREP_ELIMIT


def test_bad_kb_raises_with_c_message(tmp_path):
    missing = tmp_path / "no-such-kb"
    with pytest.raises(sitrep.SitrepError) as ei:
        sitrep.Coder(kb=str(missing))
    assert "no-such-kb" in str(ei.value)


def test_bad_petrarch_raises(tmp_path):
    with pytest.raises(ValueError):
        sitrep.Coder(petrarch={"verb": "x"})
    with pytest.raises(TypeError):
        sitrep.Coder(petrarch=42)
    with pytest.raises(sitrep.SitrepError):
        sitrep.Coder(petrarch={"verbs": str(tmp_path / "missing-verbs.txt"),
                               "actors": str(tmp_path / "missing-actors.txt")})
    with pytest.raises(sitrep.SitrepError):
        sitrep.Coder(petrarch=str(tmp_path / "missing.project"))


def test_code_many_names_the_bad_article(coder):
    good = ("Israel held talks with Hamas in Doha.", "2024-03-18", "a")
    with pytest.raises(ValueError, match="article 1"):
        coder.code_many([good, ("text", "not-a-date", "b"), good], jobs=2)
    with pytest.raises(TypeError, match="article 0"):
        coder.code_many([42])
    kept = coder.code_many([good, ("text", "not-a-date", "b"), good], errors="skip")
    assert len(kept) == 2 * len(coder.code(*good))


def test_closed_coder_raises():
    c = sitrep.Coder()
    c.close()
    c.close()  # twice is fine
    with pytest.raises(sitrep.SitrepError, match="closed"):
        c.code("Israel held talks with Hamas.", "2024-03-18")


def test_reader_errors(tmp_path):
    with pytest.raises(sitrep.SitrepIOError):
        list(sitrep.read_articles(str(tmp_path / "missing.txt")))
    p = tmp_path / "nodate.txt"
    p.write_text("Israel held talks with Hamas.\n")
    with pytest.raises(sitrep.InputError, match="nodate.txt:1: no date"):
        list(sitrep.read_articles(str(p)))
    assert list(sitrep.read_articles(str(p), date="2024-03-18"))[0]["date"] == "2024-03-18"


def test_jsonl_parser_agrees_with_c_reader(tmp_path):
    lines = [
        '{"id": "a", "date": "2024-03-18", "text": "Israel held talks with Hamas."}',
        '',
        '   ',
        '{"id": 17, "date": "2024-03-18T10:00:00Z", "text": "x", "title": "T"}',
        '{"id": 1.50, "date": "2024-03-18", "text": "y"}',
        '{"id": "b", "text": "no date"}',
        '{"id": "c", "date": "2024-3-18", "text": "bad date"}',
        '{"id": "d", "date": "2024-02-30", "text": "bad day"}',
        '{"date": "2024-03-18", "text": "no id"}',
        '{"id": "", "date": "2024-03-18", "text": "empty id"}',
        '{"id": "e", "date": "2024-03-18"}',
        '{"id": "f", "date": "2024-03-18", "text": "trailing"} x',
        '[1, 2]',
        '{"id": "g", "date": "2024-03-18", "text": "caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\n end"}',
        '{"id": "h", "date": null, "text": "null date", "source": 5}',
        '{"id": "i", "date": "2024-03-18", "text": "spans", "spans": [[0, 5], [6, 7]]}',
        '{"id": "j", "date": "2024-03-18", "text": "dup", "text": "dup2"}\r',
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for default in (None, "2020-01-01"):
        c_side = []
        for rec in sitrep.read_articles_lenient(str(path), date=default):
            if isinstance(rec, Exception):
                line, reason = str(rec).split(":", 2)[1:]
                c_side.append(("error", int(line), reason.strip().split(":")[0]))
            else:
                c_side.append((rec["id"], rec["date"], rec["text"], rec["title"], rec["spans"], rec["line"]))
        py_side = []
        for n, line in enumerate(lines, 1):
            try:
                rec = sitrep.parse_jsonl_record(line.encode(), default)
            except sitrep.InputError as e:
                py_side.append(("error", n, str(e).split(":")[0]))
                continue
            if rec is not None:
                py_side.append((rec["id"], rec["date"], rec["text"], rec["title"], rec["spans"], n))
        assert py_side == c_side


# ---------------------------------------------------------------- results


def test_event_shape(coder):
    evs = coder.code("Israel held talks with Hamas in Doha on Monday.", "2024-03-18", id="t1")
    assert evs
    e = evs[0]
    for key in ("article_id", "sentence", "date", "source", "target", "cameo", "plover", "location",
                "negated", "evidence", "sentence_text"):
        assert key in e
    assert e["article_id"] == "t1" and e["date"] == "2024-03-18"
    assert set(e["cameo"]) >= {"code", "root", "goldstein", "quad_class"}
    assert json.loads(e.json) == dict(e)


def test_to_pandas(coder, examples):
    pandas = pytest.importorskip("pandas")
    evs = sitrep.Events()
    for p in examples:
        evs.extend(coder.code_file(p))
    df = evs.to_pandas()
    assert isinstance(df, pandas.DataFrame)
    assert len(df) == len(evs)
    for col in ("article_id", "source.code", "target.code", "cameo.code", "cameo.root", "plover.type"):
        assert col in df.columns
    assert list(df["cameo.code"]) == [e["cameo"]["code"] for e in evs]
    assert len(sitrep.Events().to_pandas()) == 0


def test_version_and_library():
    assert sitrep.version()
    assert os.path.exists(sitrep.library_path())


def test_code_json_is_the_cli_text(coder, cli, examples):
    for path in examples:
        (art,) = list(sitrep.read_articles(path))
        text = coder.code_json(art["text"], art["date"], art["id"])
        out = subprocess.run([cli, "code", path], stdout=subprocess.PIPE).stdout.decode("utf-8")
        assert text == out
        assert text == coder.code(art["text"], art["date"], art["id"]).to_jsonl()


# ---------------------------------------------------------------- PETRARCH / TABARI


def _cli_and_binding(cli, coder, examples, cli_opts):
    want, err, rc = run_cli(cli, "code", *cli_opts, *examples)
    assert rc == 0, err
    got = [e.json for p in examples for e in coder.code_file(p)]
    return sorted(got), sorted(want)


def test_petrarch_dictionaries_code_like_cli(cli, shared, examples):
    p = os.path.join(shared or "", "dictionaries", "petrarch")
    if not shared or not os.path.isdir(p):
        pytest.skip("../shared/dictionaries absent")
    actors = [os.path.join(p, f) for f in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                                           "Phoenix.MilNonState.actors.txt")]
    d = {"verbs": os.path.join(p, "CAMEO.2.0.txt"), "actors": actors,
         "agents": os.path.join(p, "Phoenix.agents.txt"), "discards": os.path.join(p, "Phoenix.discards.txt")}
    with sitrep.Coder(petrarch=d, models="", gazetteer="") as c:
        got, want = _cli_and_binding(cli, c, examples, [
            "--petrarch-verbs", d["verbs"], "--petrarch-actors", ",".join(actors),
            "--petrarch-agents", d["agents"], "--petrarch-discards", d["discards"],
            "--models", "", "--gazetteer", ""])
    assert got == want and len(got) >= 10


def test_tabari_project_codes_like_cli(cli, shared, examples, tmp_path):
    t = os.path.join(shared or "", "dictionaries", "tabari")
    if not shared or not os.path.isdir(t):
        pytest.skip("../shared/dictionaries absent")
    project = tmp_path / "prod.project"
    project.write_text(f"<actorsfile> {t}/CountryInfo.120116.actors\n<actorsfile> {t}/Internatnl.120521.actors\n"
                       f"<verbsfile> {t}/CAMEO.091003.master.verbs\n<agentsfile> {t}/PSU.120522.agents\n"
                       f"<optionsfile> {t}/CAMEO.09b5.options\n")
    with sitrep.Coder(petrarch=str(project), models="", gazetteer="") as c:
        got, want = _cli_and_binding(cli, c, examples, ["--tabari-project", str(project), "--models", "",
                                                        "--gazetteer", ""])
    assert got == want and len(got) >= 10


def test_kb_option_codes_like_cli(cli, examples):
    kb = os.path.join(os.environ.get("SITREP_HOME") or os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "kb")
    with sitrep.Coder(kb=kb, gazetteer="") as c:
        got, want = _cli_and_binding(cli, c, examples, ["--kb", kb, "--gazetteer", ""])
    assert got == want and got


def test_gil_released_while_coding(coder, shared, examples):
    """Another Python thread runs while one thread is inside libsitrep: a
    counter it increments moves during a long sitrep_code call far more than
    during the same call made through ctypes.PyDLL, which holds the GIL."""
    import ctypes
    from sitrep import _lib

    recs = corpus_records(shared, examples, 150)
    art = sitrep._CArticle("\n\n".join(r["text"] for r in recs), "2024-03-18", "big")
    released = _lib.lib()
    held = ctypes.PyDLL(sitrep.library_path())
    held.sitrep_code.argtypes = released.sitrep_code.argtypes
    held.sitrep_code.restype = ctypes.c_int
    doc = released.sitrep_doc_new()
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    def moved(fn):
        before = counter[0]
        assert fn(coder._h, doc, ctypes.byref(art.st)) == 0
        return counter[0] - before

    # the spinner may also run between reading the counter and entering the
    # call, for up to one switch interval: keep that short against the call
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    t = threading.Thread(target=spin)
    t.start()
    try:
        with_gil = max(moved(held.sitrep_code) for _ in range(2))
        without = 0
        for _ in range(6):  # the spinner must get a CPU during the call
            without = max(without, moved(released.sitrep_code))
            if without > 5 * with_gil + 1000:
                break
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old_interval)
        released.sitrep_doc_free(doc)
    assert without > 5 * with_gil + 1000, (without, with_gil)
