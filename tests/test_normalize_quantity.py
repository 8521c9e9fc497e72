"""QUANTITY normalizer: amount, quantulum3 unit name, SI amount and unit."""

import pytest

from pipeline.normalize.quantity import parse_quantity, quantity_value, split_unit, unit_lexicon

QUANTITY = [
    # text, amount, amount_max, unit, modifier, si_amount, si_unit
    ("95-square-kilometer", 95, None, "square kilometre", None, 95_000_000, "m^2"),
    ("0.4 square kilometer", 0.4, None, "square kilometre", None, 400_000, "m^2"),
    ("nearly 2 million square meters", 2_000_000, None, "square metre", "approx", 2_000_000, "m^2"),
    ("110,000 square meters", 110_000, None, "square metre", None, 110_000, "m^2"),
    ("8 km²", 8, None, "square kilometre", None, 8_000_000, "m^2"),
    ("70.72 teraflops", 70.72, None, "teraflop", None, 70_720_000_000_000, "flop/s"),  # a computing speed
    ("about 113,333 hectares", 113_333, None, "hectare", "approx", 1_133_330_000, "m^2"),
    ("more than 1.7 million mu", 1_700_000, None, "mu", "min", 1_133_333_333.3333333, "m^2"),
    ("13,000 acres", 13_000, None, "acre", None, 52_609_133.4912, "m^2"),
    ("60 kilos", 60, None, "kilogram", None, 60, "kg"),
    ("25-kilogram", 25, None, "kilogram", None, 25, "kg"),
    ("5 tonnes", 5, None, "tonne", None, 5000, "kg"),
    ("over 1 million tonnes", 1_000_000, None, "tonne", "min", 1_000_000_000, "kg"),
    ("5.03 mln tonnes", 5_030_000, None, "tonne", None, 5_030_000_000, "kg"),
    ("240,000 long tons", 240_000, None, "long ton", None, 243_851_258.112, "kg"),
    ("between one gigabyte and 30 gigabytes", 1, 30, "gigabyte", None, 1e9, "B"),  # the unit repeated
    ("20 km to 30 km", 20, 30, "kilometre", None, 20_000, "m"),
    ("5,000 short tons", 5_000, None, "short ton", None, 4_535_923.7, "kg"),
    ("200 lbs", 200, None, "pound-mass", None, 90.718474, "kg"),
    ("116,514 ounces", 116_514, None, "ounce", None, 3303.11633738625, "kg"),
    ("6.6km", 6.6, None, "kilometre", None, 6600, "m"),
    ("5,900 km", 5900, None, "kilometre", None, 5_900_000, "m"),
    ("10,500m", 10_500, None, "metre", None, 10_500, "m"),
    ("3,500 meters", 3500, None, "metre", None, 3500, "m"),
    ("2,000-meter", 2000, None, "metre", None, 2000, "m"),
    ("more than 200 million km", 200_000_000, None, "kilometre", "min", 200_000_000_000, "m"),
    ("3 feet", 3, None, "foot", None, 0.9144, "m"),
    ("two kilometres", 2, None, "kilometre", None, 2000, "m"),
    ("2.5-3 kilometres", 2.5, 3, "kilometre", None, 2500, "m"),
    ("1.6 liters", 1.6, None, "litre", None, 0.0016, "m^3"),
    ("10 barrels", 10, None, "barrel", None, 1.58987294928, "m^3"),
    ("3 kWh", 3, None, "kilowatt hour", None, 10_800_000, "J"),
    ("100 MW", 100, None, "megawatt", None, 100_000_000, "W"),
    ("1.5 GW", 1.5, None, "gigawatt", None, 1_500_000_000, "W"),
    ("5 TWh", 5, None, "terawatt hour", None, 1.8e16, "J"),
    ("90 km per hour", 90, None, "kilometre per hour", None, 25, "m/s"),
    ("30 mph", 30, None, "mile per hour", None, 13.4112, "m/s"),
    ("20 degrees Celsius", 20, None, "degree Celsius", None, 293.15, "K"),
    ("-3C", -3, None, "degree Celsius", None, 270.15, "K"),
    ("5 GB", 5, None, "gigabyte", None, 5e9, "B"),
    ("256 kilobit", 256, None, "kilobit", None, 256_000, "bit"),
    # A text known to be a quantity may write what never starts a span: a spaced one-letter
    # symbol, or `pounds` (sterling, unless the span rules saw a weight).
    ("12 m", 12, None, "metre", None, 12, "m"),
    ("25 pounds", 25, None, "pound-mass", None, 11.33980925, "kg"),
]


@pytest.mark.parametrize("text, amount, amount_max, unit, modifier, si_amount, si_unit", QUANTITY)
def test_quantity_values(text, amount, amount_max, unit, modifier, si_amount, si_unit):
    value = quantity_value(text)
    assert value is not None, parse_quantity(text).reason
    assert value.amount == pytest.approx(amount)
    assert value.amount_max == (pytest.approx(amount_max) if amount_max is not None else None)
    assert (value.unit, value.modifier, value.si_unit) == (unit, modifier, si_unit)
    assert value.si_amount == pytest.approx(si_amount, rel=1e-9)


@pytest.mark.parametrize("text", [
    "", "km", "5", "a clash", "($2.78 million)", "5k", "20c", "5B", "10 points", "3 years", "1e308 km",
    "9" * 10_000 + " km", "5 bags", "5 in", "2 pm",
])
def test_not_quantities(text):
    result = parse_quantity(text)
    assert result.value is None and result.reason


def test_unit_names_are_quantulum3_names_or_marked_custom():
    from quantulum3 import load

    names = load.units("en_US").names
    for unit in unit_lexicon().units.values():
        assert unit.source == "custom" or unit.name in names, unit.name


def test_span_patterns_keep_one_letter_symbols_glued_and_pounds_out():
    import re

    spans = re.compile(f"[0-9]+\\s?(?:{unit_lexicon().pattern()})$")
    assert spans.fullmatch("10,500m"[3:]) and spans.fullmatch("12m")
    assert not spans.fullmatch("12 m") and not spans.fullmatch("25 pounds")


def test_split_unit_takes_the_longest_surface():
    assert split_unit("2 million square meters") == ("2 million", "square meters")
    assert split_unit("95-square-kilometer") == ("95", "square-kilometer")


@pytest.mark.parametrize(("text", "amount", "unit", "si_amount"), [
    ("5 feet 2 inches", 5 + 2 / 12, "foot", 1.5748),
    ("6ft 2in", 6 + 2 / 12, "foot", 1.8796),
    ("2 m 50 cm", 2.5, "metre", 2.5),
    ("12 pounds and 3 ounces", 12.1875, "pound-mass", 5.528157009375),
])
def test_a_measure_in_a_unit_and_its_sub_unit(text, amount, unit, si_amount):
    value = quantity_value(text)
    assert (value.unit, value.amount, value.si_amount) == (unit, pytest.approx(amount), pytest.approx(si_amount))


def test_two_measures_of_one_unit_are_no_compound():
    assert quantity_value("5 km 3 km") is None

