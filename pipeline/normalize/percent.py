"""PERCENT values: amount, range, percent or percentage points, modifier.

`16.6 percent` -> 16.6 percent; `6.5%` -> 6.5; `64 pct` -> 64; `about 70- 80 percent` -> 70..80 approx;
`0.09 percentage points` -> 0.09 percentage_point; `25 basis points` -> 0.25 percentage_point;
`Ninety-nine percent` -> 99. The unit words
are the table `pipeline/patterns/percent_words.csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.normalize.numbers import amount_text_problem, Result, TableError, load_table, parse_amount, split_modifier
from pipeline.schema import PercentValue

UNITS = ("percent", "percentage_point")


@dataclass(frozen=True)
class PercentWords:
    rows: tuple[tuple[str, str, bool], ...]  # (surface, unit, glued to the digits only)
    unit_regex: dict[str, str]  # unit -> alternation of its surfaces, longest first
    per_unit: dict[str, float]  # lower-case surface -> its size in the unit (`basis points`: 0.01)


@lru_cache(maxsize=1)
def percent_words() -> PercentWords:
    by_unit: dict[str, list[str]] = {unit: [] for unit in UNITS}
    attached = set()
    rows, per_unit = [], {}
    for row in load_table("percent_words.csv", ("surface", "unit", "attached_only", "per_unit")):
        if row["unit"] not in UNITS or row["attached_only"] not in ("yes", "no"):
            raise TableError(f"percent_words.csv: bad row {row}")
        per_unit[row["surface"].lower()] = float(row["per_unit"])
        by_unit[row["unit"]].append(row["surface"])
        rows.append((row["surface"], row["unit"], row["attached_only"] == "yes"))
        if row["attached_only"] == "yes":
            attached.add(row["surface"])
    regex = {}
    for unit, surfaces in by_unit.items():
        parts = []
        for surface in sorted(surfaces, key=len, reverse=True):
            body = r"[\s-]+".join(re.escape(word) for word in surface.split(" "))
            parts.append(body if surface in attached or not surface[0].isalpha() else f"(?i:{body})")
        regex[unit] = "|".join(parts)
    return PercentWords(tuple(rows), regex, per_unit)


# `7/8 of a percentage point`, `three-quarters of a point`: a fraction of the unit.
_FRACTION_OF = re.compile(r"(?i:\s+of\s+an?)(?=\s*-?\s*\S)")
# `quarter-point`, `1-1/8 point` (over a rate): fractions of a point are a rate's percentage
# points (`5 points` alone is an index's).
_BARE_POINT = re.compile(r"(?i:\s*-?\s*points?)$")


def parse_percent(text: str) -> Result[PercentValue]:
    """`16.6 percent`, `a half pct`, `7/8 of a percentage point`, `quarter-point` (the caller
    found the last one where only a rate's change is meant)."""
    if problem := amount_text_problem(text):
        return Result.fail(problem)
    words = percent_words()
    modifier, rest = split_modifier(text.strip())
    rest = _FRACTION_OF.sub("", rest, count=1)
    if _BARE_POINT.search(rest) and re.search(r"/|(?i:quarter|half|third|eighth)", rest) \
            and not re.search(words.unit_regex["percentage_point"] + r"\.?$", rest):
        number = re.sub(r"(?i)^(quarter|half)$", r"a \1", _BARE_POINT.sub("", rest).replace("three-quarter", "three quarters"))
        amount = parse_amount(number)
        if amount.value is None or amount.value.modifier is not None:
            return Result.fail("no percent word")
        return Result(PercentValue(amount=amount.value.low, amount_max=amount.value.high,
                                   unit="percentage_point", modifier=modifier))
    for unit in ("percentage_point", "percent"):
        tail = re.search(r"(?:\s*-?\s*)(?:" + words.unit_regex[unit] + r")\.?$", rest)
        if tail is None:
            continue
        amount_text = rest[:tail.start()]
        # `5%-10%`, `between 5% and 10%`: the unit may repeat after the low end.
        amount_text = re.sub(r"(?<=[0-9])\s*(?:" + words.unit_regex[unit] + r")(?=\s*(?:-|–|to|and)\s)",
                             "", amount_text)
        amount_text = re.sub(r"(?<=[0-9])%", "", amount_text)
        amount = parse_amount(amount_text)
        if amount.value is None:
            return Result.fail(f"amount: {amount.reason}")
        if amount.value.modifier is not None:
            return Result.fail("modifier inside the amount")
        size = words.per_unit.get(re.sub(r"[\s-]+", " ", tail.group(0).strip(" -.")).lower(), 1.0)
        low, high = (None if x is None else round(x * size, 12) for x in (amount.value.low, amount.value.high))
        return Result(PercentValue(amount=low, amount_max=high, unit=unit, modifier=modifier))  # type: ignore[arg-type]
    return Result.fail("no percent word")


def percent_value(text: str) -> PercentValue | None:
    """PERCENT value of a span's text, or None when it is not a percentage."""
    return parse_percent(text).value
