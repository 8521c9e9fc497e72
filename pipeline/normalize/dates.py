"""Resolve a date expression to its TIMEX3 type, value and inclusive calendar interval.

`resolve_timex("last year", "2021-10-13")` -> Timex("DATE", "2020", "2020-01-01", "2020-12-31").
Values follow TimeML TIMEX3 (Pustejovsky et al. 2005; TIDES 2005 for seasons, halves, quarters
and `*_REF`); conventions where TimeML leaves a choice are those of docs/annotation-guidelines.md
and the annotator brief: relative expressions resolve against the document creation time (dct);
without one every unknown part is `X` and the interval is null (never the machine's clock);
partial periods (`the first 11 months of 2024`) keep the whole period's value with their exact
interval; ranges are DURATIONs of their length covering the range; anaphoric expressions
(`the previous year`, `a year earlier`) count from the last time the text mentioned (`ref`).

dateparser reads full calendar dates (in `date_points.py`; it knows many formats) with a fixed
RELATIVE_BASE and all of day, month and year required, so it never fills a part from the clock.
Everything else is our grammar (`date_grammar.py`). Nothing here raises on any input: it returns
a Timex or None.

Each rule kind of the grammar has one resolver, in the module of its kind of expression:
`date_points.py` (dates the text names on the calendar), `date_relative.py` (dates and times
counted from the dct or the last time mentioned), `date_durations.py` (durations, ranges and
sets); `timex.py` holds the value object and context they share. This module dispatches a match
to its kind's resolver and lets only valid values out.
"""

from __future__ import annotations

from typing import Callable

from pipeline.normalize import date_durations, date_points, date_relative
from pipeline.normalize.date_calendar import is_timeml_value, parse_iso_day
from pipeline.normalize.date_durations import duration_value
from pipeline.normalize.date_grammar import DateMatch, load_grammar
from pipeline.normalize.date_relative import combine_time_and_day
from pipeline.normalize.timex import ResolutionContext, Resolver, Tense, Timex, date_timex, parse_number

# What callers import from here; the resolvers and their helpers stay in their modules.
__all__ = ["RESOLVERS", "ResolutionContext", "Tense", "Timex", "combine_time_and_day", "duration_value",
           "make_context", "parse_number", "resolve_match", "resolve_timex"]

# The resolver of each rule kind (`kind` in patterns/dates.jsonl), from the table of its module.
RESOLVERS: dict[str, Resolver] = {**date_points.RESOLVERS, **date_relative.RESOLVERS, **date_durations.RESOLVERS}


def _valid(timex: Timex | None) -> Timex | None:
    """Only TimeML-valid values with ISO, ordered intervals (both ends or neither) leave here."""
    if timex is None or not is_timeml_value(timex.timex_type, timex.timex_value):
        return None
    if (timex.start is None) != (timex.end is None):
        return None
    if timex.start is not None:
        start, end = parse_iso_day(timex.start), parse_iso_day(timex.end)
        if start is None or end is None or start > end:
            return None
    return timex


def resolve_match(match: DateMatch, ctx: ResolutionContext) -> Timex | None:
    """The Timex of one grammar match in its context, or None when it names no real time."""
    try:
        return _valid(RESOLVERS[match.kind](match, ctx, load_grammar().lexicon))
    except (ValueError, OverflowError, KeyError, IndexError, TypeError):
        return None  # impossible dates (`Feb 30`), years out of range, unknown words


def make_context(dct: str | None, ref: Timex | str | None = None,
                 tense: Tense | Callable[[], Tense | None] | None = None, comparison: bool = False) -> ResolutionContext:
    """`ref` may be a Timex or a bare TIMEX value (`2019`, `2020-Q3`); `tense` a value or a
    function that finds it."""
    if isinstance(ref, str):
        ref = date_timex(ref)
    clause_tense = tense if callable(tense) else lambda: tense
    return ResolutionContext(parse_iso_day(dct), ref if isinstance(ref, Timex) else None, clause_tense, comparison)


def resolve_timex(expression: str, dct: str | None = None, ref: Timex | str | None = None,
                  tense: Tense | None = None) -> Timex | None:
    """Resolve a whole date expression (as a span's text) against a dct `YYYY-MM-DD` or None."""
    if not isinstance(expression, str) or len(expression) > 200:
        return None
    ctx = make_context(dct, ref, tense)
    # A rate (`a month` after an amount) needs the text around it; alone it is a duration.
    matches = sorted(load_grammar().fullmatch(expression.strip()), key=lambda m: m.context == "rate")
    for match in matches:
        timex = resolve_match(match, ctx)
        if timex is not None:
            return timex
    return None
