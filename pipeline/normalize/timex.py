"""The value a date resolver returns and what it may know: shared by the resolver modules.

`Timex` is the DATE value object of the guidelines (TIMEX3 type, value, inclusive interval) and
`ResolutionContext` what a resolver may know beyond the expression (dct, the last time the text
mentioned, the clause's tense). They live apart from `dates.py`, which dispatches to the
resolvers, so that the resolver modules (`date_points.py`, `date_relative.py`,
`date_durations.py`) share them and the helpers they all use (building a Timex over a value's
interval, reading counts and year pairs, placing a month the text gives without its year) without
importing one another or the dispatch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Callable, Literal

from pipeline.normalize.date_calendar import parse_iso_day, value_interval
from pipeline.normalize.date_grammar import DateLexicon, DateMatch
from pipeline.normalize.numbers import parse_number as read_count

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Tense = Literal["past", "future"]
# Durations of these units shift an anchor by whole months (the rest by days).
MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200, "millennium": 12000}
# A day only this far on the "wrong" side of the dct for the clause's tense keeps the dct's
# year (`BEIJING, Nov. 17 (Xinhua) -- China will...` published on Nov. 18).
TENSE_SHIFT_DAYS = 31


@dataclass(frozen=True)
class Timex:
    """The DATE value object of the guidelines: TIMEX3 type and value, inclusive interval."""

    timex_type: TimexType
    timex_value: str
    start: str | None = None
    end: str | None = None

    def as_value(self) -> dict:
        return {"timex_type": self.timex_type, "timex_value": self.timex_value,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class ResolutionContext:
    """What a resolver may know beyond the expression: the dct, the time the sentence last
    mentioned (`ref`, the reference time of anaphoric expressions), the tense of the clause, and
    whether the expression is a comparison baseline (`up 5 percent from a year ago`, which
    counts from `ref` rather than from the dct). The tense is found only when a resolver asks:
    finding it may mean parsing the sentence."""

    dct: date | None = None
    ref: Timex | None = None
    clause_tense: Callable[[], Tense | None] = lambda: None
    comparison: bool = False

    @cached_property
    def tense(self) -> Tense | None:
        return self.clause_tense()

    @property
    def ref_value(self) -> str | None:
        return self.ref.timex_value if self.ref and self.ref.timex_type in ("DATE", "TIME") else None

    @property
    def ref_year(self) -> int | None:
        if self.ref is None:
            return None
        if self.ref.timex_type == "DURATION":
            start = parse_iso_day(self.ref.start)
            return start.year if start else None
        found = re.match(r"(\d{4})", self.ref.timex_value)
        return int(found.group(1)) if found else None

    @property
    def ref_is_named_year(self) -> bool:
        """Whether `ref` is a year pair naming one academic year, season or crop year (`the
        2019-20 academic year`, P1Y): `the previous year` is then such a year too."""
        return self.ref is not None and self.ref.timex_type == "DURATION" and self.ref.timex_value == "P1Y"


# The resolver of one rule kind: a grammar match in its context -> its Timex, or None.
Resolver = Callable[[DateMatch, ResolutionContext, DateLexicon], Timex | None]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def date_timex(value: str, interval: tuple[date, date] | None = None, kind: TimexType = "DATE") -> Timex:
    """A Timex of `value` over `interval`, by default the interval the value covers (none: null)."""
    interval = interval if interval is not None else value_interval(value)
    if interval is None:
        return Timex(kind, value)
    return Timex(kind, value, _iso(interval[0]), _iso(interval[1]))


def with_part_of_day(value: str, pod: str | None, lx: DateLexicon) -> Timex:
    """A day's value, as a TIME with its part of day when the text gives one (`Friday morning`)."""
    if not pod:
        return date_timex(value)
    return date_timex(f"{value}T{lx['parts_of_day'][pod.lower()]}", kind="TIME")


def year_for(month: int, day: int | None, ctx: ResolutionContext) -> int | None:
    """Year of a month (and day) the text leaves without one: the dct's year; a month after the
    dct's month (a day more than a month after the dct) in a past-tense clause is last year's,
    one before it in a future-tense clause next year's (DECISIONS.md: the most recent one on or
    before the dct unless the text places it ahead; the caller reads trading months such as
    `March shipment` as future)."""
    if ctx.dct is None:
        return None
    year = ctx.dct.year
    if day is None:  # a month: any other month is on one side of the dct's month
        later, earlier = month > ctx.dct.month, month < ctx.dct.month
    else:
        try:
            gap = (date(year, month, day) - ctx.dct).days
        except ValueError:  # 29 February in a common year: leave the year as it is
            return year
        later, earlier = gap > TENSE_SHIFT_DAYS, gap < -TENSE_SHIFT_DAYS
    if ctx.tense == "past" and later:
        return year - 1
    if ctx.tense == "future" and earlier:
        return year + 1
    return year


# ---------------------------------------------------------------- small parsers of group text

def parse_number(text: str | None, lexicon: DateLexicon) -> float | None:
    """Counts inside date expressions: `18`, `twenty-five`, `two and a half` (`two-and-a-half`), `a couple of`.

    Numerals are read by the number normalizer; the date lexicon only adds the article forms it
    does not read as numbers (`a`, `an`, `a couple of`, `half an`)."""
    if not text:
        return None
    raw = " ".join(text.lower().replace("-and-a-half", " and a half").split())  # `five-and-a-half years`
    if raw in lexicon["number_words"]:
        return float(lexicon["number_words"][raw])
    number = read_count(raw).value
    return None if number is None else float(number)


def clock_minutes(hour: str, minute: str | None, ampm: str | None, lexicon: DateLexicon) -> int | None:
    """Minutes after midnight of `hour`:`minute` with an optional am/pm word, None for no such time."""
    value = int(hour) if hour.isdigit() else int(parse_number(hour, lexicon) or -1)
    half = lexicon["am_pm"].get((ampm or "").lower().replace(" ", ""))
    if half and not 1 <= value <= 12:
        return None
    if half == "pm" and value < 12:
        value += 12
    elif half == "am" and value == 12:
        value = 0
    if not 0 <= value <= 23:
        return None
    return 60 * value + int(minute or 0)


def range_year(text: str, first: int) -> int | None:
    """The second year of a pair after `first`: written whole (`1986-1990`) or as its last two
    digits (`1986/87`, `1999-00`: the first later year ending so)."""
    if len(text) == 4:
        return int(text)
    second = first // 100 * 100 + int(text)
    return second + 100 if second <= first else second
