"""Resolvers of the dates a text names on the calendar: days, holidays, months, years, periods.

`July 8, 2025`, `Christmas`, `April`, `1987`, `the 1990s`, `the 19th century`, `Q3`, `the first
half`, `the first 11 months of 2024`, `last summer`, and the reporting periods named by their last
or first day (`the third quarter ended March 31`, `the three months to December`, `the fiscal year
starting April 1`). What these share is a place on the calendar given by name, with at most the
year to infer (from the text, the dct and the clause's tense), so their year rules and the
dateparser reading of full calendar dates are kept together here, apart from the expressions
counted from another time (`date_relative.py`) and the lengths of time (`date_durations.py`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from pipeline.normalize.date_calendar import (
    holiday_date, iso_week_value, month_end, months_interval, parse_iso_day, season_interval, shift_months,
)
from pipeline.normalize.date_grammar import DateLexicon, DateMatch
from pipeline.normalize.timex import (
    ResolutionContext, Resolver, Timex, date_timex, parse_number, range_year, year_for,
)


_MONTH_OR_DAY = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


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


def _period_year(ctx: ResolutionContext, groups: dict[str, str], first_month: int, last_month: int) -> int | None:
    """Year of a quarter/half/partial period from `of 2024`, `the 1987 first quarter`, `of last
    year`, `of the previous year`, `of the year` or, when unsaid, the dct (tense-adjusted)."""
    for key in ("year", "year_a", "year_b"):
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


def _calendar_day(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    month = int(g["month_num"]) if "month_num" in g else lx.month_number(g.get("month", ""))
    day = lx["day_words"].get(g.get("day", "").lower()) or int(re.sub(r"\D", "", g.get("day", "")) or 0)
    if not month or not 1 <= day <= 31:
        return None
    if "rel_year" in g and ctx.dct is not None:  # `Nov. 16 this year`
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[g["rel_year"].lower()]
        return date_timex(date(year, month, day).isoformat())
    if "year" in g:
        parsed = _dateparser_day(m.text, m.rule == "numeric_date")
        if parsed is None:
            return None
        return date_timex(parsed.isoformat())
    try:
        date(2000, month, day)  # a leap year: the day must exist in some year
    except ValueError:
        return None
    year = year_for(month, day, ctx)
    if year is None:
        return Timex("DATE", f"XXXX-{month:02d}-{day:02d}")
    try:
        return date_timex(date(year, month, day).isoformat())
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
    return date_timex(day.isoformat()) if day else None


def _holiday_period(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the Christmas period`, `the holiday season`: the holiday's month, in the year the tense
    places it (`sales over the festive season` told in January are last December's)."""
    month = lx["holiday_periods"].get(re.sub(r"\s+", " ", m.groups["holiday_period"]).lower())
    if month is None:
        return None
    if ctx.dct is None:
        return Timex("DATE", f"XXXX-{month:02d}")
    year = ctx.dct.year - (ctx.tense == "past" and ctx.dct.month < month)
    return date_timex(f"{year:04d}-{month:02d}")


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
    return date_timex(iso_week_value(day))


def _month(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    month = lx.month_number(g["month"])
    if month is None:
        return None
    if "year" in g:
        year = int(g["year"])
    elif "rel_year" in g:
        year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[g["rel_year"].lower()] if ctx.dct else None
    elif "anaphor" in g:
        year = _anaphoric_month_year(month, g["anaphor"].lower(), ctx)
    elif "rel" in g:
        rel = g["rel"].lower()
        year = ctx.dct.year if ctx.dct else None
        if year is not None and rel in ("last", "past") and month >= ctx.dct.month:
            year -= 1
        elif year is not None and rel in ("next", "coming") and month <= ctx.dct.month:
            year += 1
    else:
        year = _continued_year(month, ctx) or _nearer_year(month, ctx)
    if year is None:
        return Timex("DATE", f"XXXX-{month:02d}")
    return date_timex(f"{year:04d}-{month:02d}")


def _anaphoric_month_year(month: int, anaphor: str, ctx: ResolutionContext) -> int | None:
    """`the previous January`, `a prior December`, `the following May`: the nearest such month
    before (after) the month the paragraph last named, else the dct's month."""
    ref = ctx.ref_value
    if ref and _MONTH_OR_DAY.fullmatch(ref):
        year, anchor = int(ref[:4]), int(ref[5:7])
    elif ctx.dct is not None:
        year, anchor = ctx.dct.year, ctx.dct.month
    else:
        return None
    if anaphor == "following":
        return year if month > anchor else year + 1
    return year if month < anchor else year - 1


def _nearer_year(month: int, ctx: ResolutionContext) -> int | None:
    """`year_for` a lone month; where no tense places it, a month more than six after the dct's is
    last year's, the nearer one (`to uphold the December agreement` told in March)."""
    year = year_for(month, None, ctx)
    if year is not None and ctx.tense is None and month - ctx.dct.month > 6:
        return year - 1
    return year


def _continued_year(month: int, ctx: ResolutionContext) -> int | None:
    """`delivery in April 1989, with the others arriving in May, June and September`: a month
    later in the year than the month or day the paragraph last named continues that year, unless
    it would cross the dct from a time before it in a clause that is not future (`fell from
    December`, `against 9.4 pct in December`, told in March after `January`)."""
    ref = ctx.ref_value
    if not (ref and _MONTH_OR_DAY.fullmatch(ref) and int(ref[5:7]) < month):
        return None
    year = int(ref[:4])
    if ctx.dct is not None and date(year, int(ref[5:7]), 1) <= ctx.dct < date(year, month, 1) \
            and ctx.tense != "future":
        return None
    return year


def _year(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    return date_timex(f"{int(m.groups.get('year') or m.groups['year_after']):04d}")  # `year-end 1985`


def _decade(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    if "decade" in g:
        start = int(g["decade"])
    else:  # `the '70s`, `the seventies`: the 1900s' unless it is before the thirties
        short = int(g["decade2"]) if "decade2" in g else lx["number_words"][g["decade_word"].lower()[:-3] + "y"]
        start = (1900 if short >= 30 else 2000) + short
    return date_timex(f"{start // 10:03d}")


def _century(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    word = m.groups["ord"].lower()
    number = int(re.sub(r"\D", "", word)) if word[0].isdigit() else lx["ordinals"].get(word)
    if not number or not 1 <= number <= 21:
        return None
    return date_timex(f"{number - 1:02d}")


def _year_part(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon, parts: int, code: str) -> Timex | None:
    """A quarter (`Q3`, `the third quarter of 2024`) or half (`H1`, `the first half`) of a year."""
    g = m.groups
    number = int(g[code.lower()]) if code.lower() in g else _ordinal(g.get("ord"), lx, parts)
    if not number or not 1 <= number <= parts:
        return None
    months = 12 // parts
    year = _period_year(ctx, g, months * (number - 1) + 1, months * number)
    return date_timex(f"{year:04d}-{code}{number}" if year is not None else f"XXXX-{code}{number}")


def _quarter(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    return _year_part(m, ctx, lx, 4, "Q")


def _half(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    return _year_part(m, ctx, lx, 2, "H")


def _partial(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the first 11 months of 2024` -> value `2024`, interval 2024-01-01/2024-11-30; `the rest of
    1987` runs from the dct (in that year) to the year's end."""
    g = m.groups
    if g.get("rest"):
        year = _period_year(ctx, g, 1, 12)
        if year is None:
            return Timex("DATE", "XXXX")
        start = ctx.dct if ctx.dct is not None and ctx.dct.year == year else date(year, 1, 1)
        return date_timex(f"{year:04d}", (start, date(year, 12, 31)))
    count = parse_number(g.get("num"), lx)
    unit = lx.unit_name(g["unit"])
    if count is None or not count.is_integer() or count < 1:
        return None
    count = int(count)
    if "month" in g:
        return _partial_month(m, ctx, lx, count, unit)
    limits = {"month": 12, "quarter": 4, "week": 52, "day": 366}
    if unit not in limits or count > limits[unit]:
        return None
    first = g["edge"].lower() == "first"
    months = count * (3 if unit == "quarter" else 1)
    year = _period_year(ctx, g, 1 if first else 13 - months, months if first else 12) if unit != "week" else _period_year(ctx, g, 1, 12)
    if year is None:
        return Timex("DATE", "XXXX")
    if unit in ("week", "day"):
        days = count * (7 if unit == "week" else 1)
        start, end = (date(year, 1, 1), date(year, 1, 1) + timedelta(days=days - 1)) if first else \
            (date(year, 12, 31) - timedelta(days=days - 1), date(year, 12, 31))
        return date_timex(f"{year:04d}", (start, end))
    interval = months_interval(year, 1, months) if first else months_interval(year, 13 - months, 12)
    return date_timex(f"{year:04d}", interval)


def _partial_month(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon, count: int, unit: str | None
                   ) -> Timex | None:
    """`the first seven days of April` -> the month's value, its first seven days as the interval."""
    whole = _month(m, ctx, lx)
    days = count * (7 if unit == "week" else 1)
    if whole is None or whole.start is None or unit not in ("day", "week") or days > 31:
        return whole
    first_day, last_day = date.fromisoformat(whole.start), date.fromisoformat(whole.end)
    if m.groups["edge"].lower() == "first":
        interval = (first_day, min(last_day, first_day + timedelta(days=days - 1)))
    else:
        interval = (max(first_day, last_day - timedelta(days=days - 1)), last_day)
    return date_timex(whole.timex_value, interval)


def _season(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    g = m.groups
    season = lx["seasons"].get(g["season"].lower())
    if season is None:
        return None
    if "year" in g:
        return date_timex(f"{int(g['year']):04d}-{season}")
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
    return date_timex(f"{year:04d}-{season}")


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
    """`the third quarter ended March 31`, `the year to 30 June`: the calendar quarter, half or
    year when the period ends where one does (and its ordinal agrees), else a fiscal period:
    a duration over the months up to that day (gold/DECISIONS.md, fiscal years)."""
    g = m.groups
    if "day_first" in g:  # `the year to 31 March`
        g = {**g, "day": g["day_first"]}
    period = re.split(r"[\s-]", g.get("period", "year").lower())[0]  # `half-year` is a half
    months, last = _PERIOD_MONTHS[period], lx.month_number(g["month"])
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
        return date_timex(f"{year:04d}{code}", months_interval(year, last - months + 1, last))
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
        return range_year(groups["fiscal_end"], int(groups["fiscal"]))
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
    return date_timex(f"{year:04d}" + (f"-{value}" if value else ""), interval)


def _weeks_ended(m: DateMatch, ctx: ResolutionContext, lx: DateLexicon) -> Timex | None:
    """`the five weeks ended April Four` (retail sales): the weeks up to that day, in the text's
    year or the last one that reached that day by the dct."""
    g = m.groups
    count, month = parse_number(g.get("num"), lx), lx.month_number(g["month"])
    day_text = (g.get("day") or g.get("day_first") or "").lower()
    day = lx["day_words"].get(day_text) or int(re.sub(r"\D", "", day_text) or 0)
    if count is None or not count.is_integer() or not 1 <= count <= 53 or month is None:
        return None
    value = f"P{int(count)}W"
    year = int(g["year"]) if "year" in g else _year_ending_in(month, g, ctx)
    if year is None or not day:
        return Timex("DURATION", value)
    try:
        end = date(year, month, day)
    except ValueError:
        return None
    return Timex("DURATION", value, (end - timedelta(weeks=int(count), days=-1)).isoformat(), end.isoformat())


_YEAR_PAIR = re.compile(r"(?<!\d)(\d{4})\s*[/-]\s*(\d{2}|\d{4})(?!\d)")


_FISCAL_WORD = re.compile(r"\b(?:[Ff]iscal|[Ff]inancial)\b")
_FULL_YEAR = re.compile(r"(?i:\bfull[\s-]year)")
_LONE_YEAR = re.compile(r"(?<![\d/-])(\d{4})(?![\d/-])")


def fiscal_year_in(timex: Timex, text: str, fiscal_start: tuple[int, int], dct: str | None) -> Timex:
    """The document's fiscal year, once the text says where that year starts (`the year ending
    March 31, 1988`: April 1 to March 31, gold/DECISIONS.md), for a year pair (`1986/87`, P1Y
    without months), a fiscal year named by the year it ends in (`fiscal 1987`) and one told from
    the dct (`the current fiscal year`, `next fiscal year`, a calendar year so far), `the full year`
    included (a year of unknown number without a dct). Any other value is returned as it is."""
    month, day = fiscal_start
    if timex.timex_value == "XXXX" and _FULL_YEAR.search(text):
        return Timex("DURATION", "P1Y")
    before_start = 1 if (month, day) > (1, 1) else 0  # a fiscal year is named by the year it ends in
    pair = _YEAR_PAIR.search(text)
    if timex.timex_value == "P1Y" and timex.start is None:
        if pair and range_year(pair.group(2), int(pair.group(1))) == int(pair.group(1)) + 1:
            first = int(pair.group(1))
        elif _FISCAL_WORD.search(text) and (lone := _LONE_YEAR.search(text)):
            first = int(lone.group(1)) - before_start
        else:
            return timex
    elif (_FISCAL_WORD.search(text) or _FULL_YEAR.search(text)) and (today := parse_iso_day(dct)) is not None \
            and timex.timex_type == "DATE" \
            and re.fullmatch(r"\d{4}", timex.timex_value):
        current = today.year - (1 if (today.month, today.day) < (month, day) else 0)
        first = current + int(timex.timex_value) - today.year
    else:
        return timex
    try:
        start = date(first, month, day)
        end = date(first + 1, month, day) - timedelta(days=1)
    except ValueError:
        return timex
    return Timex("DURATION", "P1Y", start.isoformat(), end.isoformat())


RESOLVERS: dict[str, Resolver] = {
    "calendar_day": _calendar_day, "day_list": _calendar_day, "holiday": _holiday, "holiday_period": _holiday_period, "weeks_ended": _weeks_ended,
    "event_period": _event_period, "week_of": _week_of, "month": _month,
    "year": _year, "decade": _decade, "century": _century, "quarter": _quarter, "half": _half,
    "partial": _partial, "season": _season, "months_to": _months_to, "period_ended": _period_ended,
}
