"""Run the spaCy pipeline over a stream of articles, keeping input order.

The whole stream goes through one `nlp.pipe` call, so `n_process` workers start once and memory
stays flat in the corpus size (spaCy reads the input lazily, a few batches ahead). Items without an
article (read errors, documents already in the store) pass through in their place. A document
that fails inside spaCy is skipped by the pipe (error handler) and then rerun alone in this
process to get the reason, so it becomes an error record instead of losing its whole batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import count
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ignore_error

from pipeline.config import Settings
from pipeline.records import document_record, error_record, extraction_provenance, with_provenance
from pipeline.schema import Article, ReadError, ReadResult

T = TypeVar("T")


def _make_doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.dct = article.dct
    return doc


def annotate_one(nlp: Language, article: Article) -> dict:
    """One article through every component, exceptions raised: the slow path that names failures."""
    doc = _make_doc(nlp, article)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return document_record(article, doc)


def failure_record(article: Article, err: Exception) -> dict:
    reason = f"processing failed: {type(err).__name__}: {err}"
    return error_record(ReadError(article.id, article.meta.get("file", article.id), reason))


def _settle(nlp: Language, article: Article | None) -> dict | None:
    """The record of an article the pipe dropped (retried alone), None for a pass-through item."""
    if article is None:
        return None
    try:
        return annotate_one(nlp, article)
    except Exception as err:  # noqa: BLE001 - reported as that document's error
        return failure_record(article, err)


@contextmanager
def _failed_docs_skipped(nlp: Language) -> Iterator[None]:
    """Plain components (ours) and worker processes skip a failing doc instead of raising.

    Only the default handler is swapped: spaCy's parser-based pipes cannot take one, and an
    exception they raise ends the pipe, which `annotate_tagged` then restarts.
    """
    previous = nlp.default_error_handler
    nlp.default_error_handler = ignore_error
    try:
        yield
    finally:
        nlp.default_error_handler = previous


def annotate_tagged(nlp: Language, items: Iterable[tuple[Article | None, T]], batch_size: int = Settings.batch_size,
                    n_process: int = 1) -> Iterator[tuple[dict | None, T]]:
    """(record, tag) for each (article, tag) in input order; items without an article give None."""
    stream = iter(items)
    waiting: deque[tuple[int, Article | None, T]] = deque()
    seqs = count()
    input_failed: list[Exception] = []

    def docs() -> Iterator[tuple[Doc, int]]:
        try:
            for article, tag in stream:
                seq = next(seqs)
                waiting.append((seq, article, tag))
                if article is not None:
                    yield _make_doc(nlp, article), seq
        except Exception as err:  # noqa: BLE001 - not the pipe's fault: re-raised below
            input_failed.append(err)
            raise

    finished = False
    while not finished:
        with _failed_docs_skipped(nlp):
            try:
                for doc, seq in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size, n_process=n_process):
                    while waiting[0][0] != seq:
                        _, article, tag = waiting.popleft()
                        yield _settle(nlp, article), tag
                    _, article, tag = waiting.popleft()
                    try:
                        record = document_record(article, doc)
                    except Exception as err:  # noqa: BLE001 - reported as that document's error
                        record = failure_record(article, err)
                    yield record, tag
                finished = True
            except Exception:
                if input_failed or not waiting:  # a broken input, or a pipe that cannot start
                    raise
        # a pipe that raised leaves its docs here: each is retried alone, then the pipe restarts
        while waiting:
            _, article, tag = waiting.popleft()
            yield _settle(nlp, article), tag


def annotate(nlp: Language, results: Iterable[ReadResult], batch_size: int = Settings.batch_size,
             n_process: int = 1, run: dict | None = None) -> Iterator[dict]:
    """One record per read result, in order; read errors become error records.

    Each document's meta gets the pipeline and model versions, plus `run` (run id and start
    time, `records.new_run()`) when given.
    """
    provenance = {**extraction_provenance(nlp), **(run or {})}
    tagged = ((r if isinstance(r, Article) else None, r) for r in results)
    for record, result in annotate_tagged(nlp, tagged, batch_size, n_process):
        yield with_provenance(record, provenance) if record is not None else error_record(result)
