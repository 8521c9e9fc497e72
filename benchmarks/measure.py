"""One measurement per process: `python -m benchmarks.measure KIND TEXT.jsonl [options]` prints JSON.

Each measurement runs in a fresh interpreter so its peak memory, caches and loaded models are its
own. Peak RSS is the kernel's high-water mark (`VmHWM` in /proc/PID/status) of this process and of
every descendant (spaCy's worker processes, Dask's nannies and workers), polled every 50 ms.
Words are whitespace-separated tokens of the article text.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import psutil

from pipeline.config import Settings
from pipeline.schema import Article

WARMUP_DOCS = 5


def load_articles(path: str) -> list[Article]:
    with open(path, encoding="utf-8") as handle:
        return [Article(d["id"], d["text"], d.get("meta") or {}) for d in map(json.loads, handle)]


def count_words(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """Peak RSS (MiB) of this process and of each descendant, sampled in a background thread."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        for proc in [me, *me.children(recursive=True)]:
            kb = _hwm_kb(proc.pid)
            name = "main" if proc.pid == me.pid else "worker"
            if kb > self.peaks.get(proc.pid, ("", 0))[1]:
                self.peaks[proc.pid] = (name, kb)

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        main = max((kb for name, kb in self.peaks.values() if name == "main"), default=0)
        workers = [kb for name, kb in self.peaks.values() if name == "worker"]
        return {"main_rss_mb": round(main / 1024, 1),
                "worker_rss_mb": round(max(workers) / 1024, 1) if workers else None,
                "n_worker_processes": len(workers)}


def timed(func: Callable[[], object]) -> dict:
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return {"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}


# --- throughput once loaded ----------------------------------------------------------------------

def throughput(kind: str, articles: list[Article], model: str, batch_size: int, workers: int = 1) -> dict:
    """Words/s once loaded: our pipeline (in `workers` processes), the bare model, or the naive
    combination (one process). CPU time is this process's only."""
    texts = [a.text for a in articles]
    start = time.perf_counter()
    if kind == "ours":
        from pipeline.annotate import annotate
        from pipeline.nlp import build_pipeline

        nlp = build_pipeline(model)

        def run(items: list[Article], n_process: int = 1) -> None:
            for _ in annotate(nlp, items, batch_size=batch_size, n_process=n_process):
                pass
        warm, body = articles[:WARMUP_DOCS], articles
    else:
        import spacy

        nlp = spacy.load(model)  # every component the package enables
        if kind == "naive":
            from dateparser.search import search_dates
            from quantulum3 import parser as quantulum

        def run(items: list[str], n_process: int = 1) -> None:
            for doc in nlp.pipe(items, batch_size=batch_size, n_process=n_process):
                if kind == "naive":
                    quantulum.parse(doc.text)
                    search_dates(doc.text, languages=["en"])
        warm, body = texts[:WARMUP_DOCS], texts
    load_s = time.perf_counter() - start
    run(warm)
    with PeakMemory() as memory:
        times = timed(lambda: run(body, workers))
    words = count_words(articles)
    return {"kind": kind, "workers": workers, "batch_size": batch_size, "pipes": list(nlp.pipe_names),
            "words": words, "docs": len(articles), "load_s": load_s,
            **times, "words_per_s": words / times["wall_s"], "words_per_cpu_s": words / times["cpu_s"],
            **memory.summary()}


# --- profile ---------------------------------------------------------------------------------------

class _TimedParser:
    """Stands in for the rule components' `SentenceParser` and counts its CPU time per component."""

    def __init__(self, parser, owner: str, cpu_s: dict[str, float]):
        self.parser, self.owner, self.cpu_s = parser, owner, cpu_s

    @classmethod
    def install(cls, nlp) -> "SimpleNamespace":
        cpu_s: dict[str, float] = {}
        for name, component in nlp.pipeline:
            if getattr(component, "parser", None) is not None:
                component.parser = cls(component.parser, name, cpu_s)
        return SimpleNamespace(cpu_s=cpu_s)

    def _timed(self, method: str, *args):
        tick = time.process_time()
        try:
            return getattr(self.parser, method)(*args)
        finally:
            self.cpu_s[self.owner] = self.cpu_s.get(self.owner, 0.0) + time.process_time() - tick

    def __getattr__(self, name: str):
        return getattr(self.parser, name)  # what it reads of the parser: the tagger's reach

    def parse(self, docs, with_parser):
        return self._timed("parse", docs, with_parser)

    def lemma(self, token):
        return self._timed("lemma", token)


def profile(articles: list[Article], model: str, batch_size: int, top: int = 15) -> dict:
    """CPU seconds per pipeline component (tokenizer included), then cProfile's costliest functions."""
    from spacy.util import minibatch

    from pipeline.annotate import annotate
    from pipeline.nlp import build_pipeline
    from pipeline.records import document_record

    nlp = build_pipeline(model)
    list(annotate(nlp, articles[:WARMUP_DOCS]))
    syntax = _TimedParser.install(nlp)
    cost: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}, "records": 0.0}
    for batch in minibatch(articles, batch_size):
        tick = time.process_time()
        docs = [nlp.make_doc(a.text) for a in batch]
        for doc, article in zip(docs, batch):
            doc._.dct = article.dct
        cost["tokenizer"] += time.process_time() - tick
        for name, component in nlp.pipeline:
            tick = time.process_time()
            docs = list(component.pipe(docs, batch_size=batch_size) if hasattr(component, "pipe")
                        else (component(d) for d in docs))
            cost[name] += time.process_time() - tick
        tick = time.process_time()
        for doc, article in zip(docs, batch):
            document_record(article, doc)
        cost["records"] += time.process_time() - tick
    for name, seconds in syntax.cpu_s.items():  # inside news_amounts and news_dates: shown apart
        cost[f"syntax on request, for {name}"] = seconds
        cost[name] -= seconds
    profiler = cProfile.Profile()
    profiler.enable()
    list(annotate(nlp, articles, batch_size=batch_size))
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    rows = []
    for (file, line, func), (_, ncalls, tottime, cumtime, _) in sorted(
            stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]:
        where = file.split("site-packages/")[-1].split("/work/main/")[-1]
        rows.append({"function": f"{where}:{line}({func})", "ncalls": ncalls, "tottime_s": tottime,
                     "cumtime_s": cumtime})
    return {"words": count_words(articles), "docs": len(articles), "component_cpu_s": cost, "top_functions": rows}


# --- which model components the output needs ------------------------------------------------------

VARIANTS: dict[str, dict] = {
    "as built: syntax on request": {},
    "whole model on every token": {"model_components": None, "syntax_on_request": False},
    "no syntax (ner only)": {"model_components": ["ner"]},
}


def variants(articles: list[Article], model: str, batch_size: int) -> dict:
    """Our pipeline built three ways: CPU time, and how many documents' spans change."""
    from pipeline.annotate import annotate
    from pipeline.nlp import build_pipeline
    from pipeline.syntax import SYNTAX_COMPONENTS

    rows, reference = [], None
    for name, options in VARIANTS.items():
        nlp = build_pipeline(model, **options)
        list(annotate(nlp, articles[:WARMUP_DOCS]))
        spans = None

        def run() -> None:
            nonlocal spans
            spans = [r["spans"] for r in annotate(nlp, articles, batch_size=batch_size)]
        times = timed(run)
        reference = reference or spans
        changed = sum(a != b for a, b in zip(reference, spans))
        rows.append({"variant": name, "pipes": [p for p in nlp.pipe_names if not p.startswith("news_")],
                     "on_request": [p for p in nlp.disabled if p in SYNTAX_COMPONENTS], **times, "docs_changed": changed})
    return {"words": count_words(articles), "docs": len(articles), "variants": rows}


# --- whole runs through pipeline.batch.extract -----------------------------------------------------

def extract_run(text: str, engine: str, workers: int, model: str, batch_size: int, partition_size: int) -> dict:
    """End-to-end `extract` (reading, model loading, processing, writing), one engine and size."""
    from pipeline.batch import ExtractOptions, extract

    out_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    options = ExtractOptions(model=model, batch_size=batch_size, n_process=workers, engine=engine,
                             partition_size=partition_size)
    result: dict = {"engine": engine, "workers": workers, "batch_size": batch_size}
    with PeakMemory() as memory:
        cluster = None
        if engine == "dask":
            from dask.distributed import LocalCluster

            start = time.perf_counter()
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            result["cluster_start_s"] = time.perf_counter() - start
            options = replace(options, scheduler=cluster.scheduler_address)
        try:
            times = timed(lambda: extract([text], str(out_dir / "out.jsonl"), options))
        finally:
            if cluster is not None:
                cluster.close()
    words = count_words(load_articles(text))
    shutil.rmtree(out_dir)
    return {**result, "words": words, **times, "words_per_s": words / times["wall_s"], **memory.summary()}


def incremental(text: str, model: str, batch_size: int, tries: int = 3) -> dict:
    """A cold run into an empty store, then the same input again: nothing new to process.

    Retried when the pipeline version changed between the two runs (the code was being edited).
    """
    from pipeline.batch import ExtractOptions, extract
    from pipeline.store import run_version

    options = ExtractOptions(model=model, batch_size=batch_size)
    for _ in range(tries):
        work = Path(tempfile.mkdtemp(prefix="bench-"))
        version = run_version(model)
        runs = {}
        for name in ("cold", "warm"):
            summary = None

            def run() -> None:
                nonlocal summary
                summary = extract([text], str(work / f"{name}.jsonl"), options, store_dir=work / "store")
            runs[name] = {**timed(run), "processed": summary.n_processed, "from_store": summary.n_stored}
        same = (work / "cold.jsonl").read_bytes() == (work / "warm.jsonl").read_bytes()
        shutil.rmtree(work)
        if run_version(model) == version:
            break
    return {"words": count_words(load_articles(text)), **runs, "same_output": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["ours", "bare", "naive", "profile", "variants", "extract", "incremental"])
    parser.add_argument("text", help="JSONL of {id, text, meta}")
    parser.add_argument("--model", default=Settings.model)
    parser.add_argument("--batch-size", type=int, default=Settings.batch_size)
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--partition-size", type=int, default=64)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("CI", "1")  # no progress bar in the timings
    if args.kind in ("ours", "bare", "naive"):
        result = throughput(args.kind, load_articles(args.text), args.model, args.batch_size, args.workers)
    elif args.kind == "profile":
        result = profile(load_articles(args.text), args.model, args.batch_size)
    elif args.kind == "variants":
        result = variants(load_articles(args.text), args.model, args.batch_size)
    elif args.kind == "extract":
        result = extract_run(args.text, args.engine, args.workers, args.model, args.batch_size, args.partition_size)
    else:
        result = incremental(args.text, args.model, args.batch_size)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
