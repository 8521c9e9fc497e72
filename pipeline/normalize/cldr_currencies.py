"""Currency names and symbols from Unicode CLDR (through Babel), beside the hand-made table.

`patterns/currencies.csv` holds what CLDR does not: wire spellings (`dlrs`, `stg`), unqualified
forms and their families (`francs`, `crowns`), context rules' defaults, and withdrawn currencies
that 1980s copy still uses (`DEM`, `FRF`, `BRC`). CLDR gives the rest, for every currency that
is legal tender somewhere today:
- its English names, singular and plural, which say the country (`Russian rubles`, `Saudi
  riyals`, `Kenyan shillings`, `UAE dirhams`): qualified suffix forms;
- its English symbol when it names the currency alone (`CN¥`, `MX$`, `CA$`, `₪`), and the
  symbol its own countries' locales use when no other currency shares it (`₡`, `₾`, `₭`, `₦`);
- for a dollar (or peso) sign, its code glued to the sign (`AUD$`, `NZD$`, `MXN$`).
`cldr_problems` checks the hand-made table's codes against CLDR, so a typo in a code fails at
load rather than in a record.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
import unicodedata
from functools import lru_cache

from pipeline.normalize.derived import derived_table

# Codes the table may use that are not ISO 4217, each with why (the guidelines ask for ISO 4217).
NON_ISO_CODES = {"XBT": "bitcoin has no ISO 4217 code; XBT is the unofficial one markets quote"}
# An English symbol is taken when it is letters and a currency sign (`MX$`, `CN¥`, `₪`); a
# territory's own symbol only when it has a currency sign of its own and no `$` (`₡`, `GH₵`:
# Nicaragua's `C$` is the Canadian dollar in English news).
_ENGLISH_SYMBOL = re.compile(r"[A-Z]{0,4}(?P<sign>.)")
_LOCAL_SYMBOL = re.compile(r"[A-Za-z]{0,3}(?P<sign>[^$¥£€])")


def _symbol(pattern: re.Pattern[str], symbol: str) -> bool:
    found = pattern.fullmatch(symbol)
    return found is not None and unicodedata.category(found.group("sign")) == "Sc"


@dataclass(frozen=True)
class CldrForm:
    surface: str
    code: str
    position: str  # prefix, suffix or both, as in currencies.csv


@lru_cache(maxsize=1)
def current_codes() -> frozenset[str]:
    """Codes legal tender in some territory today."""
    from babel.core import get_global

    return frozenset(code for currencies in get_global("territory_currencies").values()
                     for code, _start, end, tender in currencies if end is None and tender)


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every code CLDR names, historic ones included (`DEM`, `YUD`)."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def cldr_problems(codes: set[str]) -> list[str]:
    """The table's codes that neither CLDR nor `NON_ISO_CODES` know."""
    return sorted(code for code in codes if code not in known_codes() and code not in NON_ISO_CODES)


def _local_symbols() -> dict[str, set[str]]:
    """Symbol -> codes, from the locales of each currency's own territories (`es_CR`: `₡`)."""
    from babel import Locale
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    locales: dict[str, str] = {}
    for identifier in sorted(locale_identifiers()):
        territory = identifier.rsplit("_", 1)[-1]
        if identifier.count("_") >= 1 and len(territory) == 2 and territory.isupper():
            locales.setdefault(territory, identifier)
    symbols: dict[str, set[str]] = {}
    for territory, currencies in get_global("territory_currencies").items():
        if territory not in locales:
            continue
        local = Locale.parse(locales[territory]).currency_symbols
        for code, _start, end, tender in currencies:
            if end is None and tender and (symbol := local.get(code)):
                symbols.setdefault(symbol, set()).add(code)
    return symbols


# The forms `cldr_forms` derives from CLDR: (file, the package that decides it)
CLDR_FORMS = ("cldr_currency_forms.json", ("babel",))


@lru_cache(maxsize=1)
def cldr_forms() -> tuple[CldrForm, ...]:
    """English names and unambiguous symbols of the currencies in use today (derived from CLDR
    at a cost of 0.3 s, so read from a file while Babel is the version it was written for:
    pipeline.normalize.derived)."""
    return tuple(CldrForm(*form) for form in derived_table(*CLDR_FORMS, cldr_forms_now))


def cldr_forms_now() -> list[tuple[str, str, str]]:
    """`cldr_forms` from Babel's CLDR data, as (surface, code, position)."""
    from babel import Locale
    from babel.numbers import get_currency_name

    english = Locale("en")
    forms: list[CldrForm] = []
    for code in sorted(current_codes()):
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en")
            if " " in name:  # `Russian rubles` says the country; a bare `rubles` is the table's
                forms.append(CldrForm(name, code, "suffix"))
            if name.endswith((" dollar", " dollars")):  # wire copy's `Jamaican dlrs`, `dlrs Canadian`
                qualifier, word = name.rsplit(" ", 1)[0], "dlrs" if count == 2 else "dlr"
                forms += [CldrForm(f"{qualifier} {word}", code, "suffix"), CldrForm(f"{word} {qualifier}", code, "suffix")]
    forms += _dollars_by_country(english.territories)
    english_symbols: dict[str, set[str]] = {}
    for code, symbol in english.currency_symbols.items():
        if code in current_codes():
            english_symbols.setdefault(symbol, set()).add(code)
    for symbols, pattern in ((english_symbols, _ENGLISH_SYMBOL), (_local_symbols(), _LOCAL_SYMBOL)):
        for symbol, codes in symbols.items():
            if len(codes) == 1 and _symbol(pattern, symbol):
                forms.append(CldrForm(symbol, next(iter(codes)), "both"))
    for symbol, codes in english_symbols.items():  # `AUD$ 15`, `NZD$15`: the code glued to its dollar sign
        forms += [CldrForm(f"{code}$", code, "prefix") for code in sorted(codes) if symbol.endswith("$")]
    return [(form.surface, form.code, form.position) for form in dict.fromkeys(forms)]


_COUNTRY = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*")


def _dollars_by_country(countries: dict[str, str]) -> list[CldrForm]:
    """A dollar named by its country (`countries`: territory code -> English name), as wire copy
    writes it: `Jamaica dlrs`, `Jamaica dollars`; not the US dollar that other countries also use
    (`Zimbabwe dlrs` were the Zimbabwean dollar)."""
    from babel.core import get_global
    from babel.numbers import get_currency_name

    forms = []
    for territory, currencies in sorted(get_global("territory_currencies").items()):
        country = countries.get(territory, "")
        for code, _start, end, tender in currencies:
            if end is None and tender and code != "USD" and _COUNTRY.fullmatch(country) \
                    and get_currency_name(code, locale="en").lower().endswith(" dollar"):
                forms += [CldrForm(f"{country} {word}", code, "suffix") for word in ("dollars", "dollar", "dlrs", "dlr")]
    return forms
