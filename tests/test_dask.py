"""The Dask engine writes what the local engine writes, on a LocalCluster (threads: light on CI)."""

import json
import subprocess
import sys

import pytest

from conftest import CORPUS
from pipeline import batch
from pipeline.batch import ExtractOptions, LocalEngine, extract

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
def inputs(tmp_path):
    bad = tmp_path / "more.jsonl"
    bad.write_text(json.dumps({"id": "j1", "text": "Gamma Inc sold 3 tonnes on May 4."}) + "\n{broken\n"
                   + json.dumps({"id": "j2", "text": "  "}) + "\n", encoding="utf-8")
    return [str(CORPUS), str(bad)]


def test_dask_output_is_identical_to_local(nlp, cluster, inputs, tmp_path):
    local = extract(inputs, str(tmp_path / "local.jsonl"), ExtractOptions(), engine=LocalEngine("unused", nlp=nlp))
    options = ExtractOptions(engine="dask", scheduler=cluster.scheduler_address, partition_size=3)
    remote = extract(inputs, str(tmp_path / "dask.jsonl"), options)
    assert read(tmp_path / "dask.jsonl") == read(tmp_path / "local.jsonl")
    assert (remote.n_documents, remote.n_processed, remote.errors) == \
        (local.n_documents, local.n_processed, local.errors)
    assert len(remote.errors) == 2


def test_dask_with_store_then_local_rerun_processes_nothing(nlp, cluster, inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "run_version", lambda model: "one-version")  # code may change meanwhile
    options = ExtractOptions(engine="dask", scheduler=cluster.scheduler_address, partition_size=4)
    first = extract(inputs, str(tmp_path / "dask.jsonl"), options, store_dir=tmp_path / "store")
    again = extract(inputs, str(tmp_path / "local.jsonl"), ExtractOptions(), store_dir=tmp_path / "store",
                    engine=LocalEngine("unused", nlp=nlp))
    assert first.n_processed == first.n_documents - 2 and again.n_processed == 0
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
