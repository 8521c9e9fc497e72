"""Off-the-shelf tools used naively, scored on the same gold so a reader sees what our rules add.

Each baseline sees the whole raw text (no boilerplate filter, no span trimming) and maps its
tool's output onto our labels:
- `spacy`: the model's entities alone (ORG, DATE and TIME -> DATE, MONEY, PERCENT, QUANTITY,
  CARDINAL), without values;
- `quantulum3`: its quantities (currency units -> MONEY with amount and ISO currency,
  percentages -> PERCENT, dimensionless -> CARDINAL, any other unit -> QUANTITY with unit and,
  where the unit has a known SI conversion, the SI measure);
- `dateparser`: `search_dates` (DATE), relative expressions resolved against the document's
  DCT, or a fixed date when it has none, so the output never depends on the clock.
Mapping functions are pure and take the tool's output as plain values, so they are tested
without running the tools.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.schema import LABELS, Document, Span

SPACY_LABELS = {"ORG": "ORG", "DATE": "DATE", "TIME": "DATE", "MONEY": "MONEY",
                "PERCENT": "PERCENT", "QUANTITY": "QUANTITY", "CARDINAL": "CARDINAL"}
# dateparser needs some "now" for relative dates; a document without DCT gets this fixed one.
NO_DCT_BASE = dt.datetime(2000, 1, 1)

Baseline = Callable[[Sequence[Document]], list[Document]]
SiConversion = Callable[[float, str], tuple[float, str] | None]


def _span(text: str, start: int, end: int, label: str, value: dict | None) -> Span | None:
    if not 0 <= start < end <= len(text):
        return None
    try:
        return Span(start=start, end=end, label=label, text=text[start:end], value=value)
    except ValueError:  # a value our schema refuses is no value, not a crash
        return Span(start=start, end=end, label=label, text=text[start:end], value=None)


# --- spaCy model ------------------------------------------------------------------------------

def spacy_entity_span(text: str, start: int, end: int, spacy_label: str) -> Span | None:
    label = SPACY_LABELS.get(spacy_label)
    return None if label is None else _span(text, start, end, label, None)


def spacy_baseline(docs: Sequence[Document], model: str | None = None) -> list[Document]:
    import spacy

    from pipeline.config import Settings

    nlp = spacy.load(model or Settings().model)
    out = []
    for doc, parsed in zip(docs, nlp.pipe(d.text for d in docs)):
        spans = [spacy_entity_span(doc.text, e.start_char, e.end_char, e.label_) for e in parsed.ents]
        out.append(Document(id=doc.id, spans=[s for s in spans if s]))
    return out


# --- quantulum3 -----------------------------------------------------------------------------

def quantulum_span(text: str, start: int, end: int, amount: float, unit: str, entity: str,
                   currency_code: str | None, si: SiConversion | None = None) -> Span | None:
    """One quantulum3 quantity as our span: the unit's entity decides the label."""
    if entity == "currency":
        value = None if not currency_code else {
            "amount": amount, "amount_max": None, "currency": currency_code, "modifier": None}
        return _span(text, start, end, "MONEY", value)
    if unit == "percentage":
        return _span(text, start, end, "PERCENT", {
            "amount": amount, "amount_max": None, "unit": "percent", "modifier": None})
    if entity == "dimensionless":
        return _span(text, start, end, "CARDINAL", {
            "amount": amount, "amount_max": None, "modifier": None, "kind": "count", "counted": None})
    converted = si(amount, unit) if si else None
    value = None if converted is None else {
        "amount": amount, "amount_max": None, "unit": unit, "modifier": None,
        "si_amount": converted[0], "si_unit": converted[1]}
    return _span(text, start, end, "QUANTITY", value)


def project_si_conversion() -> SiConversion | None:
    """SI conversion from the project's unit table (`patterns/units.csv`, keyed by quantulum3's
    unit names): quantulum3 names units but carries no conversion factors. None without it."""
    import csv
    from importlib import resources

    table = resources.files("pipeline.patterns").joinpath("units.csv")
    if not table.is_file():
        return None
    with table.open(encoding="utf-8", newline="") as handle:
        factors = {row["unit"]: (float(row["si_factor"]), row["si_unit"], float(row.get("si_offset") or 0))
                   for row in csv.DictReader(handle)}

    def si_measure(amount: float, unit: str) -> tuple[float, str] | None:
        if unit not in factors:
            return None
        factor, si_unit, offset = factors[unit]
        return amount * factor + offset, si_unit

    return si_measure


def quantulum_baseline(docs: Sequence[Document]) -> list[Document]:
    with warnings.catch_warnings():  # "classifier dependencies not installed": we use the rules
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    si = project_si_conversion()
    out = []
    for doc in docs:
        spans = []
        for q in parser.parse(doc.text):
            start, end = q.span
            spans.append(quantulum_span(doc.text, start, end, float(q.value), q.unit.name,
                                        q.unit.entity.name, q.unit.currency_code, si))
        out.append(Document(id=doc.id, spans=[s for s in spans if s]))
    return out


# --- dateparser -----------------------------------------------------------------------------

def relative_base(dct: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(dct) if dct else NO_DCT_BASE


def timex_of_datetime(moment: dt.datetime) -> dict[str, Any]:
    """dateparser resolves every expression to one instant: a day (DATE) or a clock time (TIME)."""
    day = moment.date().isoformat()
    if moment.time() == dt.time(0, 0):
        return {"timex_type": "DATE", "timex_value": day, "start": day, "end": day}
    return {"timex_type": "TIME", "timex_value": f"{day}T{moment:%H:%M}", "start": day, "end": day}


def locate(text: str, found: Sequence[tuple[str, Any]]) -> list[tuple[int, int, Any]]:
    """Offsets of `search_dates` results, which come as substrings in text order."""
    located, cursor = [], 0
    for substring, payload in found:
        start = text.find(substring, cursor)
        if start < 0 or not substring:
            continue
        located.append((start, start + len(substring), payload))
        cursor = start + len(substring)
    return located


def dateparser_baseline(docs: Sequence[Document]) -> list[Document]:
    from dateparser.search import search_dates

    out = []
    for doc in docs:
        settings = {"RELATIVE_BASE": relative_base(doc.meta.get("dct")),
                    "RETURN_AS_TIMEZONE_AWARE": False}
        found = search_dates(doc.text, languages=["en"], settings=settings) or []
        spans = [_span(doc.text, s, e, "DATE", timex_of_datetime(m)) for s, e, m in locate(doc.text, found)]
        out.append(Document(id=doc.id, spans=[s for s in spans if s]))
    return out


@dataclass(frozen=True)
class BaselineSpec:
    """A baseline, the labels it can produce (it is scored on those only) and whether it
    normalizes values at all (value accuracy is shown as n/a when it does not)."""

    name: str
    title: str
    labels: tuple[str, ...]
    has_values: bool
    run: Baseline


BASELINES: tuple[BaselineSpec, ...] = (
    BaselineSpec("spacy", "spaCy model alone", LABELS, False, spacy_baseline),
    BaselineSpec("quantulum3", "quantulum3 alone", ("MONEY", "PERCENT", "QUANTITY", "CARDINAL"),
                 True, quantulum_baseline),
    BaselineSpec("dateparser", "dateparser alone", ("DATE",), True, dateparser_baseline),
)
