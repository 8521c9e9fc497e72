"""CARDINAL values: counts and factors with the counted noun's lemma.

Counts: `Forty-eight` -> 48, `over 1,400` -> 1400 min, `5.93 mln` -> 5930000. Factors: `2.3 times`,
`almost threefold`, `3-fold`, `more than twice`, fractions of a noun phrase (`one-seventh`, `nearly
half`), proportions (`one out of every three` -> 1/3) and ratios (`two to one` -> 2), as the
annotator brief decides. The counted noun is found by the span rules (it stays outside the span)
and passed in.
"""

from __future__ import annotations

import re

from pipeline.normalize.numbers import amount_text_problem, Result, number_lexicon, parse_amount, read_numeral, split_modifier
from pipeline.schema import CardinalValue

_FACTOR_SUFFIX = re.compile(r"(?:\s*-\s*|\s+|)(?:times|fold)$", re.IGNORECASE)
_PROPORTION = re.compile(r"^(.+?)\s+(?:out\s+of|in)\s+(?:every\s+)?(.+)$", re.IGNORECASE)
_RATIO_TO_ONE = re.compile(r"^(.+?)(?:\s*-\s*|\s+)to(?:\s*-\s*|\s+)(?:one|1)$", re.IGNORECASE)


def parse_cardinal(text: str, counted: str | None = None) -> Result[CardinalValue]:
    """`counted` is stored in lower case, a proper noun's too (guidelines: the lemma of the noun
    counted; `15 747s`, `two DS`)."""
    if problem := amount_text_problem(text):
        return Result.fail(problem)
    counted = counted.lower() if counted else counted
    modifier, rest = split_modifier(text.strip())
    kind = "count"
    if (factor := number_lexicon().multipliers.get(rest.lower())) is not None:  # `more than twice`
        return Result(CardinalValue(amount=factor, amount_max=None, modifier=modifier, kind="factor", counted=counted))
    if suffix := _FACTOR_SUFFIX.search(rest):
        kind, rest = "factor", rest[:suffix.start()]
        if not rest:
            return Result.fail("factor without a number")
    elif (ratio := _RATIO_TO_ONE.match(rest)) and (part := read_numeral(ratio.group(1))) is not None \
            and part.value > 1:  # `by two to one`, `a 2.1 to one ratio`: no range runs downwards
        return Result(CardinalValue(amount=float(part.value), amount_max=None, modifier=modifier, kind="factor",
                                    counted=counted))
    elif proportion := _PROPORTION.match(rest):
        part, whole = read_numeral(proportion.group(1)), read_numeral(proportion.group(2))
        if part is None or whole is None or whole.value == 0:
            return Result.fail("not a proportion")
        value = float(part.value / whole.value)
        return Result(CardinalValue(amount=value, amount_max=None, modifier=modifier, kind="factor",
                                    counted=counted))
    else:
        numeral = read_numeral(rest)
        if numeral is not None and numeral.fraction:
            kind = "factor"
    amount = parse_amount(rest)
    if amount.value is None:
        return Result.fail(f"amount: {amount.reason}")
    if amount.value.modifier is not None:
        return Result.fail("modifier inside the amount")
    return Result(CardinalValue(amount=amount.value.low, amount_max=amount.value.high, modifier=modifier,
                                kind=kind, counted=counted))  # type: ignore[arg-type]


def cardinal_value(text: str, counted: str | None = None) -> CardinalValue | None:
    """CARDINAL value of a span's text (numeral and modifier only), or None."""
    return parse_cardinal(text, counted).value
