"""Resolvers of lengths of time and of repetitions: the DURATION and SET values.

`three years`, `the past three decades`, `31:41` (a race time), `2019-20`, `January 1 to March
23`, `every week`, `twice a year`. They share the TimeML duration grammar (`P2Y3M`, `PT20M38S`,
`duration_value`) and its unit tables; a range is a DURATION of its length covering the range and a
set a duration that repeats, so both are written here, apart from the points in time
(`date_points.py`, `date_relative.py`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipeline.normalize.date_calendar import month_end, shift_months
from pipeline.normalize.date_grammar import DateLexicon, DateMatch
from pipeline.normalize.timex import (
    MONTHS_PER_UNIT, ResolutionContext, Resolver, Timex, clock_minutes, parse_number, range_year, with_part_of_day,
    year_for,
)

DAYS_PER_UNIT = {"day": 1, "week": 7, "fortnight": 14}
UNIT_ORDER = ["millennium", "century", "decade", "year", "quarter", "month", "fortnight", "week",
              "day", "hour", "minute", "second"]
# A fraction of a unit below one is written in the next smaller unit when that is exact.
SMALLER_UNIT = {"year": ("month", 12), "day": ("hour", 24), "hour": ("minute", 60),
                "minute": ("second", 60), "decade": ("year", 10), "century": ("year", 100),
                "week": ("day", 7), "quarter": ("month", 3)}


def _format_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.6g}"


def duration_value(parts: list[tuple[float | None, str]], lx: DateLexicon) -> str | None:
    """[(count or None for `X`, unit), ...] largest unit first -> `P2Y3M`, `PT20M38S`, `PXY`."""
    date_part, time_part = "", ""
    for count, unit in parts:
        code = lx["unit_codes"][unit]
        if count is not None and not float(count).is_integer() and count < 1 and unit in SMALLER_UNIT:
            smaller, factor = SMALLER_UNIT[unit]
            if float(count * factor).is_integer():
                count, unit, code = count * factor, smaller, lx["unit_codes"][smaller]
        amount = "X" if count is None else _format_number(count * code["multiplier"])
        if code["time_part"]:
            time_part += amount + code["timex"]
        else:
            date_part += amount + code["timex"]
    if not date_part and not time_part:
        return None
    return "P" + date_part + ("T" + time_part if time_part else "")


def _ordinal_second(g: dict[str, str]) -> bool:
    """`a second wave`, `a second term`: the ordinal, not one second."""
    return g.get("unit", "").lower() == "second" and (g.get("num") or g.get("article", "")).lower() in ("a", "an")


def _duration(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    unit = lx.unit_name(g["unit"])
    if unit is None or _ordinal_second(g):
        return None
    if re.fullmatch(r"(?:1[89]|20)\d\d", g.get("num", "")):
        return None  # `the 1986 full year`: a year, not 1,986 of them
    if "vague" in g:
        count = None
    elif g.get("num", "").lower() == "half":
        count = 0.5
    else:
        count = parse_number(g.get("num"), lx) if "num" in g else 1.0
        if count is None or count <= 0:
            return None
        if "half" in g:
            count += 0.5
    parts = [(count, unit)]
    for key in ("2", "3"):  # `two hours 18 minutes 15 seconds`: each part a smaller unit
        if "unit" + key in g:
            smaller, number = lx.unit_name(g["unit" + key]), parse_number(g.get("num" + key), lx)
            if smaller is None or number is None or UNIT_ORDER.index(smaller) <= UNIT_ORDER.index(parts[-1][1]):
                return None
            parts.append((number, smaller))
    value = duration_value(parts, lx)
    return Timex("DURATION", value) if value else None


def _duration_anchored(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the past three decades` (P3DE, anchored: the same day 30 years before the dct to the
    dct), `the next five years`, `the previous 12 months` (anaphoric: not anchored)."""
    timex = _duration(m, ctx, lx)
    if timex is None:
        return None
    g = m.groups
    rel, unit = g["rel"].lower(), lx.unit_name(g["unit"])
    if "num" not in g and "vague" not in g and (g["unit"].lower() != unit or rel == "first"):
        return None  # `the last months of 2004`, `the first day of`: no length is given
    count = None if "vague" in g else (parse_number(g.get("num"), lx) if "num" in g else 1.0)
    if ctx.dct is None or count is None or not count.is_integer() or rel not in ("past", "last", "next", "coming"):
        return timex
    count, sign = int(count) * lx["unit_codes"][unit]["multiplier"], 1 if rel in ("next", "coming") else -1
    if unit in MONTHS_PER_UNIT:
        other = shift_months(ctx.dct, sign * count * MONTHS_PER_UNIT[unit])
    elif unit in DAYS_PER_UNIT:
        other = ctx.dct + timedelta(days=sign * count * DAYS_PER_UNIT[unit])
    else:  # hours, minutes, seconds: the days they touch
        seconds = count * {"hour": 3600, "minute": 60, "second": 1}[unit]
        other = ctx.dct + sign * timedelta(days=-(-seconds // 86400))
    start, end = sorted((ctx.dct, other))
    return Timex("DURATION", timex.timex_value, start.isoformat(), end.isoformat())


def _clock_duration(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """A race or elapsed time (`31:41`, `3:07:35`, `7:39.89`) is a length of time (DECISIONS.md);
    fractions of a second keep their digits as written (`9:05.00` -> PT9M5.00S)."""
    hours = f"{int(m.groups['hours'])}H" if "hours" in m.groups else ""
    fraction = f".{m.groups['fraction']}" if "fraction" in m.groups else ""
    return Timex("DURATION", f"PT{hours}{int(m.groups['minutes'])}M{int(m.groups['seconds'])}{fraction}S")


def _clock_range(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`1130 to 1215 GMT`, `8 A.M. until noon`: a stretch of a day is its length (PT45M, PT4H), undated.

    An end without am/pm takes the other's (`3.30 to 5.30 P.M.`) unless that puts it after the
    other. Without am/pm, a zone or noon the numbers are prices as often as times (`between 3.30
    and 5.30`): no span."""
    g = m.groups
    if not {"ampm", "ampm2", "zone", "noon"} & g.keys():
        return None
    if "noon" in g:  # `12 noon`, `midnight`: the clock of the lexicon's part of day
        hour, minute = lx["parts_of_day"][g["noon"].split()[-1].lower()].split(":")
        last = 60 * int(hour) + int(minute)
    else:
        last = clock_minutes(g["hour2"], g.get("minute2"), g.get("ampm2"), lx)
    first = clock_minutes(g["hour"], g.get("minute"), g.get("ampm") or g.get("ampm2"), lx)
    if "ampm" not in g and "ampm2" in g and first is not None and last is not None and first > last:
        first = clock_minutes(g["hour"], g.get("minute"), "am", lx)  # `11 to 2 p.m.`
    if first is None or last is None:
        return None
    length = (last - first) % (24 * 60)
    if length == 0:
        return None
    hours, minutes = divmod(length, 60)
    return Timex("DURATION", "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else ""))


def _range(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """A range is one DURATION: its length at the endpoints' granularity, covering the range."""
    g = m.groups
    if "fiscal" in g:
        return Timex("DURATION", "P1Y")  # `fiscal 1988`, `FY 1988`: a year whose months the text does not give
    if "weekday" in g:  # `Tuesday to Saturday`: a stretch of the week, not dated
        first, last = lx.weekday_number(g["weekday"]), lx.weekday_number(g["weekday2"])
        return Timex("DURATION", f"P{(last - first) % 7 + 1}D") if first != last else None
    if "month" not in g:
        first = int(g["year"])
        last = range_year(g["year2"], first)
        cut = len(g["year2"]) == 2 and re.search(r"\s(?:to|through|till|until|thru)\s", m.text)
        if last is None or not first < last <= first + (20 if cut else 200):
            return None  # `from 102 in 2003 to 81`: a year cut to two digits after `to` ends a short range
        if last == first + 1 and (len(g["year2"]) == 2 or "/" in m.text or m.rule == "range_years_named"):
            return Timex("DURATION", "P1Y")  # `2019-20`, `1986/87`, `the 2020-2021 season`: one named year
        return Timex("DURATION", f"P{last - first + 1}Y", f"{first:04d}-01-01", f"{last:04d}-12-31")
    month1, month2 = lx.month_number(g["month"]), lx.month_number(g.get("month2") or g["month"])
    if month1 is None or month2 is None:
        return None
    if "day" not in g:
        if "year2" in g:
            year1, year2 = int(g["year"]), int(g["year2"])
        else:
            year1 = int(g["year"]) if "year" in g else year_for(month1, None, ctx)
            year2 = None if year1 is None else year1 + (1 if month2 < month1 else 0)
            if "year" in g and month2 < month1:  # `Dec-Feb 2021`: the year belongs to the end
                year1, year2 = year1 - 1, year1
        span = (month2 - month1) % 12 + 1 if year1 is None else (year2 - year1) * 12 + month2 - month1 + 1
        if span < 2:
            return None
        if year1 is None:
            return Timex("DURATION", f"P{span}M")
        return Timex("DURATION", f"P{span}M", f"{year1:04d}-{month1:02d}-01", month_end(year2, month2).isoformat())
    day1, day2 = int(re.sub(r"\D", "", g["day"])), int(re.sub(r"\D", "", g["day2"]))
    if "year" in g:
        year = int(g["year"])
    elif "year2" in g:
        year = int(g["year2"]) - (1 if month2 < month1 else 0)
    else:  # placed by its end, the day the text reports up to (`from January 1 to March 23`)
        end_year = year_for(month2, day2, ctx)
        year = None if end_year is None else end_year - (1 if month2 < month1 else 0)
    try:
        if year is None:
            date(2000, month1, day1), date(2000, month2, day2)  # the days must exist
            span = (date(2001 if month2 < month1 else 2000, month2, day2) - date(2000, month1, day1)).days + 1
            return Timex("DURATION", f"P{span}D") if span >= 2 else None
        start = date(year, month1, day1)
        end = date(int(g["year2"]) if "year2" in g else year + (1 if month2 < month1 else 0), month2, day2)
    except ValueError:
        return None
    if end <= start:
        return None
    return Timex("DURATION", f"P{(end - start).days + 1}D", start.isoformat(), end.isoformat())


def _set(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    if "adverb" in g:
        value = lx["set_adverbs"].get(g["adverb"].lower())
        return Timex("SET", value) if value else None
    if "weekday" in g:
        return Timex("SET", f"XXXX-WXX-{lx.weekday_number(g['weekday'])}")
    if "season" in g:
        return Timex("SET", f"XXXX-{lx['seasons'][g['season'].lower()]}")
    if "pod" in g:  # `every morning`: TimeML's part-of-day value, as a set
        return Timex("SET", with_part_of_day("XXXX-XX-XX", g["pod"], lx).timex_value)
    if "month" in g:
        return Timex("SET", f"XXXX-{lx.month_number(g['month']):02d}")
    unit = "year" if g["unit"].lower() == "annum" else lx.unit_name(g["unit"])
    if unit is None or _ordinal_second(g):
        return None
    num = g.get("num", "").lower()
    if "vague" in g:
        count = None
    elif num == "other":
        count = 2.0
    else:
        count = parse_number(num, lx) if num else 1.0
        if count is None or count <= 0:
            return None
    value = duration_value([(count, unit)], lx)
    return Timex("SET", value) if value else None


def _season_length(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`this season`, `the following season`: one sports or trading season, a year long, whose
    dates the text does not give (as `the 2020-21 season`)."""
    return Timex("DURATION", "P1Y")


RESOLVERS: dict[str, Resolver] = {
    "season_length": _season_length,
    "duration": _duration, "duration_anchored": _duration_anchored, "clock_duration": _clock_duration,
    "clock_range": _clock_range,
    "range": _range, "set": _set,
}
