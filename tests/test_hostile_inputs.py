"""Issue 14: no document can stall or sink a batch; every command checks its input the same way.

One test (or a few) per case a hostile user found, numbered as in the issue. The commands run as
a user runs them (`python -m pipeline ...`), with CI set (no progress bar).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.export import read_table
from pipeline.gold import span_problems
from pipeline.records import to_dataframe
from pipeline.store import STORE_FILE
from record_samples import acme, make_record, org, ranges

ENV = {**os.environ, "CI": "1"}


def cli(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          env=ENV, timeout=600, **kwargs)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, objects) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def good_text(i: int) -> str:
    return f"Acme Holdings {i} said on Monday its profit rose {i + 1} percent to ${i + 3} million in 2020."


def errors_of(records: list[dict]) -> dict[str, str]:
    return {r["id"]: r["errors"][0]["reason"] for r in records if r.get("errors")}


# --- 1. a document that would run for minutes --------------------------------------------------

@pytest.mark.parametrize("n_process", [1, 2])
def test_case01_a_slow_document_times_out_and_every_good_document_is_written(tmp_path, n_process):
    docs = [{"id": f"good{i:02d}", "text": good_text(i)} for i in range(12)]
    docs.insert(5, {"id": "numbers", "text": "1 " * 200_000})  # >150 s and 3.3 GB before the budget
    out = tmp_path / "out.jsonl"
    result = cli("extract", write_jsonl(tmp_path / "in.jsonl", docs), "--out", out, "--doc-timeout", "2",
                 "--n-process", n_process)
    assert result.returncode == 1, result.stderr
    records = lines(out)
    assert [r["id"] for r in records] == [d["id"] for d in docs]
    assert errors_of(records) == {"numbers": "timed out after 2 s"}
    assert all(r["spans"] for r in records if r["id"] != "numbers")
    assert "error: numbers: timed out after 2 s" in result.stderr


# --- 2. a malformed line in meta.jsonl ---------------------------------------------------------

def test_case02_a_malformed_meta_line_is_an_error_and_the_documents_are_written(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"doc{i}.txt").write_text(good_text(i), encoding="utf-8")
    (docs / "meta.jsonl").write_text(json.dumps({"id": "doc0", "dct": "2020-01-02"}) + "\n{broken\n"
                                     + json.dumps({"id": "doc2", "dct": "2021-03-04"}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("extract", docs, "--out", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    records = {r["id"]: r for r in lines(out)}
    meta_line = f"{docs / 'meta.jsonl'}:2"
    assert list(records) == [meta_line, "doc0", "doc1", "doc2"]
    assert errors_of(list(records.values())) == {meta_line: "malformed JSON: Expecting property name enclosed "
                                                            "in double quotes (column 2)"}
    assert (records["doc0"]["meta"]["dct"], records["doc2"]["meta"]["dct"]) == ("2020-01-02", "2021-03-04")
    assert all(records[d]["spans"] for d in ("doc0", "doc1", "doc2"))


# --- 3. meta.dct that is no ISO date ------------------------------------------------------------

BAD_DCT = {"d1": "15/06/2021", "d2": "2021-02-30"}


def test_case03_extract_makes_a_bad_dct_an_error_or_with_lenient_meta_null(tmp_path):
    docs = [{"id": d, "text": good_text(i), "meta": {"dct": BAD_DCT.get(d, "2021-06-15")}}
            for i, d in enumerate(["d0", "d1", "d2"])]
    source = write_jsonl(tmp_path / "in.jsonl", docs)
    strict = cli("extract", source, "--out", tmp_path / "strict.jsonl")
    assert strict.returncode == 1
    assert errors_of(lines(tmp_path / "strict.jsonl")) == {
        d: f"meta.dct {value!r} is not an ISO date (YYYY-MM-DD) or null" for d, value in BAD_DCT.items()}
    lenient = cli("extract", source, "--out", tmp_path / "lenient.jsonl", "--lenient-meta")
    assert lenient.returncode == 0, lenient.stderr
    records = lines(tmp_path / "lenient.jsonl")
    assert [r["meta"]["dct"] for r in records] == ["2021-06-15", None, None] and not errors_of(records)
    assert f"warning: {source}:2: meta.dct '15/06/2021' is not an ISO date" in lenient.stderr


def test_case03_load_and_export_isolate_a_bad_dct_or_null_it_with_lenient_meta(tmp_path):
    bad = ranges()
    bad["meta"]["dct"] = "2021-02-30"
    predictions = write_jsonl(tmp_path / "p.jsonl", [acme(), bad])
    db = f"sqlite:///{tmp_path}/x.db"

    loaded = cli("load", predictions, "--db", db)
    assert loaded.returncode == 1 and "1 inserted" in loaded.stderr and "1 rejected" in loaded.stderr
    assert f"error: {predictions}:2 (ranges): meta.dct '2021-02-30' is not an ISO date" in loaded.stderr
    exported = cli("export", predictions, "--table", "documents", "--out", tmp_path / "d.csv")
    assert exported.returncode == 1 and "error:" in exported.stderr
    rows = read_table(tmp_path / "d.csv", "csv", "documents")
    assert rows.doc_id.tolist() == ["acme", "ranges"] and rows.error.isna().tolist() == [True, False]

    assert cli("load", predictions, "--db", db, "--lenient-meta").returncode == 0
    from pipeline.db import Document, connect

    with Session(connect(db)) as session:
        assert session.execute(select(Document.doc_id, Document.dct).order_by(Document.doc_id)).all()[1] == \
            ("ranges", None)
    assert cli("export", predictions, "--out", tmp_path / "m.csv", "--lenient-meta").returncode == 0


# --- 4. duplicate ids ------------------------------------------------------------------------

def test_case04_a_duplicate_id_is_an_error_naming_the_first_occurrence_in_every_command(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": good_text(1)}, {"id": "y", "text": good_text(2)}])
    second = write_jsonl(tmp_path / "b.jsonl", [{"id": "x", "text": good_text(3)}])
    out = tmp_path / "out.jsonl"
    extracted = cli("extract", first, second, "--out", out)
    assert extracted.returncode == 1
    assert [(r["id"], bool(r.get("errors"))) for r in lines(out)] == [("x", False), ("y", False), ("x", True)]
    assert errors_of(lines(out)[2:]) == {"x": f"duplicate id 'x' (first at {first}:1)"}

    twice = write_jsonl(tmp_path / "twice.jsonl", [acme(amount=1e9), ranges(), acme(amount=2e9)])
    loaded = cli("load", twice, "--db", f"sqlite:///{tmp_path}/x.db")
    assert loaded.returncode == 1 and "2 inserted" in loaded.stderr
    assert f"error: {twice}:3 (acme): duplicate id 'acme' (first at {twice}:1)" in loaded.stderr

    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "acme", "text": "Acme Corp.", "meta": {"dct": None}, "spans": [
        {"start": 0, "end": 9, "label": "ORG", "text": "Acme Corp", "value": {"canonical": "Acme Corp"}}]}])
    scored = cli("score", "--gold", gold, "--pred", twice)
    assert scored.returncode == 1 and "micro" in scored.stdout
    assert f"error: {twice}:3 (acme): duplicate id 'acme' (first at {twice}:1)" in scored.stderr


# --- 5. concurrent loads into one SQLite file --------------------------------------------------

# The interleaving itself (a load starting while another holds its transaction open) is tested
# deterministically on SQLite and PostgreSQL: tests/test_db.py::test_a_load_waits_for_a_concurrent_one.

def test_case05_loads_started_together_all_succeed(tmp_path):
    """Before: the losers failed with UNIQUE constraint failed: runs.run_id (or a view that exists)."""
    records = [{**r, "id": f"{r['id']}-{i}"} for i in range(150) for r in (acme(), ranges())]
    predictions = write_jsonl(tmp_path / "p.jsonl", records)
    db = f"sqlite:///{tmp_path}/new.db"
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline", "load", str(predictions), "--db", db],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV) for _ in range(3)]
    outputs = [p.communicate(timeout=600) for p in procs]
    results = [(p.returncode, err) for p, (_, err) in zip(procs, outputs)]
    assert [code for code, _ in results] == [0, 0, 0], [err for _, err in results]
    assert sum("300 inserted" in err for _, err in results) == 1
    assert sum("300 unchanged" in err for _, err in results) == 2


# --- 6. a corrupt or truncated store -------------------------------------------------------------

@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_case06_a_corrupt_store_is_one_line_exit_2_and_nothing_is_overwritten(tmp_path, damage):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(6):
        (docs / f"doc{i}.txt").write_text(good_text(i), encoding="utf-8")
    out, store = tmp_path / "out.jsonl", tmp_path / "store"
    assert cli("extract", docs, "--out", out, "--store", store).returncode == 0
    database = store / STORE_FILE
    content = database.read_bytes()
    database.write_bytes(b"garbage " * 512 if damage == "garbage" else content[: len(content) // 2])
    damaged, before = database.read_bytes(), out.read_bytes()

    result = cli("extract", docs, "--out", out, "--store", store)

    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: store {database} is corrupt")
    assert "move it aside or delete it" in result.stderr
    assert out.read_bytes() == before and database.read_bytes() == damaged


# --- 7. gold spans that validate-gold rejects --------------------------------------------------

TEXT = "Acme Corp paid $5 million."


@pytest.mark.parametrize("span", [
    {"start": 20, "end": 40, "label": "ORG", "text": "million.", "value": {"canonical": "x"}},  # past the end
    {"start": 0, "end": 9, "label": "ORG", "text": "Beta Ltd.", "value": {"canonical": "Beta Ltd"}},  # not the text
], ids=["past the end", "text differs"])
def test_case07_score_refuses_gold_spans_that_validate_gold_rejects(tmp_path, span):
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "a", "text": TEXT, "meta": {"dct": None}, "spans": [span]}])
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "a", "meta": {}, "spans": []}])
    result = cli("score", "--gold", gold, "--pred", pred)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [problem] = span_problems(span, TEXT)  # validate-gold's own words
    assert f"{gold}:1: span {span['start']}-{span['end']} ORG {span['text']!r}: {problem}" in result.stderr


# --- 8. byte-order marks and NUL ----------------------------------------------------------------

def test_case08_a_byte_order_mark_is_dropped_in_every_input_form(tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + (json.dumps({"id": "first", "text": good_text(1)}) + "\n"
                                        + json.dumps({"id": "second", "text": good_text(2)}) + "\n").encode())
    text_file = tmp_path / "bom.txt"
    text_file.write_bytes(b"\xef\xbb\xbfAcme Corp raised $5 million in 2020.")
    out = tmp_path / "out.jsonl"
    result = cli("extract", jsonl, text_file, "--out", out)
    assert result.returncode == 0, result.stderr
    first, second, bom = lines(out)
    assert (first["id"], second["id"]) == ("first", "second") and first["spans"]
    assert bom["meta"]["n_chars"] == len("Acme Corp raised $5 million in 2020.")
    assert bom["spans"][0]["start"] == 0 and bom["spans"][0]["text"] == "Acme Corp"
    assert not any("\ufeff" in span["text"] for record in lines(out) for span in record["spans"])

    records = tmp_path / "records.jsonl"  # load and export read records the same way
    records.write_bytes(b"\xef\xbb\xbf" + out.read_bytes())
    assert cli("load", records, "--db", f"sqlite:///{tmp_path}/x.db").returncode == 0
    assert cli("export", records, "--out", tmp_path / "m.jsonl").returncode == 0


def test_case08_nul_is_refused_the_same_way_in_every_input_form(tmp_path):
    from pipeline.validate import NUL_REASON

    jsonl = write_jsonl(tmp_path / "in.jsonl", [{"id": "escaped", "text": "Acme\u0000 Corp raised $5 million."},
                                                {"id": "fine", "text": good_text(1)}])
    text_file = tmp_path / "raw.txt"
    text_file.write_bytes(b"Acme\x00 Corp raised $5 million.")
    out = tmp_path / "out.jsonl"
    result = cli("extract", jsonl, text_file, "--out", out)
    assert result.returncode == 1
    assert errors_of(lines(out)) == {"escaped": NUL_REASON, "raw": NUL_REASON}
    assert NUL_REASON.startswith("binary")


# --- 9. CSV formula injection -----------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x\")", "+SUM(1,2)", "-2+3", "@cmd", "'=already quoted"]


def test_case09_csv_cells_are_escaped_against_formula_injection(tmp_path):
    pieces = []
    for formula in FORMULAS:
        pieces += [("ORG", formula, org(formula)), " and "]
    records = [make_record("formulas", pieces[:-1])]
    predictions = write_jsonl(tmp_path / "p.jsonl", records)
    out = tmp_path / "m.csv"
    assert cli("export", predictions, "--out", out).returncode == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["text"] for row in rows] == ["'" + f for f in FORMULAS]
    assert [row["canonical"] for row in rows] == ["'" + f for f in FORMULAS]
    cells = [cell for row in rows for cell in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    pd.testing.assert_frame_equal(read_table(out, "csv"), to_dataframe(records))  # still round-trips


# --- 10. a killed run without --store ------------------------------------------------------------

def test_case10_a_killed_run_without_store_keeps_the_old_output(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{i:03d}", "text": good_text(i)} for i in range(300)])
    out = tmp_path / "out" / "out.jsonl"
    out.parent.mkdir()
    old = b'{"id": "from the last good run", "meta": {}, "spans": []}\n'
    out.write_bytes(old)

    def written() -> bool:  # the run has written records somewhere in out/
        return any(p.stat().st_size > 0 and p.read_bytes() != old for p in out.parent.iterdir())

    with (tmp_path / "killed.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(source), "--out", str(out)],
                                stdout=subprocess.DEVNULL, stderr=log, env=ENV)
        deadline = time.monotonic() + 300
        while not written() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, (tmp_path / "killed.log").read_text()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    assert out.read_bytes() == old
    result = cli("extract", source, "--out", out)
    assert result.returncode == 0 and [r["id"] for r in lines(out)] == [f"d{i:03d}" for i in range(300)]
