"""One self-contained HTML report per run: scores of our pipeline and the baselines, precision
per span source (which rule erred: each source links to its false positives, the worst source
is linked from the top of the page), the error listing, and every gold document rendered with
displaCy, gold and predicted side by side.

Everything is inlined (CSS, a few lines of JS to filter the error table), so the file can be
mailed or attached to a review as is. Marks carry their status: a miss or a false alarm is
outlined red and labelled `✗`, a boundary or value mismatch dashed orange and labelled `≈`;
hovering a mark shows its normalized value.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import provenance
from pipeline.provenance import SourceScores
from pipeline.schema import LABELS, Document
from pipeline.score import TABLE_HEADER, ScoreReport, score, table_rows

LABEL_COLORS = {"ORG": "#7aecec", "DATE": "#bfe1d9", "MONEY": "#e4e7d2", "PERCENT": "#e0d0f5",
                "QUANTITY": "#f9d38c", "CARDINAL": "#c5d6f7"}
BOILERPLATE = "boilerplate"
STATUS_MARK = {"ok": "", "miss": " ✗", "near": " ≈"}
ENT_TEMPLATE = (
    '<mark class="entity {status}" title="{tip}" style="background: {bg}; padding: 0.3em 0.45em;'
    ' margin: 0 0.2em; line-height: 1; border-radius: 0.35em;">{text}<span class="ent-label">'
    '{label}</span></mark>'
)
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem auto;
       max-width: 1500px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.88rem; margin: 0.6rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.micro td { font-weight: 600; border-top: 2px solid #999; }
td.best { background: #e3f4e3; font-weight: 600; }
.note { color: #555; font-size: 0.9rem; }
.errors { max-height: 32rem; overflow: auto; display: block; }
.errors td { max-width: 28rem; overflow-wrap: anywhere; }
.errors .ctx { font-family: ui-monospace, monospace; font-size: 0.8rem; color: #333; }
.errors td.kind, .errors td.label { white-space: nowrap; }
.kind-false_positive, .kind-false_negative { color: #b00; } .kind-boundary, .kind-wrong_value { color: #b60; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.side > div { border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 0.8rem;
              max-height: 40rem; overflow: auto; font-size: 0.92rem; }
.side h4 { margin: 0.2rem 0 0.4rem; }
.entities { line-height: 2.1 !important; }
mark.entity .ent-label { font-size: 0.68em; font-weight: bold; margin-left: 0.35rem;
                         vertical-align: middle; }
mark.miss { outline: 2px solid #d22; } mark.near { outline: 2px dashed #e08a00; }
mark.boilerplate { color: #888; padding: 0 !important; margin: 0 !important; }
mark.boilerplate .ent-label { color: #999; font-weight: normal; }
.legend mark { margin-right: 0.6rem !important; }
details.doc { margin: 0.8rem 0; } details.doc > summary { cursor: pointer; font-weight: 600; }
details.source { margin: 0.5rem 0; } details.source > summary { cursor: pointer; }
details.source:target { background: #fff6e0; }
"""
FILTER_JS = """
// Show the rows of a table whose data-* attributes match every filter select of that table
// (<select data-table="ID" data-filter="KEY">, empty value: all); a group header row is shown
// while its tbody shows a row.
function filterTable(tableId) {
  const filters = [...document.querySelectorAll(`select[data-table="${tableId}"]`)];
  const table = document.getElementById(tableId);
  let shown = 0;
  for (const row of table.querySelectorAll('tbody tr:not(.group)')) {
    const ok = filters.every(f => !f.value || row.dataset[f.dataset.filter] === f.value);
    row.style.display = ok ? '' : 'none'; shown += ok;
  }
  for (const header of table.querySelectorAll('tbody tr.group')) {
    const rows = [...header.parentElement.querySelectorAll('tr:not(.group)')];
    header.style.display = rows.some(r => r.style.display !== 'none') ? '' : 'none';
  }
  document.getElementById(tableId + '-count').textContent = shown + ' shown';
}
// Gold and predicted panes show the same text: scroll them together.
window.addEventListener('DOMContentLoaded', () => {
  for (const side of document.querySelectorAll('.side')) {
    const panes = side.querySelectorAll(':scope > div');
    if (panes.length !== 2) continue;
    panes.forEach((pane, i) => pane.addEventListener('scroll', () => {
      const other = panes[1 - i];
      if (Math.abs(other.scrollTop - pane.scrollTop) > 1) other.scrollTop = pane.scrollTop;
    }));
  }
});
"""


@dataclass
class SystemScores:
    """One system scored on the gold: our pipeline or a baseline."""

    name: str
    title: str
    labels: tuple[str, ...]
    has_values: bool
    preds: list[Document]
    report: ScoreReport


def score_system(gold: Sequence[Document], preds: list[Document], name: str, title: str,
                 labels: Sequence[str] = LABELS, has_values: bool = True) -> SystemScores:
    return SystemScores(name, title, tuple(labels), has_values, preds, score(gold, preds, labels))


def run_baselines(gold: Sequence[Document], model: str | None = None) -> list[SystemScores]:
    from functools import partial

    from pipeline.baselines import BASELINES, spacy_baseline

    systems = []
    for spec in BASELINES:
        run = partial(spacy_baseline, model=model) if spec.run is spacy_baseline else spec.run
        systems.append(score_system(gold, run(gold), spec.name, spec.title, spec.labels, spec.has_values))
    return systems


# --- tables -----------------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def comparison_header(systems: Sequence[SystemScores]) -> list[str]:
    header = ["label"]
    for system in systems:
        header += [f"{system.name} F1 s/l"] + ([f"{system.name} value"] if system.has_values else [])
    return header


def comparison_rows(systems: Sequence[SystemScores]) -> list[list[str]]:
    """Per label (and micro over the labels each system covers): F1 and value accuracy."""
    rows = []
    for label in [*LABELS, "micro"]:
        row = [label]
        for system in systems:
            covered = label == "micro" or label in system.labels
            s = system.report.micro if label == "micro" else system.report.labels.get(label)
            row.append(f"{_pct(s.strict.f1)} / {_pct(s.lenient.f1)}" if covered else "n/a")
            if system.has_values:
                row.append(_pct(s.value.accuracy) if covered else "n/a")
        rows.append(row)
    return rows


def _cell(value: str, best: bool = False) -> str:
    return f'<td class="num{" best" if best else ""}">{html.escape(value)}</td>'


def comparison_table_html(systems: Sequence[SystemScores]) -> str:
    """Strict F1, lenient F1 and value accuracy per system; the best per row is highlighted."""
    out = ['<table class="compare"><thead><tr><th rowspan="2">label</th>']
    out += [f'<th colspan="3">{html.escape(s.title)}</th>' for s in systems]
    out.append("</tr><tr>" + "<th>strict F1</th><th>lenient F1</th><th>value acc</th>" * len(systems)
               + "</tr></thead><tbody>")
    for label in [*LABELS, "micro"]:
        cells = []
        for system in systems:
            s = system.report.micro if label == "micro" else system.report.labels.get(label)
            covered = label == "micro" or label in system.labels
            cells.append((s.strict.f1 if covered else None, s.lenient.f1 if covered else None,
                          s.value.accuracy if covered and system.has_values else None, covered))
        # Best per column among systems, on labels only: micro rows cover different label sets.
        best = [max((c[i] for c in cells if c[i] is not None), default=None) if label != "micro"
                else None for i in range(3)]
        row = [f'<tr class="{"micro" if label == "micro" else ""}"><td>{label}</td>']
        for system, (strict_f, lenient_f, value_acc, covered) in zip(systems, cells):
            for i, x in enumerate((strict_f, lenient_f, value_acc)):
                shown = covered and (i < 2 or system.has_values)
                row.append(_cell(_pct(x) if shown else "n/a", shown and bool(x) and x == best[i]))
        out.append("".join(row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def detail_table_html(report: ScoreReport) -> str:
    rows = table_rows(report)
    out = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in TABLE_HEADER) + "</tr></thead><tbody>"]
    for row in rows:
        out.append(f'<tr class="{"micro" if row[0] == "micro" else ""}"><td>{row[0]}</td>'
                   + "".join(_cell(v) for v in row[1:]) + "</tr>")
    return "".join(out) + "</tbody></table>"


def _value_counts(report: ScoreReport) -> str:
    micro = report.micro.value
    return f"{micro.correct} of {micro.total} lenient matches carry the gold value"


# --- error listing ----------------------------------------------------------------------------

def _esc(x) -> str:
    return "" if x is None else html.escape(str(x))


def _anchor(doc_id: str) -> str:
    return "doc-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in doc_id)


def filter_select(table_id: str, key: str, title: str, options: Sequence[str]) -> str:
    """A select that filters `table_id`'s rows on their `data-KEY` (FILTER_JS)."""
    return (f'{title} <select id="f-{key}" data-table="{table_id}" data-filter="{key}" '
            f'onchange="filterTable(\'{table_id}\')"><option value="">all</option>'
            + "".join(f"<option>{html.escape(o)}</option>" for o in options) + "</select> ")


def errors_table_html(report: ScoreReport) -> str:
    kinds = sorted({r["kind"] for r in report.errors})
    labels = [label for label in LABELS if any(r["label"] == label for r in report.errors)]
    controls = ("<p>" + filter_select("errors", "kind", "Kind", kinds) + filter_select("errors", "label", "Label", labels)
                + f'<span id="errors-count" class="note">{len(report.errors)} shown</span></p>')
    head = ["document", "kind", "label", "gold", "predicted", "gold value", "predicted value / difference",
            "context"]
    out = [controls, '<table id="errors" class="errors"><thead><tr>'
           + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    for r in report.errors:
        gold = f'{_esc(r["gold_text"])} <span class="note">{r["gold_start"]}-{r["gold_end"]}</span>' if r["gold_text"] is not None else ""
        pred = f'{_esc(r["pred_text"])} <span class="note">{r["pred_start"]}-{r["pred_end"]}</span>' if r["pred_text"] is not None else ""
        pred_value = _esc(r["value_diff"]) if r["kind"] == "wrong_value" else _esc(r["pred_value"])
        note = f'<br><span class="note">{_esc(r["note"])}</span>' if r["note"] else ""
        out.append(
            f'<tr data-kind="{r["kind"]}" data-label="{r["label"]}">'
            f'<td><a href="#{_anchor(r["doc_id"])}">{_esc(r["doc_id"])}</a></td>'
            f'<td class="kind kind-{r["kind"]}">{r["kind"].replace("_", " ")}</td><td class="label">{r["label"]}</td>'
            f"<td>{gold}</td><td>{pred}{note}</td><td>{_esc(r['gold_value'])}</td><td>{pred_value}</td>"
            f'<td class="ctx">{_esc(r["context"])}</td></tr>')
    return "".join(out) + "</tbody></table>"


# --- per source -------------------------------------------------------------------------------

def _source_anchor(source: str) -> str:
    return "src-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in source)


def sources_table_html(sources: Sequence[SourceScores]) -> str:
    """Worst source first; a source with false positives links to their list."""
    out = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in provenance.TABLE_HEADER) + "</tr></thead><tbody>"]
    for scores, row in zip(sources, provenance.table_rows(sources)):
        name = (f'<a href="#{_source_anchor(scores.source)}">{_esc(scores.source)}</a>' if scores.false_positives
                else _esc(scores.source))
        out.append(f"<tr><td>{name}</td>" + "".join(_cell(v) for v in row[1:]) + "</tr>")
    return "".join(out) + "</tbody></table>"


def source_errors_html(sources: Sequence[SourceScores]) -> str:
    """Each source's false positives (not right strict), with their context, worst source first."""
    out = []
    head = ["document", "kind", "label", "predicted", "gold there", "context"]
    for scores in (s for s in sources if s.false_positives):
        out.append(f'<details class="source" id="{_source_anchor(scores.source)}" open><summary>'
                   f"<code>{_esc(scores.source)}</code> <span class=\"note\">— {scores.n_fp} of {scores.n_pred} "
                   f"predictions not right strict; strict precision {_pct(scores.precision_strict)}</span></summary>"
                   '<table class="errors"><thead><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>")
        for fp in scores.false_positives:
            out.append(f'<tr><td><a href="#{_anchor(fp.doc_id)}">{_esc(fp.doc_id)}</a></td>'
                       f'<td class="kind kind-{fp.kind}">{fp.kind.replace("_", " ")}</td><td class="label">{fp.label}</td>'
                       f'<td>{_esc(fp.text)} <span class="note">{fp.start}-{fp.end}</span></td><td>{_esc(fp.gold)}</td>'
                       f'<td class="ctx">{_esc(fp.context)}</td></tr>')
        out.append("</tbody></table></details>")
    return "".join(out)


def worst_source_html(sources: Sequence[SourceScores]) -> str:
    """A line for the top of the page: the worst source with false positives, linked to them."""
    worst = next((s for s in sources if s.false_positives), None)
    if worst is None:
        return ""
    return (f'<li>worst source: <a href="#{_source_anchor(worst.source)}"><code>{_esc(worst.source)}</code></a>, '
            f"strict precision {_pct(worst.precision_strict)} ({worst.n_fp} of {worst.n_pred} not right strict)</li>")


# --- documents --------------------------------------------------------------------------------

def _span_status(report: ScoreReport, doc_id: str) -> dict[tuple[str, int, int, str], tuple[str, str]]:
    """(side, start, end, label) -> (status, why) from the error rows; unlisted spans are ok."""
    status: dict[tuple[str, int, int, str], tuple[str, str]] = {}
    for r in report.errors:
        if r["doc_id"] != doc_id:
            continue
        is_miss = r["kind"] in ("false_positive", "false_negative")
        why = r["kind"].replace("_", " ") + (f": {r['value_diff']}" if r["value_diff"] else "")
        for side in ("gold", "pred"):
            if r[f"{side}_start"] is None:
                continue
            key = (side, r[f"{side}_start"], r[f"{side}_end"], r["label"])
            before = status.get(key)
            status[key] = ("miss" if is_miss else "near",
                           why if before is None else f"{before[1]}; {why}")
    return status


def displacy_ents(doc: Document | None, text: str, side: str, status: dict,
                  boilerplate: list[tuple[int, int]]) -> list[dict]:
    """Manual displaCy entities: the spans with their status, plus boilerplate ranges that no
    span touches (shown grey, so a reader sees what the extractor was told to skip)."""
    spans = sorted(doc.spans if doc else [], key=lambda s: (s.start, s.end))
    ents, taken_until = [], -1
    for s in spans:
        if s.start < taken_until:  # displaCy cannot draw overlaps; keep the first
            continue
        state, why = status.get((side, s.start, s.end, s.label), ("ok", ""))
        tip = json.dumps(s.value, ensure_ascii=False) if s.value is not None else "no value"
        ents.append({"start": s.start, "end": s.end, "label": s.label + STATUS_MARK[state],
                     "params": {"status": state, "tip": html.escape(f"{why}\n{tip}".strip(), quote=True)}})
        taken_until = s.end
    for b_start, b_end in boilerplate:
        if not any(e["start"] < b_end and b_start < e["end"] for e in ents):
            ents.append({"start": b_start, "end": b_end, "label": BOILERPLATE,
                         "params": {"status": BOILERPLATE, "tip": "boilerplate: not article content"}})
    return sorted(ents, key=lambda e: e["start"])


def _colors() -> dict[str, str]:
    colors = {BOILERPLATE: "#f3f3f3"}
    for label, color in LABEL_COLORS.items():
        for mark in STATUS_MARK.values():
            colors[label + mark] = color
    return colors


def render_displacy(text: str, ents: list[dict]) -> str:
    from spacy import displacy

    return displacy.render({"text": text, "ents": ents, "title": None}, style="ent", manual=True,
                           page=False, jupyter=False,
                           options={"colors": _colors(), "template": ENT_TEMPLATE})


def document_html(gold: Document, pred: Document | None, ours: ScoreReport,
                  boilerplate: list[tuple[int, int]]) -> str:
    text = gold.text or ""
    status = _span_status(ours, gold.id)
    one = score([gold], [pred] if pred else [])
    m = one.micro
    summary = (f"{_esc(gold.id)} <span class=\"note\">— {m.n_gold} gold, {m.n_pred} predicted; "
               f"F1 strict {_pct(m.strict.f1)}, lenient {_pct(m.lenient.f1)}; "
               f"value acc {_pct(m.value.accuracy)}; dct {_esc(gold.meta.get('dct') or 'none')}</span>")
    gold_html = render_displacy(text, displacy_ents(gold, text, "gold", status, boilerplate))
    pred_html = (render_displacy(text, displacy_ents(pred, text, "pred", status, boilerplate)) if pred
                 else '<p class="note">No prediction for this document: all its gold spans are misses.</p>')
    title = _esc(gold.meta.get("title") or "")
    return (f'<details class="doc" id="{_anchor(gold.id)}" open><summary>{summary}</summary>'
            f'<p class="note">{title}</p><div class="side">'
            f"<div><h4>Gold</h4>{gold_html}</div><div><h4>Predicted</h4>{pred_html}</div></div></details>")


def legend_html() -> str:
    text = "hit miss near skipped"
    ents = [
        {"start": 0, "end": 3, "label": "MONEY", "params": {"status": "ok", "tip": "match"}},
        {"start": 4, "end": 8, "label": "MONEY ✗", "params": {"status": "miss", "tip": "miss"}},
        {"start": 9, "end": 13, "label": "MONEY ≈", "params": {"status": "near", "tip": "near"}},
        {"start": 14, "end": 21, "label": BOILERPLATE, "params": {"status": BOILERPLATE, "tip": ""}},
    ]
    return (f'<div class="legend">{render_displacy(text, ents)}</div><p class="note">Marks: strict '
            "match; ✗ false negative (gold side) or false positive (predicted side); ≈ lenient match "
            "with other boundaries or another value; grey: boilerplate ranges, never annotated. "
            "Hover a mark for its value.</p>")


# --- page -------------------------------------------------------------------------------------

def render_report(gold: Sequence[Document], ours: SystemScores, baselines: Sequence[SystemScores] = (),
                  boilerplate: Callable[[str], list[tuple[int, int]]] | None = None,
                  sources: dict[str, str] | None = None, diff_href: str | None = None) -> str:
    """The whole HTML page as a string; `diff_href` links the page of what changed since the
    previous run (`pipeline diff --html`), relative to the report."""
    if boilerplate is None:
        from pipeline.boilerplate import boilerplate_ranges as boilerplate
    report = ours.report
    pred_by_id = {d.id: d for d in ours.preds}
    notes = []
    if report.missing_docs:
        notes.append(f"{len(report.missing_docs)} gold document(s) have no prediction and count as "
                     f"all false negatives: {', '.join(report.missing_docs)}.")
    if report.ignored_docs:
        notes.append(f"{len(report.ignored_docs)} predicted document(s) are not in the gold set "
                     f"and were ignored.")
    sources_html = "".join(f"<li>{_esc(k)}: <code>{_esc(v)}</code></li>" for k, v in (sources or {}).items())
    if diff_href:
        sources_html += (f'<li>what changed since the previous run: <a id="diff-link" '
                         f'href="{_esc(diff_href)}">{_esc(diff_href)}</a></li>')
    by_source = report.sources
    kinds = {k: sum(r["kind"] == k for r in report.errors)
             for k in ("false_positive", "false_negative", "boundary", "wrong_value")}
    docs_html = "".join(document_html(g, pred_by_id.get(g.id), report, boilerplate(g.text or ""))
                        for g in gold)
    baseline_note = ("Baselines run each tool naively over the whole raw text (no boilerplate "
                     "filter) and are scored only on the labels they can produce (n/a elsewhere); "
                     "the spaCy model gives no values.") if baselines else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Extraction report — {html.escape(ours.title)}</title><style>{CSS}</style>
<script>{FILTER_JS}</script></head><body>
<h1>Extraction report</h1>
<ul class="note">{sources_html}<li>{report.n_docs} gold documents</li>{worst_source_html(by_source)}</ul>
{"".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)}
<h2>Scores by label</h2>
<p class="note">F1 in percent. Strict: same label and offsets. Lenient: same label, overlapping,
one-to-one. Value accuracy: share of lenient matches whose whole value equals the gold one. {baseline_note}</p>
{comparison_table_html([ours, *baselines])}
<h2>{html.escape(ours.title)} in detail</h2>
{detail_table_html(report)}
<p class="note">{_value_counts(report)}.</p>
<h2 id="sources">Precision by source</h2>
<p class="note">Which rule erred: each predicted span's <code>source</code> is the rule or step that
produced it (docs/sources.md). Right strict: a gold span with the same offsets and label; right
lenient: paired with an overlapping gold span of its label. Worst first: lowest strict precision,
then most strict false positives. A source links to its false positives (the predictions that are
not right strict), listed below the table.</p>
{sources_table_html(by_source)}
{source_errors_html(by_source)}
<h2>Errors ({len(report.errors)})</h2>
<p class="note">{", ".join(f"{n} {k.replace('_', ' ')}" for k, n in kinds.items())}. A lenient match
with other boundaries is a boundary row; one whose value differs is a wrong-value row (a pair can be
both).</p>
{errors_table_html(report)}
<h2>Documents</h2>
{legend_html()}
{docs_html}
</body></html>
"""


def write_report(path: str | Path, page: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
