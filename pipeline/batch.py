"""Batch extraction: input stream -> check -> engine -> JSONL, optionally through the incremental store.

Every input document goes through the shared input check (pipeline.validate) as it is read.
Without a store, records are written as they come, in input order, to a temporary file beside
`out` that replaces it at the end (pipeline.atomic): a killed run leaves the old output in place.
With a store, only documents whose (id, input hash, pipeline version) is not stored yet go to the
engine; new records are committed every `commit_every` documents, and at the end the JSONL is
rewritten from the store, atomically and in input order. Either way memory stays flat in the
corpus size: inputs are read lazily and the engines keep a bounded number of documents in flight.

Engines: `local` runs the pipeline in `n_process` worker processes, each document under a budget
of time and memory (pipeline/workers.py; `doc_timeout=None` runs `nlp.pipe` here instead, with
no budget); `dask` (pipeline/dask_engine.py) runs the same extraction on a dask.distributed
cluster, without a per-document budget.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Literal, Protocol, TextIO, TypeVar

from tqdm import tqdm

from pipeline.atomic import atomic_file
from pipeline.config import Settings
from pipeline.read import read_inputs
from pipeline.records import error_record, extraction_provenance, new_run, with_provenance
from pipeline.schema import Article, ReadError
from pipeline.store import DocKey, OutputStore, RunEntry, doc_key, pipeline_meta, run_version, store_error
from pipeline.validate import InputCheck
from pipeline.web import PageOptions

if TYPE_CHECKING:  # spaCy loads only when a run needs it: the CLI imports this module
    from spacy.language import Language

T = TypeVar("T")
EngineName = Literal["local", "dask"]


@dataclass(frozen=True)
class ExtractOptions:
    model: str = Settings.model
    batch_size: int = Settings.batch_size
    n_process: int = Settings.n_process  # local: nlp.pipe processes; dask: LocalCluster workers
    max_chars: int = Settings.max_chars
    engine: EngineName = "local"
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    commit_every: int = 256  # documents per store transaction
    partition_size: int = 64  # articles per dask task
    doc_timeout: float | None = Settings.doc_timeout  # local engine: seconds per document; None: no budget
    doc_memory: int | None = Settings.doc_memory  # local engine: MB per worker process; None: no limit
    lenient_meta: bool = False  # a meta.dct that is no ISO date is read as null (a warning), not an error
    page: PageOptions = PageOptions()  # what of a web page is kept besides the story


@dataclass
class RunSummary:
    n_documents: int = 0
    n_processed: int = 0  # went through the engine this run
    n_stored: int = 0  # taken from the store unchanged
    errors: list[dict] = field(default_factory=list)  # {"id", "reason"}
    warnings: list[str] = field(default_factory=list)  # e.g. a lenient meta.dct read as null

    def count(self, record: dict, processed: bool) -> None:
        self.n_documents += 1
        self.n_processed += processed
        self.errors.extend(record.get("errors", []))


class Engine(Protocol):
    def annotate(self, items: Iterable[tuple[Article | None, T]]) -> Iterator[tuple[dict | None, T]]:
        """(record, tag) per (article, tag), in input order; None for items without an article."""


class LocalEngine:
    """The pipeline in `n_process` worker processes, each document under a budget of `doc_timeout`
    seconds and `doc_memory` MB (pipeline/workers.py); with `doc_timeout=None`, `nlp.pipe` here or in
    `n_process` spaCy processes, without a budget. The model loads when the first article comes, so
    a re-run with nothing new to process never loads it; `nlp` gives an already built one."""

    def __init__(self, model: str, batch_size: int = Settings.batch_size, n_process: int = 1,
                 nlp: Language | None = None, doc_timeout: float | None = Settings.doc_timeout,
                 doc_memory: int | None = Settings.doc_memory):
        self.model, self.batch_size, self.n_process = model, batch_size, n_process
        self.doc_timeout, self.doc_memory = doc_timeout, doc_memory
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from pipeline.nlp import build_pipeline

            self._nlp = build_pipeline(self.model)
        return self._nlp

    def annotate(self, items: Iterable[tuple[Article | None, T]]) -> Iterator[tuple[dict | None, T]]:
        from pipeline.annotate import annotate_tagged

        stream = iter(items)
        for article, tag in stream:
            if article is None:
                yield None, tag
                continue
            rest = chain([(article, tag)], stream)
            if self.doc_timeout is None:
                yield from annotate_tagged(self.nlp, rest, self.batch_size, self.n_process)
                return
            from pipeline.workers import WorkerPool

            with WorkerPool(self.nlp, self.n_process, self.batch_size, self.doc_timeout, self.doc_memory) as pool:
                yield from pool.annotate(rest)
            return


@contextmanager
def open_engine(options: ExtractOptions) -> Iterator[Engine]:
    if options.engine == "dask":
        from pipeline.dask_engine import DaskEngine

        with DaskEngine(options.model, options.scheduler, options.n_process, options.batch_size,
                        options.partition_size) as engine:
            yield engine
    else:
        yield LocalEngine(options.model, options.batch_size, options.n_process,
                          doc_timeout=options.doc_timeout, doc_memory=options.doc_memory)


def count_documents(inputs: Iterable[str | Path]) -> int:
    """How many documents the inputs hold, cheaply (files counted, JSONL lines counted), for ETA."""
    total = 0
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            total += sum(1 for _ in path.glob("*.txt"))
        elif path.suffix == ".jsonl" and path.is_file():
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total


def progress_bar(inputs: list[str], enabled: bool) -> tqdm:
    """docs/s and ETA on a terminal; nothing at all when disabled (CI, pipes, logs)."""
    total = count_documents(inputs) if enabled else None
    return tqdm(total=total, unit="doc", disable=not enabled, smoothing=0.05, dynamic_ncols=True)


@contextmanager
def open_output(out: str) -> Iterator[TextIO]:
    """stdout, or a temporary file that replaces `out` when the run ends well (pipeline.atomic)."""
    if out == "-":
        yield sys.stdout
        return
    with atomic_file(out) as handle:
        yield handle


def extract(inputs: list[str], out: str, options: ExtractOptions, store_dir: str | Path | None = None,
            progress: bool = False, engine: Engine | None = None) -> RunSummary:
    """Extract every input document to the JSONL `out` ("-" for stdout); see the module doc.

    `engine` replaces the one `options` describe (tests pass a local engine on a loaded pipeline).
    """
    # what `annotate` adds to records, read from meta.json: a missing model fails here, before any output
    provenance = {**extraction_provenance(SimpleNamespace(meta=pipeline_meta(options.model))), **new_run()}
    check = InputCheck(lenient_meta=options.lenient_meta)
    with (nullcontext(engine) if engine else open_engine(options)) as run_engine, \
            progress_bar(inputs, progress) as bar:
        if store_dir is None:
            summary = _extract_streaming(inputs, out, options, check, run_engine, provenance, bar)
        else:
            summary = _extract_incremental(inputs, out, options, check, Path(store_dir), run_engine, provenance, bar)
    summary.warnings = check.warnings
    return summary


def _extract_streaming(inputs: list[str], out: str, options: ExtractOptions, check: InputCheck, engine: Engine,
                       provenance: dict, bar: tqdm) -> RunSummary:
    summary = RunSummary()
    results = read_inputs(inputs, options.max_chars, check, options.page)
    tagged = ((r if isinstance(r, Article) else None, r) for r in results)
    with open_output(out) as handle:
        for record, result in engine.annotate(tagged):
            record = with_provenance(record, provenance) if record is not None else error_record(result)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            summary.count(record, processed=isinstance(result, Article))
            bar.update()
    return summary


def _store_tasks(inputs: list[str], options: ExtractOptions, check: InputCheck,
                 store: OutputStore) -> Iterator[tuple[Article | None, RunEntry]]:
    """Each input's run entry, with its article only where the store lacks its record."""
    for seq, result in enumerate(read_inputs(inputs, options.max_chars, check, options.page)):
        if isinstance(result, ReadError):
            yield None, RunEntry(seq, None, error_record(result))
            continue
        key = doc_key(result)
        yield (None if store.has(key) else result), RunEntry(seq, key)


def _extract_incremental(inputs: list[str], out: str, options: ExtractOptions, check: InputCheck,
                         store_dir: Path, engine: Engine, provenance: dict, bar: tqdm) -> RunSummary:
    version = run_version(options.model)
    with OutputStore(store_dir, version) as store:
        try:
            return _run_with_store(inputs, out, options, check, store, engine, provenance, bar)
        except sqlite3.Error as err:  # the store failed under the run: nothing was written to `out`
            raise store_error(store.path, err) from err


def _run_with_store(inputs: list[str], out: str, options: ExtractOptions, check: InputCheck,
                    store: OutputStore, engine: Engine, provenance: dict, bar: tqdm) -> RunSummary:
    summary = RunSummary()
    entries: list[RunEntry] = []
    records: list[tuple[DocKey, dict]] = []
    for record, entry in engine.annotate(_store_tasks(inputs, options, check, store)):
        if record is None:  # a read error, or a record already in the store
            summary.n_stored += entry.error is None
            summary.count(entry.error or {}, processed=False)
            entries.append(entry)
        elif "errors" in record:  # failed in the pipeline: listed, retried next run
            summary.count(record, processed=True)
            entries.append(RunEntry(entry.seq, None, record))
        else:
            summary.count(record, processed=True)
            entries.append(entry)
            records.append((entry.key, with_provenance(record, provenance)))
        bar.update()
        if len(records) >= options.commit_every or len(entries) >= 64 * options.commit_every:
            store.commit(entries, records)
            entries, records = [], []
    store.commit(entries, records)
    store.prune_replaced()
    store.export(sys.stdout if out == "-" else out)
    store.write_errors()
    return summary
