"""The Dask engine writes what the local engine writes, on a LocalCluster (threads: light on CI)."""

import json
import subprocess
import sys

import pytest

from conftest import CORPUS
from pipeline import batch
from pipeline.annotate import annotate
from pipeline.batch import ExtractOptions, LocalEngine, extract
from pipeline.read import read_inputs

RUN_KEYS = ("run_id", "extracted_at")


def read(path):
    """Records less the run's id and time, which differ between any two runs."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [{**r, "meta": {k: v for k, v in r["meta"].items() if k not in RUN_KEYS}} for r in records]


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        yield local


@pytest.fixture
def bad_lines(tmp_path):
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({"id": "j1", "text": "Gamma Inc sold 3 tonnes on May 4."}) + "\n{broken\n"
                    + json.dumps({"id": "j2", "text": "  "}) + "\n", encoding="utf-8")
    return path


def test_dask_output_is_identical_to_local(nlp, corpus_records, cluster, bad_lines, tmp_path):
    options = ExtractOptions(engine="dask", scheduler=cluster.scheduler_address, partition_size=3)
    summary = extract([str(CORPUS), str(bad_lines)], str(tmp_path / "dask.jsonl"), options)
    local = corpus_records + list(annotate(nlp, read_inputs([bad_lines])))
    assert read(tmp_path / "dask.jsonl") == local  # `annotate` adds no run id or time
    assert (summary.n_documents, summary.n_processed) == (len(local), len(local) - 2)
    assert [e["id"] for e in summary.errors] == [f"{bad_lines}:2", "j2"]


def test_dask_with_store_then_local_rerun_processes_nothing(nlp, cluster, bad_lines, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "run_version", lambda model: "one-version")  # code may change meanwhile
    inputs = [str(p) for p in sorted(CORPUS.glob("*.txt"))[:4]] + [str(bad_lines)]
    options = ExtractOptions(engine="dask", scheduler=cluster.scheduler_address, partition_size=2)
    first = extract(inputs, str(tmp_path / "dask.jsonl"), options, store_dir=tmp_path / "store")
    again = extract(inputs, str(tmp_path / "local.jsonl"), ExtractOptions(), store_dir=tmp_path / "store",
                    engine=LocalEngine("unused", nlp=nlp))
    assert (first.n_processed, again.n_processed, again.n_stored) == (5, 0, 5)
    assert (tmp_path / "dask.jsonl").read_text() == (tmp_path / "local.jsonl").read_text()


def test_cli_dask_engine_starts_its_own_local_cluster(tmp_path):
    (tmp_path / "a.txt").write_text("Acme Corp grew 5 percent in 2020.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Beta Ltd hired 40 engineers.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(tmp_path), "--out", str(out),
                             "--engine", "dask", "--n-process", "1"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    records = read(out)
    assert [r["id"] for r in records] == ["a", "b"] and all(r["spans"] for r in records)
