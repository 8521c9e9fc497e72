"""PERCENT normalizer: amount, range, percent vs percentage points, modifier."""

import pytest

from pipeline.normalize.percent import parse_percent, percent_value

PERCENT = [
    # text, amount, amount_max, unit, modifier
    ("16.6 percent", 16.6, None, "percent", None),
    ("6.5%", 6.5, None, "percent", None),
    ("64 pct", 64, None, "percent", None),
    ("5 per cent", 5, None, "percent", None),
    ("10.5pc", 10.5, None, "percent", None),
    ("Ninety-nine percent", 99, None, "percent", None),
    ("one pct", 1, None, "percent", None),
    ("1-1/2 pct", 1.5, None, "percent", None),
    ("3/8 pct", 0.375, None, "percent", None),
    ("more than 5 percent", 5, None, "percent", "min"),
    ("Nearly 65 percent", 65, None, "percent", "approx"),
    ("up to 15 pct", 15, None, "percent", "max"),
    ("about 70- 80 percent", 70, 80, "percent", "approx"),
    ("70-75 percent", 70, 75, "percent", None),
    ("four to 4-1/4 pct", 4, 4.25, "percent", None),
    ("5%-10%", 5, 10, "percent", None),
    ("between 5% and 10%", 5, 10, "percent", None),
    ("between 5 and 10 percent", 5, 10, "percent", None),
    ("-0.5%", -0.5, None, "percent", None),
    ("0.09 percentage points", 0.09, None, "percentage_point", None),
    ("6.6 percentage points", 6.6, None, "percentage_point", None),
    ("25 basis points", 0.25, None, "percentage_point", None),  # hundredths of a point
    ("6.25 basis points", 0.0625, None, "percentage_point", None),
    ("50 bps", 0.5, None, "percentage_point", None),
    ("half a percentage point", 0.5, None, "percentage_point", None),
    ("a half pct", 0.5, None, "percent", None),
    ("one hundred percents", 100, None, "percent", None),
    ("7/8 of a percentage point", 0.875, None, "percentage_point", None),
    ("three-quarters of a percentage point", 0.75, None, "percentage_point", None),
    ("quarter-point", 0.25, None, "percentage_point", None),
    ("half-point", 0.5, None, "percentage_point", None),
    ("1-1/8 point", 1.125, None, "percentage_point", None),  # over a rate: the caller's context
    ("12 pct points", 12, None, "percentage_point", None),
    ("3 percentage-point", 3, None, "percentage_point", None),
]


@pytest.mark.parametrize("text, amount, amount_max, unit, modifier", PERCENT)
def test_percent_values(text, amount, amount_max, unit, modifier):
    value = percent_value(text)
    assert value is not None, parse_percent(text).reason
    assert value.amount == pytest.approx(amount)
    assert value.amount_max == (pytest.approx(amount_max) if amount_max is not None else None)
    assert (value.unit, value.modifier) == (unit, modifier)


@pytest.mark.parametrize("text", ["", "%", "percent", "5", "5 points", "an estimated 3%", "PC 5", "5 PC",
                                  "1e308%", "9" * 10_000 + "%", "五十%"])
def test_not_percent(text):
    result = parse_percent(text)
    assert result.value is None and result.reason
