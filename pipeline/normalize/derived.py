"""Tables derived from other packages' data (quantulum3's units, CLDR's currencies, GeoNames'
places), kept as files.

Deriving them at load costs seconds (quantulum3 builds inflect's engine, Babel reads every
locale); the data only changes with those packages' versions. So the derived table is written
to `pipeline/patterns/` with the versions it was derived from and read from there while they are
the installed ones; otherwise it is derived anew, the same as before. Rewrite the files after an
upgrade with `python -m pipeline.normalize.derived` (a test checks they are current).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pipeline.config import PATTERNS_DIR


def package_versions(*packages: str) -> dict[str, str]:
    return {package: version(package) for package in packages}


def derived_table(name: str, packages: tuple[str, ...], derive: Callable[[], Any]) -> Any:
    """`derive()`, or the same data from `PATTERNS_DIR / name` when the file was written for the
    installed versions of `packages`."""
    path = PATTERNS_DIR / name
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved["versions"] == package_versions(*packages):
            return saved["data"]
    return derive()


def write_derived_table(name: str, packages: tuple[str, ...], data: Any, directory: Path = PATTERNS_DIR) -> None:
    saved = {"versions": package_versions(*packages), "data": data}
    (directory / name).write_text(json.dumps(saved, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    from pipeline.gazetteer import NATION_NAMES, PLACE_NAMES, nation_names_now, place_names_now
    from pipeline.normalize.cldr_currencies import CLDR_FORMS, cldr_forms_now
    from pipeline.normalize.quantity import QUANTULUM_SURFACES, quantulum_surfaces_now

    for table, derive in ((CLDR_FORMS, cldr_forms_now), (QUANTULUM_SURFACES, quantulum_surfaces_now),
                          (PLACE_NAMES, place_names_now), (NATION_NAMES, nation_names_now)):
        write_derived_table(*table, derive())
