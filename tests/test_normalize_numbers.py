"""Numerals, ranges and modifiers: input -> value tables, must-match and must-not-match."""

import pytest

from pipeline.normalize.numbers import Amount, number_lexicon, parse_amount, parse_number, split_modifier

NUMBERS = [
    ("1,400", 1400),
    ("167.3 billion", 167_300_000_000),
    ("31.2 billion", 31_200_000_000),
    ("Forty-eight", 48),
    ("Ninety-nine", 99),
    ("two million", 2_000_000),
    ("Twenty-one thousand", 21_000),
    ("one hundred and five", 105),
    ("two hundred thousand", 200_000),
    ("a million", 1_000_000),
    ("a dozen", 12),
    ("half a million", 500_000),
    ("quarter million", 250_000),
    ("one and a half million", 1_500_000),
    ("5.93 mln", 5_930_000),
    ("1.13bn", 1_130_000_000),
    ("600m", 600_000_000),
    ("207.7 mln", 207_700_000),
    ("3 bln", 3_000_000_000),
    ("1.7 trillion", 1_700_000_000_000),
    ("2 crore", 20_000_000),
    ("zero", 0),
    (".5", 0.5),
    ("1-1/2", 1.5),
    ("7 3/8", 7.375),
    ("2.11-3/4", 2.1175),  # a fraction of the last decimal place (quarter cents)
    ("3/4", 0.75),
    ("one-seventh", 1 / 7),
    ("two-thirds", 2 / 3),
    ("a third", 1 / 3),
    ("three quarters", 0.75),
    ("half", 0.5),
]

NOT_NUMBERS = ["", "   ", "x", "million", "hundred", "and", "a", "two three", "twenty thirty", "one thirds",
               "1e308", "1,23,456", "10,5", "5.", "½", "١٢٣", "12abc", "$5", "9" * 10_000, "1" + "0" * 30]


@pytest.mark.parametrize("text, expected", NUMBERS)
def test_numbers_read_at_full_scale(text, expected):
    assert parse_number(text).value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers_give_none_with_a_reason(text):
    result = parse_number(text)
    assert result.value is None and result.reason


def test_whole_values_are_ints_and_fractions_floats():
    assert isinstance(parse_number("167.3 billion").value, int)
    assert isinstance(parse_number("2.5").value, float)


AMOUNTS = [
    ("nearly 20 million", Amount(20_000_000, None, "approx", True)),
    ("Some 10", Amount(10, None, "approx")),
    ("over 1,400", Amount(1400, None, "min")),
    ("more than 5", Amount(5, None, "min")),
    ("at least 450,000", Amount(450_000, None, "min")),
    ("upwards of 3", Amount(3, None, "min")),
    ("up to 20", Amount(20, None, "max")),
    ("less than 50,000", Amount(50_000, None, "max")),
    ("close to 9", Amount(9, None, "approx")),
    ("between 2 and 3 billion", Amount(2_000_000_000, 3_000_000_000, None, True)),
    ("5-10 million", Amount(5_000_000, 10_000_000, None, True)),
    ("5 - 150 million", Amount(5_000_000, 150_000_000, None, True)),
    ("about 70- 80", Amount(70, 80, "approx")),
    ("340 to 350", Amount(340, 350, None)),
    ("1,750 to 1,780", Amount(1750, 1780, None)),
    ("two to three million", Amount(2_000_000, 3_000_000, None, True)),
    ("twenty-thirty", Amount(20, 30, None)),
    ("500 to 2 million", Amount(500, 2_000_000, None, True)),
    ("-5", Amount(-5, None, None)),
    ("minus 3.5", Amount(-3.5, None, None)),
    ("145.15/20", Amount(145.15, 145.2, None)),  # a dealer's bid and offer: the last digits change
    ("1.8205/15", Amount(1.8205, 1.8215, None)),
    ("4.26/12", Amount(4.12, 4.26, None)),  # written offer first: low to high
]


@pytest.mark.parametrize("text, expected", AMOUNTS)
def test_amounts_with_modifiers_and_ranges(text, expected):
    assert parse_amount(text).value == expected


@pytest.mark.parametrize("text", ["an estimated 3", "a total of 5", "just 4", "only 2", "approximately 7",
                                  "from", "between 2",
                                  "2 and 3", "about", "over and over"])
def test_amounts_refused(text):
    assert parse_amount(text).value is None


@pytest.mark.parametrize("text, modifier, rest", [
    ("nearly 20 million yuan", "approx", "20 million yuan"),
    ("More than 2,300", "min", "2,300"),
    ("slightly more than 1 million", None, "slightly more than 1 million"),
    ("overseas 5", None, "overseas 5"),
    ("under", None, "under"),
])
def test_split_modifier_whole_words_only(text, modifier, rest):
    assert split_modifier(text) == (modifier, rest)


def test_modifier_table_is_exactly_the_guidelines_list():
    """The annotator brief: only the words the guidelines list are modifiers (`an estimated`,
    `approximately`, `just` stay outside the span)."""
    assert dict(number_lexicon().modifiers) == {
        "about": "approx", "around": "approx", "nearly": "approx", "almost": "approx", "roughly": "approx",
        "some": "approx", "close to": "approx", "over": "min", "more than": "min", "at least": "min",
        "above": "min", "upwards of": "min", "under": "max", "less than": "max", "up to": "max",
        "at most": "max", "below": "max"}
