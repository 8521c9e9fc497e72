"""MONEY values: amount at full scale, ISO 4217 currency, range and modifier.

`nearly 20 million yuan` -> 20000000 CNY approx; `$1.13bn` -> 1130000000 USD; `207.7 mln N.Z. Dlrs`
-> 207700000 NZD; `50p` -> 0.5 GBP. Currency surfaces, symbols and codes are the table
`pipeline/patterns/currencies.csv`. An unqualified form (`$`, `dollars`, `dlrs`, `francs`, `¥`)
takes its table default unless the caller passes a `context` naming the code its family has in
this document (the guidelines: bare `$` is USD "unless the text says otherwise").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pipeline.normalize.cldr_currencies import cldr_forms, cldr_problems
from pipeline.normalize.numbers import (amount_text_problem, Result, TableError, load_table, number_lexicon, parse_amount,
                                        split_modifier)
from pipeline.schema import MoneyValue

# `attributive`: a suffix only before the noun it qualifies (`a 1,000 mark bond`), as the word also
# names a level (`broke the 100 million mark`); the amount patterns check the noun.
Position = Literal["prefix", "suffix", "both", "attributive"]
_ISO_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Currency:
    """One row of currencies.csv: how a currency is written and what it stands for."""

    surface: str
    code: str  # ISO 4217
    position: Position
    family: str  # forms that share a name (`dollar`, `franc`); empty when unambiguous
    qualified: bool  # the surface itself says which currency (`HK$`, `Swiss francs`)
    exact_case: bool
    minor: int  # units per major unit: 100 for cents and pence
    scale: int = 1  # major units per unit: a million for `MUSD`

    @property
    def is_prefix(self) -> bool:
        return self.position in ("prefix", "both")

    @property
    def is_suffix(self) -> bool:
        return self.position in ("suffix", "both", "attributive")

    def resolve(self, context: Mapping[str, str] | None) -> str:
        if not self.qualified and self.family and context and self.family in context:
            return context[self.family]
        return self.code


@lru_cache(maxsize=1)
def currency_table() -> tuple[Currency, ...]:
    """All currency forms, longest surface first so `US$` wins over `$` and `N.Z. dlrs` over `dlrs`."""
    rows = load_table("currencies.csv", ("surface", "code", "position", "family", "qualified", "case", "minor"))
    table = []
    for row in rows:
        if not _ISO_CODE.fullmatch(row["code"]):
            raise TableError(f"currencies.csv: {row['surface']!r} has no ISO 4217 code: {row['code']!r}")
        if row["position"] not in ("prefix", "suffix", "both", "attributive") or row["qualified"] not in ("yes", "no") \
                or row["case"] not in ("exact", "ignore") or not row["minor"].isdigit():
            raise TableError(f"currencies.csv: bad row {row}")
        table.append(Currency(row["surface"], row["code"], row["position"], row["family"],  # type: ignore[arg-type]
                              row["qualified"] == "yes", row["case"] == "exact", int(row["minor"])))
    if problems := cldr_problems({c.code for c in table}):
        raise TableError(f"currencies.csv: codes that are no currency in CLDR: {problems}")
    families = {c.code: c.family for c in table if c.family}
    word_families = {c.surface.lower(): c.family for c in table if c.family and not c.qualified}
    surfaces = {c.surface.lower() for c in table}
    for form in cldr_forms():
        if form.surface.lower() not in surfaces:  # the hand-made row wins (`¥` follows context)
            surfaces.add(form.surface.lower())
            # `Jamaican dlrs`: a dollar, so a later bare `dlrs` of the story is the Jamaican one
            family = families.get(form.code) or word_families.get(form.surface.rsplit(" ", 1)[-1].lower(), "")
            table.append(Currency(form.surface, form.code, form.position, family,  # type: ignore[arg-type]
                                  True, not form.surface[0].isalpha(), 1))
    table += scaled_codes(table)
    table.sort(key=lambda c: -len(c.surface))
    return tuple(table)


def scaled_codes(table: list[Currency]) -> list[Currency]:
    """An ISO code behind a scale letter, as business reports write millions (`30 MUSD`, `MSEK 500`)."""
    letters = [(w, value) for w, (value, style) in number_lexicon().scales.items() if style == "code"]
    families = {c.code: c.family for c in table if c.family}
    return [Currency(letter + code, code, "both", families.get(code, ""), True, True, 1, value)
            for code in sorted({c.code for c in table}) for letter, value in letters]


def currency_regex(currency: Currency) -> str:
    """Regex of a currency form; `HK$` also matches `HK $` as tokenized text writes it, in any case."""
    body = r"\s+".join(re.escape(part) for part in currency.surface.split(" "))
    if re.fullmatch(r"[A-Za-z.]+\$", currency.surface):
        letters = body[:-2]
        if currency.surface[:-1].lower() not in ("a", "i"):
            letters = f"(?i:{letters})"  # `HK$`, `hk $`, `c $`; but `a $5 million` is no `A$`
        return letters + r"\s?\$"
    return body if currency.exact_case else f"(?i:{body})"


def _same(currency: Currency, text: str) -> bool:
    return text == currency.surface if currency.exact_case else text.lower() == currency.surface.lower()


@lru_cache(maxsize=1)
def _prefix_regex() -> tuple[re.Pattern[str], tuple[Currency, ...]]:
    """All prefix forms in one regex, longest first; the named group says which one matched."""
    forms = tuple(c for c in currency_table() if c.is_prefix)
    body = "|".join(f"(?P<c{i}>{currency_regex(c)})" for i, c in enumerate(forms))
    return re.compile(rf"(?:{body})\s?(?=[0-9.])"), forms


@lru_cache(maxsize=1)
def _suffix_regex() -> tuple[re.Pattern[str], tuple[Currency, ...], bool]:
    """All suffix forms anchored at the end; one-letter forms (`50p`) only glued to the digits.

    Also whether no form holds a digit (then no match does: see `find_suffix`)."""
    forms = tuple(c for c in currency_table() if c.is_suffix)
    parts = []
    for i, c in enumerate(forms):
        gap = r"" if len(c.surface) == 1 and c.surface.isalpha() else r"(?:\s*-\s*|\s+|)"
        parts.append(rf"(?P<c{i}>(?<=[0-9A-Za-z]){gap}{currency_regex(c)})")
    digit_free = not any(ch in _DIGITS for c in forms for ch in c.surface)
    return re.compile(rf"(?:{'|'.join(parts)})$"), forms, digit_free


_DIGITS = "0123456789"


def _which(found: re.Match[str], forms: tuple[Currency, ...]) -> Currency:
    return forms[int(found.lastgroup[1:])]  # type: ignore[index]


def find_prefix(text: str) -> tuple[Currency, int] | None:
    """The currency written before the amount (`US$`, `£`, `RMB `) and where the amount starts."""
    regex, forms = _prefix_regex()
    found = regex.match(text)
    return (_which(found, forms), found.end()) if found else None


def find_suffix(text: str) -> tuple[Currency, int] | None:
    """The currency written after the amount (`yuan`, `N.Z. Dlrs`, `-yuan`, `p`) and where it starts.

    The regex of a few hundred forms costs about 0.2 ms a position of the text it is tried at.
    A match holds no digit, so it starts after the text's last digit: only that tail is searched,
    and a tail's answer is remembered (` dlrs`, ` mln stg` end most amounts of a wire story)."""
    digit_free = _suffix_regex()[2]
    cut = max(text.rfind(digit) for digit in _DIGITS) + 1 if digit_free else 0
    found = _suffix_of_tail(text[cut:], cut > 0)
    return (found[0], cut + found[1]) if found is not None else None


@lru_cache(maxsize=4096)
def _suffix_of_tail(tail: str, after_digit: bool) -> tuple[Currency, int] | None:
    """`find_suffix` of the text after its last digit; a digit before it stands for that one (the
    forms' lookbehind reads it)."""
    regex, forms, _ = _suffix_regex()
    before = "0" if after_digit else ""
    for found in regex.finditer(before + tail, len(before)):
        if found.end() == len(before) + len(tail):
            return _which(found, forms), found.start() - len(before)
    return None


# `3 dollars 50 cents`, `thirteen dollars and forty-five cents`: a major and a minor amount.
_MAJOR_AND_MINOR = re.compile(r"(?P<major>.+?(?i:dollars?|dlrs?|pounds?|euros?))\s+(?:(?i:and)\s+)?"
                              r"(?P<minor>.+?(?i:cents?|cts?|pence|p))")


_BARE_SCALE = re.compile(r"thousand|million|billion|trillion")  # before a hyphen: `billion-dollar`
# `millions of dollars`, `hundreds of millions in pounds`, `a few hundred dollars`, `several
# hundred million pounds`, `a few pounds`: money with no numeral (amount null)
_VAGUE_AMOUNT = re.compile(r"(?i:(?:(?:hundreds|tens)\s+of\s+)?(?:hundreds|thousands|millions|billions|trillions)"
                           r"\s+(?:of|in)\s*|(?:a\s+few|several|a\s+couple\s+of)(?:\s+(?:hundred|thousand|million|billion))*\s*"
                           r"|multi-?(?:million|billion|trillion)[\s-]*)")


def parse_money(text: str, context: Mapping[str, str] | None = None) -> Result[MoneyValue]:
    """Read one MONEY span's text; `context` maps a currency family to this document's code."""
    if problem := amount_text_problem(text):
        return Result.fail(problem)
    if (parts := _MAJOR_AND_MINOR.fullmatch(text.strip())) is not None:
        major, minor = parse_money(parts["major"], context), parse_money(parts["minor"], context)
        if major.value is None or minor.value is None or major.value.amount_max or minor.value.amount_max:
            return Result.fail("not a major and a minor amount")
        return Result(major.value.model_copy(update={"amount": major.value.amount + minor.value.amount}))
    modifier, rest = split_modifier(text.strip())
    sign = ""
    if rest[:1] in ("-", "\u2212"):
        sign, rest = "-", rest[1:]
    between = ""
    if rest.lower().startswith("between "):
        between, rest = "between ", rest[len("between "):]
    currency: Currency | None = None
    if prefix := find_prefix(rest):
        currency, start = prefix
        # A range may repeat the symbol: `$5 million to $10 million`, `between $2 and $3 billion`.
        rest = re.sub(r"(?<![A-Za-z])" + currency_regex(currency) + r"\s?(?=[0-9.])", "", rest[start:])
    elif suffix := find_suffix(rest):
        currency, start = suffix
        # ... and the word after the low end too: `17 cts to 22 cts`, `between 200,000 dlrs and one mln dlrs`
        rest = re.sub(r"(?<=[0-9a-z])\s*" + currency_regex(currency) + r"(?=\s*(?:-|\u2013|\u2014|to\s|and\s))",
                      "", rest[:start])
    if currency is None:
        return Result.fail("no currency")
    if _VAGUE_AMOUNT.fullmatch(rest) and not (sign or between or modifier):
        return Result(MoneyValue(amount=None, amount_max=None, currency=currency.resolve(context), modifier=None))
    if rest.strip().lower() == "a" and currency.minor != 1:
        rest = "1"  # `a penny`, `a cent`
    if _BARE_SCALE.fullmatch(rest) and f"{rest}-" in text:
        rest = "1 " + rest  # `billion-dollar`: one billion
    amount = parse_amount(sign + between + rest)
    if amount.value is None:
        return Result.fail(f"amount: {amount.reason}")
    value = amount.value
    if value.modifier is not None:
        return Result.fail("modifier inside the amount")
    low, high = value.low, value.high
    if currency.minor != 1:
        low = low / currency.minor
        high = high / currency.minor if high is not None else None
    if currency.scale != 1:
        low = low * currency.scale
        high = high * currency.scale if high is not None else None
    return Result(MoneyValue(amount=low, amount_max=high, currency=currency.resolve(context), modifier=modifier))


def money_value(text: str, context: Mapping[str, str] | None = None) -> MoneyValue | None:
    """MONEY value of a span's text, or None when it is not an amount of money."""
    return parse_money(text, context).value


def currency_context(surfaces: list[str]) -> dict[str, str]:
    """Family -> code from the qualified currency forms a document uses, the last one winning.

    `N.Z. Dlrs` earlier in a story makes a later bare `dlrs` NZD; `Swiss franc` makes `francs` CHF.
    """
    context: dict[str, str] = {}
    for surface in surfaces:
        for currency in currency_table():
            if currency.qualified and currency.family and _same(currency, surface):
                context[currency.family] = currency.code
                break
    return context


@lru_cache(maxsize=1)
def _country_cues() -> tuple[tuple[str, str, tuple[str, ...], re.Pattern[str]], ...]:
    """(family, code, cue words, their regex) per row of currency_cues.csv."""
    rows = load_table("currency_cues.csv", ("family", "code", "cues"))
    cues = []
    for row in rows:
        if not _ISO_CODE.fullmatch(row["code"]):
            raise TableError(f"currency_cues.csv: {row['family']!r} has no ISO 4217 code: {row['code']!r}")
        words = tuple(row["cues"].split("|"))
        cues.append((row["family"], row["code"], words,
                     re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in words)})\b")))
    return tuple(cues)


def country_currencies(text: str) -> dict[str, str]:
    """Family -> code for the unqualified forms of a story about one country: `francs` in a
    story about a Paris company are French francs, `dinars` in Yugoslav trade figures Yugoslav
    dinars (`patterns/currency_cues.csv`). A family is set only when one country's words
    outnumber every other's; a qualified form in the text still wins where it stands."""
    counts: dict[str, dict[str, int]] = {}
    for family, code, words, pattern in _country_cues():
        if not any(word in text for word in words):
            continue  # no cue in the text: a substring test costs a tenth of the regex's scan
        n = len(pattern.findall(text))
        if n:
            counts.setdefault(family, {})[code] = counts.get(family, {}).get(code, 0) + n
    context = {}
    for family, by_code in counts.items():
        ranked = sorted(by_code.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            context[family] = ranked[0][0]
    return context


def split_currency(text: str) -> tuple[str, str, str]:
    """(prefix, amount, suffix) of a MONEY text, for copying a shared currency to a bare number."""
    modifier, rest = split_modifier(text.strip())
    if prefix := find_prefix(rest):
        return rest[:prefix[1]], rest[prefix[1]:], ""
    if suffix := find_suffix(rest):
        return "", rest[:suffix[1]], rest[suffix[1]:]
    return "", rest, ""
