"""Precision per span source on a benchmark of others' annotation (MEANTIME, TempEval-3).

The scorer's own per-source table (pipeline.provenance, as `pipeline score` prints it), over the
labels a benchmark annotates. Every document is scored as held out (`withhold`): the table keeps the
counts and never a false positive with its text, so reading it cannot turn held-out data into
development data (the benchmarks read and report; no rule is written from their sentences).
Values are left out: they do not decide precision, and the benchmarks' value objects are not ours.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.provenance import TABLE_HEADER, SourceScores, table_rows
from pipeline.schema import Document, Span
from pipeline.score import markdown_table, score


def _spans(spans: Sequence[dict], labels: Sequence[str]) -> list[Span]:
    return [Span(start=s["start"], end=s["end"], label=s["label"], text=s["text"], source=s.get("source"))
            for s in spans if s["label"] in labels]


def source_scores(docs: Sequence[dict], predicted: Sequence[Sequence[dict]], labels: Sequence[str]) -> list[SourceScores]:
    """Per-source precision of `predicted[i]` (our mentions) against `docs[i]["spans"]`, worst first."""
    gold = [Document(id=d["id"], text=d["text"], spans=_spans(d["spans"], labels)) for d in docs]
    pred = [Document(id=d["id"], spans=_spans(p, labels)) for d, p in zip(docs, predicted, strict=True)]
    return score(gold, pred, labels, withhold=[d["id"] for d in docs]).sources


def markdown(table: Sequence[SourceScores]) -> str:
    """The table as Markdown: `pipeline score`'s columns, precision in percent."""
    return markdown_table(TABLE_HEADER, table_rows(table))
