"""The worker pool's per-document budget, on a blank pipeline with components that misbehave on cue:
HANG loops forever in pure Python, HOG grows without bound, DIE kills its process."""

import os
import time

import psutil
import pytest
import spacy
from spacy.language import Language

from pipeline.annotate import annotate_tagged
from pipeline.extensions import register_extensions
from pipeline.schema import Article
from pipeline.workers import WorkerPool, death_reason, memory_reason, timeout_reason


@Language.component("misbehaves_on_cue")
def misbehaves_on_cue(doc):
    if "HANG" in doc.text:
        while True:  # a rule loop that never ends: no thread could interrupt it
            pass
    if "HOG" in doc.text:
        hoard = []
        while True:
            hoard.append(bytearray(16 * 2**20))
            time.sleep(0.01)
    if "DIE" in doc.text:
        os._exit(3)
    return doc


@pytest.fixture(scope="module")
def blank_nlp():
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("misbehaves_on_cue")
    return nlp


def articles(n, bad=None):
    bad = bad or {}
    return [Article(f"d{i}", f"{bad.get(i, '')} Document number {i} of the batch.".strip()) for i in range(n)]


def run_pool(nlp, items, **options):
    with WorkerPool(nlp, **options) as pool:
        records = [record for record, _ in pool.annotate((a, a.id) for a in items)]
        return records, pool.replaced


def reasons(records):
    return {r["id"]: r["errors"][0]["reason"] for r in records if "errors" in r}


@pytest.mark.parametrize("n_workers", [1, 2])
def test_records_are_those_of_the_pipeline_in_input_order(blank_nlp, n_workers):
    items = articles(37)
    records, replaced = run_pool(blank_nlp, items, n_workers=n_workers, batch_size=4, timeout=30)
    expected = [record for record, _ in annotate_tagged(blank_nlp, ((a, None) for a in items), 4)]
    assert records == expected and [r["id"] for r in records] == [a.id for a in items]
    assert replaced == 0


@pytest.mark.parametrize("n_workers", [1, 2])
def test_a_hanging_document_times_out_and_the_batch_goes_on(blank_nlp, n_workers):
    # d0 leads its minibatch (no record of its task yet: each document is retried alone), d6 is
    # third in its minibatch (two records came first: d6 is charged at once)
    items = articles(12, bad={0: "HANG", 6: "HANG"})
    records, replaced = run_pool(blank_nlp, items, n_workers=n_workers, batch_size=4, timeout=1)
    assert [r["id"] for r in records] == [a.id for a in items]
    assert reasons(records) == {"d0": timeout_reason(1), "d6": timeout_reason(1)}
    assert reasons(records)["d0"] == "timed out after 1 s"
    assert replaced == 3  # d0 twice (with its minibatch, then alone), d6 once


def test_the_watchdog_runs_while_a_big_task_waits_for_a_stuck_worker(blank_nlp):
    """The task after a stuck one is bigger than a pipe holds: sending it to the busy worker would
    block this process, and with it the watchdog, for as long as the document hangs (forever)."""
    import threading

    items = [Article("stuck", "HANG"), *(Article(f"big{i}", "word " * 60_000) for i in range(3))]
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(records=run_pool(blank_nlp, items, timeout=1)[0]),
                              daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the pool blocked on a busy worker"
    assert reasons(outcome["records"]) == {"stuck": timeout_reason(1)} and len(outcome["records"]) == 4


def test_a_very_long_document_runs_alone_and_costs_one_budget(blank_nlp):
    from pipeline.workers import SOLO_CHARS

    items = articles(8, bad={0: "HANG " + "x " * (SOLO_CHARS // 2)})  # it would lead its minibatch
    records, replaced = run_pool(blank_nlp, items, batch_size=4, timeout=1)
    assert reasons(records) == {"d0": timeout_reason(1)} and [r["id"] for r in records] == [a.id for a in items]
    assert replaced == 1  # charged at its first timeout: it was alone in its task


def test_a_document_past_the_memory_budget_is_an_error(blank_nlp):
    budget_mb = psutil.Process().memory_info().rss // 2**20 + 300  # a fork starts at about our size
    items = articles(6, bad={2: "HOG"})
    records, _ = run_pool(blank_nlp, items, batch_size=1, timeout=120, memory_mb=budget_mb)
    assert reasons(records) == {"d2": memory_reason(budget_mb)}
    assert len(records) == 6


def test_a_worker_that_dies_is_replaced_and_charges_its_document(blank_nlp):
    items = articles(9, bad={4: "DIE"})
    records, replaced = run_pool(blank_nlp, items, n_workers=2, batch_size=3, timeout=30)
    assert reasons(records) == {"d4": death_reason(3)} == {"d4": "the worker process died (exit code 3)"}
    assert [r["id"] for r in records] == [a.id for a in items] and replaced == 1


def test_items_without_an_article_pass_through_in_place(blank_nlp):
    items = [(Article("a", "One."), 1), (None, 2), (None, 3), (Article("b", "Two."), 4), (None, 5)]
    with WorkerPool(blank_nlp, batch_size=2, timeout=30) as pool:
        out = list(pool.annotate(items))
    assert [tag for _, tag in out] == [1, 2, 3, 4, 5]
    assert [r is None for r, _ in out] == [False, True, True, False, True]


def test_workers_end_with_the_pool(blank_nlp):
    pool = WorkerPool(blank_nlp, n_workers=2, batch_size=2, timeout=30)
    list(pool.annotate((a, None) for a in articles(3)))
    assert not psutil.Process().children(recursive=True) or all(
        p.status() == psutil.STATUS_ZOMBIE for p in psutil.Process().children(recursive=True))


def test_a_killed_run_leaves_no_worker_behind(tmp_path):
    """SIGKILL of `extract` (nothing can be cleaned up) takes its workers with it, even one stuck
    on a document that would run for minutes."""
    import json
    import signal
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": "1 " * 50_000}) + "\n" for i in range(4)),
                      encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(source), "--out", str(tmp_path / "o.jsonl"),
                             "--n-process", "2", "--batch-size", "1", "--doc-timeout", "600"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"})
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 300
    while len(parent.children()) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = parent.children()
    assert len(workers) == 2, "the workers did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive
