"""Precision, recall and F1 against the gold set, as docs/annotation-guidelines.md defines them.

- strict: same label and same offsets;
- lenient: same label and overlapping offsets, one gold span to at most one predicted span. The
  pairing is a maximum bipartite matching (Kuhn-Munkres / Hungarian algorithm) that maximizes
  the number of matches, then the number of exact matches, then the total overlap in
  characters; inputs are sorted on (doc_id, start, end, label) so ties resolve the same way
  on every run;
- value accuracy: the share of lenient matches whose whole `value` equals the gold one
  (numbers within a relative 1e-6, strings exactly, `canonical` ignoring case).

Counters follow spaCy's `PRFScore`: a small type with `__add__` and `to_dict()`, so per-label
counts add up to the micro average. Undefined ratios (nothing predicted, nothing in gold) are
None rather than a misleading 0.

The same matching judges each predicted span (right strict, right lenient), so the report also
gives precision per span `source`, the rule that produced it (pipeline/provenance.py): which rule
erred. `source` is never part of a match.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.provenance import JudgedSpan, SourceScores, source_table
from pipeline.schema import LABELS, Document, Span

REL_TOL = 1e-6
CASE_INSENSITIVE_KEYS = frozenset({"canonical"})
CONTEXT_CHARS = 60
ERROR_KINDS: tuple[str, ...] = ("false_positive", "false_negative", "boundary", "wrong_value")
ERROR_COLUMNS = ["doc_id", "kind", "label", "gold_start", "gold_end", "gold_text", "pred_start",
                 "pred_end", "pred_text", "gold_value", "pred_value", "value_diff", "note", "context", "pred_source"]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class PRF:
    """True positive, false positive and false negative counts of one label or of all."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """2PR/(P+R) written as 2tp/(2tp+fp+fn): 0 when a label is predicted but never right."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "p": self.precision, "r": self.recall, "f": self.f1}


@dataclass(frozen=True)
class ValueAccuracy:
    """Of the lenient matches (`total`), how many carry the gold value (`correct`)."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: "ValueAccuracy") -> "ValueAccuracy":
        return ValueAccuracy(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass(frozen=True)
class LabelScores:
    strict: PRF = PRF()
    lenient: PRF = PRF()
    value: ValueAccuracy = ValueAccuracy()

    def __add__(self, other: "LabelScores") -> "LabelScores":
        return LabelScores(self.strict + other.strict, self.lenient + other.lenient,
                           self.value + other.value)

    @property
    def n_gold(self) -> int:
        return self.strict.tp + self.strict.fn

    @property
    def n_pred(self) -> int:
        return self.strict.tp + self.strict.fp

    def to_dict(self) -> dict[str, Any]:
        return {"n_gold": self.n_gold, "n_pred": self.n_pred, "strict": self.strict.to_dict(),
                "lenient": self.lenient.to_dict(), "value": self.value.to_dict()}


@dataclass
class ScoreReport:
    """Scores per label, their micro average, the error rows, the judged predictions (per
    source: `sources`), and which documents were used."""

    labels: dict[str, LabelScores]
    errors: list[dict[str, Any]] = field(default_factory=list)
    n_docs: int = 0
    missing_docs: list[str] = field(default_factory=list)  # in gold, absent from predictions
    ignored_docs: list[str] = field(default_factory=list)  # predicted, not in gold
    withheld_docs: list[str] = field(default_factory=list)  # scored, error rows not kept (sealed)
    judged: list[JudgedSpan] = field(default_factory=list)  # every prediction on a gold document

    @property
    def micro(self) -> LabelScores:
        return sum(self.labels.values(), LabelScores())

    @property
    def sources(self) -> list[SourceScores]:
        """Precision per span source, worst first (pipeline.provenance.source_table)."""
        return source_table(self.judged)

    def to_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "missing_docs": self.missing_docs,
                "ignored_docs": self.ignored_docs,
                "labels": {label: s.to_dict() for label, s in self.labels.items()},
                "micro": self.micro.to_dict(),
                "sources": [s.to_dict() for s in self.sources]}

    def errors_frame(self):
        import pandas as pd

        frame = pd.DataFrame(self.errors, columns=ERROR_COLUMNS)
        for column in ("gold_start", "gold_end", "pred_start", "pred_end"):
            frame[column] = frame[column].astype("Int64")
        return frame


# --- values ---------------------------------------------------------------------------------

def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _field_equal(key: str, gold: Any, pred: Any) -> bool:
    if _is_number(gold) and _is_number(pred):
        return math.isclose(gold, pred, rel_tol=REL_TOL, abs_tol=0.0)
    if isinstance(gold, str) and isinstance(pred, str) and key in CASE_INSENSITIVE_KEYS:
        return gold.casefold() == pred.casefold()
    if type(gold) is not type(pred):
        return False
    return gold == pred


def value_differences(gold: dict | None, pred: dict | None) -> list[str]:
    """The fields where `pred` differs from `gold` (empty when the values are equal)."""
    if gold is None or pred is None:
        return [] if gold is pred else ["no predicted value" if pred is None else "no gold value"]
    return [f"{key}: {gold.get(key, '<missing>')!r} != {pred.get(key, '<missing>')!r}"
            for key in sorted(set(gold) | set(pred))
            if key not in gold or key not in pred or not _field_equal(key, gold[key], pred[key])]


def values_equal(gold: dict | None, pred: dict | None) -> bool:
    return not value_differences(gold, pred)


# --- matching -------------------------------------------------------------------------------

Interval = tuple[int, int]


def overlap(a: Interval, b: Interval) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _hungarian_max(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Rows-to-columns assignment of maximum total weight (rows <= columns), Kuhn-Munkres with
    potentials in O(n^2 m); integer weights keep it exact. Returns (row, column) pairs."""
    n, m = len(weights), len(weights[0])
    big = max(max(row) for row in weights)
    cost = [[big - w for w in row] for row in weights]  # minimize cost == maximize weight
    inf = float("inf")
    u, v = [0] * (n + 1), [0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)  # owner[j]: row assigned to column j (1-based)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while owner[j0]:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < minv[j]:
                        minv[j], way[j] = reduced, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]


def _components(gold: Sequence[Interval], pred: Sequence[Interval]) -> list[tuple[list[int], list[int]]]:
    """Groups of gold and predicted indices whose intervals chain by overlap; no overlap (and
    so no possible match) crosses two groups, which keeps each assignment problem small."""
    items = sorted([(s, e, 0, i) for i, (s, e) in enumerate(gold)]
                   + [(s, e, 1, i) for i, (s, e) in enumerate(pred)])
    groups: list[tuple[list[int], list[int]]] = []
    reach = None
    for start, end, side, index in items:
        if reach is None or start >= reach:
            groups.append(([], []))
            reach = end
        reach = max(reach, end)
        groups[-1][side].append(index)
    return [g for g in groups if g[0] and g[1]]


def match_lenient(gold: Sequence[Interval], pred: Sequence[Interval]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) of overlapping intervals of one label.

    Maximizes the number of pairs, then the number of exact pairs, then the total overlap:
    each pair weighs big * (matches) + mid * (exact) + overlap, with big and mid larger than
    anything the lower criteria can add up to.
    """
    pairs: list[tuple[int, int]] = []
    for gold_ids, pred_ids in _components(gold, pred):
        total_overlap = sum(gold[g][1] - gold[g][0] for g in gold_ids)
        mid = total_overlap + 1
        big = mid * (len(gold_ids) + 1)

        def weight(g: int, p: int) -> int:
            shared = overlap(gold[g], pred[p])
            if not shared:
                return 0
            return big + (mid if gold[g] == pred[p] else 0) + shared

        rows, cols, transpose = gold_ids, pred_ids, False
        if len(rows) > len(cols):
            rows, cols, transpose = cols, rows, True
        matrix = [[weight(c, r) if transpose else weight(r, c) for c in cols] for r in rows]
        for r, c in _hungarian_max(matrix):
            if matrix[r][c] > 0:
                pairs.append((cols[c], rows[r]) if transpose else (rows[r], cols[c]))
    return sorted(pairs)


def strict_matches(gold: Iterable[Interval], pred: Sequence[Interval]) -> set[int]:
    """Indices of the predictions that match a gold interval exactly, one-to-one (of a duplicated
    prediction, the first matches)."""
    left = Counter(gold)
    matched = set()
    for i, interval in enumerate(pred):
        if left[interval] > 0:
            left[interval] -= 1
            matched.add(i)
    return matched


def strict_true_positives(gold: Iterable[Interval], pred: Iterable[Interval]) -> int:
    """Exact matches counted one-to-one (a duplicated prediction matches once)."""
    return len(strict_matches(gold, list(pred)))


# --- scoring --------------------------------------------------------------------------------

def context_parts(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """(before, span, after): `width` characters either side, `…` where the text goes on,
    whitespace runs collapsed to one space (a page shows them so anyway)."""
    def collapse(part: str) -> str:
        return re.sub(r"\s+", " ", part)

    before = ("…" if start > width else "") + collapse(text[max(0, start - width):start]).lstrip()
    after = collapse(text[end:end + width]).rstrip() + ("…" if end + width < len(text) else "")
    return before, collapse(text[start:end]), after


def context(text: str | None, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The span in [brackets] with `width` characters either side, whitespace collapsed."""
    if text is None:
        return ""
    return "{}[{}]{}".format(*context_parts(text, start, end, width))


def _by_label(spans: Iterable[Span]) -> dict[str, list[Span]]:
    groups: dict[str, list[Span]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.label)):
        groups[span.label].append(span)
    return groups


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _row(doc_id: str, kind: str, label: str, text: str | None, gold: Span | None = None,
         pred: Span | None = None, diff: Sequence[str] = (), note: str = "") -> dict[str, Any]:
    lo = min(s.start for s in (gold, pred) if s is not None)
    hi = max(s.end for s in (gold, pred) if s is not None)
    return {"doc_id": doc_id, "kind": kind, "label": label,
            "gold_start": gold.start if gold else None, "gold_end": gold.end if gold else None,
            "gold_text": gold.text if gold else None,
            "pred_start": pred.start if pred else None, "pred_end": pred.end if pred else None,
            "pred_text": pred.text if pred else None,
            "gold_value": _json(gold.value) if gold else None,
            "pred_value": _json(pred.value) if pred else None,
            "value_diff": "; ".join(diff), "note": note, "context": context(text, lo, hi),
            "pred_source": pred.source if pred else None}


def _other_label_note(span: Span, others: Iterable[Span], side: str) -> str:
    """For a miss or a false alarm, what the other side has there under another label."""
    hits = [o for o in others if o.label != span.label and o.start < span.end and span.start < o.end]
    return "; ".join(f"{side} {o.label} {o.text!r}" for o in hits)


def _gold_there(span: Span, gold: Iterable[Span]) -> str:
    """The gold spans a prediction overlaps, other than its exact match: `ORG 'Acme Corp'`."""
    return "; ".join(f"{g.label} {g.text!r}" for g in gold
                     if g.start < span.end and span.start < g.end and g.key != span.key)


def _judge(doc_id: str, text: str | None, span: Span, strict: bool, lenient: bool,
           gold: Sequence[Span]) -> JudgedSpan:
    return JudgedSpan(doc_id, span.source, span.label, span.start, span.end, span.text, strict, lenient,
                      context(text, span.start, span.end), "" if strict else _gold_there(span, gold))


def score_document(doc_id: str, text: str | None, gold: Sequence[Span], pred: Sequence[Span],
                   labels: Sequence[str] = LABELS) -> tuple[dict[str, LabelScores], list[dict], list[JudgedSpan]]:
    """Scores per label, the error rows and the judged predictions of one document."""
    gold_by, pred_by = _by_label(gold), _by_label(pred)
    scores: dict[str, LabelScores] = {}
    rows: list[dict] = []
    judged: list[JudgedSpan] = []
    for label in labels:
        g, p = gold_by.get(label, []), pred_by.get(label, [])
        g_iv, p_iv = [(s.start, s.end) for s in g], [(s.start, s.end) for s in p]
        strict_hits = strict_matches(g_iv, p_iv)
        strict_tp = len(strict_hits)
        pairs = match_lenient(g_iv, p_iv)
        correct = 0
        for gi, pi in pairs:
            diff = value_differences(g[gi].value, p[pi].value)
            correct += not diff
            if g_iv[gi] != p_iv[pi]:
                rows.append(_row(doc_id, "boundary", label, text, g[gi], p[pi]))
            if diff:
                rows.append(_row(doc_id, "wrong_value", label, text, g[gi], p[pi], diff))
        matched_g, matched_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        rows.extend(_row(doc_id, "false_negative", label, text, gold=s,
                         note=_other_label_note(s, pred, "predicted"))
                    for i, s in enumerate(g) if i not in matched_g)
        rows.extend(_row(doc_id, "false_positive", label, text, pred=s,
                         note=_other_label_note(s, gold, "gold has"))
                    for i, s in enumerate(p) if i not in matched_p)
        judged.extend(_judge(doc_id, text, s, i in strict_hits, i in matched_p, gold) for i, s in enumerate(p))
        scores[label] = LabelScores(
            strict=PRF(strict_tp, len(p) - strict_tp, len(g) - strict_tp),
            lenient=PRF(len(pairs), len(p) - len(pairs), len(g) - len(pairs)),
            value=ValueAccuracy(correct, len(pairs)))
    return scores, rows, judged


def _row_order(row: dict) -> tuple:
    start = row["gold_start"] if row["gold_start"] is not None else row["pred_start"]
    end = row["gold_end"] if row["gold_end"] is not None else row["pred_end"]
    return (row["doc_id"], start, end, row["label"], ERROR_KINDS.index(row["kind"]))


def score(gold: Sequence[Document], pred: Sequence[Document],
          labels: Sequence[str] = LABELS, withhold: Iterable[str] = ()) -> ScoreReport:
    """Score predictions against gold. A gold document without predictions counts as all
    false negatives; predictions for documents outside the gold set are ignored (and listed).
    Documents in `withhold` count in the scores, but their error rows are dropped unread, and
    their judged predictions keep only the verdicts (no context, no gold text): a summary-only
    score of held-out test gold."""
    withhold = set(withhold)
    pred_by_id = {d.id: d for d in pred}
    gold_ids = {d.id for d in gold}
    totals = {label: LabelScores() for label in labels}
    errors: list[dict] = []
    judged: list[JudgedSpan] = []
    missing = []
    for doc in sorted(gold, key=lambda d: d.id):
        predicted = pred_by_id.get(doc.id)
        if predicted is None:
            missing.append(doc.id)
        doc_scores, rows, doc_judged = score_document(doc.id, doc.text, doc.spans,
                                                      predicted.spans if predicted else [], labels)
        for label, s in doc_scores.items():
            totals[label] = totals[label] + s
        if doc.id not in withhold:
            errors.extend(rows)
            judged.extend(doc_judged)
        else:
            judged.extend(replace(j, context=None, gold="") for j in doc_judged)
    return ScoreReport(labels=totals, errors=sorted(errors, key=_row_order), n_docs=len(gold),
                       missing_docs=missing,
                       ignored_docs=sorted(i for i in pred_by_id if i not in gold_ids),
                       withheld_docs=sorted(gold_ids & withhold), judged=judged)


# --- presentation ---------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def table_rows(report: ScoreReport) -> list[list[str]]:
    """Label, gold, predicted, strict P/R/F1, lenient P/R/F1, value accuracy (percentages)."""
    rows = []
    for name, s in [*report.labels.items(), ("micro", report.micro)]:
        rows.append([name, str(s.n_gold), str(s.n_pred),
                     _pct(s.strict.precision), _pct(s.strict.recall), _pct(s.strict.f1),
                     _pct(s.lenient.precision), _pct(s.lenient.recall), _pct(s.lenient.f1),
                     _pct(s.value.accuracy)])
    return rows


TABLE_HEADER = ["label", "gold", "pred", "strict P", "strict R", "strict F1",
                "lenient P", "lenient R", "lenient F1", "value acc"]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]], total_row: bool = True) -> None:
    """A terminal table (rich); with `total_row`, the last row (micro average) is set off by a line."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    for i, name in enumerate(header):
        table.add_column(name, justify="left" if i == 0 else "right")
    for i, row in enumerate(rows):
        table.add_row(*row, end_section=total_row and i == len(rows) - 2)
    Console(width=max(120, Console().width)).print(table)


def write_errors(report: ScoreReport, path) -> None:
    """Error rows as CSV, or JSONL when the file name ends in .jsonl."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = report.errors_frame()
    if path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        from pipeline.export import write_csv

        write_csv(frame, path)  # article contexts are text a spreadsheet must not run
