"""Which rule erred: precision per span `source` (docs/sources.md), worst source first.

Each predicted span on a gold document is judged once by the scorer (pipeline/score.py, the same
matching as its per-label scores): right strict (a gold span with the same offsets and label,
one-to-one) and right lenient (paired with an overlapping gold span of its label). Grouped by
source, that gives each rule's precision, strict and lenient, and its false positives: every span
that is not right strict (`false_positive` when no gold span of its label overlaps it,
`boundary` when one does), each with its context. Recall has no source: a missed span was made by
no rule.

The table is sorted worst first: lowest strict precision, then most strict false positives, then
lowest lenient precision, then the source id. Spans of a sealed document (gold/test, scored
summary-only) count in the figures, but are never listed: their judgment has no context.
Predictions without a source (records of schema 1.0.0) are grouped under NO_SOURCE.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

NO_SOURCE = "(no source)"
FalsePositiveKind = Literal["false_positive", "boundary"]
TABLE_HEADER = ["source", "pred", "right strict", "right lenient", "strict P", "lenient P", "FP strict"]


@dataclass(frozen=True)
class JudgedSpan:
    """One predicted span of a gold document, judged against that document's gold."""

    doc_id: str
    source: str | None
    label: str
    start: int
    end: int
    text: str
    strict: bool  # a gold span has the same offsets and label
    lenient: bool  # paired with an overlapping gold span of its label
    context: str | None = None  # the text around it; None in a sealed document (never listed)
    gold: str = ""  # what the gold has there (`ORG 'Acme Corp'`), for a span not right strict

    @property
    def kind(self) -> FalsePositiveKind | None:
        """Why it is no strict match: no overlapping gold span of its label, or other boundaries."""
        if self.strict:
            return None
        return "boundary" if self.lenient else "false_positive"

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "kind": self.kind, "label": self.label, "start": self.start,
                "end": self.end, "text": self.text, "gold": self.gold, "context": self.context}


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class SourceScores:
    """The predictions of one source on the gold documents: counts, precision, false positives."""

    source: str
    n_pred: int
    strict: int  # right strict
    lenient: int  # right lenient
    false_positives: tuple[JudgedSpan, ...] = ()  # not right strict, outside sealed documents

    @property
    def precision_strict(self) -> float | None:
        return _ratio(self.strict, self.n_pred)

    @property
    def precision_lenient(self) -> float | None:
        return _ratio(self.lenient, self.n_pred)

    @property
    def n_fp(self) -> int:
        """Strict false positives, sealed documents' included (so maybe more than are listed)."""
        return self.n_pred - self.strict

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "n_pred": self.n_pred, "strict": self.strict, "lenient": self.lenient,
                "precision_strict": self.precision_strict, "precision_lenient": self.precision_lenient,
                "n_fp": self.n_fp, "false_positives": [fp.to_dict() for fp in self.false_positives]}


def worst_first(scores: SourceScores) -> tuple:
    """Sort key: lowest strict precision, most strict false positives, lowest lenient precision, id."""
    return (scores.precision_strict, -scores.n_fp, scores.precision_lenient, scores.source)


def source_table(judged: Iterable[JudgedSpan]) -> list[SourceScores]:
    """Per-source counts and false positives of judged predictions, worst source first."""
    groups: dict[str, list[JudgedSpan]] = defaultdict(list)
    for span in judged:
        groups[span.source or NO_SOURCE].append(span)
    table = []
    for source, spans in groups.items():
        listed = sorted((s for s in spans if not s.strict and s.context is not None),
                        key=lambda s: (s.doc_id, s.start, s.end, s.label))
        table.append(SourceScores(source, len(spans), sum(s.strict for s in spans), sum(s.lenient for s in spans),
                                  tuple(listed)))
    return sorted(table, key=worst_first)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def table_rows(table: Sequence[SourceScores]) -> list[list[str]]:
    """The table as text cells (TABLE_HEADER), precision in percent."""
    return [[s.source, str(s.n_pred), str(s.strict), str(s.lenient), _pct(s.precision_strict),
             _pct(s.precision_lenient), str(s.n_fp)] for s in table]
