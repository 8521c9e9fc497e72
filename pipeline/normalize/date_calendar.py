"""Calendar arithmetic for TIMEX3 values: the interval a value covers, unit shifts, ISO weeks.

Intervals are inclusive calendar days (annotation guidelines, DATE). Values follow TimeML
TIMEX3 (ISO 8601 plus the TIDES extensions `-Q1`, `-H1`, `-SU`, `-WE`, `199` for a decade,
`20` for a century); the value grammar itself is data in `patterns/date_timeml.json`.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from pipeline.config import PATTERNS_DIR as PATTERNS
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}

Interval = tuple[date, date]


@lru_cache(maxsize=1)
def timeml_grammar() -> dict[str, re.Pattern[str]]:
    """The TimeML value regex per timex_type, from `date_timeml.json` (unknown keys fail)."""
    raw = json.loads((PATTERNS / "date_timeml.json").read_text(encoding="utf-8"))
    unknown = set(raw) - set(TIMEX_TYPES) - {"about"}
    if unknown or set(TIMEX_TYPES) - set(raw):
        raise ValueError(f"date_timeml.json: unexpected keys {sorted(unknown)} or missing types")
    return {kind: re.compile(raw[kind]) for kind in TIMEX_TYPES}


def is_timeml_value(timex_type: str, value: str) -> bool:
    pattern = timeml_grammar().get(timex_type)
    return bool(pattern and pattern.match(value))


def parse_iso_day(text: str | None) -> date | None:
    """`YYYY-MM-DD` to a date; anything else (None, junk, impossible days) to None."""
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_interval(year: int, first_month: int, last_month: int) -> Interval:
    """Months counted from January of `year`; 14 is February of the next year (winter)."""
    end_year, end_month = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
    return date(year, first_month, 1), month_end(end_year, end_month)


def year_interval(year: int) -> Interval:
    return date(year, 1, 1), date(year, 12, 31)


def iso_week_interval(year: int, week: int) -> Interval:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def iso_week_value(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def season_interval(year: int, season: str) -> Interval:
    first, last = SEASON_MONTHS[season]
    return months_interval(year, first, last)


def shift_months(day: date, months: int) -> date:
    """Same calendar day `months` later (clamped to the month's end), as in `the past 6 months`."""
    return day + relativedelta(months=months)


def value_interval(value: str) -> Interval | None:
    """The calendar days a fully specified DATE/TIME value covers; None when any part is X."""
    if "X" in value or value.endswith("_REF"):
        return None
    try:
        return _value_interval(value.split("T", 1)[0])
    except ValueError:
        return None


def _value_interval(value: str) -> Interval | None:
    if re.fullmatch(r"\d{2}", value):
        start = int(value) * 100
        return date(max(start, 1), 1, 1), date(start + 99, 12, 31)
    if re.fullmatch(r"\d{3}", value):
        start = int(value) * 10
        return date(max(start, 1), 1, 1), date(start + 9, 12, 31)
    found = re.fullmatch(r"(\d{4})(?:-(.+))?", value)
    if not found:
        return None
    year, rest = int(found.group(1)), found.group(2)
    if rest is None:
        return year_interval(year)
    if re.fullmatch(r"\d{2}", rest):
        return months_interval(year, int(rest), int(rest))
    if re.fullmatch(r"\d{2}-\d{2}", rest):
        day = date(year, int(rest[:2]), int(rest[3:]))
        return day, day
    if re.fullmatch(r"Q[1-4]", rest):
        quarter = int(rest[1])
        return months_interval(year, 3 * quarter - 2, 3 * quarter)
    if re.fullmatch(r"H[12]", rest):
        half = int(rest[1])
        return months_interval(year, 6 * half - 5, 6 * half)
    if rest in SEASON_MONTHS:
        return season_interval(year, rest)
    week = re.fullmatch(r"W(\d{2})(?:-(\d|WE))?", rest)
    if week:
        monday, sunday = iso_week_interval(year, int(week.group(1)))
        if week.group(2) == "WE":
            return monday + timedelta(days=5), sunday
        if week.group(2):
            day = monday + timedelta(days=int(week.group(2)) - 1)
            return day, day
        return monday, sunday
    return None


def shift_value(value: str, years: int) -> str:
    """The same period `years` later (negative: earlier): `2020-Q3` -> `2019-Q3`; X stays X."""
    found = re.match(r"(\d{4})(.*)", value)
    if not found:
        return value
    return f"{int(found.group(1)) + years:04d}{found.group(2)}"


def calendar_value(start: date, end: date) -> str:
    """The TIMEX value of the calendar unit an interval fills (a month, a quarter, a half), or its
    year: `2003-10-01`/`2003-12-31` -> `2003-Q4`; the first two months of a year -> `2003`."""
    if start.year == end.year and start.day == 1 and end == month_end(end.year, end.month):
        months = (start.month, end.month)
        if months[0] == months[1]:
            return f"{start.year:04d}-{start.month:02d}"
        if months[1] - months[0] == 2 and months[0] % 3 == 1:
            return f"{start.year:04d}-Q{months[1] // 3}"
        if months in ((1, 6), (7, 12)):
            return f"{start.year:04d}-H{months[1] // 6}"
    return f"{start.year:04d}"


def holiday_date(year: int, rule: str) -> date | None:
    """`MM-DD` fixed holidays, or a computed one (`easter`, `thanksgiving`: 4th Thursday of Nov)."""
    if rule == "easter":
        return easter(year)
    if rule == "thanksgiving":
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    found = re.fullmatch(r"(\d{2})-(\d{2})", rule)
    return date(year, int(found.group(1)), int(found.group(2))) if found else None
