"""Score our MONEY / QUANTITY / PERCENT extraction on Microsoft Recognizers-Text's English specs.

Cases: `../shared/benchmarks/recognizers/{CurrencyModel,DimensionModel,PercentModel}.jsonl`, one
JSON object a line: `input`, and `results` with `text`, `start`, `end` (inclusive), `value`
(a decimal string, or `"25%"`) and `unit` (`"Dollar"`, `"Square meter"`...). Cases with no
results must yield nothing. Results without a value (a bare `dollar`) are no MONEY span by our
guidelines, so they are left out of the expected spans.

Two levels, each next to quantulum3 alone on the same cases:
- normalizer: the expected span's text through our normalizer (`money_value`, `quantity_value`,
  `percent_value`) versus `quantulum3.parser.parse` on that text: value and unit right?
- extraction: the whole input through our pipeline (rules + model, `news_amounts`) versus
  quantulum3 on the input: exactly the expected spans (text, value, unit), nothing more?

Only the vocabularies are mapped here (Recognizers' unit names to ISO 4217 codes and to
quantulum3's unit names); no case is copied into a rule.

    .venv/bin/python -m benchmarks.recognizers [--markdown benchmarks/RECOGNIZERS.md] [--failures]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SPECS = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "recognizers"
MODELS = {"CurrencyModel": "MONEY", "DimensionModel": "QUANTITY", "PercentModel": "PERCENT"}

# Recognizers-Text currency names -> (ISO 4217 code, units per major unit)
RT_CURRENCY = {
    "Dollar": ("USD", 1), "United States dollar": ("USD", 1), "Euro": ("EUR", 1), "Chinese yuan": ("CNY", 1),
    "Pound": ("GBP", 1), "British pound": ("GBP", 1), "Canadian dollar": ("CAD", 1), "Japanese yen": ("JPY", 1),
    "Franc": ("CHF", 1), "Swiss franc": ("CHF", 1), "Australian dollar": ("AUD", 1), "Turkish lira": ("TRY", 1),
    "Rupee": ("INR", 1), "Sri Lankan rupee": ("LKR", 1), "Mexican peso": ("MXN", 1), "Finnish markka": ("FIM", 1),
    "Hong Kong dollar": ("HKD", 1), "Peseta": ("ESP", 1), "Netherlands guilder": ("NLG", 1),
    "Costa Rican colón": ("CRC", 1), "Georgian lari": ("GEL", 1), "Lao kip": ("LAK", 1),
    "New Zealand dollar": ("NZD", 1), "Bitcoin": ("XBT", 1), "Cent": ("USD", 100), "Pence": ("GBP", 100),
    "Penny": ("GBP", 100), "Sen": ("JPY", 100), "Satoshi": ("XBT", 100_000_000),
}
# quantulum3 currency unit names without an ISO code of their own
Q3_CURRENCY = {"dollar": ("USD", 1), "cent": ("USD", 100), "penny": ("GBP", 100), "pound sterling": ("GBP", 1)}
# Recognizers-Text dimension names -> quantulum3 unit names, where lower case + British spelling is not enough
RT_UNIT = {"pound": "pound-mass", "milliliter": "cubic centimetre", "metric ton": "tonne", "degree": "degree angle",
           "ton": "short ton"}


def rt_unit_name(name: str) -> str:
    lowered = name.lower()
    if lowered in RT_UNIT:
        return RT_UNIT[lowered]
    return lowered.replace("meter", "metre").replace("liter", "litre")


@dataclass(frozen=True)
class Expected:
    text: str
    value: float
    unit: str  # ISO code, quantulum3 unit name, or "percent"


@dataclass(frozen=True)
class Found:
    text: str
    value: float | None
    unit: str | None


def expected_results(case: dict, label: str) -> list[Expected]:
    out = []
    for result in case["results"]:
        if result.get("value") in (None, "null"):
            continue  # a unit word with no amount (`dollar`, `percent`): no span in our guidelines
        value = float(str(result["value"]).rstrip("%"))
        if label == "MONEY":
            code, minor = RT_CURRENCY.get(result.get("unit", ""), (result.get("unit", "?"), 1))
            if result.get("iso_currency") and minor == 1:
                code = result["iso_currency"]
            out.append(Expected(result["text"], value / minor, code))
        elif label == "QUANTITY":
            out.append(Expected(result["text"], value, rt_unit_name(result.get("unit", ""))))
        else:
            out.append(Expected(result["text"], value, "percent"))
    return out


def span_key(text: str) -> str:
    """Spans compared as Recognizers-Text writes them: lower case, no leading modifier.

    Our guidelines keep `about`, `more than` inside the span; Recognizers-Text leaves them out
    and lower-cases its expected text, so both sides are brought to that form first.
    """
    from pipeline.normalize.numbers import split_modifier

    return " ".join(split_modifier(text.strip())[1].lower().split())


def same(found: Found, expected: Expected, check_text: bool = True) -> bool:
    if check_text and span_key(found.text) != span_key(expected.text):
        return False
    if found.value is None or found.unit is None:
        return False
    # Recognizers-Text's `Ton` is any ton (`25 lakh tonnes` too), so it takes any of quantulum3's.
    units_equal = found.unit == expected.unit or (expected.unit == "short ton"
                                                  and found.unit in ("ton", "short ton", "tonne"))
    return units_equal and math.isclose(found.value, expected.value, rel_tol=1e-6, abs_tol=1e-9)


# -- our system --------------------------------------------------------------------------------

def ours_normalize(text: str, label: str) -> Found:
    from pipeline.normalize.money import money_value
    from pipeline.normalize.percent import percent_value
    from pipeline.normalize.quantity import quantity_value

    if label == "MONEY":
        value = money_value(text)
        return Found(text, value.amount, value.currency) if value else Found(text, None, None)
    if label == "QUANTITY":
        value = quantity_value(text)
        return Found(text, value.amount, value.unit) if value else Found(text, None, None)
    value = percent_value(text)
    return Found(text, value.amount, "percent") if value and value.unit == "percent" else Found(text, None, None)


def ours_extract(nlp) -> Callable[[str, str], list[Found]]:
    def extract(text: str, label: str) -> list[Found]:
        doc = nlp(text)
        found = []
        for mention in doc._.mentions or []:
            if mention["label"] != label or not mention["value"]:
                continue
            value = mention["value"]
            unit = {"MONEY": value.get("currency"), "QUANTITY": value.get("unit"), "PERCENT": "percent"}[label]
            found.append(Found(mention["text"], value.get("amount"), unit))
        return found

    return extract


# -- quantulum3 alone --------------------------------------------------------------------------

def _q3_parse(text: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        try:
            return parser.parse(text)
        except Exception:  # noqa: BLE001 - a crash is a miss for the baseline
            return []


def _q3_found(quantity, label: str) -> Found | None:
    unit = quantity.unit
    entity = unit.entity.name
    if label == "MONEY":
        if entity != "currency":
            return None
        code, minor = (unit.currency_code, 1) if getattr(unit, "currency_code", None) \
            else Q3_CURRENCY.get(unit.name, (unit.name, 1))
        return Found(quantity.surface, quantity.value / minor, code)
    if label == "PERCENT":
        return Found(quantity.surface, quantity.value, "percent") if unit.name == "percentage" else None
    if entity in ("currency", "dimensionless", "unknown", "time"):
        return None
    return Found(quantity.surface, quantity.value, unit.name)


def q3_normalize(text: str, label: str) -> Found:
    for quantity in _q3_parse(text):
        found = _q3_found(quantity, label)
        if found is not None:
            return Found(text, found.value, found.unit)
    return Found(text, None, None)


def q3_extract(text: str, label: str) -> list[Found]:
    return [f for q in _q3_parse(text) if (f := _q3_found(q, label)) is not None]


# -- scoring -----------------------------------------------------------------------------------

@dataclass
class Tally:
    cases: int = 0
    passed: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, note: str) -> None:
        self.cases += 1
        self.passed += ok
        if not ok:
            self.failures.append(note)

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0


def score_model(name: str, label: str, extract_ours, extract_q3) -> dict[str, Tally]:
    tallies = {key: Tally() for key in ("norm_ours", "norm_q3", "extract_ours", "extract_q3")}
    for line in (SPECS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        expected = expected_results(case, label)
        for item in expected:
            ours = ours_normalize(item.text, label)
            tallies["norm_ours"].add(same(ours, item, check_text=False), f"{item} -> {ours}")
            theirs = q3_normalize(item.text, label)
            tallies["norm_q3"].add(same(theirs, item, check_text=False), f"{item} -> {theirs}")
        for key, extract in (("extract_ours", extract_ours), ("extract_q3", extract_q3)):
            found = extract(case["input"], label)
            ok = len(found) == len(expected) and all(any(same(f, e) for f in found) for e in expected)
            tallies[key].add(ok, f"{case['input'][:90]!r}: expected {expected} found {found}")
    return tallies


def markdown(results: dict[str, dict[str, Tally]]) -> str:
    rows = ["| Spec | Label | Normalizer: ours | Normalizer: quantulum3 | Extraction: ours | Extraction: quantulum3 |",
            "|---|---|---|---|---|---|"]
    for name, tallies in results.items():
        cells = [f"{t.passed}/{t.cases} ({t.rate:.1%})" for t in
                 (tallies["norm_ours"], tallies["norm_q3"], tallies["extract_ours"], tallies["extract_q3"])]
        rows.append(f"| {name} | {MODELS[name]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", help="write the table to this file (between the BENCH markers)")
    parser.add_argument("--failures", action="store_true", help="print every failed case")
    parser.add_argument("--model", default=None, help="spaCy model (default: the pipeline's)")
    args = parser.parse_args(argv)

    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline(args.model or Settings().model)
    results = {name: score_model(name, label, ours_extract(nlp), q3_extract) for name, label in MODELS.items()}
    table = markdown(results)
    print(table)
    if args.failures:
        for name, tallies in results.items():
            for key, tally in tallies.items():
                for note in tally.failures:
                    print(f"FAIL {name} {key}: {note}")
    if args.markdown:
        path = Path(args.markdown)
        text = path.read_text(encoding="utf-8") if path.exists() else "<!-- BENCH -->\n<!-- /BENCH -->\n"
        text = re.sub(r"<!-- BENCH -->.*<!-- /BENCH -->", lambda _: f"<!-- BENCH -->\n{table}\n<!-- /BENCH -->",
                      text, flags=re.DOTALL)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
