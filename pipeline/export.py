"""Flat exports of the records through pandas: JSONL, CSV and Parquet, readable back typed.

`write_table` writes the rows of `records.to_dataframe`; `read_table` reads a file back into
the same typed frame, so an export round-trips (the tests compare frames). What each format
keeps: Parquet the types themselves; JSONL numbers at full precision (written with `json`,
pandas' own writer rounds floats to 10 digits) and dates as `YYYY-MM-DD`; CSV everything as text,
with the caveat that an empty string and a null are the same empty cell.

CSV cells are escaped against formula injection (OWASP, "CSV Injection"): a text cell that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) is
written with a leading `'`. A cell that already starts with `'` before such a character gets one
more, so `read_table` takes exactly one off and the export still round-trips.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from pipeline.records import Table, typed_frame

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[str, ...] = get_args(Format)


def format_for(path: str | Path) -> Format:
    """The export format a file name asks for (`.jsonl`, `.csv`, `.parquet`)."""
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format of {path}: use --format {'|'.join(FORMATS)}")
    return suffix  # type: ignore[return-value]


def _plain(value):
    """A cell as JSON: <NA>/NaT -> null, timestamps -> ISO text, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value.tzinfo is None else value.isoformat().replace("+00:00", "Z")
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(cell):
    """A text cell a spreadsheet would not run: `'` before a formula start (see the module doc)."""
    return "'" + cell if isinstance(cell, str) and cell.lstrip("'").startswith(FORMULA_START) else cell


def unescape_formula(cell):
    return cell[1:] if isinstance(cell, str) and cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START) \
        else cell


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """`frame` as CSV with its text cells escaped against formula injection."""
    text_columns = frame.select_dtypes(include=["string", "object"]).columns
    safe = frame.copy()
    for name in text_columns:
        safe[name] = frame[name].astype(object).map(escape_formula)
    safe.to_csv(path, index=False)


def write_table(frame: pd.DataFrame, path: str | Path, fmt: Format) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    elif fmt == "csv":
        write_csv(frame, path)
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for row in frame.astype(object).itertuples(index=False, name=None):
                handle.write(json.dumps(dict(zip(frame.columns, map(_plain, row))), ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return path


def read_table(path: str | Path, fmt: Format, table: Table = "mentions") -> pd.DataFrame:
    """An export read back as the typed frame it was written from."""
    if fmt == "parquet":
        frame = pd.read_parquet(path)
    elif fmt == "csv":
        # Every cell as text, only the empty cell is null: "NA", "null" or "None" in an article stay text.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        frame = frame.astype(object).map(unescape_formula)
    elif fmt == "jsonl":
        if not Path(path).read_text(encoding="utf-8").strip():
            return typed_frame([], table)
        frame = pd.read_json(path, lines=True, dtype=False, precise_float=True)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return typed_frame(frame, table)
