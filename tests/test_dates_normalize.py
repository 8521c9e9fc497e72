"""The date resolver as data: expression + dct (+ reference time, tense) -> TIMEX3 and interval.

Cases follow docs/annotation-guidelines.md, the annotator brief and gold/DECISIONS.md; the
must-not-match list holds what is not a date at all.
"""

import json
import re
from datetime import date
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.date_calendar import is_timeml_value, parse_iso_day, timeml_grammar, value_interval
from pipeline.normalize import date_durations, date_points, date_relative
from pipeline.normalize.date_grammar import DateGrammar, DateLexicon, DateRule, RuleKind, load_grammar, load_rules
from pipeline.normalize.dates import RESOLVERS, Timex, duration_value, parse_number, resolve_timex

N = None
CASES = [
    # expression, dct, ref, tense, (type, value, start, end)
    # calendar dates, months, years
    ("July 8, 2025", N, N, N, ("DATE", "2025-07-08", "2025-07-08", "2025-07-08")),
    ("Monday, Nov. 9, 2020", N, N, N, ("DATE", "2020-11-09", "2020-11-09", "2020-11-09")),
    ("8 July 2025", N, N, N, ("DATE", "2025-07-08", "2025-07-08", "2025-07-08")),
    ("the 8th of July, 2025", N, N, N, ("DATE", "2025-07-08", "2025-07-08", "2025-07-08")),
    ("2025-07-08", N, N, N, ("DATE", "2025-07-08", "2025-07-08", "2025-07-08")),
    ("Sept. 30, 1987", N, N, N, ("DATE", "1987-09-30", "1987-09-30", "1987-09-30")),
    ("16 July", N, N, N, ("DATE", "XXXX-07-16", N, N)),
    ("Nov. 9", "2020-11-10", N, N, ("DATE", "2020-11-09", "2020-11-09", "2020-11-09")),
    ("Nov.1", "2020-11-12", N, N, ("DATE", "2020-11-01", "2020-11-01", "2020-11-01")),
    ("December 28", "2021-01-05", N, "past", ("DATE", "2020-12-28", "2020-12-28", "2020-12-28")),
    ("February 28", "1987-02-26", N, "future", ("DATE", "1987-02-28", "1987-02-28", "1987-02-28")),
    ("May 3", "2020-11-18", N, "future", ("DATE", "2021-05-03", "2021-05-03", "2021-05-03")),
    ("April 2025", N, N, N, ("DATE", "2025-04", "2025-04-01", "2025-04-30")),
    ("September, 1990", N, N, N, ("DATE", "1990-09", "1990-09-01", "1990-09-30")),
    ("September", N, N, N, ("DATE", "XXXX-09", N, N)),
    ("June", "2020-11-18", N, "past", ("DATE", "2020-06", "2020-06-01", "2020-06-30")),
    ("March", "1987-02-26", N, N, ("DATE", "1987-03", "1987-03-01", "1987-03-31")),
    ("December", "1987-03-11", N, N, ("DATE", "1986-12", "1986-12-01", "1986-12-31")),  # no tense: the nearer one
    ("September", "1987-03-11", N, N, ("DATE", "1987-09", "1987-09-01", "1987-09-30")),
    ("five-and-a-half years", N, N, N, ("DURATION", "P5.5Y", N, N)),
    ("two-and-a-half year", N, N, N, ("DURATION", "P2.5Y", N, N)),
    # a month later in the year than the month the paragraph last named continues its year
    ("June", "1987-03-02", "1989-04", N, ("DATE", "1989-06", "1989-06-01", "1989-06-30")),
    ("February", "1987-03-02", "1989-04", N, ("DATE", "1987-02", "1987-02-01", "1987-02-28")),
    ("next July", N, "2003-05", N, ("DATE", "XXXX-07", N, N)),
    ("March", "1987-02-26", N, "past", ("DATE", "1986-03", "1986-03-01", "1986-03-31")),
    ("early January", "1987-02-26", N, N, ("DATE", "1987-01", "1987-01-01", "1987-01-31")),
    ("August", "2013-03-22", N, "past", ("DATE", "2012-08", "2012-08-01", "2012-08-31")),
    ("August", "2013-03-22", N, N, ("DATE", "2013-08", "2013-08-01", "2013-08-31")),
    ("February", "2013-03-22", N, "future", ("DATE", "2014-02", "2014-02-01", "2014-02-28")),
    ("March", "2013-03-22", N, "future", ("DATE", "2013-03", "2013-03-01", "2013-03-31")),
    ("this May", N, N, N, ("DATE", "XXXX-05", N, N)),
    ("last January", "2020-11-18", N, N, ("DATE", "2020-01", "2020-01-01", "2020-01-31")),
    ("last December", "2020-11-18", N, N, ("DATE", "2019-12", "2019-12-01", "2019-12-31")),
    ("next July", "2020-11-18", N, N, ("DATE", "2021-07", "2021-07-01", "2021-07-31")),
    ("May last year", "2020-11-18", N, N, ("DATE", "2019-05", "2019-05-01", "2019-05-31")),
    ("March next year", "1987-03-03", N, N, ("DATE", "1988-03", "1988-03-01", "1988-03-31")),
    ("2004", N, N, N, ("DATE", "2004", "2004-01-01", "2004-12-31")),
    ("mid-2020", N, N, N, ("DATE", "2020", "2020-01-01", "2020-12-31")),
    ("the end of 2019", N, N, N, ("DATE", "2019", "2019-01-01", "2019-12-31")),
    ("fiscal 2024", N, N, N, ("DURATION", "P1Y", N, N)),  # a fiscal year: months not given
    ("Tuesday to Saturday", N, N, N, ("DURATION", "P5D", N, N)),
    ("six months or more", N, N, N, ("DURATION", "P6M", N, N)),
    ("the 1990s", N, N, N, ("DATE", "199", "1990-01-01", "1999-12-31")),
    ("the late 1980s", N, N, N, ("DATE", "198", "1980-01-01", "1989-12-31")),
    ("the 21st century", N, N, N, ("DATE", "20", "2000-01-01", "2099-12-31")),
    ("Christmas", "2020-11-12", N, N, ("DATE", "2020-12-25", "2020-12-25", "2020-12-25")),
    ("Christmas", N, N, N, ("DATE", "XXXX-12-25", N, N)),
    ("the festive season", N, N, N, ("DATE", "XXXX-12", N, N)),
    ("the first day", N, N, N, ("DATE", "XXXX-XX-XX", N, N)),  # of a release, a tournament: counted from it
    ("its opening weekend", N, N, N, ("DATE", "XXXX-WXX-WE", N, N)),
    ("Easter 2024", N, N, N, ("DATE", "2024-03-31", "2024-03-31", "2024-03-31")),
    ("Thanksgiving 2020", N, N, N, ("DATE", "2020-11-26", "2020-11-26", "2020-11-26")),
    # quarters, halves, partial periods, seasons, weeks
    ("the first half of 2025", N, N, N, ("DATE", "2025-H1", "2025-01-01", "2025-06-30")),
    ("the first half of this year", N, N, N, ("DATE", "XXXX-H1", N, N)),
    ("the second half of this year", "1987-03-02", N, N, ("DATE", "1987-H2", "1987-07-01", "1987-12-31")),
    ("H1 2025", N, N, N, ("DATE", "2025-H1", "2025-01-01", "2025-06-30")),
    ("first-half", "2020-11-18", N, N, ("DATE", "2020-H1", "2020-01-01", "2020-06-30")),
    ("fourth quarter", N, N, N, ("DATE", "XXXX-Q4", N, N)),
    ("the fourth quarter", "2021-02-10", N, "past", ("DATE", "2020-Q4", "2020-10-01", "2020-12-31")),
    ("the third quarter of 2024", N, N, N, ("DATE", "2024-Q3", "2024-07-01", "2024-09-30")),
    ("Q3", "2020-11-12", N, N, ("DATE", "2020-Q3", "2020-07-01", "2020-09-30")),
    ("2024 Q1", N, N, N, ("DATE", "2024-Q1", "2024-01-01", "2024-03-31")),
    ("the first 11 months of 2024", N, N, N, ("DATE", "2024", "2024-01-01", "2024-11-30")),
    ("the first three quarters of this year", "2020-11-18", N, N, ("DATE", "2020", "2020-01-01", "2020-09-30")),
    ("the last two months of 2019", N, N, N, ("DATE", "2019", "2019-11-01", "2019-12-31")),
    ("the three months to December", N, N, N, ("DATE", "XXXX-Q4", N, N)),
    ("the three months up to 30 September", "2004-11-20", N, N, ("DATE", "2004-Q3", "2004-07-01", "2004-09-30")),
    ("the year to 31 March", "1987-04-03", N, N, ("DURATION", "P1Y", "1986-04-01", "1987-03-31")),
    ("the half year ended 30 June", "1987-04-03", N, N, ("DATE", "1986-H1", "1986-01-01", "1986-06-30")),
    ("the fiscal year ended in February", "1987-06-01", N, N, ("DURATION", "P1Y", "1986-03-01", "1987-02-28")),
    ("this year's fall", "1987-06-15", N, N, ("DATE", "1987-FA", "1987-09-01", "1987-11-30")),
    ("two hours 18 minutes 15 seconds", N, N, N, ("DURATION", "PT2H18M15S", N, N)),
    ("the five weeks ended April Four", "1987-04-09", N, N, ("DURATION", "P5W", "1987-03-01", "1987-04-04")),
    ("Wednesday last week", "2020-11-19", N, N, ("DATE", "2020-11-11", "2020-11-11", "2020-11-11")),
    ("Tuesday next week", "2020-11-19", N, N, ("DATE", "2020-11-24", "2020-11-24", "2020-11-24")),
    ("this coming Tuesday", "1987-04-09", N, N, ("DATE", "1987-04-14", "1987-04-14", "1987-04-14")),
    ("yearend", "1987-04-28", N, N, ("DATE", "1987", "1987-01-01", "1987-12-31")),
    ("1982 year-end", N, N, N, ("DATE", "1982", "1982-01-01", "1982-12-31")),
    ("March in 1986", N, N, N, ("DATE", "1986-03", "1986-03-01", "1986-03-31")),
    ("the 70s", N, N, N, ("DATE", "197", "1970-01-01", "1979-12-31")),  # a decade without its century
    ("the Christmas holidays", "2020-11-19", N, N, ("DATE", "2020-12", "2020-12-01", "2020-12-31")),
    ("12 months later", N, "2002", N, ("DATE", "2003", "2003-01-01", "2003-12-31")),  # a year's reference
    ("the six months to June", "2020-08-01", N, N, ("DATE", "2020-H1", "2020-01-01", "2020-06-30")),
    ("the nine months to September 2019", N, N, N, ("DATE", "2019", "2019-01-01", "2019-09-30")),
    ("the fall 2020 semester", N, N, N, ("DATE", "2020-FA", "2020-09-01", "2020-11-30")),
    ("fall 2020", N, N, N, ("DATE", "2020-FA", "2020-09-01", "2020-11-30")),
    ("the fall semester", "2020-11-18", N, N, ("DATE", "2020-FA", "2020-09-01", "2020-11-30")),
    ("last summer", "2013-03-22", N, N, ("DATE", "2012-SU", "2012-06-01", "2012-08-31")),
    ("this winter", "2021-01-15", N, N, ("DATE", "2020-WI", "2020-12-01", "2021-02-28")),
    ("the week ended February 22", "1987-02-26", N, N, ("DATE", "1987-W08", "1987-02-16", "1987-02-22")),
    # relative to the dct
    ("last year", "2021-10-13", N, N, ("DATE", "2020", "2020-01-01", "2020-12-31")),
    ("last year", N, N, N, ("DATE", "XXXX", N, N)),
    ("Last year", "2020-11-06", N, N, ("DATE", "2019", "2019-01-01", "2019-12-31")),
    ("this year", "2021-10-13", N, N, ("DATE", "2021", "2021-01-01", "2021-12-31")),
    ("next year", N, N, N, ("DATE", "XXXX", N, N)),
    ("earlier this year", N, N, N, ("DATE", "XXXX", N, N)),
    ("later this month", "2020-02-10", N, N, ("DATE", "2020-02", "2020-02-10", "2020-02-29")),  # from the dct on
    ("the previous month", N, "XXXX-12", N, ("DATE", "XXXX-11", N, N)),  # after a December of no known year
    ("the last quarter of 2004", N, N, N, ("DATE", "2004-Q4", "2004-10-01", "2004-12-31")),
    ("3:07:35", N, N, N, ("DURATION", "PT3H7M35S", N, N)),  # a race time
    ("3-1/2 year", N, N, N, ("DURATION", "P3.5Y", N, N)),
    ("coming months", N, N, N, ("DATE", "FUTURE_REF", N, N)),
    ("July 1, 1986, to March 1, 1987", N, N, N, ("DURATION", "P244D", "1986-07-01", "1987-03-01")),
    ("every morning", N, N, N, ("SET", "XXXX-XX-XXTMO", N, N)),
    ("the end of year", "2013-03-22", N, N, ("DATE", "2013", "2013-01-01", "2013-12-31")),
    ("earlier this year", "2021-10-13", N, N, ("DATE", "2021", "2021-01-01", "2021-10-13")),  # up to the dct
    ("three to four months", N, N, N, ("DURATION", "P4M", N, N)),  # a range of lengths: its longest
    ("the end of last year", "2020-01-05", N, N, ("DATE", "2019", "2019-01-01", "2019-12-31")),
    ("this fiscal year", "2013-03-22", N, N, ("DATE", "2013", "2013-01-01", "2013-12-31")),
    ("last month", N, N, N, ("DATE", "XXXX-XX", N, N)),
    ("last month", "2020-01-15", N, N, ("DATE", "2019-12", "2019-12-01", "2019-12-31")),
    ("this month", "2021-10-13", N, N, ("DATE", "2021-10", "2021-10-01", "2021-10-31")),
    ("last week", "2021-10-13", N, N, ("DATE", "2021-W40", "2021-10-04", "2021-10-10")),
    ("next week", "2020-12-30", N, N, ("DATE", "2021-W01", "2021-01-04", "2021-01-10")),
    ("this weekend", "2021-10-13", N, N, ("DATE", "2021-W41-WE", "2021-10-16", "2021-10-17")),
    ("last quarter", "2021-01-20", N, N, ("DATE", "2020-Q4", "2020-10-01", "2020-12-31")),
    ("year-end", "2020-11-10", N, N, ("DATE", "2020", "2020-01-01", "2020-12-31")),
    ("Tuesday", "2021-10-13", N, N, ("DATE", "2021-10-12", "2021-10-12", "2021-10-12")),
    ("Tuesday", N, N, N, ("DATE", "XXXX-WXX-2", N, N)),
    ("Wednesday", "2021-10-13", N, N, ("DATE", "2021-10-13", "2021-10-13", "2021-10-13")),
    ("Friday", "2021-10-13", N, "future", ("DATE", "2021-10-15", "2021-10-15", "2021-10-15")),
    ("last Tuesday", "2021-10-12", N, N, ("DATE", "2021-10-05", "2021-10-05", "2021-10-05")),
    ("next Monday", "2021-10-13", N, N, ("DATE", "2021-10-18", "2021-10-18", "2021-10-18")),
    ("yesterday", "2020-03-01", N, N, ("DATE", "2020-02-29", "2020-02-29", "2020-02-29")),
    ("today", "1987-03-03", N, N, ("DATE", "1987-03-03", "1987-03-03", "1987-03-03")),
    ("tomorrow", N, N, N, ("DATE", "XXXX-XX-XX", N, N)),
    ("a year ago", "2020-11-06", N, N, ("DATE", "2019", "2019-01-01", "2019-12-31")),
    ("two years ago", N, N, N, ("DATE", "XXXX", N, N)),
    ("three months ago", "2020-11-18", N, N, ("DATE", "2020-08", "2020-08-01", "2020-08-31")),
    ("a decade ago", "2020-05-05", N, N, ("DATE", "2010", "2010-01-01", "2010-12-31")),
    ("a few years ago", "2020-05-05", N, N, ("DATE", "PAST_REF", N, N)),
    ("the same period last year", "2020-11-06", N, N, ("DATE", "2019", "2019-01-01", "2019-12-31")),
    ("the same period in 2003", N, N, N, ("DATE", "2003", "2003-01-01", "2003-12-31")),  # no period named before
    ("the same stage last year", "1987-02-26", N, N, ("DATE", "1986", "1986-01-01", "1986-12-31")),
    ("this time last year", "1987-03-11", N, N, ("DATE", "1986-03-11", "1986-03-11", "1986-03-11")),  # the dct's day
    ("this time last year", "2020-02-29", N, N, ("DATE", "2019-02-28", "2019-02-28", "2019-02-28")),  # clamped
    ("this time last year", N, N, N, ("DATE", "XXXX", N, N)),
    ("the year-ago period", "1987-03-05", N, N, ("DATE", "1986", "1986-01-01", "1986-12-31")),
    # relative to the reference time (the last time the text named)
    ("the previous year", N, N, N, ("DATE", "XXXX", N, N)),
    ("the previous year", "2020-11-06", "2019", N, ("DATE", "2018", "2018-01-01", "2018-12-31")),
    ("the previous year", "2020-11-06", N, N, ("DATE", "2019", "2019-01-01", "2019-12-31")),
    ("the following year", N, "2015", N, ("DATE", "2016", "2016-01-01", "2016-12-31")),
    ("a year earlier", N, "2022", N, ("DATE", "2021", "2021-01-01", "2021-12-31")),
    ("a year earlier", N, "XXXX-Q4", N, ("DATE", "XXXX-Q4", N, N)),  # a year before an undated quarter
    ("three days later", "2020-05-05", N, N, ("DATE", "2020-05-08", "2020-05-08", "2020-05-08")),
    ("10 minutes later", "2020-05-05", N, N, ("TIME", "XXXX-XX-XXTXX:XX", N, N)),  # a clock no dct gives
    ("two hours ago", N, N, N, ("TIME", "XXXX-XX-XXTXX:XX", N, N)),
    ("year-earlier", N, "XXXX-Q4", N, ("DATE", "XXXX-Q4", N, N)),
    ("year-earlier", N, "2020-Q3", N, ("DATE", "2019-Q3", "2019-07-01", "2019-09-30")),
    ("the previous decade", N, "2020", N, ("DATE", "201", "2010-01-01", "2019-12-31")),
    ("the previous quarter", N, "2020-Q1", N, ("DATE", "2019-Q4", "2019-10-01", "2019-12-31")),
    # durations
    ("18 months", N, N, N, ("DURATION", "P18M", N, N)),
    ("a year", N, N, N, ("DURATION", "P1Y", N, N)),
    ("a decade", N, N, N, ("DURATION", "P1DE", N, N)),
    ("13 years", N, N, N, ("DURATION", "P13Y", N, N)),
    ("four consecutive years", N, N, N, ("DURATION", "P4Y", N, N)),
    ("around 12 days", N, N, N, ("DURATION", "P12D", N, N)),
    ("less than a minute", N, N, N, ("DURATION", "PT1M", N, N)),
    # a stretch of a day is its length, undated; an end without am/pm takes the other's
    ("1130 to 1215 GMT", "2004-12-01", N, N, ("DURATION", "PT45M", N, N)),
    ("between 2000 and 2100 GMT", N, N, N, ("DURATION", "PT1H", N, N)),
    ("7.30 A.M. To 12 noon", "1987-06-29", N, N, ("DURATION", "PT4H30M", N, N)),
    ("3.30 to 5.30 P.M.", N, N, N, ("DURATION", "PT2H", N, N)),
    ("11 to 2 p.m.", N, N, N, ("DURATION", "PT3H", N, N)),
    ("2200 to 0100 GMT", N, N, N, ("DURATION", "PT3H", N, N)),
    ("less than 24 hours", N, N, N, ("DURATION", "PT24H", N, N)),
    ("30 seconds", N, N, N, ("DURATION", "PT30S", N, N)),
    ("20 minutes 38 seconds", N, N, N, ("DURATION", "PT20M38S", N, N)),
    ("two years and three months", N, N, N, ("DURATION", "P2Y3M", N, N)),
    ("two and a half years", N, N, N, ("DURATION", "P2.5Y", N, N)),
    ("a year and a half", N, N, N, ("DURATION", "P1.5Y", N, N)),
    ("half an hour", N, N, N, ("DURATION", "PT30M", N, N)),
    ("twenty-five years", N, N, N, ("DURATION", "P25Y", N, N)),
    ("a couple of weeks", N, N, N, ("DURATION", "P2W", N, N)),
    ("a fortnight", N, N, N, ("DURATION", "P2W", N, N)),
    ("several years", N, N, N, ("DURATION", "PXY", N, N)),
    ("four-day", N, N, N, ("DURATION", "P4D", N, N)),
    ("week-long", N, N, N, ("DURATION", "P1W", N, N)),
    ("three-hour", N, N, N, ("DURATION", "PT3H", N, N)),
    ("10-year", N, N, N, ("DURATION", "P10Y", N, N)),
    ("twenty-five-year", N, N, N, ("DURATION", "P25Y", N, N)),
    ("31:41", N, N, N, ("DURATION", "PT31M41S", N, N)),
    ("the past decade", N, N, N, ("DURATION", "P1DE", N, N)),
    ("the past decade", "2020-11-18", N, N, ("DURATION", "P1DE", "2010-11-18", "2020-11-18")),
    ("the past three decades", "2021-10-13", N, N, ("DURATION", "P3DE", "1991-10-13", "2021-10-13")),
    ("the past three years", N, N, N, ("DURATION", "P3Y", N, N)),
    ("the past 15 years", "2020-11-19", N, N, ("DURATION", "P15Y", "2005-11-19", "2020-11-19")),
    ("the past six months", "1987-03-12", N, N, ("DURATION", "P6M", "1986-09-12", "1987-03-12")),
    ("the past six months", "2020-08-31", N, N, ("DURATION", "P6M", "2020-02-29", "2020-08-31")),
    ("the next five years", "2020-11-18", N, N, ("DURATION", "P5Y", "2020-11-18", "2025-11-18")),
    ("the past 24 hours", "2020-11-18", N, N, ("DURATION", "PT24H", "2020-11-17", "2020-11-18")),
    ("the preceding three quarters", N, N, N, ("DURATION", "P3Q", N, N)),
    ("the past few years", "2020-01-01", N, N, ("DURATION", "PXY", N, N)),
    # ranges: one DURATION of the covered length
    ("between 2015 and 2022", N, N, N, ("DURATION", "P8Y", "2015-01-01", "2022-12-31")),
    ("2010-2019", N, N, N, ("DURATION", "P10Y", "2010-01-01", "2019-12-31")),
    ("2009 to 2011", N, N, N, ("DURATION", "P3Y", "2009-01-01", "2011-12-31")),
    ("2020-21", N, N, N, ("DURATION", "P1Y", N, N)),  # one season or academic year
    ("1999-00", N, N, N, ("DURATION", "P1Y", N, N)),
    ("1986/87", N, N, N, ("DURATION", "P1Y", N, N)),
    ("1956-87", N, N, N, ("DURATION", "P32Y", "1956-01-01", "1987-12-31")),  # cut to two digits after a dash
    ("2009-2010", N, N, N, ("DURATION", "P2Y", "2009-01-01", "2010-12-31")),  # a plain range
    ("the 2019-20 academic year", N, N, N, ("DURATION", "P1Y", N, N)),
    ("the previous year", N, "the-2018-19-pair", N, ("DURATION", "P1Y", N, N)),
    ("June/July", "1987-02-26", N, N, ("DURATION", "P2M", "1987-06-01", "1987-07-31")),
    ("Oct/Dec", "1987-02-26", N, N, ("DURATION", "P3M", "1987-10-01", "1987-12-31")),
    ("Dec-Feb", "2020-11-18", N, N, ("DURATION", "P3M", "2020-12-01", "2021-02-28")),
    ("January-March 2020", N, N, N, ("DURATION", "P3M", "2020-01-01", "2020-03-31")),
    ("between September, 1990 and November, 1991", N, N, N, ("DURATION", "P15M", "1990-09-01", "1991-11-30")),
    ("Nov.1 to Nov.11", "2020-11-12", N, N, ("DURATION", "P11D", "2020-11-01", "2020-11-11")),
    ("March 3-5, 2020", N, N, N, ("DURATION", "P3D", "2020-03-03", "2020-03-05")),
    ("between 24 and 26 December", N, N, N, ("DURATION", "P3D", N, N)),
    # sets
    ("every day", N, N, N, ("SET", "P1D", N, N)),
    ("every year", N, N, N, ("SET", "P1Y", N, N)),
    ("each year", "2020-01-01", N, N, ("SET", "P1Y", N, N)),
    ("every two years", N, N, N, ("SET", "P2Y", N, N)),
    ("every other week", N, N, N, ("SET", "P2W", N, N)),
    ("every Monday", N, N, N, ("SET", "XXXX-WXX-1", N, N)),
    ("twice a year", N, N, N, ("SET", "P1Y", N, N)),
    ("per annum", N, N, N, ("SET", "P1Y", N, N)),
    ("annual", N, N, N, ("SET", "P1Y", N, N)),
    ("annually", N, N, N, ("SET", "P1Y", N, N)),
    ("weekly", N, N, N, ("SET", "P1W", N, N)),
    ("quarterly", N, N, N, ("SET", "P1Q", N, N)),
    # vague references
    ("recent years", N, N, N, ("DATE", "PAST_REF", N, N)),
    ("recent weeks", "2020-01-01", N, N, ("DATE", "PAST_REF", N, N)),
    ("the near future", N, N, N, ("DATE", "FUTURE_REF", N, N)),
    # times of day
    ("3 pm", "2020-11-18", N, N, ("TIME", "2020-11-18T15:00", "2020-11-18", "2020-11-18")),
    ("3:30 p.m.", N, N, N, ("TIME", "XXXX-XX-XXT15:30", N, N)),
    ("12 am", "2020-11-18", N, N, ("TIME", "2020-11-18T00:00", "2020-11-18", "2020-11-18")),
    ("09:56", N, N, N, ("TIME", "XXXX-XX-XXT09:56", N, N)),
    ("midday", "1987-02-26", N, N, ("TIME", "1987-02-26T12:00", "1987-02-26", "1987-02-26")),
    ("last night", "2020-11-18", N, N, ("TIME", "2020-11-17TNI", "2020-11-17", "2020-11-17")),
    ("this morning", N, N, N, ("TIME", "XXXX-XX-XXTMO", N, N)),
    ("Tuesday morning", "2020-11-18", N, N, ("TIME", "2020-11-17TMO", "2020-11-17", "2020-11-17")),
    ("tonight", "2020-11-18", N, N, ("TIME", "2020-11-18TNI", "2020-11-18", "2020-11-18")),
]

NOT_DATES = [
    "4-year-old", "a 4-year-old", "year-on-year", "year on year", "33rd anniversary", "now",
    "recently", "currently", "these days", "so far", "the same period", "the day", "the year",
    "that time", "$2", "a 16", "12.5 percent", "16.30", "25:99", "Feb 30, 2020", "February 30",
    "April 31", "2021-02-29", "the 34th century", "Q5", "H3", "the fifth quarter", "a second",
    "year", "month", "Five", "May I", "the last months", "the 2022-2011 season",
    "2019-2019", "first-half of", "", "   ", "a nine month", "the third",
    "between 3.30 and 5.30",  # prices as often as times
    "2003 to 81",  # a year and a count (`fell from 102 in 2003 to 81`), no 79-year range
]


def _ref(ref):
    if ref == "the-2018-19-pair":
        return Timex("DURATION", "P1Y")
    return ref


@pytest.mark.parametrize(("expression", "dct", "ref", "tense", "expected"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}|{c[3]}" for c in CASES])
def test_resolve_timex(expression, dct, ref, tense, expected):
    timex = resolve_timex(expression, dct, _ref(ref), tense)
    assert timex is not None, expression
    assert (timex.timex_type, timex.timex_value, timex.start, timex.end) == expected


@pytest.mark.parametrize("expression", NOT_DATES)
def test_not_a_date(expression):
    assert resolve_timex(expression, "2020-11-18") is None


def test_without_dct_never_guesses_from_the_clock():
    for expression in ("last year", "this month", "Tuesday", "today", "next week", "the past decade",
                       "a year ago", "the fourth quarter", "this summer", "June"):
        timex = resolve_timex(expression, None)
        assert timex is not None and timex.start is None and timex.end is None, expression
        assert not re.search(r"\d{4}", timex.timex_value), (expression, timex)


def test_as_value_has_exactly_the_schema_keys():
    from pipeline.schema import TimexValue

    value = resolve_timex("the first half of 2025").as_value()
    assert TimexValue.model_validate(value).model_dump() == value


@pytest.mark.parametrize(("text", "number"), [
    ("18", 18), ("1,000", 1000), ("2.5", 2.5), ("a", 1), ("an", 1), ("eighteen", 18),
    ("twenty-five", 25), ("twenty five", 25), ("three hundred", 300), ("a hundred", 100),
    ("a couple of", 2), ("two and a half", 2.5), ("a dozen", 12),
])
def test_parse_number(text, number):
    assert parse_number(text, load_grammar().lexicon) == number


@pytest.mark.parametrize("text", ["a nine", "twenty-hundred", "five twenty", "lots", "", None, "one two"])
def test_parse_number_refuses(text):
    assert parse_number(text, load_grammar().lexicon) is None


@pytest.mark.parametrize(("parts", "value"), [
    ([(18, "month")], "P18M"), ([(3, "decade")], "P3DE"), ([(3, "hour")], "PT3H"),
    ([(20, "minute"), (38, "second")], "PT20M38S"), ([(1, "day"), (2, "hour")], "P1DT2H"),
    ([(None, "year")], "PXY"), ([(0.5, "year")], "P6M"), ([(0.5, "hour")], "PT30M"),
    ([(1.5, "year")], "P1.5Y"), ([(1, "fortnight")], "P2W"),
])
def test_duration_value(parts, value):
    assert duration_value(parts, load_grammar().lexicon) == value


@pytest.mark.parametrize(("value", "interval"), [
    ("2025", ("2025-01-01", "2025-12-31")), ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024-Q4", ("2024-10-01", "2024-12-31")), ("2025-H2", ("2025-07-01", "2025-12-31")),
    ("2020-WI", ("2020-12-01", "2021-02-28")), ("2020-W53", ("2020-12-28", "2021-01-03")),
    ("2021-W41-WE", ("2021-10-16", "2021-10-17")), ("2021-W41-3", ("2021-10-13", "2021-10-13")),
    ("199", ("1990-01-01", "1999-12-31")), ("20", ("2000-01-01", "2099-12-31")),
    ("2020-11-18T15:00", ("2020-11-18", "2020-11-18")), ("XXXX-05", None), ("PAST_REF", None),
])
def test_value_interval(value, interval):
    got = value_interval(value)
    assert (tuple(d.isoformat() for d in got) if got else None) == interval


@pytest.mark.parametrize(("timex_type", "value", "ok"), [
    ("DATE", "2025-H1", True), ("DATE", "XXXX-WXX-2", True), ("DATE", "PAST_REF", True),
    ("DATE", "199", True), ("DATE", "2025-13", False), ("DATE", "P1Y", False),
    ("TIME", "2020-11-18T15:00", True), ("TIME", "XXXX-XX-XXTMO", True), ("TIME", "2020-11-18", False),
    ("DURATION", "P3DE", True), ("DURATION", "PT20M38S", True), ("DURATION", "PXY", True),
    ("DURATION", "P", False), ("DURATION", "PT", False), ("DURATION", "P1", False),
    ("SET", "P1D", True), ("SET", "XXXX-WXX-1", True), ("SET", "2020", False),
])
def test_timeml_value_grammar(timex_type, value, ok):
    assert is_timeml_value(timex_type, value) is ok


def test_grammar_file_loads_with_every_macro_known():
    grammar = load_grammar()
    assert {rule.kind for rule in grammar.rules} >= {"calendar_day", "range", "set", "duration", "time"}
    assert set(timeml_grammar()) == {"DATE", "TIME", "DURATION", "SET"}


def test_every_rule_kind_has_exactly_one_resolver():
    """The resolver modules' tables together cover each rule kind once: a kind with no resolver
    would resolve to nothing without an error, and one in two tables to whichever merges last."""
    kinds = [kind for module in (date_points, date_relative, date_durations) for kind in module.RESOLVERS]
    assert sorted(kinds) == sorted(get_args(RuleKind))
    assert set(RESOLVERS) == set(kinds)


def test_rule_file_with_an_unknown_key_fails(tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_text(json.dumps({"id": "x", "kind": "year", "pattern": "{YEAR}", "lable": "DATE"}) + "\n")
    with pytest.raises(ValueError, match="unknown keys"):
        load_rules(path)


def test_rule_with_an_unknown_macro_fails():
    with pytest.raises(ValueError, match="unknown macro"):
        DateGrammar(DateLexicon.load(), [DateRule("x", "year", "{YEARS}")])


def test_lexicon_with_an_unknown_key_fails(tmp_path):
    data = dict(DateLexicon.load().data)
    data["monthz"] = {}
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="unknown keys"):
        DateLexicon.load(path)


# ------------------------------------------------------------------ properties

MONTHS = ["January", "Feb.", "March", "Sept", "December", "May"]
UNITS = ["day", "days", "weeks", "month", "months", "years", "decades", "hours", "quarters"]
TEMPLATES = [
    "{month} {day}, {year}", "{day} {month} {year}", "{month} {day}", "{month} {year}", "{year}",
    "the first half of {year}", "the first {n} months of {year}", "{n} {unit}", "the past {n} {unit}",
    "between {year} and {year2}", "{year}-{year2}", "{month}/{month2}", "{month} {day} to {month2} {day2}",
    "last {unit1}", "next {unit1}", "the previous {unit1}", "{n} {unit} ago", "every {unit1}",
    "{weekday}", "last {weekday}", "{n}-{unit1}", "the {ord} quarter of {year}", "{hour} pm",
]
DCTS = st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(date.isoformat))
TENSES = st.sampled_from([None, "past", "future"])


@st.composite
def date_expressions(draw):
    template = draw(st.sampled_from(TEMPLATES))
    return template.format(
        month=draw(st.sampled_from(MONTHS)), month2=draw(st.sampled_from(MONTHS)),
        day=draw(st.integers(0, 40)), day2=draw(st.integers(0, 40)),
        year=draw(st.integers(990, 2200)), year2=draw(st.integers(0, 2300)),
        n=draw(st.one_of(st.integers(0, 150).map(str), st.sampled_from(["a", "two", "several", "1.5", "twenty-one"]))),
        unit=draw(st.sampled_from(UNITS)), unit1=draw(st.sampled_from(["year", "month", "week", "quarter", "decade", "day"])),
        weekday=draw(st.sampled_from(["Monday", "Sunday", "Friday"])),
        ord=draw(st.sampled_from(["first", "second", "fourth", "final"])), hour=draw(st.integers(0, 14)),
    )


def _assert_well_formed(timex):
    assert timex.timex_type in ("DATE", "TIME", "DURATION", "SET")
    assert is_timeml_value(timex.timex_type, timex.timex_value), timex
    assert (timex.start is None) == (timex.end is None), timex
    if timex.start is not None:
        start, end = parse_iso_day(timex.start), parse_iso_day(timex.end)
        assert start is not None and end is not None and start <= end, timex


@settings(max_examples=400, deadline=None)
@given(date_expressions(), DCTS, TENSES, st.one_of(st.none(), st.sampled_from(["2019", "XXXX-Q4", "2020-03"])))
def test_every_resolution_is_well_formed(expression, dct, tense, ref):
    timex = resolve_timex(expression, dct, ref, tense)
    if timex is not None:
        _assert_well_formed(timex)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), DCTS)
def test_resolver_never_raises_on_random_text(text, dct):
    timex = resolve_timex(text, dct)
    if timex is not None:
        _assert_well_formed(timex)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -/.,:aAmMpPyYsQHdDeEnNoOtTxX")), max_size=40),
       st.one_of(st.none(), st.text(max_size=12)))
def test_resolver_never_raises_on_date_like_noise_and_bad_dct(text, dct):
    timex = resolve_timex(text, dct)
    if timex is not None:
        _assert_well_formed(timex)


def _unanchored():
    import dataclasses

    grammar = load_grammar()
    return DateGrammar(grammar.lexicon, [dataclasses.replace(r, anchor=None) for r in grammar.rules])


def test_anchors_only_speed_up_the_search():
    """Running each rule near its anchor finds exactly what a full scan finds."""
    plain = _unanchored()
    text = " ".join(expression for expression, *_ in CASES) + " " + " ".join(NOT_DATES)
    key = lambda matches: sorted((m.start, m.end, m.rule) for m in matches)  # noqa: E731
    assert key(load_grammar().find(text)) == key(plain.find(text))
    long_text = ("x" * 150 + " in the first half of 2025, ") * 5 + "y" * 98 + " between 2015 and 2022"
    assert key(load_grammar().find(long_text)) == key(plain.find(long_text))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(date_expressions(), st.text(max_size=30)), max_size=8))
def test_anchored_search_equals_full_scan_on_random_text(parts):
    text = " ".join(parts)
    key = lambda matches: sorted((m.start, m.end, m.rule) for m in matches)  # noqa: E731
    assert key(load_grammar().find(text)) == key(_unanchored().find(text))
