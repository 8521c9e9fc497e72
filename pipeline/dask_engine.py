"""Dask (dask.distributed) engine: the same extraction on the workers of a cluster.

This process reads the input and sends partitions of articles to the workers; each worker
process loads the pipeline once (a cache keyed by model name) and returns the partition's
records. Results come back in input order with a bounded number of partitions in flight, so
memory stays flat on both sides. Workers need this package and the model installed.
Without a scheduler address a LocalCluster of `n_workers` single-threaded processes is started.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TypeVar

from spacy.language import Language

from pipeline.annotate import annotate_tagged, failure_record
from pipeline.config import Settings
from pipeline.nlp import build_pipeline
from pipeline.schema import Article

T = TypeVar("T")


class WorkerPipelines:
    """The pipelines of one worker process, built once per model name.

    A lock serializes their use: threads of a multi-threaded worker share one pipeline.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._by_model: dict[str, Language] = {}

    def annotate(self, model: str, articles: list[Article], batch_size: int) -> list[dict]:
        with self.lock:
            if model not in self._by_model:
                self._by_model[model] = build_pipeline(model)
            nlp = self._by_model[model]
            return [record for record, _ in annotate_tagged(nlp, ((a, None) for a in articles), batch_size)]


WORKER_PIPELINES = WorkerPipelines()  # one per worker process: the point is to outlive tasks


def annotate_partition(model: str, articles: list[Article], batch_size: int) -> list[dict]:
    """The task run on a worker: records of `articles`, in order."""
    return WORKER_PIPELINES.annotate(model, articles, batch_size)


class DaskEngine:
    """`with DaskEngine(...) as engine:` connects (or starts a LocalCluster) and closes after."""

    def __init__(self, model: str, scheduler: str | None = None, n_workers: int = 1,
                 batch_size: int = Settings.batch_size, partition_size: int = 64):
        self.model, self.scheduler, self.n_workers = model, scheduler, n_workers
        self.batch_size, self.partition_size = batch_size, partition_size
        self._cluster = self._client = None

    def __enter__(self) -> "DaskEngine":
        from dask.distributed import Client, LocalCluster

        if self.scheduler is None:
            self._cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                         dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            self._client = Client(self.scheduler)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    @property
    def window(self) -> int:
        """Partitions in flight: two per worker thread keeps every worker busy."""
        threads = sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values())
        return 2 * max(threads, 1)

    def _submit(self, segment: list[tuple[Article | None, T]]):
        articles = [a for a, _ in segment if a is not None]
        if not articles:
            return None
        return self._client.submit(annotate_partition, self.model, articles, self.batch_size, pure=False)

    def _collect(self, segment: list[tuple[Article | None, T]], future) -> Iterator[tuple[dict | None, T]]:
        articles = [a for a, _ in segment if a is not None]
        try:
            records = iter(future.result() if future is not None else [])
        except Exception as err:  # noqa: BLE001 - the partition failed as a whole: each article reports it
            records = iter([failure_record(a, err) for a in articles])
        for article, tag in segment:
            yield (next(records) if article is not None else None), tag

    def annotate(self, items: Iterable[tuple[Article | None, T]]) -> Iterator[tuple[dict | None, T]]:
        window = self.window
        in_flight: deque = deque()
        segment: list[tuple[Article | None, T]] = []
        n_articles = 0
        for article, tag in items:
            segment.append((article, tag))
            n_articles += article is not None
            # a partition is full, or holds too many pass-through items to keep in memory
            if n_articles >= self.partition_size or len(segment) >= 64 * self.partition_size:
                in_flight.append((segment, self._submit(segment)))
                segment, n_articles = [], 0
                while len(in_flight) > window:
                    yield from self._collect(*in_flight.popleft())
        if segment:
            in_flight.append((segment, self._submit(segment)))
        while in_flight:
            yield from self._collect(*in_flight.popleft())
