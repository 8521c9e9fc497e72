"""`news_dates` on real-looking sentences: spans (offsets and text) and values, and what it leaves out.

Most cases run on `spacy.blank("en")` + the component (no model, fast); the ones whose reading
depends on the model's tags or entities (`said today`, `£50 a month`, a year that is a count)
use the session-wide full pipeline.
"""

import pytest
import spacy

from pipeline.extensions import register_extensions
from pipeline.normalize.date_calendar import is_timeml_value, parse_iso_day


@pytest.fixture(scope="module")
def blank():
    import pipeline.components  # noqa: F401  (registers the factories)

    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("news_dates")
    return nlp


def dates(nlp, text, dct=None):
    doc = nlp.make_doc(text)
    doc._.dct = dct
    doc = nlp(doc)
    found = doc._.candidates or []
    for c in found:
        assert c["label"] == "DATE" and c["source"].startswith("news_dates:")
    return [(text[c["start"]:c["end"]], c["value"]["timex_type"], c["value"]["timex_value"],
             c["value"]["start"], c["value"]["end"]) for c in sorted(found, key=lambda c: c["start"])]


N = None
SENTENCES = [
    # text, dct, expected [(span text, type, value, start, end)]
    # a period named by its last day: the calendar one where it ends as one does, else fiscal
    ("Charges hit the third quarter ended March 31.", "1987-03-24",
     [("the third quarter ended March 31", "DURATION", "P1Q", "1987-01-01", "1987-03-31")]),
    ("Earnings in the second half, ending June 30, 1987, will rise.", "1987-03-24",
     [("the second half, ending June 30, 1987", "DURATION", "P6M", "1987-01-01", "1987-06-30")]),
    ("Profit for the fourth quarter ended December 31 rose.", "1987-03-24",
     [("the fourth quarter ended December 31", "DATE", "1986-Q4", "1986-10-01", "1986-12-31")]),
    ("The fiscal year ending March 28 was weak.", "1987-04-03",
     [("The fiscal year ending March 28", "DURATION", "P1Y", "1986-03-29", "1987-03-28")]),
    # lengths in working or trading days; `first` before a length; `over` a length is during it
    ("The price held for at least 20 trading days within 30 consecutive trading days.", N,
     [("at least 20 trading days", "DURATION", "P20D", N, N), ("30 consecutive trading days", "DURATION", "P30D", N, N)]),
    ("It contrasts with Reagan's first six years in office.", N, [("first six years", "DURATION", "P6Y", N, N)]),
    ("The plant will recover 70,000 ounces over three years.", N, [("three years", "DURATION", "P3Y", N, N)]),
    ("The work took over three years.", N, [("over three years", "DURATION", "P3Y", N, N)]),
    # a year before a month the text names is that month a year before; `the three months through to`
    # a year as a clause's subject, after a subordinator (no name before it)
    ('"Although 2005 may not be the year when things go wrong," he said.', N,
     [("2005", "DATE", "2005", "2005-01-01", "2005-12-31")]),
    # a dated period of weeks is the reference of the comparisons after it, an amount between
    ("Demand rose in the four weeks ended March 20 to 16.16 mln bpd from 16.15 mln a year ago.", "1987-03-25",
     [("the four weeks ended March 20", "DURATION", "P4W", "1987-02-21", "1987-03-20"),
      ("a year ago", "DATE", "1986", "1986-02-21", "1986-03-20")]),
    ("Orders in February rose 2.7 pct from a year earlier.", "1987-03-27",
     [("February", "DATE", "1987-02", "1987-02-01", "1987-02-28"), ("a year earlier", "DATE", "1986-02", "1986-02-01", "1986-02-28")]),
    # where an open stretch starts (`since ...`) is not the time the next anaphor counts from
    ("Sales in the week ended March 19 were the highest since mid-November, 1979, and above the preceding week.",
     "1987-03-26", [("the week ended March 19", "DATE", "1987-W12", "1987-03-16", "1987-03-22"),
                    ("mid-November, 1979", "DATE", "1979-11", "1979-11-01", "1979-11-30"),
                    ("the preceding week", "DATE", "1987-W11", "1987-03-09", "1987-03-15")]),
    # a stretch of a day is its length; a range of years is not read into clock times
    ("It will be shown from 1130 to 1215 GMT on Wednesday.", N,
     [("1130 to 1215 GMT", "DURATION", "PT45M", N, N), ("Wednesday", "DATE", "XXXX-WXX-3", N, N)]),
    # the text says where its fiscal year starts: every year pair in it is that fiscal year
    ("Japan will pay less in fiscal 1987/88 starting April 1 than in 1986/87.", "1987-03-31",
     [("fiscal 1987/88 starting April 1", "DURATION", "P1Y", "1987-04-01", "1988-03-31"),
      ("1986/87", "DURATION", "P1Y", "1986-04-01", "1987-03-31")]),
    ("Output rose in 1986/87.", "1987-03-31", [("1986/87", "DURATION", "P1Y", N, N)]),
    # `the previous day` is the day before the time just named
    ("Sales rose on March 3. The previous day they fell.", "1987-04-03",
     [("March 3", "DATE", "1987-03-03", "1987-03-03", "1987-03-03"),
      ("The previous day", "DATE", "1987-03-02", "1987-03-02", "1987-03-02")]),
    # the second of two decades may drop its century; an age in the 70s is no decade
    ("It ran in the 1970s and 80s, and people in their 70s watched.", N,
     [("the 1970s", "DATE", "197", "1970-01-01", "1979-12-31"), ("80s", "DATE", "198", "1980-01-01", "1989-12-31")]),
    # race times glued to their unit; a match report's halves are the game's
    ("He won his heat in 7.64secs but ran 0.04secs slower.", N,
     [("7.64secs", "DURATION", "PT7.64S", N, N), ("0.04secs", "DURATION", "PT0.04S", N, N)]),
    ("The striker scored two goals before half-time. We had a really good second half.", N, []),
    # `year-end` before a noun only qualifies it; the noun `fall` is no season
    ("The year-end results include a charge, and this year's fall in prices hurt.", "1987-03-05",
     [("this year", "DATE", "1987", "1987-01-01", "1987-12-31")]),
    ("Mobiles sold during the three months through to September had cameras.", N,
     [("the three months through to September", "DATE", "XXXX-Q3", N, N)]),
    # a fiscal year pair is one year; a year before `full year` is no count of years
    ("Earnings will rise 8.9 pct in fiscal 1987/88.", "1987-03-12", [("fiscal 1987/88", "DURATION", "P1Y", N, N)]),
    ("Profit was 953 mln for the 1986 full year.", "1987-03-03",
     [("the 1986 full year", "DATE", "1986", "1986-01-01", "1986-12-31")]),
    # a range is placed by its end; the same period last year is that range a year before
    ("Exports from January 1 to March 23 were 875 billion dinars, against 667 billion in the same period last year.",
     "1987-03-30", [("January 1 to March 23", "DURATION", "P82D", "1987-01-01", "1987-03-23"),
                    ("the same period last year", "DATE", "1986", "1986-01-01", "1986-03-23")]),
    ("Exports rose 6.6 pct in May from the year-ago month, and imports were up on the respective year-ago months.",
     "1987-07-08", [("May", "DATE", "1987-05", "1987-05-01", "1987-05-31"),
                    ("the year-ago month", "DATE", "1986-05", "1986-05-01", "1986-05-31"),
                    ("the respective year-ago months", "DATE", "1986-05", "1986-05-01", "1986-05-31")]),
    # wire dates with the day in words; a day with `this year`; a weekday before a named one
    ("The offer was rejected by the board February third, the judge heard.", "1987-04-02",
     [("February third", "DATE", "1987-02-03", "1987-02-03", "1987-02-03")]),
    ("The festival fell on Nov. 16 this year.", "2020-11-19", [("Nov. 16 this year", "DATE", "2020-11-16", "2020-11-16", "2020-11-16")]),
    # a fiscal year named by the day it starts or ends on
    ("Japan will cut beef prices for the fiscal year starting April 1.", "1987-03-26",
     [("the fiscal year starting April 1", "DURATION", "P1Y", "1987-04-01", "1988-03-31")]),
    # `the month of`, `the spring of`, `the year-end` inside the span; `in five years' time`; `a month or two`
    ("The CME posted record volume for the month of February.", "1987-03-03",
     [("the month of February", "DATE", "1987-02", "1987-02-01", "1987-02-28")]),
    ("The ban will come in by the spring of 2006.", N, [("the spring of 2006", "DATE", "2006-SP", "2006-03-01", "2006-05-31")]),
    ("If in five years' time the theatre is open, it will thrive.", "1987-03-03",
     [("five years' time", "DATE", "1992", "1992-01-01", "1992-12-31")]),
    ("Details will be announced in a month or two.", N, [("a month or two", "DURATION", "P2M", N, N)]),
    ("Earnings will grow in the next three to four years.", "1987-06-18",  # a range of lengths, anchored
     [("the next three to four years", "DURATION", "P4Y", "1987-06-18", "1991-06-18")]),
    ("A second devaluation might be necessary later in the year.", "1987-03-11",  # the year's rest
     [("later in the year", "DATE", "1987", "1987-03-11", "1987-12-31")]),
    ("Broadband users rose to 32.5 million in the year ending June 2004.", N,  # a named month, no day
     [("the year ending June 2004", "DURATION", "P1Y", "2003-07-01", "2004-06-30")]),
    ("The band took the stage at 2200 GMT.", "2005-02-10", [("2200 GMT", "TIME", "2005-02-10T22:00", "2005-02-10", "2005-02-10")]),
    # the rest of a year runs from the dct; periods in a row are a duration, not a fraction
    ("Loans stay nonperforming for the rest of 1987, after four consecutive quarters of losses.", "1987-04-09",
     [("the rest of 1987", "DATE", "1987", "1987-04-09", "1987-12-31"), ("four consecutive quarters", "DURATION", "P4Q", N, N)]),
    ("I accepted a lot of invitations these past few months.", N, [("these past few months", "DURATION", "PXM", N, N)]),
    # a sports or trading season named by its place in the sequence is a year long, its dates unsaid;
    # `season tickets` name no season
    ("He is the top scorer this season, as he was the season before last. Season tickets sold out.", N,
     [("this season", "DURATION", "P1Y", N, N), ("the season before last", "DURATION", "P1Y", N, N)]),
    ("Wheat sales for the current season fell; the next CSL season starts later.", "1987-03-26",
     [("the current season", "DURATION", "P1Y", N, N), ("the next CSL season", "DURATION", "P1Y", N, N)]),
    # once the text says where its fiscal year ends, its fiscal years cover that span; a fiscal year
    # is named by the year it ends in
    ("Profits for the year ending March 31, 1988 will rise; fiscal 1987 sales fell, the current fiscal "
     "year looks better and 1986/87 was worse.", "1987-04-09",
     [("the year ending March 31, 1988", "DURATION", "P1Y", "1987-04-01", "1988-03-31"),
      ("fiscal 1987", "DURATION", "P1Y", "1986-04-01", "1987-03-31"),
      ("the current fiscal year", "DURATION", "P1Y", "1987-04-01", "1988-03-31"),
      ("1986/87", "DURATION", "P1Y", "1986-04-01", "1987-03-31")]),
    ("Cargo rose in the 1987 first quarter over the 1986 third quarter.", "1987-04-09",  # a year before the ordinal
     [("the 1987 first quarter", "DATE", "1987-Q1", "1987-01-01", "1987-03-31"),
      ("the 1986 third quarter", "DATE", "1986-Q3", "1986-07-01", "1986-09-30")]),
    ("The estimates of 04/09/87 and 12/31/1986 differ.", "1987-04-09",  # a numeric date with a two-digit year
     [("04/09/87", "DATE", "1987-04-09", "1987-04-09", "1987-04-09"),
      ("12/31/1986", "DATE", "1986-12-31", "1986-12-31", "1986-12-31")]),
    ("M-1 rose 217 mln dlrs in week ended February 25, the bank said.", "1987-03-06",  # `the` left out
     [("week ended February 25", "DATE", "1987-W09", "1987-02-23", "1987-03-01")]),
    # `early`/`late` before a part of the day and `year's end` are inside the span
    ("The board agreed late last night to ship them by year's end.", "1987-04-03",
     [("late last night", "TIME", "1987-04-02TNI", "1987-04-02", "1987-04-02"),
      ("year's end", "DATE", "1987", "1987-01-01", "1987-12-31")]),
    ("Sales rose in the January to September 1987 period, but the July to September figures fell.", N,
     [("the January to September 1987 period", "DURATION", "P9M", "1987-01-01", "1987-09-30"),
      ("July to September", "DURATION", "P3M", N, N)]),
    # a time of day falls on the weekday named before it
    ("Fans queued on Friday. The prime minister walked into the shop at 0900 GMT.", N,
     [("Friday", "DATE", "XXXX-WXX-5", N, N), ("0900 GMT", "TIME", "XXXX-WXX-5T09:00", N, N)]),
    ("The economy grew in the financial year 1986/87 ending on June 30.", "1987-06-15",
     [("the financial year 1986/87 ending on June 30", "DURATION", "P1Y", "1986-07-01", "1987-06-30")]),
    ("The bond pays interest on March 25, 1987 and matures on the same date in 1992.", N,
     [("March 25, 1987", "DATE", "1987-03-25", "1987-03-25", "1987-03-25"),
      ("the same date in 1992", "DATE", "1992-03-25", "1992-03-25", "1992-03-25")]),
    ("The concerts on June 24 and 25 sold out, unlike those held between May 2 and 5.", "2005-01-30",  # `and` joins a range only after `between`
     [("June 24", "DATE", "2005-06-24", "2005-06-24", "2005-06-24"),
      ("between May 2 and 5", "DURATION", "P4D", "2005-05-02", "2005-05-05")]),
    ("Values rose last Friday, up 1.4 pct from the previous Friday.", "1987-03-30",
     [("last Friday", "DATE", "1987-03-27", "1987-03-27", "1987-03-27"),
      ("the previous Friday", "DATE", "1987-03-20", "1987-03-20", "1987-03-20")]),
    ("Sales between October and December 2004 fell from the same period in 2003.", N,  # moved to a named year
     [("between October and December 2004", "DURATION", "P3M", "2004-10-01", "2004-12-31"),
      ("the same period in 2003", "DATE", "2003-Q4", "2003-10-01", "2003-12-31")]),
    ("Sales in the first two months of 2005 doubled those of the same 2004 period.", N,  # a month keeps its end
     [("the first two months of 2005", "DATE", "2005", "2005-01-01", "2005-02-28"),
      ("the same 2004 period", "DATE", "2004", "2004-01-01", "2004-02-29")]),
    ("The plant opened on July 8, 2025 after 18 months of work.", N,
     [("July 8, 2025", "DATE", "2025-07-08", "2025-07-08", "2025-07-08"), ("18 months", "DURATION", "P18M", N, N)]),
    ("Output grew 9 percent in the first half of 2025.", N,
     [("the first half of 2025", "DATE", "2025-H1", "2025-01-01", "2025-06-30")]),
    ("Exports rose in the first 11 months of 2024, customs said.", N,
     [("the first 11 months of 2024", "DATE", "2024", "2024-01-01", "2024-11-30")]),
    ("Sales doubled last year and will rise again this year.", "2021-10-13",
     [("last year", "DATE", "2020", "2020-01-01", "2020-12-31"), ("this year", "DATE", "2021", "2021-01-01", "2021-12-31")]),
    ("Sales doubled last year.", N, [("last year", "DATE", "XXXX", N, N)]),
    ("The city has changed beyond recognition over the past three decades.", "2021-10-13",
     [("the past three decades", "DURATION", "P3DE", "1991-10-13", "2021-10-13")]),
    ("Investment rose between 2015 and 2022, while patents from 2009 to 2011 fell.", N,
     [("between 2015 and 2022", "DURATION", "P8Y", "2015-01-01", "2022-12-31"),
      ("2009 to 2011", "DURATION", "P3Y", "2009-01-01", "2011-12-31")]),
    ("The total for 2010-2019 was lower.", N, [("2010-2019", "DURATION", "P10Y", "2010-01-01", "2019-12-31")]),
    ("The four-day fair ends with a three-hour gala and a week-long exhibition.", N,
     [("four-day", "DURATION", "P4D", N, N), ("three-hour", "DURATION", "PT3H", N, N),
      ("week-long", "DURATION", "P1W", N, N)]),
    ("Trains leave every day and the report is published annually.", N,
     [("every day", "SET", "P1D", N, N), ("annually", "SET", "P1Y", N, N)]),
    ("The ministry said on Tuesday that trade grew.", "2021-10-13",
     [("Tuesday", "DATE", "2021-10-12", "2021-10-12", "2021-10-12")]),
    ("The talks will resume on Friday.", "2021-10-13",
     [("Friday", "DATE", "2021-10-15", "2021-10-15", "2021-10-15")]),
    ("Profits fell in the fourth quarter.", N, [("the fourth quarter", "DATE", "XXXX-Q4", N, N)]),
    ("In 2019, the index rose 7.8 percent over the previous year.", "2020-11-06",
     [("2019", "DATE", "2019", "2019-01-01", "2019-12-31"), ("the previous year", "DATE", "2018", "2018-01-01", "2018-12-31")]),
    ("Prices were flat.\n\nSales were down from the previous year.", N,
     [("the previous year", "DATE", "XXXX", N, N)]),
    ("Profits reached $9m in the three months to September, from $7m year-earlier.", N,
     [("the three months to September", "DATE", "XXXX-Q3", N, N), ("year-earlier", "DATE", "XXXX-Q3", N, N)]),
    ("The summit ran from Nov.1 to Nov.11 in Hangzhou.", "2020-11-12",
     [("Nov.1 to Nov.11", "DURATION", "P11D", "2020-11-01", "2020-11-11")]),
    ("Shipments for June/July were booked.", "1987-02-26",
     [("June/July", "DURATION", "P2M", "1987-06-01", "1987-07-31")]),
    ("Output in the 1986/87 crop year was higher than the 1985/86 crop.", N,
     [("the 1986/87 crop year", "DURATION", "P1Y", None, None),
      ("1985/86", "DURATION", "P1Y", None, None)]),
    ("The vote is expected at midday on February 27.", "1987-02-26",
     [("midday on February 27", "TIME", "1987-02-27T12:00", "1987-02-27", "1987-02-27")]),
    ("Enrolment fell in the 2019-20 academic year.", N,
     [("the 2019-20 academic year", "DURATION", "P1Y", None, None)]),
    ("Butler won in 20 minutes 38 seconds, Bekele in a time of 31:41.", N,
     [("20 minutes 38 seconds", "DURATION", "PT20M38S", N, N), ("31:41", "DURATION", "PT31M41S", N, N)]),
    ("He became chairman in May last year.", "2020-11-18",
     [("May last year", "DATE", "2019-05", "2019-05-01", "2019-05-31")]),
    ("The crop will be late this year.", "1987-02-26",
     [("this year", "DATE", "1987", "1987-01-01", "1987-12-31")]),
    ("Shipments are due in Oct/Dec.", "1987-02-26",
     [("Oct/Dec", "DURATION", "P3M", "1987-10-01", "1987-12-31")]),
    ("Growth has slowed in recent years and may pick up in the near future.", N,
     [("recent years", "DATE", "PAST_REF", N, N), ("the near future", "DATE", "FUTURE_REF", N, N)]),
    ("BEIJING, Nov. 17 (Xinhua) -- China will open more ports, officials said.", "2020-11-18",
     [("Nov. 17", "DATE", "2020-11-17", "2020-11-17", "2020-11-17")]),
    ("The 15 September protest came after the vote.", N,
     [("15 September", "DATE", "XXXX-09-15", N, N)]),
    ("Demonstrators marched during the summer and a rally is planned for the end of the decade.", "2020-11-18",
     [("the summer", "DATE", "2020-SU", "2020-06-01", "2020-08-31"),
      ("the end of the decade", "DATE", "202", "2020-01-01", "2029-12-31")]),
    ("Net loss was 294,000 dlrs vs yr-ago loss of 579,000 dlrs in the fourth quarter of 1986.", N,
     [("yr-ago", "DATE", "XXXX", N, N), ("the fourth quarter of 1986", "DATE", "1986-Q4", "1986-10-01", "1986-12-31")]),
    ("It costs $5 per day, every two weeks.", N,  # `per day` after an amount: a denominator
     [("every two weeks", "SET", "P2W", N, N)]),
    ("The board meets twice a month and five times a year.", N,
     [("twice a month", "SET", "P1M", N, N), ("five times a year", "SET", "P1Y", N, N)]),
    # a list of days shares the month named before it
    ("They flew in on Nov. 3, 4 and 8, and on Oct. 23, 28 and Nov. 6.", "2020-11-19",
     [("Nov. 3", "DATE", "2020-11-03", "2020-11-03", "2020-11-03"), ("4", "DATE", "2020-11-04", "2020-11-04", "2020-11-04"),
      ("8", "DATE", "2020-11-08", "2020-11-08", "2020-11-08"), ("Oct. 23", "DATE", "2020-10-23", "2020-10-23", "2020-10-23"),
      ("28", "DATE", "2020-10-28", "2020-10-28", "2020-10-28"), ("Nov. 6", "DATE", "2020-11-06", "2020-11-06", "2020-11-06")]),
    ("The meeting was on May 5 and 6 people came.", "2020-11-19",
     [("May 5", "DATE", "2020-05-05", "2020-05-05", "2020-05-05")]),
    ("A goal 10 minutes later settled it.", N, [("10 minutes later", "TIME", "XXXX-XX-XXTXX:XX", N, N)]),
    # a range of months whose ends are vague parts covers the whole months; `couple of` counts two
    ("Rates fell from early February to early March.", "1987-04-03",
     [("early February to early March", "DURATION", "P2M", "1987-02-01", "1987-03-31")]),
    ("It has won many awards in the last couple of years.", N,
     [("the last couple of years", "DURATION", "P2Y", N, N)]),
    # `N years later` opening a paragraph counts from the time the paragraph before named
    ("The show peaked at Christmas 1986.\n\nTwo years later, 24 million saw him shot.", N,
     [("Christmas 1986", "DATE", "1986-12-25", "1986-12-25", "1986-12-25"),
      ("Two years later", "DATE", "1988", "1988-01-01", "1988-12-31")]),
    # a shift from a day or month named without a year keeps its month and day
    ("They play on Tuesday, 14 June and in Balloch four days later.", N,
     [("Tuesday, 14 June", "DATE", "XXXX-06-14", N, N), ("four days later", "DATE", "XXXX-06-18", N, N)]),
    ("They rested on 30 December and two days later flew home.", N,
     [("30 December", "DATE", "XXXX-12-30", N, N), ("two days later", "DATE", "XXXX-01-01", N, N)]),
    # past or coming periods named by a bare plural; a count before `previous`
    ("Fewer saw films than in previous years; in the coming weeks and months more will.", N,
     [("previous years", "DATE", "PAST_REF", N, N), ("the coming weeks and months", "DATE", "FUTURE_REF", N, N)]),
    ("Jobs rose in the two previous months, after two previous quarters of losses.", N,
     [("the two previous months", "DURATION", "P2M", N, N), ("two previous quarters", "DURATION", "P2Q", N, N)]),
    ("A rise is unlikely in the near term, but prices will rise over the longer term.", N,
     [("the near term", "DATE", "FUTURE_REF", N, N), ("the longer term", "DATE", "FUTURE_REF", N, N)]),
    ("Ewood Park\n\nTuesday, 1 March\n\n2000 GMT", "2005-02-20",  # a date stops at a blank line
     [("Tuesday, 1 March", "DATE", "2005-03-01", "2005-03-01", "2005-03-01"),
      ("2000 GMT", "TIME", "2005-02-20T20:00", "2005-02-20", "2005-02-20")]),
    ("He was at the height of his fame in the seventies.", N, [("the seventies", "DATE", "197", "1970-01-01", "1979-12-31")]),
    ("The sales open on Boxing Day.", "2004-12-20", [("Boxing Day", "DATE", "2004-12-26", "2004-12-26", "2004-12-26")]),
    ("The longer term outlook is good, and he is in it for the long term.", N, []),  # a noun's modifier; an idiom
]

NO_DATES = [
    "The mine has produced about 60,000 ounces of gold a year.",
    "Aged 18 years and 185 days, he became the youngest winner.",
    "The final was played at 2020 ITTF Men's World Cup in Weihai.",
    "A 4-year-old from Pakistan was treated there.",
    "The firm marked its 33rd anniversary with a gala.",
    "Revenue was up 16.6 percent year-on-year and 4 percent year on year.",
    "The Digital Shanghai 2035 plan was published.",
    "The WIPO 2025 Global Innovation Index ranks the city third.",
    "The 2022 Zhangjiang Biomedicine Innovation Index shows growth.",
    "Visitors came to Week Shanghai 2022 in droves.",
    "The company paid $2020 for 1500 tonnes of steel.",
    "Shares rose 2.27 times, to 16.30.",
    "A second wave of infections hit the city.",
    "A quarter of the firms and three quarters of the staff agreed.",
    "China's 14th Five-Year Plan sets the goals.",
    "People buy their daily necessities online.",
    "Theresa May spoke in New York May contracts trading.",
    "Now the city is currently growing, as it has recently.",
    "Zhejiang led at the break and won the second half by ten points.",
    "The tomorrow-next rate rose.",
    "The squad: M Tait (Newcastle), J Noon (Newcastle), J Lewsey (Wasps).",
    "He told BBC Radio 4's Today programme that the plan would work.",
]


@pytest.mark.parametrize(("text", "dct", "expected"), SENTENCES, ids=[s[0][:40] for s in SENTENCES])
def test_sentences(blank, text, dct, expected):
    assert dates(blank, text, dct) == expected


@pytest.mark.parametrize("text", NO_DATES)
def test_no_dates(blank, text):
    assert dates(blank, text, "2020-11-18") == []


def test_offsets_and_preposition_left_out(blank):
    text = "Since 2004 the park has grown; by the end of 2019 it had 1,400 firms."
    doc = blank.make_doc(text)
    doc = blank(doc)
    spans = [(c["start"], c["end"]) for c in doc._.candidates]
    assert spans == [(6, 10), (34, 49)]
    assert [text[s:e] for s, e in spans] == ["2004", "the end of 2019"]


def test_abbreviation_full_stop_ends_the_sentence_not_the_span(blank):
    assert dates(blank, "Deliveries slipped to Dec.\nPrices held.", "1987-02-26")[0][0] == "Dec"


def test_candidates_are_appended_to_existing_ones(blank):
    doc = blank.make_doc("Sales fell in 2020.")
    doc._.candidates = [{"start": 0, "end": 5, "label": "ORG", "value": None, "source": "other"}]
    doc = blank(doc)
    assert [c["source"] for c in doc._.candidates] == ["other", "news_dates:grammar.year"]


# ------------------------------------------------------------------ with the model (full pipeline)

def mentions(nlp, text, dct=None):
    doc = nlp.make_doc(text)
    doc._.dct = dct
    return [(m["text"], m["value"]["timex_type"], m["value"]["timex_value"])
            for m in nlp(doc)._.mentions if m["label"] == "DATE"]


@pytest.mark.parametrize(("text", "dct", "expected"), [
    ("An Airbus spokesman said today that the order was firm.", "1987-03-03", [("today", "DATE", "1987-03-03")]),
    ("Reserves rose to 54 billion dlrs, against 27.3 billion a year ago.", "1987-04-29",
     [("a year ago", "DATE", "1986")]),  # after an amount, but the start of a shift, no rate
    ("Today, the village is home to 400 families.", "2020-11-18", []),
    ("The scheme costs £50 a month per member.", N, []),  # rate denominators (guidelines)
    ("It will take a month to repair the bridge.", N, [("a month", "DURATION", "P1M")]),
    ("The plant makes 1,000 units a month.", N, []),
    ("It was a marvellous 2005 season for the club.", N, [("2005", "DATE", "2005")]),
    ("Quarterly profits at the firm rose.", N, []),  # frequency words qualifying a noun
    ("Annual sales rose at an annual rate of 3.7%.", N, []),
    ("The review is published weekly.", N, [("weekly", "SET", "P1W")]),
    ("Prices fell sharply in August, officials said.", "2013-03-22", [("August", "DATE", "2012-08")]),
    ("Markets have their best week since November.", "2009-03-13", [("November", "DATE", "2008-11")]),
    ("Analysts said today's U.K. Budget would ease rates.", "1987-03-17", [("today", "DATE", "1987-03-17")]),
    ("The talks have been postponed until Saturday.", "2013-03-22", [("Saturday", "DATE", "2013-03-23")]),
    ("BP agreed to sell its stake to Rosneft in October for cash.", "2013-03-22", [("October", "DATE", "2012-10")]),
    ("Sales peaked at Christmas, the retailer said.", "2005-01-10", [("Christmas", "DATE", "2004-12-25")]),
    ("It is quiet because of Christmas celebrations.", "2005-01-10", []),  # the holiday qualifies a noun
    ("Christmas sales were weak.", "2005-01-10", [("Christmas", "DATE", "2004-12-25")]),  # sold at the holiday
    ("Reserves fell at year-end 1985.", N, [("year-end 1985", "DATE", "1985")]),
    ("Cafes closed in the closing months of 2004.", N,  # unsaid months of a year: the year
     [("the closing months of 2004", "DATE", "2004")]),
    ("GNP rose in the January/March quarter and fell in the April-June quarter.", "1987-06-12",
     [("the January/March quarter", "DATE", "1987-Q1"), ("the April-June quarter", "DATE", "1987-Q2")]),
    ("Wales led in the opening 45 minutes and the first half-hour.", N,
     [("the opening 45 minutes", "DURATION", "PT45M"), ("the first half-hour", "DURATION", "PT30M")]),
    ("Reserves over the first seven days of April fell.", "1987-04-08",  # a month's first days
     [("the first seven days of April", "DATE", "1987-04")]),
    ("Runs in the first 78 days of the year rose.", "1987-03-25", [("the first 78 days of the year", "DATE", "1987")]),
    ("the debt on december 31, 1986 was 14.46 billion dollars.", N,  # all-lower-case wire copy
     [("december 31, 1986", "DATE", "1986-12-31")]),
    ("Calvet expected Citroen's 1986 profit to rise.", "1987-03-16", [("1986", "DATE", "1986")]),  # a possessive, no name
    ("B.C. Resources' 1986 charge rose.", "1987-03-16", [("1986", "DATE", "1986")]),  # a plural possessive too
    ("Using 1973 as a base, it said prices rose.", "1987-03-16", [("1973", "DATE", "1973")]),  # a sentence's first word
    ("Sales rose 4% over the festive season, the retailer said.", "2005-01-10",  # a holiday's period: its month
     [("the festive season", "DATE", "2004-12")]),
    ("The holiday season is when stores make their profits.", N, [("The holiday season", "DATE", "XXXX-12")]),
    ("The film took $40m on the first day and $90m in its opening weekend.", N,  # counted from an event
     [("the first day", "DATE", "XXXX-XX-XX"), ("its opening weekend", "DATE", "XXXX-WXX-WE")]),
    ("The game sold 50,000 in its first week and more in its first three days abroad.", N,
     [("its first week", "DATE", "XXXX-WXX"), ("its first three days", "DURATION", "P3D")]),
    ("Spain led going into the final day.", N, [("the final day", "DATE", "XXXX-XX-XX")]),
    ("It opens on the first day of the month.", N, []),  # a day of a named period is no event's day
    ("By the end of Tuesday, 3,723 cases were reported.", "2020-11-18", [("the end of Tuesday", "DATE", "2020-11-17")]),
    ("No date has been set for the issue, announced in January, the company said.", "1987-03-16",
     [("January", "DATE", "1987-01")]),
    ("The deal is expected to be signed in February, the company said.", "1987-03-10",
     [("February", "DATE", "1988-02")]),
    ("The dividend is payable July 1 to holders of record, it said.", "1987-03-10",
     [("July 1", "DATE", "1987-07-01")]),
    ("Sales in January were flat, while orders fell from December.", "1987-03-06",  # past: not the next December
     [("January", "DATE", "1987-01"), ("December", "DATE", "1986-12")]),
    ("M-2 rose 2.8 pct in January 1987, against 9.4 pct in December.", "1987-03-10",  # no verb of its own
     [("January 1987", "DATE", "1987-01"), ("December", "DATE", "1986-12")]),
    ("Rain in June and in July could still reverse the decline, traders said.", "1987-06-15",  # a modal, not `said`
     [("June", "DATE", "1987-06"), ("July", "DATE", "1987-07")]),
    ("Growth slowed in January, against the previous January and a prior January.", "1987-02-26",  # a year before
     [("January", "DATE", "1987-01"), ("the previous January", "DATE", "1986-01"), ("a prior January", "DATE", "1986-01")]),
    ("Borrowings in the week ended Wednesday rose.", "1987-02-26",  # the week of that weekday
     [("the week ended Wednesday", "DATE", "1987-W09")]),
    ("Ford said full-year earnings fell.", "1987-03-10", []),  # `full-year` before a noun only qualifies it
    ("Ford said it made a profit for the full year.", "1987-03-10",  # reported in a past clause: the year just ended
     [("the full year", "DATE", "1986")]),
    ("Cake sales were registered at 785 dlrs for May and 753 dlrs for Aug.", "1987-02-26",
     [("May", "DATE", "1987-05"), ("Aug", "DATE", "1987-08")]),
    ("Butter sold at 4,340 dlrs for March shipment.", "1987-02-26", [("March", "DATE", "1987-03")]),
    ("He put the OPEC output shortfall in February at 900,000 bpd.", "1987-03-11",  # a volume, not a price
     [("February", "DATE", "1987-02")]),
    ("Members remain determined to uphold the December agreement.", "1987-03-11",  # no tense: the nearer one
     [("December", "DATE", "1986-12")]),
    ("Shares rose, the company said today. Its board meets today, at today's highs.", "1987-04-01",  # the story's day
     [("today", "DATE", "1987-04-01"), ("today", "DATE", "1987-04-01"), ("today", "DATE", "1987-04-01")]),
    ("Its board meets today, at today's highs.", "1987-04-01", []),  # nothing says which `today`
    ("A 2004 ICM survey showed it; the 2022 Zhangjiang Biomedicine Innovation Index rose.", "2005-01-01",
     [("2004", "DATE", "2004")]),  # a year before a common noun's modifiers, not a name's
    ("GM named a chief today, saying it was an exciting time at today's GM.", "2013-12-10",  # a name's present day
     [("today", "DATE", "2013-12-10")]),
    ("Debt fell in the quarter end December 31 and in the September quarter, from March quarter 1985.", "1987-04-01",
     [("the quarter end December 31", "DATE", "1986-Q4"), ("the September quarter", "DATE", "1986-Q3"),
      ("March quarter 1985", "DATE", "1985-Q1")]),  # a quarter named by its last month
    ("Cragg won in 7:39.89, and sales grow 5 pct a year, declining one pct per annum.", "1987-04-01",
     [("7:39.89", "DURATION", "PT7M39.89S")]),  # a race time; a rate's denominator is no date
    ("April/May butter went at 2.27 times New York May.", "1987-02-26", [("April/May", "DURATION", "P2M")]),
    ("The Shanghai Daily reported the story.", N, []),
])
def test_context_read_with_the_model(nlp, text, dct, expected):
    assert mentions(nlp, text, dct) == expected


def test_model_dates_are_no_longer_taken_raw(nlp):
    """DATE/TIME belong to news_dates: a 4-year-old the model calls DATE yields nothing."""
    assert mentions(nlp, "Four patients, including a 4-year-old from Pakistan, were treated.") == []


def test_every_corpus_date_is_well_formed(corpus_records):
    seen = 0
    for record in corpus_records:
        for span in record["spans"]:
            if span["label"] != "DATE":
                continue
            value = span["value"]
            assert value is not None and is_timeml_value(value["timex_type"], value["timex_value"]), span
            if value["start"] is not None:
                assert parse_iso_day(value["start"]) <= parse_iso_day(value["end"]), span
            else:
                assert value["end"] is None, span
            seen += 1
    assert seen > 100


def test_context_word_file_with_an_unknown_key_fails(tmp_path):
    import json

    from pipeline.components.dates import CONTEXT_FILE, DateContextWords

    data = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    data["reportng_verbs"] = ["said"]
    path = tmp_path / "date_context.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        DateContextWords.load(path)


@pytest.mark.parametrize(("text", "dct", "expected"), [
    ("Trading closed at 16:08 UTC, up from earlier today.", "2009-06-01",
     [("16:08 UTC", "TIME", "2009-06-01T16:08"), ("earlier today", "DATE", "2009-06-01")]),
    ("GM filed at 12:00 UTC Monday in a court.", "2009-06-01", [("12:00 UTC Monday", "TIME", "2009-06-01T12:00")]),
    ("Children ages 6 months and older should be vaccinated.", "2013-03-22", []),  # an age
    ("The buyback could take between 12 and 18 months.", "2013-03-22",
     [("between 12 and 18 months", "DURATION", "P18M")]),
])
def test_zones_ages_and_ranges(blank, text, dct, expected):
    doc = blank.make_doc(text)
    doc._.dct = dct
    assert [(text[m["start"]:m["end"]], m["value"]["timex_type"], m["value"]["timex_value"])
            for m in blank(doc)._.candidates if m["label"] == "DATE"] == expected


def test_a_batch_parses_the_sentences_whose_tense_it_needs_in_one_call(nlp):
    """A month without a year takes its year from the tense of its clause; over a batch those
    clauses are parsed together, and the values are those of one document at a time."""
    texts = ["Sales fell in August, the company said.", "The plant will reopen in January.",
             "Output rose 3 pct in February from a year ago.", "Talks resumed on Monday.",
             "The deal closed on March 3, 1987."]
    parser = nlp.get_pipe("news_dates").parser
    calls = []
    original = parser.parse

    def counted(docs, with_parser):
        calls.append((len(docs), with_parser))
        return original(docs, with_parser)

    def values(docs):
        return [[(c["start"], c["value"]["timex_value"]) for c in d._.candidates or [] if c["label"] == "DATE"]
                for d in docs]

    def made(text):
        doc = nlp.make_doc(text)
        doc._.dct = "1987-05-20"
        return doc

    alone = values(nlp(made(text)) for text in texts)
    parser.parse = counted
    try:
        batch = values(nlp.pipe([made(text) for text in texts]))
    finally:
        parser.parse = original
    assert batch == alone
    assert [v for _, v in batch[0]] == ["1986-08"] and [v for _, v in batch[1]] == ["1988-01"]
    assert [n for n, with_parser in calls if with_parser] == [4]  # the four with an open month or weekday
