"""Resolvers of the dates and times counted from another time: the dct or the last one named.

`last year`, `the previous month`, `earlier this year`, `Friday`, `yesterday`, `tonight`, `two
years ago`, `a year earlier`, `the same period last year`, `recent years`, `3 pm`. None of these
names its place on the calendar: each counts from an anchor, the dct or, for anaphoric
expressions, the time the text last mentioned (`ref`), so the choice of anchor (`_anchor_year`,
`_anchor_day`) is kept here with the expressions that make it, apart from the dates the text names
(`date_points.py`) and the lengths of time (`date_durations.py`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipeline.normalize.date_calendar import (
    calendar_value, iso_week_value, month_end, parse_iso_day, shift_months, shift_value, value_interval,
)
from pipeline.normalize.date_grammar import DateLexicon, DateMatch
from pipeline.normalize.timex import (
    MONTHS_PER_UNIT, ResolutionContext, Resolver, Timex, clock_minutes, date_timex, parse_number, with_part_of_day,
)


def _anchor_year(ctx: ResolutionContext, anaphoric: bool) -> int | None:
    if anaphoric and ctx.ref_year is not None:
        return ctx.ref_year
    return ctx.dct.year if ctx.dct else None


def _anchor_day(ctx: ResolutionContext, anaphoric: bool) -> date | None:
    """The point relative expressions count from: the dct, or for anaphoric ones the last
    mentioned time when it names a month or day (its first day)."""
    if anaphoric and ctx.ref_value:
        interval = value_interval(ctx.ref_value)
        if interval and re.match(r"\d{4}-(\d{2}|W\d{2}|Q\d|H\d)", ctx.ref_value):
            return interval[0]
    return ctx.dct


def _relative(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`last year`, `the previous month`, `this week`; `earlier this year` (`earlier in the year`)
    ends at the dct and `later this year` starts at it (the part of the period on that side of
    the story)."""
    timex = _relative_period(m, ctx, lx)
    mod = m.groups.get("mod", "").lower()
    this = m.groups.get("rel", "").lower() == "this" or m.rule == "relative_in_the"  # `later in the year`
    if timex is None or mod not in ("earlier", "later") or not this or ctx.dct is None or timex.start is None:
        return timex
    start, end = parse_iso_day(timex.start), parse_iso_day(timex.end)
    if not start <= ctx.dct <= end:
        return timex
    start, end = (start, ctx.dct) if mod == "earlier" else (ctx.dct, end)
    return Timex(timex.timex_type, timex.timex_value, start.isoformat(), end.isoformat())


def _full_year(g: dict[str, str], ctx: ResolutionContext) -> Timex:
    """`the 1986 full year`; `the full year`: the year the paragraph names, else the dct's, or the
    one before it when a past clause reports it (`said it made a profit for the full year`, told in
    March: the results of the year just ended)."""
    if "year" in g:
        return date_timex(g["year"])
    year = _anchor_year(ctx, True)
    if year is None:
        return Timex("DATE", "XXXX")
    if ctx.ref_year is None and ctx.tense == "past":
        year -= 1
    return date_timex(f"{year:04d}")


def _relative_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    unit = (g.get("unit") or g.get("unit_end", "")).lower()
    if unit.startswith("full"):
        return _full_year(g, ctx)
    rel = g.get("rel", "the").lower()  # `the end of the year`, `year-end`: the year in question
    delta = {"before": -1, "after": 1}.get(rel, lx["relatives"].get(rel, 0))
    anaphoric = rel in lx["anaphoric_relatives"] or rel in ("before", "after", "the")
    if unit == "year" and anaphoric and delta and ctx.ref_is_named_year:
        return Timex("DURATION", "P1Y")  # the academic year before `the 2018-19 academic year`
    if unit == "year":
        year = _anchor_year(ctx, anaphoric)
        if year is None:
            return Timex("DATE", "XXXX")
        return date_timex(f"{year + delta:04d}")
    if unit == "decade":
        year = _anchor_year(ctx, anaphoric)
        return date_timex(f"{year // 10 + delta:03d}") if year is not None else Timex("DATE", "XXX")
    if unit == "century":
        year = _anchor_year(ctx, anaphoric)
        return date_timex(f"{year // 100 + delta:02d}") if year is not None else Timex("DATE", "XX")
    anchor = _anchor_day(ctx, anaphoric)
    if unit == "day":  # `the previous day` after `on Sunday`
        weekday = re.fullmatch(r"XXXX-WXX-([1-7])", ctx.ref_value or "") if anaphoric else None
        if weekday:
            return Timex("DATE", f"XXXX-WXX-{(int(weekday.group(1)) - 1 + delta) % 7 + 1}")
        if anchor is None:
            return Timex("DATE", "XXXX-XX-XX")
        return date_timex((anchor + timedelta(days=delta)).isoformat())
    if unit == "month":
        if anaphoric and delta and (moved := _yearless_shift(ctx.ref_value, "month", delta)) is not None:
            return Timex("DATE", moved)  # `the previous month` after `December` with no year known
        if anchor is None:
            return Timex("DATE", "XXXX-XX")
        day = shift_months(anchor.replace(day=1), delta)
        return date_timex(f"{day.year:04d}-{day.month:02d}")
    if unit == "quarter":
        if anchor is None:
            return Timex("DATE", "XXXX-QX")
        day = shift_months(anchor.replace(day=1), 3 * delta)
        return date_timex(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")
    if unit in ("week", "weekend"):
        if anchor is None:
            return Timex("DATE", "XXXX-WXX" + ("-WE" if unit == "weekend" else ""))
        if unit == "weekend" and rel == "the" and ctx.tense == "past" and anchor.isoweekday() < 6:
            delta = -1  # `at the weekend` told on a weekday in the past tense: the one just gone
        value = iso_week_value(anchor + timedelta(weeks=delta))
        return date_timex(value + ("-WE" if unit == "weekend" else ""))
    return None


def _weekday(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    weekday = lx.weekday_number(g["weekday"])
    if weekday is None:
        return None
    ref = parse_iso_day(ctx.ref.start) if ctx.ref is not None and ctx.ref.start == ctx.ref.end else None
    if "anaphor" in g and ref is not None:  # `last Friday ... from the previous Friday`: a week before it
        step = (ref.isoweekday() - weekday) % 7 or 7
        day = ref - timedelta(days=step) if g["anaphor"].lower() != "following" \
            else ref + timedelta(days=(weekday - ref.isoweekday()) % 7 or 7)
        return with_part_of_day(day.isoformat(), g.get("pod"), lx)
    if "week" in g and ctx.dct is not None:  # `Wednesday last week`: that day of the week named
        week = {"last": -1, "this": 0, "next": 1}[g["week"].lower()]
        day = ctx.dct + timedelta(days=weekday - ctx.dct.isoweekday(), weeks=week)
        return with_part_of_day(day.isoformat(), g.get("pod"), lx)
    if ctx.dct is None:
        return with_part_of_day(f"XXXX-WXX-{weekday}", g.get("pod"), lx)
    dct, rel = ctx.dct, g.get("rel", "").lower() or {"previous": "last", "preceding": "last",
                                                       "following": "next"}.get(g.get("anaphor", "").lower(), "")
    back = (dct.isoweekday() - weekday) % 7
    if rel in ("last", "past"):
        day = dct - timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        day = dct + timedelta(days=(weekday - dct.isoweekday()) % 7 or 7)
    elif rel == "this":
        day = dct + timedelta(days=weekday - dct.isoweekday())
    elif ctx.tense == "future":
        day = dct + timedelta(days=(weekday - dct.isoweekday()) % 7)
    else:
        day = dct - timedelta(days=back)
    return with_part_of_day(day.isoformat(), g.get("pod"), lx)


def _deictic(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    word = (g.get("deictic") or g.get("rel", "")).lower()
    pod = g.get("pod") or ("tonight" if word == "tonight" else None)
    if word == "last" and pod and pod.lower() != "night":
        return None  # `last morning` is not English; `last night` is
    offset = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(word, 0)
    value = (ctx.dct + timedelta(days=offset)).isoformat() if ctx.dct else "XXXX-XX-XX"
    return with_part_of_day(value, pod, lx)


def _shift(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`two years ago`, `a year earlier`, `three days later`, `year-earlier`; a year before a month,
    quarter or half the text names is that period a year before (`orders in February rose from a
    year earlier`: February of the year before)."""
    g = m.groups
    unit = lx.unit_name(g["unit"])
    direction = re.sub(r"\s+", " ", g["dir"].lower())
    if direction.endswith("time"):
        direction = "from now"  # `in five years' time`
    sign = 1 if direction in ("later", "from now", "hence") else -1
    if "vague" in g:
        return Timex("DATE", "FUTURE_REF" if sign > 0 else "PAST_REF")
    count = parse_number(g.get("num"), lx) if "num" in g else 1.0
    if count is None or not count.is_integer() or unit is None:
        return None
    count = int(count) * lx["unit_codes"][unit]["multiplier"]
    anaphoric = direction in ("earlier", "later", "previously", "before") or ctx.comparison
    if m.rule == "year_earlier":
        if ctx.ref_value and re.match(r"(\d{4}|XXXX)", ctx.ref_value):
            value = shift_value(ctx.ref_value.split("T")[0], -1)
            return date_timex(value)
        anaphoric = True
    if unit == "year" and anaphoric and sign < 0 and (moved := _years_later(ctx.ref, -count)) is not None:
        return moved  # `in February ... from a year earlier`, `the first four months ... a year ago`
    whole_years = unit in ("month", "quarter") and count * MONTHS_PER_UNIT[unit] % 12 == 0 \
        and anaphoric and ctx.ref_value is not None and re.fullmatch(r"\d{4}", ctx.ref_value) is not None
    if unit in MONTHS_PER_UNIT and unit not in ("month", "quarter") or whole_years:
        # `12 months later` after `in 2002`: a reference known to the year moves by whole years
        year = _anchor_year(ctx, anaphoric)
        if year is None:
            return Timex("DATE", "XXXX")
        return date_timex(f"{year + sign * count * MONTHS_PER_UNIT[unit] // 12:04d}")
    if lx["unit_codes"][unit]["time_part"]:
        return Timex("TIME", "XXXX-XX-XXTXX:XX")  # `10 minutes later`: a time whose clock no dct gives
    anchor = _anchor_day(ctx, anaphoric)
    if anchor is None and anaphoric and unit in ("month", "day") \
            and (moved := _yearless_shift(ctx.ref_value, unit, sign * count)) is not None:
        return Timex("DATE", moved)  # `four days later` after `Tuesday, 14 June` (no year): XXXX-06-18
    if unit in ("month", "quarter"):
        if anchor is None:
            return Timex("DATE", "XXXX-XX" if unit == "month" else "XXXX-QX")
        day = shift_months(anchor, sign * count * MONTHS_PER_UNIT[unit])
        if unit == "quarter":
            return date_timex(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")
        return date_timex(f"{day.year:04d}-{day.month:02d}")
    if unit in ("week", "fortnight"):
        if anchor is None:
            return Timex("DATE", "XXXX-WXX")
        return date_timex(iso_week_value(anchor + timedelta(weeks=sign * count)))
    if anchor is None:
        return Timex("DATE", "XXXX-XX-XX")
    return date_timex((anchor + timedelta(days=sign * count)).isoformat())


def _yearless_shift(ref_value: str | None, unit: str, shift: int) -> str | None:
    """A month or day the text names without a year (`XXXX-06-14`), `shift` months or days on;
    the month and day are known though the year is not (arithmetic in a common year)."""
    if unit == "month" and (month := re.fullmatch(r"XXXX-(\d{2})", ref_value or "")):
        return f"XXXX-{(int(month.group(1)) - 1 + shift) % 12 + 1:02d}"
    if unit == "day" and (day := re.fullmatch(r"XXXX-(\d{2})-(\d{2})", ref_value or "")):
        try:
            moved = date(2001, int(day.group(1)), int(day.group(2))) + timedelta(days=shift)
        except ValueError:  # 29 February: no common year has it
            return None
        return f"XXXX-{moved.month:02d}-{moved.day:02d}"
    return None


def _years_later(ref: Timex | None, shift: int) -> Timex | None:
    """The period `ref` names, `shift` years later (negative: earlier): its interval moved when
    it lies within one year (`the first four months of 1987` -> January to April 1986), its value
    kept when it has no year (`XXXX-Q4`: a year before an undated quarter is undated); None when
    `ref` gives neither."""
    if ref is None or ref.timex_type not in ("DATE", "DURATION"):
        return None
    start, end = (parse_iso_day(ref.start), parse_iso_day(ref.end)) if ref.start and ref.end else (None, None)
    if start and end and start.year == end.year:
        whole_month = end == month_end(end.year, end.month)
        try:
            start, end = start.replace(year=start.year + shift), (
                month_end(end.year + shift, end.month) if whole_month else end.replace(year=end.year + shift))
        except ValueError:  # 29 February
            return date_timex(f"{start.year + shift:04d}")
        value = shift_value(ref.timex_value, shift) if ref.timex_type == "DATE" and ref.timex_value[:1].isdigit() \
            else calendar_value(start, end)
        return Timex("DATE", value, start.isoformat(), end.isoformat())
    if ref.timex_type == "DATE" and ref.timex_value.startswith("XXXX-"):
        return Timex("DATE", ref.timex_value)  # no dct: `December sales ... the same month last year`
    return None


def _same_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the same period last year`: the period the text last named, a year before (`exports from
    January 1 to March 23 ... the same period last year`: 1986-01-01/1986-03-23); else last year.
    `the same period in 2003` (`the same 2003 period`) moves it to that year. `this time last year`
    is the dct's day a year before."""
    if m.groups.get("now") and ctx.dct is not None:
        return date_timex(shift_months(ctx.dct, -12).isoformat())
    ref = ctx.ref
    year = m.groups.get("year") or m.groups.get("year_b")
    start = parse_iso_day(ref.start) if ref and ref.start else None
    if (moved := _years_later(ref, int(year) - start.year if year and start else -1)) is not None:
        return moved
    if year:
        return date_timex(f"{int(year):04d}")
    if ctx.dct is None:
        return Timex("DATE", "XXXX")
    return date_timex(f"{ctx.dct.year - 1:04d}")


def _vague(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    key = re.sub(r"\s+", " ", m.groups["vague_ref"].lower())
    value = lx["vague_references"].get(key)
    if value is None:
        return None
    return Timex("DATE" if value.endswith("_REF") else "DURATION", value)


# A day's value: a date (`1987-03-06`, `XXXX-03-01`) or a weekday (`XXXX-WXX-5`), which a time of day falls on.
_DAY_VALUE = re.compile(r"(?:\d{4}|XXXX)-(?:\d{2}|XX)-(?:\d{2}|XX)|(?:\d{4}|XXXX)-W(?:\d{2}|XX)-\d")


def _time(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    if "pod" in g:
        clock = lx["parts_of_day"][g["pod"].lower()]
    else:
        if g.get("sep") == "." and "ampm" not in g and "zone" not in g:
            return None  # `16.30` without am/pm is a decimal number more often than a time
        minutes = clock_minutes(g["hour"], g.get("minute"), g.get("ampm"), lx)
        if minutes is None:
            return None
        clock = f"{minutes // 60:02d}:{minutes % 60:02d}"
    day = ctx.ref_value if ctx.ref_value and _DAY_VALUE.fullmatch(ctx.ref_value) else None
    if day is None:
        day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return date_timex(f"{day}T{clock}", kind="TIME")


def _week_to_weekday(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the week ended Wednesday`, `the week to Friday`: the week of that day, resolved as the
    weekday alone is (as `the week ended February 25` is the week of that date)."""
    day = _weekday(m, ctx, lx)
    if day is None or not _DAY_VALUE.fullmatch(day.timex_value):
        return Timex("DATE", "XXXX-WXX")
    return date_timex(iso_week_value(date.fromisoformat(day.timex_value)))


def combine_time_and_day(time: Timex, day: Timex) -> Timex | None:
    """`midday` + `February 27` -> TIME `1987-02-27T12:00` with that day as its interval."""
    clock = re.fullmatch(r".+T(\d{2}:\d{2})", time.timex_value)
    if time.timex_type != "TIME" or day.timex_type != "DATE" or not clock:
        return None
    if not _DAY_VALUE.fullmatch(day.timex_value):
        return None
    return Timex("TIME", f"{day.timex_value}T{clock.group(1)}", day.start, day.end)


RESOLVERS: dict[str, Resolver] = {
    "relative": _relative, "weekday": _weekday, "week_to_weekday": _week_to_weekday, "deictic": _deictic, "shift": _shift,
    "same_period": _same_period, "vague": _vague, "time": _time,
}
