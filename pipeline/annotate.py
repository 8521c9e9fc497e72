"""Run the spaCy pipeline over a stream of read results, keeping input order.

Articles go through `nlp.pipe` in chunks; read errors pass through as error records. If a chunk
fails inside spaCy, its articles are retried one by one so one pathological document becomes an
error record instead of losing the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.records import document_record, error_record
from pipeline.schema import Article, ReadError, ReadResult

CHUNK_SIZE = 256


def _make_doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.dct = article.dct
    return doc


def _annotate_chunk(nlp: Language, chunk: list[ReadResult], batch_size: int, n_process: int) -> list[dict]:
    articles = [r for r in chunk if isinstance(r, Article)]
    try:
        docs = list(nlp.pipe((_make_doc(nlp, a) for a in articles),
                             batch_size=batch_size, n_process=n_process))
        by_id = {id(a): document_record(a, d) for a, d in zip(articles, docs)}
    except Exception:  # noqa: BLE001 - isolate the failing document below
        by_id = {}
        for article in articles:
            try:
                by_id[id(article)] = document_record(article, nlp(_make_doc(nlp, article)))
            except Exception as err:  # noqa: BLE001 - reported as that document's error
                reason = f"processing failed: {type(err).__name__}: {err}"
                by_id[id(article)] = error_record(ReadError(article.id, article.meta.get("file", article.id), reason))
    return [error_record(r) if isinstance(r, ReadError) else by_id[id(r)] for r in chunk]


def annotate(nlp: Language, results: Iterable[ReadResult], batch_size: int = 64,
             n_process: int = 1) -> Iterator[dict]:
    stream = iter(results)
    while chunk := list(islice(stream, CHUNK_SIZE)):
        yield from _annotate_chunk(nlp, chunk, batch_size, n_process)
