"""Turn processed docs and read errors into output records (one JSON object per document)."""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.read import content_hash
from pipeline.schema import Article, ReadError


def document_record(article: Article, doc: Doc) -> dict:
    meta = {**article.meta, "sha256": content_hash(article.text), "n_chars": len(article.text)}
    return {"id": article.id, "meta": meta, "spans": list(doc._.mentions or [])}


def error_record(error: ReadError) -> dict:
    return {"id": error.id, "meta": {"source": error.source}, "spans": [],
            "errors": [{"id": error.id, "reason": error.reason}]}
