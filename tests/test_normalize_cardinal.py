"""CARDINAL normalizer: counts and factors (the counted noun is passed in by the component)."""

import pytest

from pipeline.normalize.cardinal import cardinal_value, parse_cardinal

CARDINAL = [
    # text, amount, amount_max, modifier, kind
    ("Forty-eight", 48, None, None, "count"),
    ("over 1,400", 1400, None, "min", "count"),
    ("More than 2,300", 2300, None, "min", "count"),
    ("Some 10", 10, None, "approx", "count"),
    ("5.93 mln", 5_930_000, None, None, "count"),
    ("800 million", 800_000_000, None, None, "count"),
    ("half a million", 500_000, None, None, "count"),
    ("zero", 0, None, None, "count"),
    ("between 30 and 40", 30, 40, None, "count"),
    ("2.3 times", 2.3, None, None, "factor"),
    ("almost threefold", 3, None, "approx", "factor"),
    ("more than ninefold", 9, None, "min", "factor"),
    ("3-fold", 3, None, None, "factor"),
    ("ten-fold", 10, None, None, "factor"),
    ("one-seventh", 1 / 7, None, None, "factor"),
    ("one-third", 1 / 3, None, None, "factor"),
    ("nearly half", 0.5, None, "approx", "factor"),
    ("Over half", 0.5, None, "min", "factor"),
    ("one out of every three", 1 / 3, None, None, "factor"),
    ("about six out of 20", 0.3, None, "approx", "factor"),
    ("one in five", 0.2, None, None, "factor"),
    ("two to one", 2, None, None, "factor"),  # a ratio, not a range
    ("2.1 to one", 2.1, None, None, "factor"),
    ("three-to-one", 3, None, None, "factor"),
    ("10 to 12", 10, 12, None, "count"),
]


@pytest.mark.parametrize("text, amount, amount_max, modifier, kind", CARDINAL)
def test_cardinal_values(text, amount, amount_max, modifier, kind):
    value = cardinal_value(text, counted="project")
    assert value is not None, parse_cardinal(text).reason
    assert value.amount == pytest.approx(amount)
    assert value.amount_max == amount_max
    assert (value.modifier, value.kind, value.counted) == (modifier, kind, "project")


@pytest.mark.parametrize("text", ["", "times", "fold", "manifold", "one out of every zero", "a", "dozens",
                                  "Thousands", "1e308", "9" * 10_000, "7th", "twenty thirty forty"])
def test_not_cardinals(text):
    result = parse_cardinal(text)
    assert result.value is None and result.reason


@pytest.mark.parametrize("counted, stored", [("DS", "ds"), ("Briton", "briton"), ("747", "747"), (None, None)])
def test_counted_nouns_are_stored_in_lower_case(counted, stored):
    assert cardinal_value("two", counted).counted == stored
