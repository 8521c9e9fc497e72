"""Numerals as news writes them: digits, written numbers, scale words, fractions, ranges, modifiers.

`167.3 billion`, `Forty-eight`, `two million`, `half a million`, `5.93 mln`, `$1.13bn`'s `1.13bn`,
`one-seventh`, `1-1/2` (Reuters' mixed fractions), `between 2 and 3 billion`, `about 70- 80`.
Pure functions, no spaCy; the word lists are tables in `pipeline/patterns/` (number_words.csv,
scale_words.csv, fraction_words.csv, modifiers.csv) shared with the span patterns, so a word the
extractor finds is a word the normalizer reads. Every parser returns a `Result`: a value, or
None with the reason, and never raises on any string.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Generic, Literal, TypeVar

from pipeline.config import PATTERNS_DIR

Modifier = Literal["approx", "min", "max"] | None
MODIFIERS: tuple[str, ...] = ("approx", "min", "max")
Number = int | float
T = TypeVar("T")

# Beyond this a "number" in news text is an identifier or noise, and floats stop holding integers.
MAX_AMOUNT = Decimal("1e18")
# A numeral longer than this is not read at all (10,000-digit strings, pasted hashes).
MAX_NUMERAL_CHARS = 80


class TableError(ValueError):
    """A pattern table is malformed: wrong columns, missing fields or an unknown value."""


def load_table(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV table in pipeline/patterns/; other columns or short rows fail loudly."""
    path = PATTERNS_DIR / name
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise TableError(f"{name}: columns {reader.fieldnames}, expected {list(columns)}")
        rows = list(reader)
    for lineno, row in enumerate(rows, start=2):
        if None in row or any(value is None for value in row.values()):
            raise TableError(f"{name}:{lineno}: expected {len(columns)} fields")
    return rows


@dataclass(frozen=True)
class Result(Generic[T]):
    """A normalizer's answer: `value`, or None and a `reason` saying why not."""

    value: T | None
    reason: str | None = None

    @classmethod
    def fail(cls, reason: str) -> "Result[T]":
        return cls(None, reason)


@dataclass(frozen=True)
class Amount:
    """A number or range with its modifier, as the guidelines define them (low end in `low`)."""

    low: Number
    high: Number | None = None
    modifier: Modifier = None
    has_scale: bool = False  # a scale word (`million`, `bn`) was read


@dataclass(frozen=True)
class NumberLexicon:
    words: dict[str, tuple[int, str]]  # lower-case word -> (value, kind)
    scales: dict[str, tuple[int, str]]  # surface -> (value, style); word/abbrev keys lower-case
    fractions: dict[str, int]  # lower-case word -> denominator
    multipliers: dict[str, int]  # lower-case word -> factor (`twice` 2, `triple` 3)
    modifiers: tuple[tuple[str, str], ...]  # (phrase, modifier), longest phrase first

    def scale_value(self, token: str) -> int | None:
        exact = self.scales.get(token)
        if exact is not None and exact[1] != "code":
            return exact[0]
        lowered = self.scales.get(token.lower())
        if lowered is not None and lowered[1] in ("word", "abbrev"):
            return lowered[0]
        return None


WORD_KINDS = ("unit", "teen", "tens", "hundred", "dozen")
SCALE_STYLES = ("word", "abbrev", "attached", "currency", "code")  # code: before an ISO code only (`MUSD`)


@lru_cache(maxsize=1)
def number_lexicon() -> NumberLexicon:
    words: dict[str, tuple[int, str]] = {}
    for row in load_table("number_words.csv", ("word", "value", "kind")):
        if row["kind"] not in WORD_KINDS:
            raise TableError(f"number_words.csv: unknown kind {row['kind']!r}")
        words[row["word"].lower()] = (int(row["value"]), row["kind"])
    scales: dict[str, tuple[int, str]] = {}
    for row in load_table("scale_words.csv", ("word", "value", "style")):
        if row["style"] not in SCALE_STYLES:
            raise TableError(f"scale_words.csv: unknown style {row['style']!r}")
        key = row["word"].lower() if row["style"] in ("word", "abbrev") else row["word"]
        scales[key] = (int(row["value"]), row["style"])
    fractions = {row["word"].lower(): int(row["denominator"])
                 for row in load_table("fraction_words.csv", ("word", "denominator"))}
    multipliers = {row["word"].lower(): int(row["factor"])
                   for row in load_table("multiplier_words.csv", ("word", "factor"))}
    modifiers = []
    for row in load_table("modifiers.csv", ("phrase", "modifier")):
        if row["modifier"] not in MODIFIERS:
            raise TableError(f"modifiers.csv: unknown modifier {row['modifier']!r}")
        modifiers.append((row["phrase"].lower(), row["modifier"]))
    modifiers.sort(key=lambda item: -len(item[0]))
    return NumberLexicon(words, scales, fractions, multipliers, tuple(modifiers))


def to_number(value: Decimal) -> Number | None:
    """JSON-friendly number: int when whole, float otherwise; None when not finite or too big."""
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# ---------------------------------------------------------------------------------------------
# Single numerals
# ---------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+")
_SIMPLE_FRACTION = re.compile(r"([0-9]{1,2})/([0-9]{1,2})")
_MIXED_FRACTION = re.compile(r"([0-9]+(?:\.[0-9]+)?)[-\s]([0-9]{1,2})/([0-9]{1,2})")
_PIECES = re.compile(r"[0-9][0-9,./]*|[^\W\d_]+", re.UNICODE)


def _digits_value(text: str) -> Decimal | None:
    """`1,400`, `167.3`, `.5`, `3/4`, `1-1/2`, `7 3/8` -> Decimal; anything else None. A fraction
    after decimals is one of the last decimal place: grain prices quote quarter cents
    (`2.11-3/4` dlrs -> 2.1175)."""
    if len(text) > MAX_NUMERAL_CHARS:
        return None
    if _DIGITS.fullmatch(text):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    if found := _MIXED_FRACTION.fullmatch(text):
        whole, (num, den) = Decimal(found.group(1)), (int(g) for g in found.groups()[1:])
        place = Decimal(1).scaleb(whole.as_tuple().exponent)  # 1, or 0.01 after two decimals
        return whole + place * Decimal(num) / Decimal(den) if 0 < num < den else None
    if found := _SIMPLE_FRACTION.fullmatch(text):
        num, den = (int(g) for g in found.groups())
        return Decimal(num) / Decimal(den) if 0 < num < den else None
    return None


def _words_value(tokens: list[str], lex: NumberLexicon) -> Decimal | None:
    """Written numbers with their scales: `forty eight`, `one hundred and five`, `two million`.

    The usual accumulator (Python's text2num family): hundreds multiply the running group, scale
    words close it. Sequences no writer uses (`two three`, `twenty thirty`) are refused so that a
    range such as `twenty-thirty` can be read as a range instead.
    """
    total = Decimal(0)
    current = Decimal(0)
    last_kind = ""
    last_scale = None
    seen_number = False
    for i, token in enumerate(tokens):
        word = token.lower()
        if word == "and":
            if last_kind not in ("hundred", "scale") or i == len(tokens) - 1:
                return None
            continue
        if word in ("a", "an"):
            if i != 0 or len(tokens) == 1:
                return None
            current = Decimal(1)
            last_kind = "article"
            continue
        scale = lex.scale_value(token) if lex.scales.get(word, (0, ""))[1] == "word" else None
        if scale is not None:
            if last_kind == "" or (last_scale is not None and scale >= last_scale):
                return None
            total += current * scale
            current = Decimal(0)
            last_kind, last_scale, seen_number = "scale", scale, True
            continue
        entry = lex.words.get(word)
        if entry is None:
            return None
        value, kind = entry
        if kind in ("unit", "teen"):
            if last_kind in ("unit", "teen", "article"):
                return None
            if last_kind == "tens" and kind == "teen":
                return None
            current += value
        elif kind == "tens":
            if last_kind in ("unit", "teen", "tens", "article"):
                return None
            current += value
        elif kind == "hundred":
            if last_kind not in ("unit", "teen", "article") or current >= 100:
                return None
            current *= value
        elif kind == "dozen":
            if last_kind not in ("unit", "teen", "article"):
                return None
            current *= value
        last_kind, seen_number = kind, True
    if not seen_number:
        return None
    return total + current


def _fraction_value(tokens: list[str], lex: NumberLexicon) -> Decimal | None:
    """`one-seventh`, `two-thirds`, `a third`, `three quarters`, `half` -> the fraction."""
    if not tokens:
        return None
    denominator = lex.fractions.get(tokens[-1].lower())
    if denominator is None:
        return None
    head = tokens[:-1]
    if not head:
        return Decimal(1) / Decimal(denominator) if tokens[-1].lower() == "half" else None
    if len(head) == 1 and head[0].lower() in ("a", "an", "one"):
        numerator = Decimal(1)
    else:
        numerator = _words_value(head, lex) if not head[0][0].isdigit() else _digits_value(head[0])
        if numerator is None or (len(head) > 1 and head[0][0].isdigit()):
            return None
    if numerator == 1 and tokens[-1].lower().endswith("s"):
        return None  # "one thirds"
    return numerator / Decimal(denominator)


@dataclass(frozen=True)
class Numeral:
    value: Decimal
    scale: Decimal = Decimal(1)  # what scale words or abbreviations multiplied it by
    fraction: bool = False  # a fraction word (`one-seventh`, `half`) gave it

    @property
    def scaled(self) -> bool:
        return self.scale != 1


def read_numeral(text: str) -> Numeral | None:
    """One numeral with its scale words, no modifier or range: the workhorse of the parsers."""
    if len(text) > MAX_NUMERAL_CHARS * 2:
        return None
    lex = number_lexicon()
    stripped = text.strip()
    # Attached abbreviations and mixed fractions are split by the piece tokenizer, so try the
    # digit forms on the whole string first.
    if (value := _digits_value(stripped)) is not None:
        return Numeral(value)
    pieces = _PIECES.findall(stripped)
    rest = _PIECES.sub("", stripped)
    if not pieces or rest.strip(" -\u2010\u2011\u00a0"):
        return None
    # Digits followed by scale words: `167.3 billion`, `1.13bn`, `600m`, `5.93 mln`.
    if pieces[0][0].isdigit():
        head = pieces[0]
        tail = pieces[1:]
        if (mixed := _MIXED_FRACTION.match(stripped)) and mixed.start() == 0:
            head, tail = mixed.group(0), _PIECES.findall(stripped[mixed.end():])
        value = _digits_value(head)
        if value is None:
            return None
        scale = Decimal(1)
        for token in tail:
            factor = lex.scale_value(token)
            if factor is None:
                return None
            scale *= factor
        return Numeral(value * scale, scale)
    lowered = [p.lower() for p in pieces]
    # `half a million`, `one and a half million`, `a million and a half`
    if lowered in (["half", "a"], ["half", "an"]):
        return Numeral(Decimal("0.5"), fraction=True)  # `half a percentage point`
    if lowered[:2] in (["half", "a"], ["half", "an"]) and len(lowered) > 2:
        inner = read_numeral(" ".join(["a", *pieces[2:]]))
        return Numeral(inner.value / 2, inner.scale) if inner and inner.scaled else None
    if "half" in lowered and len(lowered) >= 4 and lowered[lowered.index("half") - 2:lowered.index("half")] == ["and", "a"]:
        at = lowered.index("half")
        whole = _words_value(pieces[:at - 2], lex) if not pieces[0][0].isdigit() else None
        scale = Decimal(1)
        for token in pieces[at + 1:]:
            factor = lex.scale_value(token)
            if factor is None:
                return None
            scale *= factor
        return Numeral((whole + Decimal("0.5")) * scale, scale) if whole is not None else None
    if (fraction := _fraction_value(pieces, lex)) is not None:
        return Numeral(fraction, fraction=True)
    # `half million`, `a quarter million`, `three quarters billion`
    scales_from = len(pieces)
    while scales_from > 1 and lex.scale_value(pieces[scales_from - 1]) is not None:
        scales_from -= 1
    fraction_words = pieces[:scales_from]
    if [w.lower() for w in fraction_words] == ["quarter"]:
        fraction_words = ["a", "quarter"]  # `quarter million`, as `half million`
    if scales_from < len(pieces) and (part := _fraction_value(fraction_words, lex)) is not None:
        scale = Decimal(1)
        for token in pieces[scales_from:]:
            scale *= lex.scale_value(token) or 1
        return Numeral(part * scale, scale)
    # Written numbers, then abbreviations after them (`two mln`).
    split = len(pieces)
    while split > 0 and lex.scale_value(pieces[split - 1]) is not None \
            and lex.scales.get(lowered[split - 1], (0, ""))[1] != "word":
        split -= 1
    value = _words_value(pieces[:split], lex)
    if value is None:
        return None
    scale = Decimal(1)
    for token in pieces:
        scale *= lex.scale_value(token) or 1
    for token in pieces[split:]:
        value *= lex.scale_value(token) or 1
    return Numeral(value, scale)


def parse_number(text: str) -> Result[Number]:
    """A single numeral at full scale: `167.3 billion` -> 167300000000, `Forty-eight` -> 48."""
    if not isinstance(text, str) or not text.strip():
        return Result.fail("empty")
    numeral = read_numeral(text)
    if numeral is None:
        return Result.fail("not a numeral")
    number = to_number(numeral.value)
    if number is None:
        return Result.fail("out of range")
    return Result(number)


# ---------------------------------------------------------------------------------------------
# Amounts: modifier + numeral or range
# ---------------------------------------------------------------------------------------------

_SIGN = re.compile(r"^(?:[-\u2212]\s?|(?:minus|negative)\s+)", re.IGNORECASE)
_BETWEEN = re.compile(r"^between\s+(.+?)\s+and\s+(.+)$", re.IGNORECASE | re.DOTALL)
# `145.15/20`: a dealer's bid and offer, the second number the other end's last digits
BID_OFFER = re.compile(r"([0-9]+\.([0-9]+))/([0-9]+)")
_RANGE_SEPARATOR = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014~]\s*|\s+to\s+", re.IGNORECASE)


def amount_text_problem(text: object) -> str | None:
    """Why a span text cannot be an amount at all (not a string, empty, absurdly long), or None."""
    if not isinstance(text, str) or not text.strip():
        return "empty"
    if len(text) > MAX_NUMERAL_CHARS * 3:
        return "too long for an amount"
    return None


def split_modifier(text: str) -> tuple[Modifier, str]:
    """Leading modifier phrase (modifiers.csv, whole words, any case) and the rest."""
    lowered = text.lower()
    for phrase, modifier in number_lexicon().modifiers:
        if lowered.startswith(phrase) and len(text) > len(phrase) and text[len(phrase)].isspace():
            return modifier, text[len(phrase):].lstrip()  # type: ignore[return-value]
    return None, text


def _signed(text: str) -> tuple[int, str]:
    found = _SIGN.match(text)
    return (-1, text[found.end():]) if found else (1, text)


def parse_amount(text: str) -> Result[Amount]:
    """Modifier, sign and a numeral or a range: `nearly 20 million`, `between 2 and 3 billion`.

    A range's low end borrows the high end's scale when it has none and is not larger
    (`5-10 million` -> 5000000..10000000), as writers leave it out.
    """
    if problem := amount_text_problem(text):
        return Result.fail(problem)
    modifier, rest = split_modifier(text.strip())
    sign, rest = _signed(rest)
    single = read_numeral(rest)
    if single is not None:
        number = to_number(single.value * sign)
        if number is None:
            return Result.fail("out of range")
        return Result(Amount(number, None, modifier, single.scaled))
    ends = _range_ends(rest)
    if ends is None:
        return Result.fail("not a numeral or range")
    low, high = ends
    low_value = low.value
    if high.scaled and not low.scaled and low.value * high.scale <= high.value:
        low_value = low.value * high.scale
    low_number, high_number = to_number(low_value * sign), to_number(high.value)
    if low_number is None or high_number is None:
        return Result.fail("out of range")
    return Result(Amount(low_number, high_number, modifier, high.scaled or low.scaled))


def _range_ends(text: str) -> tuple[Numeral, Numeral] | None:
    if quote := BID_OFFER.fullmatch(text):  # `145.15/20`: 145.15 .. 145.20; `4.26/12`: 4.12 .. 4.26
        first, digits, last = quote.groups()
        if len(last) > len(digits):
            return None
        other = first[:len(first) - len(last)] + last
        low, high = sorted((read_numeral(first), read_numeral(other)), key=lambda n: n.value)  # type: ignore[union-attr]
        return low, high
    if found := _BETWEEN.match(text):
        low, high = read_numeral(found.group(1)), read_numeral(found.group(2))
        return (low, high) if low and high else None
    for separator in _RANGE_SEPARATOR.finditer(text):
        low = read_numeral(text[:separator.start()])
        high = read_numeral(text[separator.end():])
        if low and high:
            return low, high
    return None
