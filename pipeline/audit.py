"""Precision without gold: a stratified random sample of a run's spans, marked by a reviewer.

Sampling (`draw_sample`). The spans of a run are split into strata: by label, or by label and
source (the rule that made the span). The sample size is shared out by `allocate`: each stratum
first gets `min(N_h, minimum)` spans, so a rare label or rule is still seen; the rest of the
sample is shared in proportion to the strata sizes `N_h` (largest-remainder rounding, ties by
stratum name), never more than a stratum holds. Within a stratum the spans are a simple random
sample (`random.Random(seed)`, from the spans sorted by document and offsets), so the same run,
size and seed give the same sample; the review order is shuffled with the same generator.
Each sampled span carries its stratum, `N_h`, `n_h` and weight `N_h / n_h`: the number of spans
of the run it stands for.

Marks. A reviewer marks each span `correct`, `wrong_label` (not a mention of that label: another
label, or no mention at all), `wrong_boundary` or `wrong_value` on one self-contained page
(`render_audit_html`, template `templates/audit.html`), which downloads them as JSONL.

Estimates (`estimate_precision`). Precision of a group of spans (a label, a source, the whole
run) is the weighted share of correct marks, each mark weighing `N_h / m_h` (`m_h` the marks in
its stratum, so an unfinished review still reweights right); its 95% interval is the Wilson
score interval (Wilson 1927) at Kish's effective sample size `(Σw)² / Σw²`, which is the
plain Wilson interval of `correct / marked` when the group is one stratum. The estimated count
of wrong spans is `(1 - precision) × Σw`, with the interval's bounds carried over.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from pipeline.records import RunSpan
from pipeline.score import context_parts

Mark = Literal["correct", "wrong_label", "wrong_boundary", "wrong_value"]
MARKS: tuple[Mark, ...] = ("correct", "wrong_label", "wrong_boundary", "wrong_value")
MIN_PER_STRATUM = 10
Z_95 = 1.959963984540054  # the standard normal quantile of 0.975
STRATUM_SEPARATOR = " | "
MARK_FIELDS = ("sample_id", "span_id", "doc_id", "start", "end", "label", "text", "source", "stratum",
               "stratum_size", "stratum_sample", "weight", "run_spans", "mark")


# --- sampling -----------------------------------------------------------------------------------

def allocate(sizes: Mapping[str, int], n: int, minimum: int = MIN_PER_STRATUM) -> dict[str, int]:
    """Sample size per stratum: a floor of min(N_h, minimum), the rest in proportion to N_h.

    When the floors alone exceed `n` (many strata, a small sample), the sample is dealt one
    span per stratum in turn, largest stratum first, up to each floor."""
    strata = sorted(sizes)
    if n >= sum(sizes.values()):
        return {h: sizes[h] for h in strata}
    floor = {h: min(sizes[h], minimum) for h in strata}
    if sum(floor.values()) >= n:
        taken = dict.fromkeys(strata, 0)
        order = sorted(strata, key=lambda h: (-sizes[h], h))
        while n:
            for h in order:
                if n and taken[h] < floor[h]:
                    taken[h] += 1
                    n -= 1
        return taken
    taken = dict(floor)
    left = n - sum(floor.values())
    while left:
        open_ = [h for h in strata if taken[h] < sizes[h]]
        weight = sum(sizes[h] for h in open_)
        share = {h: left * sizes[h] / weight for h in open_}
        whole = {h: min(math.floor(share[h]), sizes[h] - taken[h]) for h in open_}
        if not any(whole.values()):  # hand out single spans by largest remainder
            for h in sorted(open_, key=lambda h: (-(share[h] - math.floor(share[h])), h))[:left]:
                taken[h] += 1
            break
        for h in open_:
            taken[h] += whole[h]
        left -= sum(whole.values())
    return taken


def stratum_of(span: RunSpan, by_source: bool) -> str:
    return f"{span.label}{STRATUM_SEPARATOR}{span.shown_source}" if by_source else span.label


@dataclass(frozen=True)
class SampledSpan:
    span: RunSpan
    stratum: str
    stratum_size: int  # N_h: spans of the run in the stratum
    stratum_sample: int  # n_h: spans of the sample in it

    @property
    def weight(self) -> float:
        return self.stratum_size / self.stratum_sample


@dataclass(frozen=True)
class AuditSample:
    sample_id: str
    seed: int
    by_source: bool
    minimum: int
    run_spans: int  # the population: every span of the run
    strata: dict[str, tuple[int, int]]  # stratum -> (N_h, n_h)
    items: tuple[SampledSpan, ...]  # in review order


def draw_sample(spans: Sequence[RunSpan], n: int, seed: int, by_source: bool = False,
                minimum: int = MIN_PER_STRATUM) -> AuditSample:
    """A stratified random sample of `n` spans (module docstring), reproducible from the seed."""
    members: dict[str, list[RunSpan]] = defaultdict(list)
    for span in sorted(spans, key=lambda s: s.key):
        members[stratum_of(span, by_source)].append(span)
    sizes = {h: len(m) for h, m in members.items()}
    quota = allocate(sizes, n, minimum)
    rng = random.Random(seed)
    items = [SampledSpan(span, h, sizes[h], quota[h])
             for h in sorted(members) for span in rng.sample(members[h], quota[h])]
    rng.shuffle(items)
    ids = "\n".join(item.span.span_id for item in items)
    sample_id = hashlib.sha256(f"{seed}\n{by_source}\n{ids}".encode()).hexdigest()[:12]
    return AuditSample(sample_id, seed, by_source, minimum, len(spans),
                       {h: (sizes[h], quota[h]) for h in sorted(sizes) if quota[h]}, tuple(items))


def mark_record(sample: AuditSample, item: SampledSpan, mark: Mark | None = None) -> dict:
    """One line of the marks file (the page writes the same fields, with the reviewer's mark)."""
    span = item.span
    return {"sample_id": sample.sample_id, "span_id": span.span_id, "doc_id": span.doc_id,
            "start": span.start, "end": span.end, "label": span.label, "text": span.text,
            "source": span.source, "stratum": item.stratum, "stratum_size": item.stratum_size,
            "stratum_sample": item.stratum_sample, "weight": item.weight, "run_spans": sample.run_spans,
            "mark": mark}


# --- the review page ----------------------------------------------------------------------------

def _page_item(sample: AuditSample, item: SampledSpan, text: str | None) -> dict:
    before, middle, after = context_parts(text, item.span.start, item.span.end, 160) if text else ("", item.span.text, "")
    return {**mark_record(sample, item), "value": item.span.value, "before": before, "middle": middle, "after": after}


def _script_json(data) -> str:
    """JSON safe inside <script>: no `</script>` or `<!--` in it can end the element early."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def render_audit_html(sample: AuditSample, texts: Mapping[str, str], title: str = "") -> str:
    """The review page: one self-contained HTML file (templates/audit.html, inline CSS and JS)."""
    template = resources.files("pipeline").joinpath("templates", "audit.html").read_text(encoding="utf-8")
    data = {"sample_id": sample.sample_id, "seed": sample.seed, "by_source": sample.by_source,
            "run_spans": sample.run_spans, "marks": list(MARKS),
            "strata": {h: {"size": size, "sample": n} for h, (size, n) in sample.strata.items()},
            "items": [_page_item(sample, item, texts.get(item.span.doc_id)) for item in sample.items]}
    return (template.replace("__TITLE__", html.escape(title or "spans"))
            .replace("__SAMPLE_ID__", sample.sample_id)
            .replace("__SAMPLE_JSON__", _script_json(data)))


# --- estimates ----------------------------------------------------------------------------------

def wilson_interval(p_hat: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a proportion `p_hat` observed in `n` trials (n may be an
    effective sample size, so not a whole number)."""
    if n <= 0:
        return (0.0, 1.0)
    z2 = z * z
    centre = (p_hat + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p_hat * (1 - p_hat) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class PrecisionEstimate:
    group: str
    marked: int
    correct: int
    precision: float
    low: float
    high: float
    spans: float  # spans of the run the group stands for (Σ weights)
    wrong: Counter  # mark -> count among the marked

    @property
    def wrong_estimate(self) -> tuple[float, float, float]:
        """Estimated wrong spans in the run: point, low, high."""
        return ((1 - self.precision) * self.spans, (1 - self.high) * self.spans, (1 - self.low) * self.spans)


def _weights(marks: Sequence[dict]) -> list[float]:
    per_stratum = Counter(m["stratum"] for m in marks)
    return [m["stratum_size"] / per_stratum[m["stratum"]] for m in marks]


def estimate(group: str, marks: Sequence[dict], weights: Sequence[float]) -> PrecisionEstimate:
    total = sum(weights)
    precision = sum(w for m, w in zip(marks, weights) if m["mark"] == "correct") / total
    n_eff = total * total / sum(w * w for w in weights)
    low, high = wilson_interval(precision, n_eff)
    return PrecisionEstimate(group, len(marks), sum(m["mark"] == "correct" for m in marks), precision, low,
                             high, total, Counter(m["mark"] for m in marks if m["mark"] != "correct"))


def estimate_precision(marks: Sequence[dict], by: Literal["label", "source", "all"]) -> list[PrecisionEstimate]:
    """Precision per group of marks (weighted by their strata; module docstring)."""
    weights = _weights(marks)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(marks):
        key = "all" if by == "all" else (m.get(by) or "(unknown)")
        groups[key].append(i)
    return [estimate(key, [marks[i] for i in idx], [weights[i] for i in idx]) for key, idx in sorted(groups.items())]


def read_marks(lines: Iterable[tuple[str, object]]) -> tuple[list[dict], list[str]]:
    """Marks from (where, parsed JSON) pairs, the last mark of a span winning; and the problems
    of lines that are no mark."""
    by_span: dict[tuple[str, str], dict] = {}
    problems = []
    for where, obj in lines:
        if not isinstance(obj, dict):
            problems.append(f"{where}: expected a JSON object")
            continue
        missing = [k for k in ("span_id", "label", "stratum", "stratum_size", "mark") if obj.get(k) is None]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
        elif obj["mark"] not in MARKS:
            problems.append(f"{where}: mark {obj['mark']!r} is not one of {', '.join(MARKS)}")
        elif not isinstance(obj["stratum_size"], int) or obj["stratum_size"] < 1:
            problems.append(f"{where}: stratum_size {obj['stratum_size']!r} is not a positive whole number")
        else:
            by_span[(str(obj.get("sample_id")), obj["span_id"])] = obj
    return list(by_span.values()), problems


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


# The last three: marks of each kind of error, among the marked spans.
SCORE_HEADER = ["group", "marked", "correct", "precision", "95% CI", "spans", "wrong (est.)", "95% CI",
                "label", "boundary", "value"]


def estimate_rows(estimates: Sequence[PrecisionEstimate]) -> list[list[str]]:
    """Table rows of `SCORE_HEADER`: percentages, and counts of spans (the run's, estimated)."""
    rows = []
    for e in estimates:
        wrong, wrong_low, wrong_high = e.wrong_estimate
        rows.append([e.group, str(e.marked), str(e.correct), _pct(e.precision), f"{_pct(e.low)}–{_pct(e.high)}",
                     f"{e.spans:.0f}", f"{wrong:.0f}", f"{wrong_low:.0f}–{wrong_high:.0f}",
                     str(e.wrong["wrong_label"]), str(e.wrong["wrong_boundary"]), str(e.wrong["wrong_value"])])
    return rows
