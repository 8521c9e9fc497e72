"""QUANTITY values: amount, unit as quantulum3 names it, and the same measure in SI units.

`95-square-kilometer` -> 95 square kilometre = 95000000 m^2; `60 kilos` -> 60 kilogram = 60 kg;
`6.6km` -> 6.6 kilometre = 6600 m. quantulum3 is the unit resolver: the surfaces and symbols of
a unit (plurals included) come from its unit table, so unit names are quantulum3's. Which units
count as news quantities, a few extra spellings, and the SI factors (quantulum3 has none) are
our table `pipeline/patterns/units.csv`; units quantulum3 lacks (`mu`, `megawatt hour`) are
marked `custom` there. What is a quantity at all is decided by the span rules, not here.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from pipeline.normalize.derived import derived_table
from pipeline.normalize.numbers import amount_text_problem, Result, TableError, load_table, parse_amount, split_modifier
from pipeline.schema import QuantityValue

Source = Literal["quantulum3", "custom"]


@dataclass(frozen=True)
class Unit:
    name: str  # quantulum3's name: singular, British spelling
    si_factor: Decimal
    si_unit: str
    si_offset: Decimal  # for temperatures: SI = amount * factor + offset
    source: Source

    def to_si(self, amount: float) -> float:
        return float(Decimal(str(amount)) * self.si_factor + self.si_offset)


@dataclass(frozen=True)
class UnitLexicon:
    units: dict[str, Unit]
    exact: dict[str, str]  # case-sensitive surface (symbols: `km`, `MW`, `m`) -> unit name
    folded: dict[str, str]  # lower-cased surface (names: `square kilometres`) -> unit name
    span_excluded: frozenset[str]  # read when given, never what makes a span (`pounds`: sterling?)

    def resolve(self, surface: str) -> Unit | None:
        key = normalize_surface(surface)
        name = self.exact.get(key) or self.folded.get(key.lower())
        return self.units.get(name) if name else None

    def pattern(self, for_spans: bool = True) -> str:
        """Regex of every unit surface, longest first: the alternation of `forms`."""
        return "|".join(self.forms(for_spans))

    def forms(self, for_spans: bool = True) -> list[str]:
        """A regex per unit surface, longest first; words may be joined by spaces or hyphens.

        For finding spans, one-character symbols (`m`, `g`, `C`) only count glued to digits
        (`10,500m`, `-3C`) and `span_exclude` surfaces not at all; a text already known to be
        a quantity may write them apart (`1 m`, `25 pounds`).
        """
        parts = []
        for surface, folded in sorted([(s, False) for s in self.exact] + [(s, True) for s in self.folded],
                                      key=lambda item: (-len(item[0]), item[0])):  # ties by text: a fixed order
            if for_spans and surface.lower() in self.span_excluded:
                continue
            body = r"[\s\-\u2010\u2011]+".join(re.escape(word) for word in surface.split(" "))
            if folded:
                body = f"(?i:{body})"
            elif len(surface) == 1 and for_spans:
                body = f"(?<=[0-9]){body}"
            parts.append(body)
        return parts


def normalize_surface(surface: str) -> str:
    """`square-kilometer`, `square  kilometres` -> single spaces, so hyphenated forms resolve."""
    return re.sub(r"[\s\-\u2010\u2011]+", " ", surface.strip())


# quantulum3's surfaces of every unit as `unit_lexicon` reads them: (file, the packages that decide it)
QUANTULUM_SURFACES = ("quantulum_surfaces.json", ("quantulum3", "inflect"))  # it makes plurals with inflect
SurfaceSets = dict[str, tuple[frozenset[str], frozenset[str]]]


def _quantulum_units():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import load

        return load.units("en_US")


def quantulum_surfaces_now() -> dict[str, dict[str, list[str]]]:
    """Every quantulum3 unit's names (plurals included, over 3 characters) and symbols, from
    quantulum3 itself (about 2 s: it builds inflect's engine)."""
    q3 = _quantulum_units()
    long_surfaces = [(surface, found) for surface, found in q3.surfaces_all.items() if len(surface) > 3]
    return {name: {"names": sorted(s for s, found in long_surfaces if unit in found),
                   "symbols": sorted(set(unit.symbols) | {s for s in unit.surfaces if len(s) <= 3})}
            for name, unit in sorted(q3.names.items())}


@lru_cache(maxsize=1)
def quantulum_surfaces() -> SurfaceSets:
    """Unit name -> (names, symbols) as quantulum3 gives them (pipeline.normalize.derived)."""
    data = derived_table(*QUANTULUM_SURFACES, quantulum_surfaces_now)
    return {name: (frozenset(sets["names"]), frozenset(sets["symbols"])) for name, sets in data.items()}


@lru_cache(maxsize=1)
def unit_lexicon() -> UnitLexicon:
    rows = load_table("units.csv", ("unit", "source", "si_factor", "si_unit", "si_offset", "aliases", "exclude",
                                    "span_exclude"))
    q3 = quantulum_surfaces()
    units: dict[str, Unit] = {}
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    span_excluded: set[str] = set()
    for row in rows:
        name, source = row["unit"], row["source"]
        if source not in ("quantulum3", "custom"):
            raise TableError(f"units.csv: unknown source {source!r} for {name!r}")
        if source == "quantulum3" and name not in q3:
            raise TableError(f"units.csv: {name!r} is not a quantulum3 unit name")
        try:
            unit = Unit(name, Decimal(row["si_factor"]), row["si_unit"], Decimal(row["si_offset"]), source)  # type: ignore[arg-type]
        except InvalidOperation as err:
            raise TableError(f"units.csv: bad number for {name!r}") from err
        units[name] = unit
        excluded = set(filter(None, row["exclude"].split("|")))
        span_excluded |= {normalize_surface(x).lower() for x in row["span_exclude"].split("|") if x}
        names: set[str] = set()
        symbols: set[str] = set()
        if source == "quantulum3":
            # Names with the plurals quantulum3 generates; symbols exactly as it lists them
            # (its lower-cased symbol variants would make `5k` kelvin and `20c` Celsius).
            names |= q3[name][0]
            symbols |= q3[name][1]
        for alias in filter(None, row["aliases"].split("|")):
            (names if len(alias) > 3 and alias[:1].isalpha() and alias.lower() != alias.upper() else symbols).add(alias)
        for surface in names - excluded:
            folded.setdefault(normalize_surface(surface).lower(), name)
        for surface in symbols - excluded:
            exact.setdefault(normalize_surface(surface), name)
    return UnitLexicon(units, exact, folded, frozenset(span_excluded))


@lru_cache(maxsize=1)
def _unit_at_end() -> re.Pattern[str]:
    return re.compile(r"(?:(?<=[0-9\s\-\u2010\u2011])|^)(?:" + unit_lexicon().pattern(for_spans=False) + r")$")


def split_unit(text: str) -> tuple[str, str] | None:
    """(amount text, unit surface) with the longest unit surface that ends the text."""
    found = _unit_at_end().search(text)
    if found is None or found.start() == 0:
        return None
    return text[:found.start()].rstrip(" -\u2010\u2011\t\n"), found.group(0)


# `5 feet 2 inches`, `6ft 2in`, `12 pounds and 3 ounces`: one measure in a unit and its sub-unit.
_COMPOUND = re.compile(r"(?P<major>.+?[A-Za-z.])\s+(?:(?i:and)\s+)?(?P<minor>[0-9][0-9.,]*\s*[A-Za-z.]+|[a-z-]+\s+[a-z.]+)")


def _compound(text: str) -> Result[QuantityValue] | None:
    """A measure written in a unit and a smaller unit of the same kind, in the larger unit."""
    parts = _COMPOUND.fullmatch(text.strip())
    if parts is None:
        return None
    minor_text = re.sub(r"(?<=[0-9\s])in\.?$", "inch", parts["minor"])  # `2in` after feet: not the preposition
    major, minor = parse_quantity(parts["major"]).value, parse_quantity(minor_text).value
    if major is None or minor is None or major.amount_max is not None or minor.amount_max is not None \
            or major.si_unit != minor.si_unit or not 0 < minor.si_amount < major.si_amount / major.amount:
        return None
    si = major.si_amount + minor.si_amount
    return Result(major.model_copy(update={"amount": si / (major.si_amount / major.amount), "si_amount": si}))


def parse_quantity(text: str) -> Result[QuantityValue]:
    if problem := amount_text_problem(text):
        return Result.fail(problem)
    if (compound := _compound(text)) is not None:
        return compound
    modifier, rest = split_modifier(text.strip())
    parts = split_unit(rest)
    if parts is None:
        return Result.fail("no known unit")
    amount_text, surface = parts
    unit = unit_lexicon().resolve(surface)
    if unit is None:  # pragma: no cover - split_unit only returns surfaces of the lexicon
        return Result.fail("no known unit")
    amount = parse_amount(_without_repeated_unit(amount_text, unit))
    if amount.value is None:
        return Result.fail(f"amount: {amount.reason}")
    if amount.value.modifier is not None:
        return Result.fail("modifier inside the amount")
    low, high = amount.value.low, amount.value.high
    return Result(QuantityValue(amount=low, amount_max=high, unit=unit.name, modifier=modifier,
                                si_amount=unit.to_si(low), si_unit=unit.si_unit))


@lru_cache(maxsize=1)
def _unit_before_range_link() -> re.Pattern[str]:
    return re.compile(r"(?<=[0-9a-z])\s*(?P<unit>" + unit_lexicon().pattern(for_spans=False)
                      + r")(?=\s*(?:-|\u2013|\u2014|to\s|and\s))")


def _without_repeated_unit(amount_text: str, unit: Unit) -> str:
    """`20 km to 30` of `20 km to 30 km`, `one gigabyte and 30`: a range may write its unit after
    the low end too; taken out when it is the same unit."""
    found = _unit_before_range_link().search(amount_text)
    if found is None or unit_lexicon().resolve(found.group("unit")) != unit:
        return amount_text
    return amount_text[:found.start()] + amount_text[found.end():]


def quantity_value(text: str) -> QuantityValue | None:
    """QUANTITY value of a span's text, or None when no known unit follows an amount."""
    return parse_quantity(text).value

