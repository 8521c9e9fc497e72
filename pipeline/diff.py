"""What changed between two runs over the same documents: spans added, removed and changed.

`diff_runs` is pure: two runs' spans in, small frozen objects out. Spans of one document are
paired in four passes, each over what the earlier ones left:

1. identical spans (offsets, label, value) are unchanged and dropped;
2. the same offsets: a label change, or (same label) a value change;
3. the same label, overlapping offsets: a boundary change (and a value change when the values
   differ), paired one-to-one as the scorer pairs lenient matches (`score.match_lenient`);
4. overlapping offsets under another label: a label and boundary change;

whatever is left is added (only in the new run) or removed (only in the old one). Given gold,
each change gets a verdict from the grade of its old and new span against the gold spans of
its document (`grade`): a change that raises the grade is a fix, one that lowers it a
regression, one that keeps it neutral. An added span is a fix when gold has a span at exactly
its offsets and label, a regression otherwise (a false alarm, or a partial one: strict scoring
counts both as errors); a removed span the other way round.

`render_diff_text` and `render_diff_html` show a diff; they take the documents' texts for the
context around each span.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pipeline.records import RunSpan
from pipeline.schema import LABELS
from pipeline.score import context, context_parts, match_lenient, value_differences

ChangeKind = Literal["added", "removed", "changed"]
Aspect = Literal["label", "boundary", "value"]
Verdict = Literal["fix", "regression", "neutral"]
KINDS: tuple[ChangeKind, ...] = ("added", "removed", "changed")
VERDICTS: tuple[Verdict, ...] = ("fix", "regression", "neutral")
MARK = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True)
class SpanChange:
    """One span added, removed or changed; `verdict` is None when its document has no gold."""

    kind: ChangeKind
    old: RunSpan | None = None
    new: RunSpan | None = None
    aspects: tuple[Aspect, ...] = ()
    value_diff: tuple[str, ...] = ()
    verdict: Verdict | None = None

    @property
    def span(self) -> RunSpan:
        """The span the change is listed under: the new one, or the removed one."""
        return self.new or self.old  # type: ignore[return-value]

    @property
    def doc_id(self) -> str:
        return self.span.doc_id

    @property
    def label(self) -> str:
        return self.span.label

    @property
    def source(self) -> str:
        """The rule behind the change: the new span's source, or the removed span's."""
        return self.span.shown_source

    @property
    def order(self) -> tuple:
        """Document, then position in it."""
        return (self.doc_id, self.span.start, self.span.end, KINDS.index(self.kind))


@dataclass(frozen=True)
class LabelNet:
    """Of one label's changes judged against gold: fixes, regressions, neutral ones."""

    fixes: int = 0
    regressions: int = 0
    neutral: int = 0

    def __add__(self, other: "LabelNet") -> "LabelNet":
        return LabelNet(self.fixes + other.fixes, self.regressions + other.regressions, self.neutral + other.neutral)

    @property
    def net(self) -> int:
        return self.fixes - self.regressions


@dataclass(frozen=True)
class RunDiff:
    changes: tuple[SpanChange, ...]
    n_docs: int  # documents in both runs, compared
    only_old: tuple[str, ...] = ()  # documents of one run only: not compared
    only_new: tuple[str, ...] = ()
    judged: bool = False  # verdicts were given (gold was supplied)
    n_gold_docs: int = 0  # compared documents that have gold
    strict_f1: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)  # label -> old, new

    def count(self, kind: ChangeKind) -> int:
        return sum(c.kind == kind for c in self.changes)

    @property
    def groups(self) -> list[tuple[tuple[str, str], list[SpanChange]]]:
        """Changes grouped by (label, source), labels in the guidelines' order."""
        groups: dict[tuple[str, str], list[SpanChange]] = {}
        for change in sorted(self.changes, key=lambda c: (LABELS.index(c.label), c.source, c.order)):
            groups.setdefault((change.label, change.source), []).append(change)
        return list(groups.items())

    def net_by_label(self) -> dict[str, LabelNet]:
        counts = Counter((c.label, c.verdict) for c in self.changes if c.verdict)
        return {label: LabelNet(counts[label, "fix"], counts[label, "regression"], counts[label, "neutral"])
                for label in LABELS}


# --- pairing ------------------------------------------------------------------------------------

def _overlap(a: RunSpan, b: RunSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _pair(old: list[RunSpan], new: list[RunSpan], same) -> list[tuple[RunSpan, RunSpan]]:
    """One-to-one pairs, in order, of old and new spans for which `same(a, b)` holds; the
    paired spans are taken out of both lists."""
    pairs = []
    for a in list(old):
        b = next((b for b in new if same(a, b)), None)
        if b is not None:
            pairs.append((a, b))
            old.remove(a)
            new.remove(b)
    return pairs


def _lenient_pairs(old: list[RunSpan], new: list[RunSpan]) -> list[tuple[RunSpan, RunSpan]]:
    """Overlapping pairs, one-to-one, as the scorer pairs lenient matches."""
    found = [(old[i], new[j]) for i, j in match_lenient([(s.start, s.end) for s in old],
                                                        [(s.start, s.end) for s in new])]
    for a, b in found:
        old.remove(a)
        new.remove(b)
    return found


def document_changes(old: Sequence[RunSpan], new: Sequence[RunSpan]) -> list[SpanChange]:
    """The changes between two versions of one document's spans (module docstring)."""
    old, new = sorted(old, key=lambda s: s.key), sorted(new, key=lambda s: s.key)
    _pair(old, new, lambda a, b: a.key == b.key and not value_differences(a.value, b.value))
    changes = []
    for a, b in _pair(old, new, lambda a, b: (a.start, a.end) == (b.start, b.end)):
        if a.label != b.label:
            changes.append(SpanChange("changed", a, b, ("label",)))
        else:
            changes.append(SpanChange("changed", a, b, ("value",), tuple(value_differences(a.value, b.value))))
    for label in LABELS:
        old_l, new_l = [s for s in old if s.label == label], [s for s in new if s.label == label]
        for a, b in _lenient_pairs(old_l, new_l):
            diff = tuple(value_differences(a.value, b.value))
            changes.append(SpanChange("changed", a, b, ("boundary", "value") if diff else ("boundary",), diff))
            old.remove(a)
            new.remove(b)
    changes += [SpanChange("changed", a, b, ("label", "boundary")) for a, b in _lenient_pairs(old, new)]
    changes += [SpanChange("removed", old=a) for a in old]
    changes += [SpanChange("added", new=b) for b in new]
    return sorted(changes, key=lambda c: c.order)


# --- verdicts against gold ----------------------------------------------------------------------

def grade(span: RunSpan, gold: Sequence[RunSpan]) -> int:
    """How right a span is: 3 gold has it with its value, 2 gold has its offsets and label
    (another value), 1 gold has an overlapping span of its label, 0 none of these."""
    best = 0
    for g in gold:
        if g.label != span.label or not _overlap(g, span):
            continue
        if (g.start, g.end) == (span.start, span.end):
            return 3 if not value_differences(g.value, span.value) else 2
        best = 1
    return best


def verdict(change: SpanChange, gold: Sequence[RunSpan]) -> Verdict:
    if change.kind == "added":
        return "fix" if grade(change.new, gold) >= 2 else "regression"  # type: ignore[arg-type]
    if change.kind == "removed":
        return "regression" if grade(change.old, gold) >= 2 else "fix"  # type: ignore[arg-type]
    before, after = grade(change.old, gold), grade(change.new, gold)  # type: ignore[arg-type]
    return "fix" if after > before else "regression" if after < before else "neutral"


def diff_runs(old: Mapping[str, Sequence[RunSpan]], new: Mapping[str, Sequence[RunSpan]],
              gold: Mapping[str, Sequence[RunSpan]] | None = None) -> RunDiff:
    """Every change between two runs (document id -> spans) over the documents both have; with
    `gold` (document id -> gold spans) each change in a gold document gets its verdict, and the
    strict F1 per label of both runs on those documents is kept."""
    compared = sorted(set(old) & set(new))
    changes = []
    for doc_id in compared:
        for change in document_changes(old[doc_id], new[doc_id]):
            if gold is not None and doc_id in gold:
                change = SpanChange(change.kind, change.old, change.new, change.aspects, change.value_diff,
                                    verdict(change, gold[doc_id]))
            changes.append(change)
    gold_docs = [d for d in compared if gold is not None and d in gold]
    return RunDiff(tuple(changes), len(compared), tuple(sorted(set(old) - set(new))),
                   tuple(sorted(set(new) - set(old))), judged=gold is not None, n_gold_docs=len(gold_docs),
                   strict_f1=_strict_f1(old, new, gold, gold_docs) if gold is not None else {})


def _strict_f1(old, new, gold, doc_ids) -> dict[str, tuple[float | None, float | None]]:
    from pipeline.score import PRF, strict_true_positives

    def f1(run, label):
        total = PRF()
        for doc_id in doc_ids:
            g = [(s.start, s.end) for s in gold[doc_id] if s.label == label]
            p = [(s.start, s.end) for s in run[doc_id] if s.label == label]
            tp = strict_true_positives(g, p)
            total = total + PRF(tp, len(p) - tp, len(g) - tp)
        return total.f1

    return {label: (f1(old, label), f1(new, label)) for label in LABELS}


# --- rendering ----------------------------------------------------------------------------------

def describe(change: SpanChange) -> str:
    """`+ added`, `- removed`, `~ boundary, value`, `~ label (was MONEY)`."""
    if change.kind != "changed":
        return f"{MARK[change.kind]} {change.kind}"
    was = f" (was {change.old.label})" if "label" in change.aspects else ""  # type: ignore[union-attr]
    return f"~ {', '.join(change.aspects)}{was}"


def _value(span: RunSpan | None) -> str:
    return "" if span is None or span.value is None else json.dumps(span.value, ensure_ascii=False, sort_keys=True)


def _shown(span: RunSpan) -> str:
    return f"{span.text!r} {span.start}-{span.end}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def summary_line(diff: RunDiff) -> str:
    docs = len({c.doc_id for c in diff.changes})
    return (f"{diff.count('added')} added, {diff.count('removed')} removed, {diff.count('changed')} changed "
            f"in {docs} of {diff.n_docs} documents")


def net_rows(diff: RunDiff) -> list[list[str]]:
    """Per label: fixes, regressions, neutral, net, strict F1 old -> new (percent, gold documents)."""
    nets = diff.net_by_label()
    rows = []
    for label in LABELS:
        n = nets[label]
        before, after = diff.strict_f1.get(label, (None, None))
        rows.append([label, str(n.fixes), str(n.regressions), str(n.neutral), f"{n.net:+d}",
                     f"{_pct(before)} → {_pct(after)}"])
    total = sum((nets[label] for label in LABELS), LabelNet())
    rows.append(["all", str(total.fixes), str(total.regressions), str(total.neutral), f"{total.net:+d}", ""])
    return rows


NET_HEADER = ["label", "fixes", "regressions", "neutral", "net", "strict F1 old → new"]


def notes(diff: RunDiff) -> list[str]:
    out = []
    for side, ids in (("the old", diff.only_old), ("the new", diff.only_new)):
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            out.append(f"{len(ids)} document(s) only in {side} run, not compared: {shown}")
    return out


def render_diff_text(diff: RunDiff, texts: Mapping[str, str]) -> str:
    """The diff for a terminal: one block per (label, source), one line per change, then context."""
    lines = [summary_line(diff)]
    lines += [f"note: {n}" for n in notes(diff)]
    for (label, source), changes in diff.groups:
        counts = Counter(c.kind for c in changes)
        lines.append("")
        lines.append(f"{label}  {source}  (" + ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) + ")")
        for c in changes:
            verdict_text = f"  [{c.verdict}]" if c.verdict else ""
            if c.kind == "changed":
                what = f"{_shown(c.old)} → {_shown(c.new)}"  # type: ignore[arg-type]
                if c.value_diff:
                    what += f"  ({'; '.join(c.value_diff)})"
            else:
                what = f"{_shown(c.span)}  {_value(c.span)}"
            lines.append(f"  {describe(c)}  {c.doc_id}  {what}{verdict_text}")
            if c.doc_id in texts:
                lines.append(f"      {context(texts[c.doc_id], c.span.start, c.span.end)}")
    return "\n".join(lines)


# --- HTML ---------------------------------------------------------------------------------------

def _esc(x) -> str:
    return "" if x is None else html.escape(str(x))


def context_html(text: str | None, span: RunSpan | None) -> str:
    if text is None or span is None:
        return ""
    before, middle, after = context_parts(text, span.start, span.end)
    return f"{_esc(before)}<mark>{_esc(middle)}</mark>{_esc(after)}"


def _span_cell(span: RunSpan | None) -> str:
    if span is None:
        return "<td></td>"
    return (f'<td>{_esc(span.text)} <span class="note">{span.start}-{span.end} {span.label}</span>'
            f'<br><code class="value">{_esc(_value(span))}</code></td>')


def _change_row(c: SpanChange, texts: Mapping[str, str]) -> str:
    text = texts.get(c.doc_id)
    ctx = context_html(text, c.old) if c.kind == "removed" else context_html(text, c.new)
    if c.kind == "changed" and (c.old.start, c.old.end) != (c.new.start, c.new.end):  # type: ignore[union-attr]
        ctx = f'<span class="was">was: {context_html(text, c.old)}</span><br>{ctx}'
    return (f'<tr data-kind="{c.kind}" data-label="{c.label}" data-source="{_esc(c.source)}" '
            f'data-verdict="{c.verdict or "none"}">'
            f'<td class="kind kind-{c.kind}">{_esc(describe(c))}</td><td>{_esc(c.doc_id)}</td>'
            f"{_span_cell(c.old)}{_span_cell(c.new)}<td>{_esc('; '.join(c.value_diff))}</td>"
            f'<td class="verdict verdict-{c.verdict or "none"}">{c.verdict or ""}</td>'
            f'<td class="ctx">{ctx}</td></tr>')


def _net_table_html(diff: RunDiff) -> str:
    rows = net_rows(diff)
    out = ['<table id="net"><thead><tr>' + "".join(f"<th>{h}</th>" for h in NET_HEADER) + "</tr></thead><tbody>"]
    for row in rows:
        out.append(f'<tr class="{"micro" if row[0] == "all" else ""}"><td>{row[0]}</td>'
                   + "".join(f'<td class="num">{_esc(v)}</td>' for v in row[1:]) + "</tr>")
    return "".join(out) + "</tbody></table>"


DIFF_CSS = """
.changes td { max-width: 24rem; overflow-wrap: anywhere; }
.changes .ctx { font-family: ui-monospace, monospace; font-size: 0.8rem; max-width: 36rem; }
.changes .ctx mark { background: #fde68a; } .changes .was { color: #777; }
.changes .was mark { background: #eee; text-decoration: line-through; }
.changes code.value { font-size: 0.75rem; color: #444; }
.changes tr.group th { text-align: left; background: #e8eef7; }
.changes td.kind, .changes td.verdict { white-space: nowrap; }
.kind-added { color: #070; } .kind-removed { color: #b00; } .kind-changed { color: #b60; }
.verdict-fix { color: #070; font-weight: 600; } .verdict-regression { color: #b00; font-weight: 600; }
"""


def render_diff_html(diff: RunDiff, texts: Mapping[str, str], sources: Mapping[str, str] | None = None) -> str:
    """One self-contained page (inline CSS and JS, as the report): summary, the net per label
    against gold, then the changes grouped by label and source, filterable."""
    from pipeline.report import CSS, FILTER_JS, filter_select

    head = ["change", "document", "old", "new", "value difference", "verdict", "context"]
    body = []
    for (label, source), changes in diff.groups:
        counts = Counter(c.kind for c in changes)
        title = f"{label} · {source} — " + ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
        body.append(f'<tbody><tr class="group"><th colspan="{len(head)}">{_esc(title)}</th></tr>'
                    + "".join(_change_row(c, texts) for c in changes) + "</tbody>")
    labels = [label for label in LABELS if any(c.label == label for c in diff.changes)]
    source_names = sorted({c.source for c in diff.changes})
    controls = ("<p>" + filter_select("changes", "kind", "Change", KINDS) + filter_select("changes", "label", "Label", labels)
                + filter_select("changes", "source", "Source", source_names)
                + (filter_select("changes", "verdict", "Verdict", VERDICTS) if diff.judged else "")
                + f'<span id="changes-count" class="note">{len(diff.changes)} shown</span></p>')
    judged = ""
    if diff.judged:
        judged = (f"<h2>Against gold ({diff.n_gold_docs} documents)</h2><p class=\"note\">A change is a fix "
                  "when it brings the span closer to gold (exact with the gold value &gt; exact offsets and "
                  "label &gt; overlapping a gold span of its label &gt; none), a regression when it takes it "
                  "further; an added span is a fix when gold has its offsets and label. Net = fixes − "
                  f"regressions.</p>{_net_table_html(diff)}")
    sources_html = "".join(f"<li>{_esc(k)}: <code>{_esc(v)}</code></li>" for k, v in (sources or {}).items())
    table = (f'<table id="changes" class="changes"><thead><tr>{"".join(f"<th>{h}</th>" for h in head)}'
             f'</tr></thead>{"".join(body)}</table>') if diff.changes else '<p id="no-changes">No span changed.</p>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>What changed — {_esc(summary_line(diff))}</title><style>{CSS}{DIFF_CSS}</style>
<script>{FILTER_JS}</script></head><body>
<h1>What changed</h1>
<ul class="note">{sources_html}</ul>
<p id="summary">{_esc(summary_line(diff))}.</p>
{"".join(f'<p class="note">{_esc(n)}.</p>' for n in notes(diff))}
{judged}
<h2>Changes by label and source</h2>
{controls if diff.changes else ""}
{table}
</body></html>
"""
