"""Resolve a date expression to its TIMEX3 type, value and inclusive calendar interval.

`resolve_timex("last year", "2021-10-13")` -> Timex("DATE", "2020", "2020-01-01", "2020-12-31").
Values follow TimeML TIMEX3 (Pustejovsky et al. 2005; TIDES 2005 for seasons, halves, quarters
and `*_REF`); conventions where TimeML leaves a choice are those of docs/annotation-guidelines.md
and the annotator brief: relative expressions resolve against the document creation time (dct);
without one every unknown part is `X` and the interval is null (never the machine's clock);
partial periods (`the first 11 months of 2024`) keep the whole period's value with their exact
interval; ranges are DURATIONs of their length covering the range; anaphoric expressions
(`the previous year`, `a year earlier`) count from the last time the text mentioned (`ref`).

dateparser reads full calendar dates (it knows many formats) with a fixed RELATIVE_BASE and all
of day, month and year required, so it never fills a part from the clock. Everything else is our
grammar (`date_grammar.py`). Nothing here raises on any input: it returns a Timex or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Callable, Literal

from pipeline.normalize.date_calendar import (
    calendar_value, holiday_date, is_timeml_value, iso_week_value, month_end, months_interval, parse_iso_day,
    season_interval, shift_months, shift_value, value_interval,
)
from pipeline.normalize.date_grammar import DateLexicon, DateMatch, load_grammar
from pipeline.normalize.numbers import parse_number as read_count

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Tense = Literal["past", "future"]
# Durations of these units shift an anchor by whole months (the rest by days).
MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200, "millennium": 12000}
DAYS_PER_UNIT = {"day": 1, "week": 7, "fortnight": 14}
UNIT_ORDER = ["millennium", "century", "decade", "year", "quarter", "month", "fortnight", "week",
              "day", "hour", "minute", "second"]
# A fraction of a unit below one is written in the next smaller unit when that is exact.
# A day only this far on the "wrong" side of the dct for the clause's tense keeps the dct's
# year (`BEIJING, Nov. 17 (Xinhua) -- China will...` published on Nov. 18).
TENSE_SHIFT_DAYS = 31
SMALLER_UNIT = {"year": ("month", 12), "day": ("hour", 24), "hour": ("minute", 60),
                "minute": ("second", 60), "decade": ("year", 10), "century": ("year", 100),
                "week": ("day", 7), "quarter": ("month", 3)}


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


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date_timex(value: str, interval: tuple[date, date] | None = None, kind: TimexType = "DATE") -> Timex:
    interval = interval if interval is not None else value_interval(value)
    if interval is None:
        return Timex(kind, value)
    return Timex(kind, value, _iso(interval[0]), _iso(interval[1]))


# ---------------------------------------------------------------- small parsers of group text

def parse_number(text: str | None, lexicon: DateLexicon) -> float | None:
    """Counts inside date expressions: `18`, `twenty-five`, `two and a half`, `a couple of`.

    Numerals are read by the number normalizer; the date lexicon only adds the article forms it
    does not read as numbers (`a`, `an`, `a couple of`, `half an`)."""
    if not text:
        return None
    raw = " ".join(text.lower().split())
    if raw in lexicon["number_words"]:
        return float(lexicon["number_words"][raw])
    number = read_count(raw).value
    return None if number is None else float(number)


def _format_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:.6g}"


def _ordinal(text: str | None, lexicon: DateLexicon, last: int) -> int | None:
    if not text:
        return None
    key = text.lower()
    if key in ("latter", "final"):
        return last
    value = lexicon["ordinals"].get(key)
    if value == -1:
        return last
    return value


def _year_for(month: int, day: int | None, ctx: ResolutionContext) -> int | None:
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


def _period_year(ctx: ResolutionContext, groups: dict[str, str], first_month: int, last_month: int) -> int | None:
    """Year of a quarter/half/partial period from `of 2024`, `of last year`, `of the previous
    year`, `of the year` or, when unsaid, the dct (tense-adjusted)."""
    for key in ("year", "year_b"):
        if key in groups:
            return int(groups[key])
    if "rel" in groups:
        delta = {"last": -1, "this": 0, "next": 1}[groups["rel"].lower()]
        return ctx.dct.year + delta if ctx.dct else None
    anchor = ctx.ref_year or (ctx.dct.year if ctx.dct else None)
    if "anaphor" in groups:
        delta = {"previous": -1, "preceding": -1, "prior": -1, "following": 1}.get(groups["anaphor"].lower(), 0)
        return anchor + delta if anchor is not None else None
    if "the_year" in groups:
        return anchor
    if ctx.dct is None:
        return None
    year = ctx.dct.year
    start, end = months_interval(year, first_month, last_month)
    if ctx.tense == "past" and end > ctx.dct:
        return year - 1
    if ctx.tense == "future" and end < ctx.dct:
        return year + 1
    return year


# ---------------------------------------------------------------- resolvers, one per rule kind

def _calendar_day(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    month = int(g["month_num"]) if "month_num" in g else lx.month_number(g.get("month", ""))
    day = lx["day_words"].get(g.get("day", "").lower()) or int(re.sub(r"\D", "", g.get("day", "")) or 0)
    if not month or not 1 <= day <= 31:
        return None
    if "rel_year" in g and ctx.dct is not None:  # `Nov. 16 this year`
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[g["rel_year"].lower()]
        return _date_timex(date(year, month, day).isoformat())
    if "year" in g:
        parsed = _dateparser_day(m.text, m.rule == "numeric_date")
        if parsed is None:
            return None
        return _date_timex(parsed.isoformat())
    try:
        date(2000, month, day)  # a leap year: the day must exist in some year
    except ValueError:
        return None
    year = _year_for(month, day, ctx)
    if year is None:
        return Timex("DATE", f"XXXX-{month:02d}-{day:02d}")
    try:
        return _date_timex(date(year, month, day).isoformat())
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _day_parser():
    import dateparser

    settings = {"RELATIVE_BASE": datetime(2000, 1, 1), "STRICT_PARSING": True,
                "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "MDY",
                "PREFER_LOCALE_DATE_ORDER": False, "RETURN_AS_TIMEZONE_AWARE": False}
    return dateparser.DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def _dateparser_day(text: str, numeric: bool) -> date | None:
    """A full calendar date in any of dateparser's formats; None if it is not a real day."""
    try:
        found = _day_parser().get_date_data(text)
    except Exception:  # noqa: BLE001 - dateparser on odd input; treated as no date
        return None
    return found.date_obj.date() if found and found.date_obj else None


def _holiday(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    name = next((h for h in lx["holidays"] if h.lower() == re.sub(r"\s+", " ", g["holiday"]).replace("\u2019", "'").lower()), None)
    if name is None:
        return None
    rule = lx["holidays"][name]
    if "year" in g:
        year = int(g["year"])
    elif ctx.dct is None:
        return Timex("DATE", f"XXXX-{rule}" if re.fullmatch(r"\d{2}-\d{2}", rule) else "XXXX-XX-XX")
    else:
        rel = g.get("rel", "").lower()
        this = holiday_date(ctx.dct.year, rule)
        year = ctx.dct.year
        if (rel == "last" and this and this >= ctx.dct) or (not rel and ctx.tense == "past" and this and this > ctx.dct):
            year -= 1  # `last Christmas`; `sales peaked at Christmas` told in January
        elif (rel == "next" and this and this <= ctx.dct) or (not rel and ctx.tense == "future" and this and this < ctx.dct):
            year += 1
    day = holiday_date(year, rule)
    return _date_timex(day.isoformat()) if day else None


def _holiday_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the Christmas period`, `the holiday season`: the holiday's month, in the year the tense
    places it (`sales over the festive season` told in January are last December's)."""
    month = lx["holiday_periods"].get(re.sub(r"\s+", " ", m.groups["holiday_period"]).lower())
    if month is None:
        return None
    if ctx.dct is None:
        return Timex("DATE", f"XXXX-{month:02d}")
    year = ctx.dct.year - (ctx.tense == "past" and ctx.dct.month < month)
    return _date_timex(f"{year:04d}-{month:02d}")


def _event_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`its first week`, `the final day`: a period counted from an event the text names (a
    release, a tournament), so its calendar place is unknown; the value keeps only the unit."""
    return Timex("DATE", lx["event_periods"][m.groups["unit"].lower()])


def _week_of(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    day_timex = _calendar_day(m, ctx, lx)
    if day_timex is None:
        return None
    day = parse_iso_day(day_timex.timex_value)
    if day is None:
        return Timex("DATE", "XXXX-WXX")
    return _date_timex(iso_week_value(day))


def _month(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    month = lx.month_number(g["month"])
    if month is None:
        return None
    if "year" in g:
        year = int(g["year"])
    elif "rel_year" in g:
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[g["rel_year"].lower()] if ctx.dct else None
    elif "rel" in g and ctx.dct is not None:
        rel = g["rel"].lower()
        year = ctx.dct.year
        if rel in ("last", "past") and month >= ctx.dct.month:
            year -= 1
        elif rel in ("next", "coming") and month <= ctx.dct.month:
            year += 1
    else:
        year = _year_for(month, None, ctx)
    if year is None:
        return Timex("DATE", f"XXXX-{month:02d}")
    return _date_timex(f"{year:04d}-{month:02d}")


def _year(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    return _date_timex(f"{int(m.groups['year']):04d}")


def _decade(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    if "decade" in g:
        start = int(g["decade"])
    else:
        short = int(g["decade2"])
        start = (1900 if short >= 30 else 2000) + short
    return _date_timex(f"{start // 10:03d}")


def _century(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    word = m.groups["ord"].lower()
    number = int(re.sub(r"\D", "", word)) if word[0].isdigit() else lx["ordinals"].get(word)
    if not number or not 1 <= number <= 21:
        return None
    return _date_timex(f"{number - 1:02d}")


def _year_part(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon, parts: int, code: str) -> Timex | None:
    """A quarter (`Q3`, `the third quarter of 2024`) or half (`H1`, `the first half`) of a year."""
    g = m.groups
    number = int(g[code.lower()]) if code.lower() in g else _ordinal(g.get("ord"), lx, parts)
    if not number or not 1 <= number <= parts:
        return None
    months = 12 // parts
    year = _period_year(ctx, g, months * (number - 1) + 1, months * number)
    return _date_timex(f"{year:04d}-{code}{number}" if year is not None else f"XXXX-{code}{number}")


def _quarter(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    return _year_part(m, ctx, lx, 4, "Q")


def _half(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    return _year_part(m, ctx, lx, 2, "H")


def _partial(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the first 11 months of 2024` -> value `2024`, interval 2024-01-01/2024-11-30."""
    g = m.groups
    count = parse_number(g.get("num"), lx)
    unit = lx.unit_name(g["unit"])
    if count is None or not count.is_integer() or count < 1:
        return None
    count = int(count)
    limits = {"month": 12, "quarter": 4, "week": 52}
    if unit not in limits or count > limits[unit]:
        return None
    first = g["edge"].lower() == "first"
    months = count * (3 if unit == "quarter" else 1)
    year = _period_year(ctx, g, 1 if first else 13 - months, months if first else 12) if unit != "week" else _period_year(ctx, g, 1, 12)
    if year is None:
        return Timex("DATE", "XXXX")
    if unit == "week":
        start, end = (date(year, 1, 1), date(year, 1, 1) + timedelta(days=7 * count - 1)) if first else \
            (date(year, 12, 31) - timedelta(days=7 * count - 1), date(year, 12, 31))
        return _date_timex(f"{year:04d}", (start, end))
    interval = months_interval(year, 1, months) if first else months_interval(year, 13 - months, 12)
    return _date_timex(f"{year:04d}", interval)


def _year_ending_in(last_month: int, groups: dict[str, str], ctx: ResolutionContext) -> int | None:
    """The year of a period that ends in `last_month`: the text's, else the last one that ended
    by the dct (`the three months to December` reported in March is last year's)."""
    if "year" in groups:
        return int(groups["year"])
    if ctx.dct is None:
        return None
    return ctx.dct.year - 1 if last_month > ctx.dct.month else ctx.dct.year


_PERIOD_MONTHS = {"quarter": 3, "qtr": 3, "half": 6, "year": 12}
_PERIOD_DURATION = {3: "P1Q", 6: "P6M", 12: "P1Y"}


def _period_ended(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the third quarter ended March 31`, `the year to June 30`: the calendar quarter, half or
    year when the period ends where one does (and its ordinal agrees), else a fiscal period:
    a duration over the months up to that day (gold/DECISIONS.md, fiscal years)."""
    g = m.groups
    months, last = _PERIOD_MONTHS[g.get("period", "year").lower()], lx.month_number(g["month"])
    if last is None:
        return None
    if g.get("dir", "").lower() in ("starting", "beginning"):
        return _period_starting(months, last, g, ctx)
    year = _fiscal_end_year(g) or _year_ending_in(last, g, ctx)
    number = _ordinal(g.get("ord"), lx, 12 // months)
    if last % months == 0 and number in (None, last // months):
        code = {3: f"-Q{last // 3}", 6: f"-H{last // 6}", 12: ""}[months]
        if year is None:
            return Timex("DATE", "XXXX" + code)
        return _date_timex(f"{year:04d}{code}", months_interval(year, last - months + 1, last))
    if year is None:
        return Timex("DURATION", _PERIOD_DURATION[months])
    try:
        end = date(year, last, int(re.sub(r"\D", "", g["day"]))) if "day" in g else month_end(year, last)
    except ValueError:
        return None
    start = (shift_months(end.replace(day=1), -(months - 1)) if end == month_end(year, last)
             else shift_months(end, -months) + timedelta(days=1))
    return Timex("DURATION", _PERIOD_DURATION[months], start.isoformat(), end.isoformat())


def _fiscal_end_year(groups: dict[str, str]) -> int | None:
    """`fiscal 1987, ending June 30` ends in 1987; `the financial year 1986/87 ending on June 30`
    in 1987 (the pair's second year)."""
    if "fiscal_end" in groups:
        return _range_year(groups["fiscal_end"], int(groups["fiscal"]))
    return int(groups["fiscal"]) if "fiscal" in groups else None


def _period_starting(months: int, first: int, g: dict[str, str], ctx: ResolutionContext) -> Timex | None:
    """`the fiscal year starting April 1`: the period from that day, in the text's year or the
    one nearest the dct (a budget year about to start, or one just begun)."""
    day = int(re.sub(r"\D", "", g["day"])) if "day" in g else 1
    years = [int(g["year"])] if "year" in g else [ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1] if ctx.dct else []
    try:
        starts = [date(y, first, day) for y in years]
    except ValueError:
        return None
    if not starts:
        return Timex("DURATION", _PERIOD_DURATION[months])
    start = min(starts, key=lambda s: abs((s - ctx.dct).days)) if ctx.dct else starts[0]
    end = shift_months(start, months) - timedelta(days=1)
    return Timex("DURATION", _PERIOD_DURATION[months], start.isoformat(), end.isoformat())


def _months_to(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the three months to December`: a quarter when aligned, a half, else its months."""
    g = m.groups
    count, last = parse_number(g.get("num"), lx), lx.month_number(g["month"])
    if count is None or not count.is_integer() or not 1 <= count <= 24 or last is None:
        return None
    count = int(count)
    year = _year_ending_in(last, g, ctx)
    if count == 3 and last % 3 == 0:
        value = f"Q{last // 3}"
    elif count == 6 and last % 6 == 0:
        value = f"H{last // 6}"
    elif count <= last:  # within one calendar year: a partial year
        value = ""
    else:
        value = None
    if value is None:  # crosses a year boundary: a duration covering the months
        if year is None:
            return Timex("DURATION", f"P{count}M")
        end = month_end(year, last)
        start = shift_months(end.replace(day=1), -(count - 1))
        return Timex("DURATION", f"P{count}M", start.isoformat(), end.isoformat())
    if year is None:
        return Timex("DATE", "XXXX" + (f"-{value}" if value else ""))
    interval = months_interval(year, last - count + 1, last)
    return _date_timex(f"{year:04d}" + (f"-{value}" if value else ""), interval)


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


def _relative_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    unit = (g.get("unit") or g.get("unit_end", "")).lower()
    if unit.startswith("full"):
        year = _anchor_year(ctx, True)
        return _date_timex(f"{year:04d}") if year is not None else Timex("DATE", "XXXX")
    rel = g.get("rel", "the").lower()  # `the end of the year`, `year-end`: the year in question
    delta = {"before": -1, "after": 1}.get(rel, lx["relatives"].get(rel, 0))
    anaphoric = rel in lx["anaphoric_relatives"] or rel in ("before", "after", "the")
    if unit == "year" and anaphoric and delta and ctx.ref_is_named_year:
        return Timex("DURATION", "P1Y")  # the academic year before `the 2018-19 academic year`
    if unit == "year":
        year = _anchor_year(ctx, anaphoric)
        if year is None:
            return Timex("DATE", "XXXX")
        return _date_timex(f"{year + delta:04d}")
    if unit == "decade":
        year = _anchor_year(ctx, anaphoric)
        return _date_timex(f"{year // 10 + delta:03d}") if year is not None else Timex("DATE", "XXX")
    if unit == "century":
        year = _anchor_year(ctx, anaphoric)
        return _date_timex(f"{year // 100 + delta:02d}") if year is not None else Timex("DATE", "XX")
    anchor = _anchor_day(ctx, anaphoric)
    if unit == "month":
        yearless = re.fullmatch(r"XXXX-(\d{2})", ctx.ref_value or "") if anaphoric else None
        if yearless and delta:  # `the previous month` after `December` with no year known
            return Timex("DATE", f"XXXX-{(int(yearless.group(1)) - 1 + delta) % 12 + 1:02d}")
        if anchor is None:
            return Timex("DATE", "XXXX-XX")
        day = shift_months(anchor.replace(day=1), delta)
        return _date_timex(f"{day.year:04d}-{day.month:02d}")
    if unit == "quarter":
        if anchor is None:
            return Timex("DATE", "XXXX-QX")
        day = shift_months(anchor.replace(day=1), 3 * delta)
        return _date_timex(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")
    if unit in ("week", "weekend"):
        if anchor is None:
            return Timex("DATE", "XXXX-WXX" + ("-WE" if unit == "weekend" else ""))
        if unit == "weekend" and rel == "the" and ctx.tense == "past" and anchor.isoweekday() < 6:
            delta = -1  # `at the weekend` told on a weekday in the past tense: the one just gone
        value = iso_week_value(anchor + timedelta(weeks=delta))
        return _date_timex(value + ("-WE" if unit == "weekend" else ""))
    return None


def _season(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    season = lx["seasons"].get(g["season"].lower())
    if season is None:
        return None
    if "year" in g:
        return _date_timex(f"{int(g['year']):04d}-{season}")
    if ctx.dct is None:
        return Timex("DATE", f"XXXX-{season}")
    rel = g.get("rel", "this").lower()
    dct = ctx.dct
    candidates = [(y, season_interval(y, season)) for y in range(dct.year - 2, dct.year + 2)]
    if rel in ("last", "past"):
        year = max(y for y, (_, end) in candidates if end < dct)
    elif rel in ("next", "coming"):
        year = min(y for y, (start, _) in candidates if start > dct)
    else:
        containing = [y for y, (start, end) in candidates if start <= dct <= end]
        year = containing[0] if containing else dct.year
    return _date_timex(f"{year:04d}-{season}")


def _with_part_of_day(value: str, pod: str | None, lx: DateLexicon) -> Timex:
    if not pod:
        return _date_timex(value)
    return _date_timex(f"{value}T{lx['parts_of_day'][pod.lower()]}", kind="TIME")


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
        return _with_part_of_day(day.isoformat(), g.get("pod"), lx)
    if ctx.dct is None:
        return _with_part_of_day(f"XXXX-WXX-{weekday}", g.get("pod"), lx)
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
    return _with_part_of_day(day.isoformat(), g.get("pod"), lx)


def _deictic(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    word = (g.get("deictic") or g.get("rel", "")).lower()
    pod = g.get("pod") or ("tonight" if word == "tonight" else None)
    if word == "last" and pod and pod.lower() != "night":
        return None  # `last morning` is not English; `last night` is
    offset = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(word, 0)
    value = (ctx.dct + timedelta(days=offset)).isoformat() if ctx.dct else "XXXX-XX-XX"
    return _with_part_of_day(value, pod, lx)


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
            return _date_timex(value)
        anaphoric = True
    if (unit == "year" and anaphoric and sign < 0 and ctx.ref_value
            and re.fullmatch(r"\d{4}-(?:\d{2}|Q[1-4]|H[12])", ctx.ref_value)):
        return _date_timex(shift_value(ctx.ref_value, -count))  # `in February ... from a year earlier`
    if unit in MONTHS_PER_UNIT and unit != "month" and unit != "quarter":
        year = _anchor_year(ctx, anaphoric)
        if year is None:
            return Timex("DATE", "XXXX")
        return _date_timex(f"{year + sign * count * MONTHS_PER_UNIT[unit] // 12:04d}")
    anchor = _anchor_day(ctx, anaphoric)
    if unit in ("month", "quarter"):
        if anchor is None:
            return Timex("DATE", "XXXX-XX" if unit == "month" else "XXXX-QX")
        day = shift_months(anchor, sign * count * MONTHS_PER_UNIT[unit])
        if unit == "quarter":
            return _date_timex(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")
        return _date_timex(f"{day.year:04d}-{day.month:02d}")
    if unit in ("week", "fortnight"):
        if anchor is None:
            return Timex("DATE", "XXXX-WXX")
        return _date_timex(iso_week_value(anchor + timedelta(weeks=sign * count)))
    if anchor is None:
        return Timex("DATE", "XXXX-XX-XX")
    if unit == "day":
        return _date_timex((anchor + timedelta(days=sign * count)).isoformat())
    return None  # `two hours ago`: a time whose clock the dct does not give


def _same_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the same period last year`: the period the text last named, a year before (`exports from
    January 1 to March 23 ... the same period last year`: 1986-01-01/1986-03-23); else last year.
    `the same period in 2003` (`the same 2003 period`) moves it to that year."""
    ref = ctx.ref
    year = m.groups.get("year") or m.groups.get("year_b")
    start, end = (parse_iso_day(ref.start), parse_iso_day(ref.end)) if ref and ref.start and ref.end else (None, None)
    if start and end and start.year == end.year:
        shift = int(year) - start.year if year else -1
        whole_month = end == month_end(end.year, end.month)
        try:
            start, end = start.replace(year=start.year + shift), (
                month_end(end.year + shift, end.month) if whole_month else end.replace(year=end.year + shift))
        except ValueError:  # 29 February
            return _date_timex(f"{start.year + shift:04d}")
        value = shift_value(ref.timex_value, shift) if ref.timex_type == "DATE" and ref.timex_value[:1].isdigit() \
            else calendar_value(start, end)
        return Timex("DATE", value, start.isoformat(), end.isoformat())
    if year:
        return _date_timex(f"{int(year):04d}")
    if ref is not None and ref.timex_type == "DATE" and ref.timex_value.startswith("XXXX-"):
        return Timex("DATE", ref.timex_value)  # no dct: `December sales ... the same month last year`
    if ctx.dct is None:
        return Timex("DATE", "XXXX")
    return _date_timex(f"{ctx.dct.year - 1:04d}")


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
    if "unit2" in g:
        unit2, count2 = lx.unit_name(g["unit2"]), parse_number(g.get("num2"), lx)
        if unit2 is None or count2 is None or UNIT_ORDER.index(unit2) <= UNIT_ORDER.index(unit):
            return None
        parts.append((count2, unit2))
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
    """A race or elapsed time (`31:41`, `3:07:35`) is a length of time (DECISIONS.md)."""
    hours = f"{int(m.groups['hours'])}H" if "hours" in m.groups else ""
    return Timex("DURATION", f"PT{hours}{int(m.groups['minutes'])}M{int(m.groups['seconds'])}S")


def _range_year(text: str, first: int) -> int | None:
    if len(text) == 4:
        return int(text)
    second = first // 100 * 100 + int(text)
    return second + 100 if second <= first else second


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
        last = _range_year(g["year2"], first)
        if last is None or not first < last <= first + 200:
            return None
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
            year1 = int(g["year"]) if "year" in g else _year_for(month1, None, ctx)
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
        end_year = _year_for(month2, day2, ctx)
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
        return Timex("SET", _with_part_of_day("XXXX-XX-XX", g["pod"], lx).timex_value)
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


def _vague(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    key = re.sub(r"\s+", " ", m.groups["vague_ref"].lower())
    value = lx["vague_references"].get(key)
    if value is None:
        return None
    return Timex("DATE" if value.endswith("_REF") else "DURATION", value)


def _time(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    if "pod" in g:
        clock = lx["parts_of_day"][g["pod"].lower()]
    else:
        hour = int(g["hour"]) if g["hour"].isdigit() else int(parse_number(g["hour"], lx) or -1)
        minute = int(g.get("minute", "0"))
        ampm = lx["am_pm"].get(g.get("ampm", "").lower().replace(" ", ""))
        if g.get("sep") == "." and not ampm and "zone" not in g:
            return None  # `16.30` without am/pm is a decimal number more often than a time
        if ampm and not 1 <= hour <= 12:
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if not 0 <= hour <= 23:
            return None
        clock = f"{hour:02d}:{minute:02d}"
    day = ctx.ref_value if ctx.ref_value and re.fullmatch(r"(\d{4}|XXXX)-(\d{2}|XX)-(\d{2}|XX)", ctx.ref_value) else None
    if day is None:
        day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return _date_timex(f"{day}T{clock}", kind="TIME")


def combine_time_and_day(time: Timex, day: Timex) -> Timex | None:
    """`midday` + `February 27` -> TIME `1987-02-27T12:00` with that day as its interval."""
    clock = re.fullmatch(r".+T(\d{2}:\d{2})", time.timex_value)
    if time.timex_type != "TIME" or day.timex_type != "DATE" or not clock:
        return None
    if not re.fullmatch(r"(?:\d{4}|XXXX)-(?:\d{2}|XX)-(?:\d{2}|XX)|(?:\d{4}|XXXX)-W(?:\d{2}|XX)-\d", day.timex_value):
        return None
    return Timex("TIME", f"{day.timex_value}T{clock.group(1)}", day.start, day.end)


RESOLVERS: dict[str, Callable[[DateMatch, ResolutionContext, DateLexicon], Timex | None]] = {
    "calendar_day": _calendar_day, "holiday": _holiday, "holiday_period": _holiday_period,
    "event_period": _event_period, "week_of": _week_of, "month": _month,
    "year": _year, "decade": _decade, "century": _century, "quarter": _quarter, "half": _half,
    "partial": _partial, "months_to": _months_to, "period_ended": _period_ended, "relative": _relative, "season": _season,
    "weekday": _weekday, "deictic": _deictic, "shift": _shift, "same_period": _same_period,
    "duration": _duration, "duration_anchored": _duration_anchored,
    "clock_duration": _clock_duration, "range": _range, "set": _set, "vague": _vague,
    "time": _time,
}


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
        interval = value_interval(ref)
        ref = Timex("DATE", ref, *(map(_iso, interval) if interval else (None, None)))
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
