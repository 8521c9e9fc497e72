"""MONEY normalizer: amount at full scale, ISO 4217 currency, ranges, modifiers."""

import pytest

from pipeline.normalize.money import currency_context, currency_table, money_value, parse_money, split_currency

MONEY = [
    # text, amount, amount_max, currency, modifier
    ("nearly 20 million yuan", 20_000_000, None, "CNY", "approx"),
    ("$2.78 million", 2_780_000, None, "USD", None),
    ("167.3 billion yuan", 167_300_000_000, None, "CNY", None),
    ("US$11 billion", 11_000_000_000, None, "USD", None),
    ("U.S.$5 million", 5_000_000, None, "USD", None),
    ("HK$5.5 billion", 5_500_000_000, None, "HKD", None),
    ("$1.13bn", 1_130_000_000, None, "USD", None),
    ("£600m", 600_000_000, None, "GBP", None),
    ("€5bn", 5_000_000_000, None, "EUR", None),
    ("5bn euros", 5_000_000_000, None, "EUR", None),
    ("40m rupees", 40_000_000, None, "INR", None),
    ("498.2 billion RMB", 498_200_000_000, None, "CNY", None),
    ("RMB 10 billion", 10_000_000_000, None, "CNY", None),
    ("10 billion renminbi", 10_000_000_000, None, "CNY", None),
    ("207.7 mln N.Z. Dlrs", 207_700_000, None, "NZD", None),
    ("150 mln Swiss franc", 150_000_000, None, "CHF", None),
    ("one billion dlr", 1_000_000_000, None, "USD", None),
    ("22 dlrs", 22, None, "USD", None),
    ("100 mln stg", 100_000_000, None, "GBP", None),
    ("about 407 million U.S. dollars", 407_000_000, None, "USD", "approx"),
    ("less than 50,000 yuan", 50_000, None, "CNY", "max"),
    ("more than 200 billion yuan", 200_000_000_000, None, "CNY", "min"),
    ("up to 20 ringgit", 20, None, "MYR", "max"),
    ("50-yuan", 50, None, "CNY", None),
    ("340 to 350 cruzados", 340, 350, "BRC", None),
    ("1,750 to 1,780 dlrs", 1750, 1780, "USD", None),
    ("$5-10 million", 5_000_000, 10_000_000, "USD", None),
    ("between $2 and $3 billion", 2_000_000_000, 3_000_000_000, "USD", None),
    ("$5 million to $10 million", 5_000_000, 10_000_000, "USD", None),
    ("between 2 and 3 billion yuan", 2_000_000_000, 3_000_000_000, "CNY", None),
    ("50p", 0.5, None, "GBP", None),
    ("a penny", 0.01, None, "GBP", None),
    ("multi-million pound", None, None, "GBP", None),
    ("6.9 billion Jamaica dlrs", 6_900_000_000, None, "JMD", None),
    ("419 mln Jamaican dlrs", 419_000_000, None, "JMD", None),
    ("10 cts", 0.1, None, "USD", None),
    ("1-1/2 cts", 0.015, None, "USD", None),
    ("2.11-3/4 dlrs", 2.1175, None, "USD", None),
    ("millions of dollars", None, None, "USD", None),  # no numeral: the amount is null
    ("0.87 Ecu", 0.87, None, "XEU", None),
    ("a few hundred dollars", None, None, "USD", None),
    ("several hundred million pounds", None, None, "GBP", None),
    ("AUD$ 15", 15, None, "AUD", None),  # the code glued to its dollar sign
    ("billion-dollar", 1e9, None, "USD", None),  # a scale before a hyphen: one of it
    ("nzd$15", 15, None, "NZD", None),
    ("hundreds of millions of pounds", None, None, "GBP", None),
    ("two million yen", 2_000_000, None, "JPY", None),
    ("yen 2,817", 2817, None, "JPY", None),
    ("-$5 million", -5_000_000, None, "USD", None),
    ("$50k", 50_000, None, "USD", None),
    ("30 MUSD", 30_000_000, None, "USD", None),  # an ISO code behind a scale letter: millions
    ("MSEK 500", 500_000_000, None, "SEK", None),
    ("c $ 16.4 million", 16_400_000, None, "CAD", None),  # a country letter in lower-cased text
    ("10 $", 10, None, "USD", None),  # the symbol after the amount
]


@pytest.mark.parametrize("text, amount, amount_max, currency, modifier", MONEY)
def test_money_values(text, amount, amount_max, currency, modifier):
    value = money_value(text)
    assert value is not None, parse_money(text).reason
    assert value.amount == (pytest.approx(amount, rel=1e-9) if amount is not None else None)
    assert value.amount_max == (pytest.approx(amount_max) if amount_max is not None else None)
    assert (value.currency, value.modifier) == (currency, modifier)


@pytest.mark.parametrize("text", ["", "$", "yuan", "20 million", "20 percent", "5 yuan yuan", "1e308 yuan",
                                  "$" + "9" * 5000, "a clash", "($2.78 million", "50 Cent", "5 km"])
def test_not_money(text):
    result = parse_money(text)
    assert result.value is None and result.reason


def test_unqualified_dollars_follow_the_story_context():
    """`N.Z. Dlrs` earlier in the story makes a bare `dlrs` NZD; bare `$` is USD otherwise."""
    context = currency_context(["N.Z. Dlrs"])
    assert context == {"dollar": "NZD"}
    assert money_value("1,709 dlrs", context).currency == "NZD"
    assert money_value("1,709 dlrs").currency == "USD"
    assert money_value("US$5", context).currency == "USD"  # qualified forms never change


def test_yen_sign_follows_yuan_or_yen_in_the_story():
    assert money_value("¥100").currency == "CNY"
    assert money_value("¥100", currency_context(["yen"])).currency == "JPY"
    assert money_value("5 francs", currency_context(["French francs"])).currency == "FRF"


def test_every_table_row_is_iso_4217_shaped_and_longest_first():
    table = currency_table()
    assert all(len(c.code) == 3 and c.code.isupper() for c in table)
    assert [len(c.surface) for c in table] == sorted((len(c.surface) for c in table), reverse=True)


@pytest.mark.parametrize("text, parts", [
    ("1,880 dlrs", ("", "1,880", " dlrs")),
    ("$2.78 million", ("$", "2.78 million", "")),
    ("nearly 20 million yuan", ("", "20 million", " yuan")),
])
def test_split_currency(text, parts):
    assert split_currency(text) == parts


@pytest.mark.parametrize(("text", "expected"), [
    ("Moulinex shares fell on the Paris Bourse, French brokers said.", {"franc": "FRF"}),
    ("Yugoslav exports, Belgrade statistics showed.", {"dinar": "YUD"}),
    ("Swiss and French banks agreed.", {}),  # one cue each: no country wins
    ("Dollar amounts only.", {}),
    ("Uganda's coffee board in Kampala set prices.", {"shilling": "UGX"}),
    ("Moulinex <MOUP.PA> said its loss was 200 mln francs.", {"franc": "FRF"}),  # a Paris ticker
])
def test_country_currencies(text, expected):
    from pipeline.normalize.money import country_currencies

    assert {k: v for k, v in country_currencies(text).items() if k in ("franc", "dinar", "shilling")} == expected


# Names and symbols from CLDR (pipeline.normalize.cldr_currencies), beside the hand-made table.
@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("150 Russian rubles", 150, "RUB"),
    ("20 Saudi riyals", 20, "SAR"),
    ("300 Kenyan shillings", 300, "KES"),
    ("10 UAE dirhams", 10, "AED"),
    ("CN¥100", 100, "CNY"),
    ("MX$15", 15, "MXN"),
    ("₪40", 40, "ILS"),
    ("100₡", 100, "CRC"),
    ("C$300 million", 300000000, "CAD"),
    ("6.25 BTC", 6.25, "XBT"),  # no ISO 4217 code: the documented unofficial one
    ("one penny", 0.01, "GBP"),
    ("16.23 shillings", 16.23, "KES"),  # the shilling family: Kenya by default, another country by its cues
    ("20 Tanzanian shillings", 20, "TZS"),
    ("between 200,000 dlrs and one mln dlrs", 200_000, "USD"),  # the currency repeated in a range
    ("17 cts to 22 cts", 0.17, "USD"),
    ("Mex$ 10 million", 10000000, "MXN"),
    ("hk $ 10.05 billion", 10050000000, "HKD"),  # two letters and a dollar sign, in any case
    ("3 dollars 50 cents", 3.5, "USD"),  # a major and a minor amount
    ("thirteen dollars and forty-five cents", 13.45, "USD"),
])
def test_cldr_names_and_symbols(text, amount, currency):
    value = money_value(text)
    assert (value.amount, value.currency) == (amount, currency)


def test_table_codes_are_checked_against_cldr():
    from pipeline.normalize.cldr_currencies import cldr_problems

    assert cldr_problems({"USD", "DEM", "XBT", "XYZ"}) == ["XYZ"]  # DEM is withdrawn but known
