"""Bad input: every normalizer answers any string with a value or a clean None and a reason."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalize.cardinal import parse_cardinal
from pipeline.normalize.money import parse_money
from pipeline.normalize.numbers import parse_amount, parse_number
from pipeline.normalize.percent import parse_percent
from pipeline.normalize.quantity import parse_quantity
from pipeline.schema import CardinalValue, MoneyValue, PercentValue, QuantityValue

PARSERS = [
    (parse_number, (int, float)),
    (parse_amount, object),
    (parse_money, MoneyValue),
    (parse_percent, PercentValue),
    (parse_quantity, QuantityValue),
    (parse_cardinal, CardinalValue),
]

ADVERSARIAL = ["1e308", "1e308 yuan", "$1e308", "-1e308%", "NaN", "inf km", "∞", "$", "%", "£", "¥", "€",
               "US$", "(", ")", "-", "--5", "5--", "٣", "五", "Ⅻ", "½ pct", "१२ rupees", "1\u00a0000 yuan",
               "\u200b5 percent", "5\u0301 km", "𝟓 km", "between and", "from to", "a a a", "one-", "-one",
               "0.0.0", "1,,000", ",", ".", "1.", "1e", "0x1F", "1_000", "½", "⅓ of", "\ud7ff", "\x00"]
UNITS = ["", " yuan", " dlrs", "$", " percent", "%", " km", " tonnes", " times", "-fold", " mln", " bn"]

huge_digits = st.integers(min_value=1, max_value=10_000).map(lambda n: "9" * n)
numeric_noise = st.builds(lambda head, mid, tail: head + mid + tail,
                          st.sampled_from(["", "$", "US$", "£", "about ", "over ", "-", "between "]),
                          st.one_of(huge_digits, st.from_regex(r"[0-9.,\-/ ]{1,40}", fullmatch=True),
                                    st.sampled_from(ADVERSARIAL)),
                          st.sampled_from(UNITS))
any_text = st.one_of(st.text(max_size=200), numeric_noise, st.sampled_from(ADVERSARIAL))


def _check(result, value_type):
    if result.value is None:
        assert isinstance(result.reason, str) and result.reason
        return
    assert result.reason is None
    if value_type is not object:
        assert isinstance(result.value, value_type)
    numbers = result.value if isinstance(result.value, (int, float)) else [
        v for v in vars(result.value).values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for number in [numbers] if isinstance(numbers, (int, float)) else numbers:
        assert math.isfinite(number)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_normalizers_never_raise(text):
    for parse, value_type in PARSERS:
        _check(parse(text), value_type)


@settings(max_examples=50, deadline=None)
@given(huge_digits, st.sampled_from(UNITS))
def test_ten_thousand_digit_numerals_are_refused_cleanly(digits, unit):
    for parse, value_type in PARSERS:
        result = parse(digits + unit)
        _check(result, value_type)
        if len(digits) > 40:
            assert result.value is None


def test_non_strings_are_refused_not_raised():
    for parse, _ in PARSERS:
        assert parse(None).value is None  # type: ignore[arg-type]
        assert parse(12).value is None  # type: ignore[arg-type]
