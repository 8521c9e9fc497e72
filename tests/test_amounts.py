"""news_amounts on real sentences: span boundaries and values, and what must yield nothing.

Rule spans are checked on `spacy.blank("en")` + the component (fast, no model); what needs the
model's tags (the counted noun, numbers inside names) on the full pipeline (`nlp` fixture).
"""

import re

import pytest
import spacy

from pipeline.components.amounts import amount_patterns, fragments
from pipeline.components.amounts.patterns import trie_alternation

LABELS = {"MONEY", "PERCENT", "QUANTITY", "CARDINAL"}


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("news_amounts")
    return nlp


def amounts(nlp, text):
    doc = nlp(text)
    found = doc._.mentions if doc.has_extension("mentions") and doc._.mentions is not None else doc._.candidates
    return [(text[c["start"]:c["end"]], c["label"], c["value"]) for c in found or [] if c["label"] in LABELS]


@pytest.mark.parametrize(("forms", "regex"), [
    (["dlrs", "dlr"], "dlrs?"),
    (["jamaica\\s+dollars", "jamaica\\s+dollar", "jamaica", "p"], "(?:jamaica(?:\\s+dollars?)?|p)"),
    (["km", "kilometres[\\s\\-]+per[\\s\\-]+hour", "kilometres"], "k(?:ilometres(?:[\\s\\-]+per[\\s\\-]+hour)?|m)"),
])
def test_plain_forms_share_their_beginnings(forms, regex):
    assert trie_alternation(forms) == regex
    assert {f: re.fullmatch(regex, f.replace("\\s+", " ").replace("[\\s\\-]+", "-")) is not None for f in forms} \
        == dict.fromkeys(forms, True)


def test_patterns_compile_with_every_placeholder_filled():
    assert {p.id for p in amount_patterns()} >= {"money-prefix", "money-suffix", "percent", "quantity", "count"}
    assert all(re.search(r"\{[A-Z_]+\}", p.regex.pattern) is None for p in amount_patterns())
    assert {"MOD", "RANGE", "CUR_PRE", "CUR_SUF", "UNIT"} <= set(fragments())


# (sentence, [(span text, label, {value items that must hold})])
RULE_SPANS = [
    ("Zhangjiang reported 167.3 billion yuan in industrial output, up 16.6 percent year-on-year.",
     [("167.3 billion yuan", "MONEY", {"amount": 167300000000, "currency": "CNY"}),
      ("16.6 percent", "PERCENT", {"amount": 16.6, "unit": "percent"})]),
    ("securing nearly 20 million yuan ($2.78 million) in contracts.",
     [("nearly 20 million yuan", "MONEY", {"amount": 20000000, "modifier": "approx"}),
      ("$2.78 million", "MONEY", {"amount": 2780000, "currency": "USD", "modifier": None})]),
    ("profits jumped 76% to $1.13bn (£600m) for the three months to December",
     [("76%", "PERCENT", {"amount": 76}), ("$1.13bn", "MONEY", {"amount": 1130000000}),
      ("£600m", "MONEY", {"amount": 600000000, "currency": "GBP"})]),
    ("its profits were 40m rupees ($915,000; £486,000) for the three months",
     [("40m rupees", "MONEY", {"currency": "INR"}), ("$915,000", "MONEY", {"amount": 915000}),
      ("£486,000", "MONEY", {"amount": 486000, "currency": "GBP"})]),
    ("The sale comprised 74.9 mln shares at 2.725 N.Z. Dlrs a share and 2,095 warrants at 1,709 dlrs each.",
     [("74.9 mln", "CARDINAL", {"amount": 74900000}), ("2.725 N.Z. Dlrs", "MONEY", {"currency": "NZD"}),
      ("2,095", "CARDINAL", {"amount": 2095}), ("1,709 dlrs", "MONEY", {"currency": "NZD"})]),
    ("Forward sales were at 1,850 and 1,880 dlrs and at 35 and 45 dlrs under New York",
     [("1,850", "MONEY", {"amount": 1850, "currency": "USD"}), ("1,880 dlrs", "MONEY", {"amount": 1880}),
      ("35", "MONEY", {"amount": 35}), ("45 dlrs", "MONEY", {"amount": 45})]),
    ("spot bean prices rose to 340 to 350 cruzados per arroba of 15 kilos.",
     [("340 to 350 cruzados", "MONEY", {"amount": 340, "amount_max": 350, "currency": "BRC"}),
      ("15 kilos", "QUANTITY", {"unit": "kilogram", "si_amount": 15, "si_unit": "kg"})]),
    ("The price is likely to rise to 20 ringgit a kilo this year",
     [("20 ringgit", "MONEY", {"amount": 20, "currency": "MYR"})]),
    ("cut from 2% to 1% for 2004", [("2%", "PERCENT", {"amount": 2}), ("1%", "PERCENT", {"amount": 1})]),
    ("capabilities decay to only 70-75 percent of normal level, and about 70- 80 percent of the energy",
     [("70-75 percent", "PERCENT", {"amount": 70, "amount_max": 75}),
      ("about 70- 80 percent", "PERCENT", {"amount": 70, "amount_max": 80, "modifier": "approx"})]),
    ("R&D expenditure reached 2.23 percent, 0.09 percentage points higher",
     [("2.23 percent", "PERCENT", {"unit": "percent"}),
      ("0.09 percentage points", "PERCENT", {"amount": 0.09, "unit": "percentage_point"})]),
    ("Zhangjiang Science City, a 95-square-kilometer innovation cluster",
     [("95-square-kilometer", "QUANTITY", {"unit": "square kilometre", "si_amount": 95000000, "si_unit": "m^2"})]),
    ("Ganzhou City has planted more than 1.7 million mu (about 113,333 hectares) of navel oranges",
     [("more than 1.7 million mu", "QUANTITY", {"unit": "mu", "modifier": "min"}),
      ("about 113,333 hectares", "QUANTITY", {"unit": "hectare", "modifier": "approx"})]),
    ("halfway into the 6.6km race, completing the 10,500m course",
     [("6.6km", "QUANTITY", {"si_amount": 6600}), ("10,500m", "QUANTITY", {"unit": "metre"})]),
    ("a 50-yuan Chinese bank note", [("50-yuan", "MONEY", {"amount": 50, "currency": "CNY"})]),
    ("It was 2.3 times higher than the total, an almost threefold increase",
     [("2.3 times", "CARDINAL", {"kind": "factor", "amount": 2.3}),
      ("almost threefold", "CARDINAL", {"kind": "factor", "amount": 3, "modifier": "approx"})]),
    ("at 2.27 and 2.28 times New York Sept", [("2.27", "CARDINAL", {"kind": "factor"}),
                                              ("2.28 times", "CARDINAL", {"kind": "factor"})]),
    ("the Liaoning Flying Leopards overwhelmed the Guangzhou Loong Lions 117-82, the Zhejiang Lions won",
     [("117", "CARDINAL", {"amount": 117, "counted": None}), ("82", "CARDINAL", {"amount": 82})]),
    ("Sales of 1-1/2 pct and 3/8 pct over libor", [("1-1/2 pct", "PERCENT", {"amount": 1.5}),
                                                  ("3/8 pct", "PERCENT", {"amount": 0.375})]),
    ("Net 10.6 mln vs 20.6 mln\nRevs 162.5 mln vs 214.6 mln",
     [("10.6 mln", "MONEY", {"amount": 10600000, "currency": "USD"}), ("20.6 mln", "MONEY", {}),
      ("162.5 mln", "MONEY", {}), ("214.6 mln", "MONEY", {})]),
    ("Output rose 0.1 pct. (NRDJ 1135) FRANKFURT - The dollar fell.", [("0.1 pct", "PERCENT", {})]),  # a routing code
    # a price's move in pence and the level it reached, written bare, are in one unit
    ("ICI fell a penny at 1,334, Glaxo 8p at 1,480 and Jaguar rose 12p to 587.",
     [("a penny", "MONEY", {"amount": 0.01, "currency": "GBP"}), ("1,334", "MONEY", {"amount": 13.34}),
      ("8p", "MONEY", {"amount": 0.08}), ("1,480", "MONEY", {"amount": 14.8, "currency": "GBP"}),
      ("12p", "MONEY", {"amount": 0.12}), ("587", "MONEY", {"amount": 5.87, "currency": "GBP"})]),
    ("Rugby shares were little changed at 242p after 241 at Friday's close.",
     [("242p", "MONEY", {"amount": 2.42}), ("241", "MONEY", {"amount": 2.41, "currency": "GBP"})]),
    # a count with a scale word never takes the percent sign of the figure it is paired with
    ("Unemployment fell a record 121,000 to 2.99 mln or 10.8 pct from April's 3.11 mln, 11.2 pct.",
     [("121,000", "CARDINAL", {"amount": 121000}), ("2.99 mln", "CARDINAL", {"amount": 2990000}),
      ("10.8 pct", "PERCENT", {}), ("3.11 mln", "CARDINAL", {}), ("11.2 pct", "PERCENT", {})]),
    ("Output rose an estimated 10 to 30 mln tonnes.", [("10 to 30 mln tonnes", "QUANTITY", {"amount": 10_000_000})]),
    # a bare `$` after a qualified sign is the US dollar: copy that writes `HK$` means it so
    ("Sales fell to HK$6.31bn. The $1.75bn deal with IBM may close.",
     [("HK$6.31bn", "MONEY", {"currency": "HKD"}), ("$1.75bn", "MONEY", {"currency": "USD"})]),
    # a bare `$` converting another currency's amount in brackets is the US dollar
    ("WMC made net profits of 1.33bn Australian dollars ($1bn; £550m) and 2bn dollars later.",
     [("1.33bn Australian dollars", "MONEY", {"currency": "AUD"}), ("$1bn", "MONEY", {"currency": "USD"}),
      ("£550m", "MONEY", {"currency": "GBP"}), ("2bn dollars", "MONEY", {"currency": "AUD"})]),
    # `off` moves a share price too; a country's adjective after the wire's dollar names it
    ("Dayton Hudson stock closed at 27-1/2 today, off 2-1/2, while Dart held five mln dlrs.",
     [("27-1/2", "MONEY", {"amount": 27.5}), ("2-1/2", "MONEY", {"amount": 2.5}), ("five mln dlrs", "MONEY", {})]),
    ("It has tax credits of about 2.5 billion dlrs Canadian (1.9 billion dlrs U.S.).",
     [("about 2.5 billion dlrs Canadian", "MONEY", {"currency": "CAD"}),
      ("1.9 billion dlrs U.S.", "MONEY", {"currency": "USD"})]),
    # pixels are a unit, as megapixels
    ("HDTV lines are made up of 1,920 pixels.", [("1,920 pixels", "QUANTITY", {"unit": "pixel", "si_unit": "px"})]),
    # an amount as one hyphenated adjective
    ("It sold a 200-mln-dlr note and took write-downs in the six to eight-mln-dlr range.",
     [("200-mln-dlr", "MONEY", {"amount": 200_000_000}), ("six to eight-mln-dlr", "MONEY", {"amount_max": 8_000_000})]),
    # a sum of a scale's order, amount unknown
    ("PowderJect won multi-million pound contracts, not a multibillion dlr acquisition.",
     [("multi-million pound", "MONEY", {"amount": None, "currency": "GBP"}),
      ("multibillion dlr", "MONEY", {"amount": None, "currency": "USD"})]),
    # a share price in fractions and its move after it
    ("Fleet shares closed today at 59-1/2, up 1/8, in a deal worth 1.3 billion dlrs.",
     [("59-1/2", "MONEY", {"amount": 59.5}), ("1/8", "MONEY", {"amount": 0.125}),
      ("1.3 billion dlrs", "MONEY", {})]),
    # a dollar named by its country, in wire spelling and any case; the story's bare `dlrs` follow it
    ("A budget of 6.9 billion jamaica dlrs, with a 666 mln dlr surplus.",
     [("6.9 billion jamaica dlrs", "MONEY", {"currency": "JMD"}), ("666 mln dlr", "MONEY", {"currency": "JMD"})]),
    # `mark` is money before the noun it qualifies, a level before a word that ends the phrase
    ("Each 1,000 mark bond carries warrants.", [("1,000 mark", "MONEY", {"amount": 1000, "currency": "DEM"})]),
    ("Europe broke the 100 million mark for mobile users.", [("100 million", "CARDINAL", {})]),
    # a table's currency, named once after its scale word, carries down to the lines that name none
    ("Turnover 3.14 billion stg vs 2.65 billion\n\nPretax profit 182.2 mln vs 150.5 mln",
     [("3.14 billion stg", "MONEY", {"currency": "GBP"}), ("2.65 billion", "MONEY", {"currency": "GBP"}),
      ("182.2 mln", "MONEY", {"currency": "GBP"}), ("150.5 mln", "MONEY", {"currency": "GBP"})]),
    ("Net interest income fell to 476.4 mln dlrs from 488.9 mln, and the rate rose to 5.5 pct from 5.0.",
     [("476.4 mln dlrs", "MONEY", {"amount": 476400000}), ("488.9 mln", "MONEY", {"amount": 488900000}),
      ("5.5 pct", "PERCENT", {"amount": 5.5}), ("5.0", "PERCENT", {"amount": 5})]),
    ("generated 602.26 billion kilowatt hours, up 2.2 pct from 589.51 billion last year.",
     [("602.26 billion kilowatt hours", "QUANTITY", {"unit": "kilowatt hour"}), ("2.2 pct", "PERCENT", {}),
      ("589.51 billion", "QUANTITY", {"amount": 589510000000, "unit": "kilowatt hour"})]),
    # ranks, identifiers, and `times` before a verb of comparison
    ("Henman, seeded three, beat a player ranked 106 in the world.", []),
    ("Assays from zone two were high, and the issue was 65 times oversubscribed.",
     [("65 times", "CARDINAL", {"kind": "factor", "amount": 65})]),
    ("In addition, 260 mln bushels of grain were redeemed, or 200 billion tonne miles.",
     [("260 mln bushels", "QUANTITY", {"unit": "bushel", "si_unit": "m^3"}),
      ("200 billion tonne miles", "QUANTITY", {"unit": "tonne mile", "si_unit": "kg*m"})]),
    ("Earnings were 1.10 dlrs a share. The stock gained 3-1/4 to 75-1/2. Sales rose 15 to 20 pct.",
     [("1.10 dlrs", "MONEY", {}), ("3-1/4", "MONEY", {"amount": 3.25, "currency": "USD"}),
      ("75-1/2", "MONEY", {"amount": 75.5, "currency": "USD"}), ("15 to 20 pct", "PERCENT", {"amount_max": 20})]),
    ("US light crude rose $1.64 to $47.10 in a billion-dollar market, and profits rose 10 to 15 pct.",
     [("$1.64", "MONEY", {"amount": 1.64}), ("$47.10", "MONEY", {"amount": 47.1}),
      ("billion-dollar", "MONEY", {"amount": 1e9, "currency": "USD"}),
      ("10 to 15 pct", "PERCENT", {"amount": 10, "amount_max": 15})]),
    ("The Hong Kong Index shed 10.69 to 1,713.81. June gained three to 2,733; it fell 10 to 12 points.",
     [("10.69", "CARDINAL", {"amount": 10.69}), ("1,713.81", "CARDINAL", {"amount": 1713.81}),
      ("three", "CARDINAL", {"amount": 3}), ("2,733", "CARDINAL", {"amount": 2733}),
      ("10 to 12", "CARDINAL", {"amount": 10, "amount_max": 12})]),
    ("Clint Eastwood's drama Million Dollar Baby won.", []),
    ("He is on hunger strike near 10 Downing Street.", []),  # a street address
    # factors written as words, and a change by a fraction
    ("Sales were more than double that, triple the value of 1994; limits were cut by a third, a report says.",
     [("more than double", "CARDINAL", {"kind": "factor", "amount": 2, "modifier": "min"}),
      ("triple", "CARDINAL", {"kind": "factor", "amount": 3}),
      ("a third", "CARDINAL", {"kind": "factor", "amount": 1 / 3})]),
    ("They meet twice a month and are expected to double their output.", []),
    ("The cartel set a 15.8 mln barrel per day ceiling.",
     [("15.8 mln barrel per day", "QUANTITY", {"unit": "barrel per day"})]),
    ("It faces fines of millions of dollars, but thousands of people came.",
     [("millions of dollars", "MONEY", {"amount": None, "currency": "USD"})]),
    ("They agreed to cut 1.25 billion dlrs.\n\nThey also agreed to cut 1.6 billion from the farm budget.",
     [("1.25 billion dlrs", "MONEY", {"currency": "USD"}),  # a later paragraph's clause about money
      ("1.6 billion", "MONEY", {"amount": 1_600_000_000, "currency": "USD"})]),
    ("Phones sell for just a few pounds, and a few people came.",  # a vague sum needs no digit
     [("a few pounds", "MONEY", {"amount": None, "currency": "GBP"})]),
    # written numbers share a written amount's unit
    ("Attribution could be made at such as five or ten pct.", [("five", "PERCENT", {"amount": 5}),
                                                                ("ten pct", "PERCENT", {"amount": 10})]),
    # a paragraph that names no unit: a bare scaled amount about money takes the story's currency
    ("Shares rose two pence to 537p. Pretax profit was 1.39 billion stg.\n\nThe group reported a rise in "
     "profits to 2.4 billion. Its staff of 1.2 mln grew.",
     [("two pence", "MONEY", {"amount": 0.02, "currency": "GBP"}), ("537p", "MONEY", {}),
      ("1.39 billion stg", "MONEY", {}), ("2.4 billion", "MONEY", {"amount": 2400000000, "currency": "GBP"}),
      ("1.2 mln", "CARDINAL", {})]),
    ("Output was put at 2.9 mln bpd in the first week of March.",
     [("2.9 mln bpd", "QUANTITY", {"unit": "barrel per day", "si_unit": "m^3/s"})]),
    ("Natural gas output was 3.43 billion cubic feet per day, down from 3.6 billion.",  # a rate shares its unit
     [("3.43 billion cubic feet per day", "QUANTITY", {"unit": "cubic foot per day", "si_unit": "m^3/s"}),
      ("3.6 billion", "QUANTITY", {"unit": "cubic foot per day"})]),
    ("M-1 grew at a negative 1.3 pct rate against minus 0.7 pct for M-2.",  # a sign word is inside the span
     [("negative 1.3 pct", "PERCENT", {"amount": -1.3}), ("minus 0.7 pct", "PERCENT", {"amount": -0.7})]),
    ("Shr profit one ct vs loss two cts\nAvg shrs 5,000,000 vs 4,100,000",
     [("one ct", "MONEY", {"amount": 0.01}), ("two cts", "MONEY", {"amount": 0.02}),
      ("5,000,000", "CARDINAL", {"counted": "share"}), ("4,100,000", "CARDINAL", {"counted": "share"})]),
    ("Rates rose a half pct, or 7/8 of a percentage point, after a quarter-point rise to 1-1/8 point over Libor.",
     [("a half pct", "PERCENT", {"amount": 0.5, "unit": "percent"}),
      ("7/8 of a percentage point", "PERCENT", {"amount": 0.875, "unit": "percentage_point"}),
      ("quarter-point", "PERCENT", {"amount": 0.25, "unit": "percentage_point"}),
      ("1-1/8 point", "PERCENT", {"amount": 1.125, "unit": "percentage_point"})]),
    ("Italy took two mln tonnes versus 1.9 mln, Belgium 500,000 tonnes (one mln), Netherlands 500,000 (600,000).",
     [("two mln tonnes", "QUANTITY", {}), ("1.9 mln", "QUANTITY", {"amount": 1900000, "unit": "tonne"}),
      ("500,000 tonnes", "QUANTITY", {}), ("one mln", "QUANTITY", {"amount": 1000000, "unit": "tonne"}),
      ("500,000", "QUANTITY", {"unit": "tonne"}), ("600,000", "QUANTITY", {"unit": "tonne"})]),
    ("NZI shares were at 2.18 N.Z. Dlrs, BIL at 4.08 and Renouf at 6.15 at the close.",
     [("2.18 N.Z. Dlrs", "MONEY", {"currency": "NZD"}), ("4.08", "MONEY", {"amount": 4.08, "currency": "NZD"}),
      ("6.15", "MONEY", {"amount": 6.15, "currency": "NZD"})]),
    ("Rains reached 83 mm in Cordoba, 41 in Santa Fe, 50 in Entre Rios and Misiones and eight in Chaco.",
     [("83 mm", "QUANTITY", {}), ("41", "QUANTITY", {"amount": 41, "unit": "millimetre"}),
      ("50", "QUANTITY", {"amount": 50, "unit": "millimetre"}), ("eight", "QUANTITY", {"amount": 8})]),
    ("Co-productions fell from 102 in 2003 to 81 last year, well below 2001's total.",  # years are dates
     [("102", "CARDINAL", {"amount": 102}), ("81", "CARDINAL", {"amount": 81, "amount_max": None})]),
    ("A 15 billion euroyen issue followed 200 mln eurosterling of bonds.",  # euromarket currencies
     [("15 billion euroyen", "MONEY", {"currency": "JPY"}), ("200 mln eurosterling", "MONEY", {"currency": "GBP"})]),
    ("The Soviets secured a 34,000 tonner from Gibraltar.",  # a ship's size
     [("34,000 tonner", "QUANTITY", {"unit": "tonne", "si_amount": 34000000})]),
    ("Barges on the Illinois River were 135 pct of tariff bid/140 offered, St Louis 120 pct bid/127-1/2 offered.",
     [("135 pct", "PERCENT", {}), ("140", "PERCENT", {"amount": 140, "unit": "percent"}),  # a dealer's offer
      ("120 pct", "PERCENT", {}), ("127-1/2", "PERCENT", {"amount": 127.5})]),
    ("Reserves rose 300 mln marks. Liabilities rose 100 mln to 22.8 billion, a rise in net reserves of 200 mln "
     "to 82.2 billion. Holdings fell 2.6 billion to 2.4 billion.",  # a move and its level, in the paragraph's unit
     [("300 mln marks", "MONEY", {}), ("100 mln", "MONEY", {"currency": "DEM"}), ("22.8 billion", "MONEY", {}),
      ("200 mln", "MONEY", {}), ("82.2 billion", "MONEY", {"amount": 82200000000}), ("2.6 billion", "MONEY", {}),
      ("2.4 billion", "MONEY", {"amount": 2400000000})]),
    ("Gold opened at 427.50 dlrs an ounce, up from 426.20, and the price fell from 209.30 to 179.44 European "
     "currency units.",  # a per-unit word before the comparison; the ECU written out
     [("427.50 dlrs", "MONEY", {}), ("426.20", "MONEY", {"currency": "USD"}), ("209.30", "MONEY", {"currency": "XEU"}),
      ("179.44 European currency units", "MONEY", {"currency": "XEU"})]),
    ("The Bank cut the rate to 2.5 pct from three, and the bill rate slipped to 3.875 pct from 4.0000 today.",
     [("2.5 pct", "PERCENT", {}), ("three", "PERCENT", {"amount": 3}),  # a word number after a percentage
      ("3.875 pct", "PERCENT", {}), ("4.0000", "PERCENT", {"amount": 4})]),  # `today` is no counted noun
    ("Local content will rise to 60 pct in 1988 from 40 to 50 pct, it said.",  # the level first: the base is a range
     [("60 pct", "PERCENT", {}), ("40 to 50 pct", "PERCENT", {"amount": 40, "amount_max": 50})]),
    ("It bought 41 mln stg in band one and went out in round two, but in the fifth round four times.",  # labels
     [("41 mln stg", "MONEY", {}), ("four", "CARDINAL", {"amount": 4})]),
    ("Rates rose to between 15 and 18 pct from 13 to 15 pct, after a surprise 2.2 billion-dlr offer.",
     [("between 15 and 18 pct", "PERCENT", {}), ("13 to 15 pct", "PERCENT", {"amount": 13, "amount_max": 15}),
      ("2.2 billion-dlr", "MONEY", {"amount": 2200000000})]),  # the number's scale, not `billion-dlr` alone
    ("Lending grew 2.9 billion stg after a rise of 1.75 billion, and 2.6 billion stg after a 1.4 billion rise.",
     [("2.9 billion stg", "MONEY", {}), ("1.75 billion", "MONEY", {"currency": "GBP"}),  # the size of a change
      ("2.6 billion stg", "MONEY", {}), ("1.4 billion", "MONEY", {"currency": "GBP"})]),
    ("The surplus will contract from three trillion cubic feet in 1986 to two trillion cubic feet in 1987.",
     [("three trillion cubic feet", "QUANTITY", {}), ("two trillion cubic feet", "QUANTITY", {"amount": 2e12})]),
    ("Yields should be 2.0 to 2.2 tonnes per hectare.",  # a yield per area
     [("2.0 to 2.2 tonnes per hectare", "QUANTITY", {"unit": "tonne per hectare", "si_amount": 0.2, "si_unit": "kg/m^2"})]),
    ("Exports totalled 3.76 mln tonnes, 34 pct down on 5.70 mln.",
     [("3.76 mln tonnes", "QUANTITY", {}), ("34 pct", "PERCENT", {}),
      ("5.70 mln", "QUANTITY", {"amount": 5700000, "unit": "tonne"})]),
    ("It forecast a loss of 41.7 mln francs vs a 226 mln loss, Paris brokers said.",
     [("41.7 mln francs", "MONEY", {"currency": "FRF"}), ("226 mln", "MONEY", {"currency": "FRF"})]),
    ("Exports totalled 3.76 mln tonnes. Main destinations were Netherlands 900,000 (600,000) and Spain 400,000 (same).",
     [("3.76 mln tonnes", "QUANTITY", {}), ("900,000", "QUANTITY", {"unit": "tonne"}),
      ("600,000", "QUANTITY", {"unit": "tonne"}), ("400,000", "QUANTITY", {"unit": "tonne"})]),
    ("Output was 1.42 mln tonnes raw value against 1.4 mln and an average 1.76 mln in earlier seasons.",
     [("1.42 mln tonnes", "QUANTITY", {}), ("1.4 mln", "QUANTITY", {"amount": 1400000}),
      ("1.76 mln", "QUANTITY", {"amount": 1760000})]),
    ("Net profit fell to 2.454 billion from 2.655 billion dlrs.",
     [("2.454 billion", "MONEY", {"amount": 2454000000, "currency": "USD"}), ("2.655 billion dlrs", "MONEY", {})]),
    ("One version offers 512mb of storage on a 512kbps line.",
     [("512mb", "QUANTITY", {"unit": "megabyte", "si_amount": 512000000, "si_unit": "B"}),
      ("512kbps", "QUANTITY", {"unit": "kilobit per second", "si_amount": 512000})]),
    ("It costs half million usd or a quarter million us dollars.",
     [("half million usd", "MONEY", {"amount": 500000, "currency": "USD"}),
      ("a quarter million us dollars", "MONEY", {"amount": 250000, "currency": "USD"})]),
    ("It won a $48.2 million contract, not A$5 million.",  # `a $` is no Australian dollar
     [("$48.2 million", "MONEY", {"currency": "USD"}), ("A$5 million", "MONEY", {"currency": "AUD"})]),
    ("The Cessna was overloaded by 700 pounds (320kg).",
     [("700 pounds", "QUANTITY", {"unit": "pound-mass"}), ("320kg", "QUANTITY", {"unit": "kilogram"})]),
    ("Its wage growth was less than one-seventh the average.",  # a fraction before its whole
     [("less than one-seventh", "CARDINAL", {"amount": 1 / 7, "modifier": "max", "kind": "factor"})]),
    ("Japan takes half its oil exports.",  # before a possessive determiner
     [("half", "CARDINAL", {"amount": 0.5, "kind": "factor"})]),
    ("Prices could fall 10 cnts a pound.", [("10 cnts", "MONEY", {"amount": 0.1, "currency": "USD"})]),
    ("The dollar ended at 145.15/20 yen against Tokyo's 145.25 close. It eased to 1.8205/15 marks from "
     "an early 1.8230/40 and New York's 1.8260/70 close. Call money fell to 3.65/75 pct.",  # dealers' quotes
     [("145.15/20 yen", "MONEY", {"amount": 145.15, "amount_max": 145.2, "currency": "JPY"}),
      ("145.25", "MONEY", {"currency": "JPY"}),
      ("1.8205/15 marks", "MONEY", {"amount": 1.8205, "amount_max": 1.8215, "currency": "DEM"}),
      ("1.8230/40", "MONEY", {"amount": 1.823, "amount_max": 1.824, "currency": "DEM"}),
      ("1.8260/70", "MONEY", {"currency": "DEM"}),
      ("3.65/75 pct", "PERCENT", {"amount": 3.65, "amount_max": 3.75})]),
    ("Estimates were 1.10-1.15 dlrs a share; it closed at 7.8015/35.",  # no date; a bare quote is no count
     [("1.10-1.15 dlrs", "MONEY", {"amount": 1.1, "amount_max": 1.15})]),
    ("Earnings rose 10-fold and 2.3 times.",  # a factor in digits before `-fold`
     [("10-fold", "CARDINAL", {"amount": 10, "kind": "factor"}), ("2.3 times", "CARDINAL", {"amount": 2.3, "kind": "factor"})]),
    ("Nearly half those surveyed agreed; almost a quarter (21%) of those polled did not.",  # fractions of a group
     [("Nearly half", "CARDINAL", {"amount": 0.5, "kind": "factor", "counted": None}),
      ("almost a quarter", "CARDINAL", {"amount": 0.25, "kind": "factor"}), ("21%", "PERCENT", {"amount": 21})]),
    ("Three-quarters said he was right. Rents fell to half the levels of 1980.",  # the subject; before its whole
     [("Three-quarters", "CARDINAL", {"amount": 0.75, "kind": "factor"}),
      ("half", "CARDINAL", {"amount": 0.5, "kind": "factor"})]),
    ("In the second half the firm grew, and a third round replay followed.", []),  # a period, an ordinal
    ("Allowances are between one gigabyte and 30 gigabytes a month, weights 5kg-10kg.",  # a unit repeated
     [("between one gigabyte and 30 gigabytes", "QUANTITY", {"amount": 1, "amount_max": 30}),
      ("5kg-10kg", "QUANTITY", {"amount": 5, "amount_max": 10})]),
    ("He grew 10cm to 130cm; voters would reject it by two to one.",  # a change; a ratio
     [("10cm", "QUANTITY", {"amount": 10}), ("130cm", "QUANTITY", {"amount": 130}),
      ("two to one", "CARDINAL", {"amount": 2, "kind": "factor", "amount_max": None})]),
    ("Bids were 50 dlrs. He recommends Imperial Oil <IMO.A>, up 1/2 to 49-1/8, and Exxon <XON> one to 83-1/8.",
     [("50 dlrs", "MONEY", {}), ("1/2", "MONEY", {"amount": 0.5, "currency": "USD"}), ("49-1/8", "MONEY", {"amount": 49.125}),
      ("one", "MONEY", {"amount": 1}), ("83-1/8", "MONEY", {"amount": 83.125})]),  # share quotes after tickers
    ("He stepped down from his favoured 400m to 200m.",  # a falling pair of distances: metres, not millions
     [("400m", "QUANTITY", {"amount": 400}), ("200m", "QUANTITY", {"amount": 200})]),
    ("Cases fell by 79 to 4,775, and Labour lead by 39% to 34%.",  # a move and its level; a falling pair
     [("79", "CARDINAL", {"amount": 79}), ("4,775", "CARDINAL", {"amount": 4775}),
      ("39%", "PERCENT", {"amount": 39}), ("34%", "PERCENT", {"amount": 34})]),
    ("The smelter produced 240,000 long tons of zinc and 5,000 short tons of lead.",
     [("240,000 long tons", "QUANTITY", {"unit": "long ton"}), ("5,000 short tons", "QUANTITY", {"unit": "short ton"})]),
    ("It set aside a 200 mln crown loan.",  # a currency word used as an adjective is singular
     [("200 mln crown", "MONEY", {"amount": 200000000, "currency": "SEK"})]),
    ("The list gave Scott odds of 6-9; she bet at odds of 8-1.",  # betting odds: one ratio each
     [("6-9", "CARDINAL", {"amount": 6 / 9, "kind": "factor"}), ("8-1", "CARDINAL", {"amount": 8, "kind": "factor"})]),
    ("Bookmakers gave The Aviator 4/9 odds, with Ray at 9/4; Owen went from 4/1 to 5/2 favourite.",  # a betting story
     [("4/9", "CARDINAL", {"amount": 4 / 9, "kind": "factor"}), ("9/4", "CARDINAL", {"amount": 2.25, "kind": "factor"}),
      ("4/1", "CARDINAL", {"amount": 4, "kind": "factor"}), ("5/2", "CARDINAL", {"amount": 2.5, "kind": "factor"})]),
    ("The vote went from 4/1 to 5/2 in the committee.", []),  # no betting in the text: no prices
    ("Rates were cut by one-half point, chopping one U.S. cent and 10 pfennigs off the pound.",
     [("one-half point", "PERCENT", {"amount": 0.5, "unit": "percentage_point"}),
      ("one U.S. cent", "MONEY", {"amount": 0.01, "currency": "USD"}), ("10 pfennigs", "MONEY", {"amount": 0.1, "currency": "DEM"})]),
    ("The army confirmed that one of its soldiers was held; one of them escaped.",  # partitives
     [("one", "CARDINAL", {"kind": "count"}), ("one", "CARDINAL", {"kind": "count"})]),
    ("Taylor, Stone (Cisse 76), Quashie (Vaz Te 83), Faye.", [("76", "CARDINAL", {"kind": "count"}), ("83", "CARDINAL", {"kind": "count"})]),
    ("Morocco will get an aid package of 100 mln Special Drawing Rights.",
     [("100 mln Special Drawing Rights", "MONEY", {"amount": 100000000, "currency": "XDR"})]),
    ("He had lost three times to Roddick, though sales were three times higher.",  # a repetition; a factor
     [("three", "CARDINAL", {"kind": "count", "counted": "time"}), ("three times", "CARDINAL", {"amount": 3, "kind": "factor"})]),
    ("Netbacks are shown below in dlrs a barrel. TOPPING.....15.63......16.10 CRACKING.....18.42",  # a price table
     [("15.63", "MONEY", {"amount": 15.63, "currency": "USD"}), ("16.10", "MONEY", {"amount": 16.1, "currency": "USD"}),
      ("18.42", "MONEY", {"amount": 18.42, "currency": "USD"})]),
    ("Qantas ordered four 747-400 aircraft; between 100-200 people attended.",  # a model, a range
     [("four", "CARDINAL", {"amount": 4}), ("100", "CARDINAL", {}), ("200", "CARDINAL", {})]),
    ("Growth is below the forecast of 3% to 3.5%, and inflation rose from 3% to 4%.",  # a range; a change
     [("3% to 3.5%", "PERCENT", {"amount": 3, "amount_max": 3.5}), ("3%", "PERCENT", {"amount": 3}),
      ("4%", "PERCENT", {"amount": 4})]),
    ("Demand rose in the four weeks ended March 20 to 16.16 mln barrels per day.",  # a day is no range's end
     [("16.16 mln barrels per day", "QUANTITY", {"amount": 16160000})]),
    ("The jet has a take-off weight of 870,000 pounds.",  # a weight in pounds
     [("870,000 pounds", "QUANTITY", {"amount": 870000, "unit": "pound-mass"})]),
    ("Supply data for soybeans, by country, as follows in mln tonnes --\n\nBRAZIL SOYBEANS\n\n"  # a unit table
     "Production   17.00   13.90\n\nExports  2.50  1.20\n\nThe department said 12 countries reported.",
     [("17.00", "QUANTITY", {"amount": 17000000, "unit": "tonne"}), ("13.90", "QUANTITY", {"amount": 13900000}),
      ("2.50", "QUANTITY", {"amount": 2500000}), ("1.20", "QUANTITY", {"amount": 1200000}),
      ("12", "CARDINAL", {"kind": "count"})]),
    ("Imports were as follows, with quota allocations in short tons, raw value --\n\n"  # a unit of two words, a nil cell
     "ARGENTINA        nil          39,130\n\nCOLOMBIA         103          21,840",
     [("nil", "QUANTITY", {"amount": 0, "unit": "short ton"}), ("39,130", "QUANTITY", {"amount": 39130}),
      ("103", "QUANTITY", {"unit": "short ton"}), ("21,840", "QUANTITY", {"amount": 21840})]),
    ("Remittances dropped to 2.3 billion dlrs from the 1985/86 level of 2.595 billion.",  # compared with a level of
     [("2.3 billion dlrs", "MONEY", {}), ("2.595 billion", "MONEY", {"amount": 2595000000, "currency": "USD"})]),
    ("Losses exceeded 30 MUSD, 10 $ each; 1 $10 bill; 2003's $1.2bn loss; a $5 fee.",  # scaled codes, symbol after
     [("30 MUSD", "MONEY", {"amount": 30000000, "currency": "USD"}), ("10 $", "MONEY", {"amount": 10}),
      ("1", "CARDINAL", {}), ("$10", "MONEY", {"amount": 10}), ("$1.2bn", "MONEY", {"currency": "USD"}),
      ("$5", "MONEY", {"currency": "USD"})]),
    ("The market is worth $2.6bn. Users grew by 1.4 million to 44.9 million, and sales rose to 2.1 billion.",
     [("$2.6bn", "MONEY", {}), ("1.4 million", "CARDINAL", {}), ("44.9 million", "CARDINAL", {}),  # a plural subject counted
      ("2.1 billion", "MONEY", {"currency": "USD"})]),  # an amount noun's move is money
    ("Crude closed up $2.80 to $51.15.\n\nThe jobless total rose 206,900 to 4.64 million.",  # a move and a level
     [("$2.80", "MONEY", {"amount": 2.8}), ("$51.15", "MONEY", {"amount": 51.15}),
      ("206,900", "CARDINAL", {"amount": 206900}), ("4.64 million", "CARDINAL", {"amount": 4640000})]),
    ("It may borrow no more than one billion dlrs, not less than 5 pct, and more than 3 pct.",  # a negated modifier
     [("one billion dlrs", "MONEY", {"modifier": None}), ("5 pct", "PERCENT", {"modifier": None}),
      ("more than 3 pct", "PERCENT", {"modifier": "min"})]),
    ("Cameras range from two to four megapixels, up from 1.3 megapixel.",  # what ranges from A to B is one range
     [("two to four megapixels", "QUANTITY", {"amount": 2, "amount_max": 4, "unit": "megapixel", "si_unit": "px"}),
      ("1.3 megapixel", "QUANTITY", {"amount": 1.3, "si_amount": 1300000})]),
]


@pytest.mark.parametrize("sentence, expected", RULE_SPANS)
def test_rule_spans_and_values(blank, sentence, expected):
    found = amounts(blank, sentence)
    assert [(t, label) for t, label, _ in found] == [(t, label) for t, label, _ in expected]
    for (_, _, value), (_, _, wanted) in zip(found, expected):
        assert {k: value[k] for k in wanted} == wanted


# Numbers that are no MONEY, PERCENT, QUANTITY or CARDINAL.
NOTHING = [
    "In 2019, the plan was updated.",
    "The Digital Shanghai 2035 plan and the G60 corridor.",
    "They make Class I drugs and Class III devices.",
    "A 4-year-old girl was found.",
    "The project will take 18 months.",
    "( Xinhua ) 09:56, November 19, 2020",
    "Call the hotline at 010-6512-3456 for details.",
    "The estimate of GNP growth for all of 1986 over 1985 was revised.",  # two years compared
    "The tendency is one of a lessening of the gap.",  # `one` stands for a thing, not one of a group
    "The press and politicians have a three-cornered relationship.",  # a lexicalized compound
    "Police appealed for help on 0845 8 505 505 or 0800 555 111.",  # a trunk prefix and digit groups
    "Licence number 11120180001 applies.",
    "The COVID-19 outbreak and Tianwen-1 probe.",
    "It ranked 21st in the world.",
    "The 1990s were different, and the 2019-20 season too.",
    "She won in 30.26.",
    "Davis has been found dead at the age of 87.",
    "It would raise the pension age for council workers from 60 to 65.",  # an age clause
    "Entries drop sharply after the age of 10 or 11.",
    "Samples of those younger than 14 must be collected by a nurse.",
    "Engines are offered for the Boeing 747-400, and the 400 series flies further.",  # model designations
    "The film dropped a place to three, and the games debuted at number 11 and 12.",  # ranks
    "【1】 【2】 【3】",
    "between 2020 and 2022",
    "The one-time favourite scored a three-pointer.",  # lexicalized compounds
    "It filed its annual report on form 10-K and an earlier 13-D filing.",  # designations
]


@pytest.mark.parametrize("sentence", NOTHING)
def test_must_not_match(blank, sentence):
    assert amounts(blank, sentence) == []


# On the full pipeline: the counted noun, and names found from the model's tags.
COUNTED = [
    ("Forty-eight projects, including Superconducting Qubits, were launched.", "Forty-eight", "project"),
    ("Zhangjiang has brought together over 1,400 biomedical innovation companies.", "over 1,400", "company"),
    ("Two of Shanghai's three major industrial mother funds were set up in Zhangjiang.", "Two", "fund"),
    ("The network now hosts one-seventh of China's high-tech enterprises.", "one-seventh", None),  # a factor
    ("This is shown by the fact that one out of every three papers published by Chinese researchers cites it.",
     "one out of every three", None),
    ("The firm, which is now one of the biggest investors in Google, grew.", "one", "investor"),  # partitive
    ("The deal needs one of the three carriers to agree.", "one", "carrier"),
    ("In the first half of 2025 alone, five Class I new drugs were approved.", "five", "drug"),
    ("Wang Mingchen scored a game-high 33 points including 10 three-pointers for Liaoning.", "10", "three-pointer"),
    ("Shenzhen extended its 10-game winning streak.", "10", "game"),
    ("The event established 66 sub-venues which were joined by 2,312 global exhibitors.", "66", "sub-venue"),
    ("The project offered housing for 266,000 people.", "266,000", "person"),
    ("Zhangjiang is now home to 109 listed companies, including 44 on the STAR Market.", "44", "company"),
    ("Some 500 patients recovered, raising the total number of recoveries to 374,666.", "374,666", "recovery"),
    ("The death toll climbed to 7,957 on Sunday.", "7,957", "death"),
    ("New loans in November fell to 77,000, the bank said.", "77,000", "loan"),  # the noun whose number fell
    ("The rig count for Texas and Oklahoma fell by 23 and 13, respectively.", "23", "rig"),  # a noun before `count`
    ("Four-time champion Andre Agassi began his last campaign.", "Four", "time"),  # `one-time` is lexicalized
    ("Jobs were created, taking the number of people employed to 38.9 million.", "38.9 million", "person"),
    ("The locals represent 2,600 production and maintenance workers.", "2,600", "worker"),
    ("The two others represent 600 office and technical workers.", "600", "worker"),
    ("The plant makes 300 cars and trucks a day.", "300", "car"),
    ("It will acquire 15 Boeing Co <BA> 767-300 planes.", "15", "plane"),  # a wire ticker inside the phrase
    ("Peru is one of Latin America's most delinquent debtors.", "one", "debtor"),  # a possessor of two words
    ("There were 11 new cases, including one that was domestically transmitted.", "one", "case"),
    ("There were more than 10,500 firearms offences.", "more than 10,500", "offence"),  # a plural modifier
    ("It sold them to four large Wall Street securities firms.", "four", "firm"),
    ("Peugeot will get 30,000 sports utility vehicles.", "30,000", "vehicle"),
    ("This could see its workforce trimmed from 155,000 to 110,000 staff by 2010.", "155,000", "staff"),  # a change's ends
    ("Output will rise to more than 200,000 cars from 2007. The rise, from 189,000 last year, meets demand.",
     "189,000", "car"),  # the count of the sentence before
]


@pytest.mark.parametrize("sentence, span, counted", COUNTED)
def test_counted_noun(nlp, sentence, span, counted):
    found = {t: v for t, label, v in amounts(nlp, sentence) if label == "CARDINAL"}
    assert found[span]["counted"] == counted


@pytest.mark.parametrize("sentence", [
    "The Digital Shanghai 2035 plan names Science and Technology Innovation 25 as a goal.",
    "No one came, and the one who did left.",  # pronouns; `one of them` is a partitive count (test above)
    "In the first half of 2025, output grew.",
    "Ocean's Twelve took the top spot, and Shrek came second.",
    "The index rose by 3 points in the first three quarters of this year for three consecutive years.",
    "Users chose the browser Firefox 1.0, and Opera will release its version 7.60 soon.",  # release numbers
    "It compares to those aged 30-39 and parents of children under 18.",  # ages, both ends of a pair
    "He became an MP at the age of just 28 and was aged only 19 then.",
])
def test_no_count_in_names_pronouns_and_dates(nlp, sentence):
    assert [t for t, label, _ in amounts(nlp, sentence) if label == "CARDINAL" and t != "3"] == []


def test_top_n_is_a_count_not_a_rank(nlp):
    """`the top five` counts the leaders (gold/DECISIONS.md); `number 11` is a rank."""
    found = [(t, v["counted"]) for t, label, v in amounts(nlp, "Shrek completed the top five, and Halo came in at number 11.")
             if label == "CARDINAL"]
    assert found == [("five", None)]


def test_candidates_are_sorted_plain_data_without_overlaps(nlp):
    doc = nlp("It raised 46.1 billion yuan ($7.14 billion) in 2020, up 20 percent, from over 1,400 firms.")
    mine = [c for c in doc._.candidates if c["source"].startswith("news_amounts:")]
    assert mine and all(type(c["value"]) is dict for c in mine)
    assert all(a["end"] <= b["start"] for a, b in zip(mine, mine[1:]))
    assert {c["label"] for c in mine} == {"MONEY", "PERCENT", "CARDINAL"}
    assert [c for c in mine if c["label"] == "MONEY"][0]["value"]["amount"] == 46100000000


def test_model_hints_can_be_switched_off():
    nlp = spacy.blank("en")
    nlp.add_pipe("news_amounts", config={"use_model_hints": False})
    assert [(t, label) for t, label, _ in amounts(nlp, "It rose 5% to $3bn.")] == [("5%", "PERCENT"),
                                                                                ("$3bn", "MONEY")]


@pytest.mark.parametrize("line, message", [
    ('{"id": "x", "label": "MONEY", "priority": 3, "pattern": "{NOPE}"}', "unknown placeholders"),
    ('{"id": "x", "label": "MONEY", "priority": 3, "pattern": "a", "colour": "red"}', "keys"),
    ('{"id": "x", "label": "DATE", "priority": 3, "pattern": "a"}', "bad label"),
])
def test_bad_pattern_files_fail_loudly(tmp_path, monkeypatch, line, message):
    from pipeline.components.amounts import patterns as module  # the module that reads amounts.jsonl
    from pipeline.normalize.numbers import TableError

    (tmp_path / "amounts.jsonl").write_text(line + "\n", encoding="utf-8")
    monkeypatch.setattr(module, "PATTERNS_DIR", tmp_path)
    module.amount_patterns.cache_clear()
    try:
        with pytest.raises(TableError, match=message):
            module.amount_patterns()
    finally:
        monkeypatch.undo()
        module.amount_patterns.cache_clear()


def test_bad_tables_fail_loudly(tmp_path, monkeypatch):
    from pipeline.normalize import numbers
    from pipeline.normalize.numbers import TableError, load_table

    (tmp_path / "modifiers.csv").write_text("phrase,modifier,extra\nabout,approx,x\n", encoding="utf-8")
    monkeypatch.setattr(numbers, "PATTERNS_DIR", tmp_path)
    with pytest.raises(TableError, match="columns"):
        load_table("modifiers.csv", ("phrase", "modifier"))


def test_a_bare_and_does_not_continue_a_list(blank):
    assert [(t, label) for t, label, _ in amounts(blank, "Hey, the cost is $4.25 and 32 is the quantity!")] \
        == [("$4.25", "MONEY"), ("32", "CARDINAL")]


@pytest.mark.parametrize("sentence", [
    "Mr Tanzi, 66, issued a statement through his lawyer.",
    "Group president Jean Mantelet, who is 87, said in February that he would retire.",
    "The former minister has died. He was 84, and when he was just 14, he joined the party.",
    "The minimum age of 21 for an MP would be reduced to 18.",  # an age clause with a number inside
    "Singer Pete Doherty played a gig. Doherty, 25, had to be home by midnight.",  # named in full before
    '"I am 25. I am playing against Hewitt," Safin said.',
])
def test_ages_after_a_name_are_no_count(nlp, sentence):
    assert [t for t, label, _ in amounts(nlp, sentence) if label == "CARDINAL"] == []


def test_a_year_is_no_low_end_of_a_range(nlp):
    found = {t: label for t, label, v in amounts(nlp, "Revenues will increase 12 to 15 pct over fiscal 1987 to 3.2 billion dlrs.")}
    assert found == {"12 to 15 pct": "PERCENT", "3.2 billion dlrs": "MONEY"}


def test_a_figure_after_an_amount_noun_and_of_is_money_unscaled(nlp):
    found = {t: (label, v) for t, label, v in amounts(
        nlp, "It lost 35.5 mln dlrs, compared to a net income of 177,243 in 1985, and equity of 28.9 mln.")}
    assert found["177,243"] == ("MONEY", {"amount": 177243, "amount_max": None, "currency": "USD", "modifier": None})
    assert found["28.9 mln"][0] == "MONEY" and found["28.9 mln"][1]["amount"] == 28900000


def test_a_compared_amount_of_a_loss_is_money(nlp):
    found = {t: (label, v) for t, label, v in amounts(nlp, "It forecast a net loss of 41.7 mln dlrs vs a 226 mln loss.")}
    assert found["226 mln"][0] == "MONEY" and found["226 mln"][1]["amount"] == 226000000


def test_scores_after_a_players_name_are_counts(nlp):
    """The model runs a tennis score into the player's name (`Li Na 6-3 7-6`): still counts."""
    doc = nlp("Patty Schnyder defeated China's Li Na 6-3 7-6 (10-8).")
    assert [m["text"] for m in doc._.mentions if m["label"] == "CARDINAL"] == ["6", "3", "7", "6", "10", "8"]


@pytest.mark.parametrize(("sentence", "span", "label"), [
    ("Sarah Claxton won the 60m hurdles in Madrid.", "60m", "QUANTITY"),  # a race's distance
    ("She is among the world's top three 800m runners.", "800m", "QUANTITY"),
    ("The firm has 5m customers.", "5m", "CARDINAL"),  # millions of a counted noun
])
def test_metres_of_a_race_and_millions_of_a_noun(nlp, sentence, span, label):
    assert {t: l for t, l, _ in amounts(nlp, sentence)}[span] == label


@pytest.mark.parametrize(("sentence", "span", "expected"), [
    # a bare amount in a clause about money takes the currency a later sentence names
    ("Profits rose to 1.39 billion. Forecasts had ranged from 1.35 to 1.40 billion stg.", "1.39 billion",
     ("MONEY", "GBP")),
    # `of` before it is no population when the clause is about money
    ("Revenue came from bonds worth 59.5 billion dlrs and a budget surplus of 13.54 billion.", "13.54 billion",
     ("MONEY", "USD")),
    ("The city has a population of 3.5 million and a budget of 2 billion dlrs.", "3.5 million", ("CARDINAL", None)),
    # a conversion beside it names another currency, not this one's
    ("The deficit was 1.6 billion ($2.54 billion) in September.", "1.6 billion", ("CARDINAL", None)),
    # a scaled number before an amount noun is an amount; before any other noun it counts
    ("It showed a net loss of 62.1 mln stg after a 71.6 mln profit.", "71.6 mln", ("MONEY", "GBP")),
    ("It showed a net loss of 62.1 mln stg, and 3.5 mln people live there.", "3.5 mln", ("CARDINAL", None)),
])
def test_a_bare_amount_about_money_takes_the_currency_the_story_names(nlp, sentence, span, expected):
    found = {m["text"]: (m["label"], (m["value"] or {}).get("currency")) for m in nlp(sentence)._.mentions}
    assert found[span] == expected
