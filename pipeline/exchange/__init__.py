"""Gold out to annotation tools and back: spaCy DocBin, Label Studio, Prodigy and doccano.

One module per tool (`docbin`, `labelstudio`, `prodigy`, `doccano`), each a pair of pure
functions between a gold line and the tool's object; `base` holds what they share. Here: the
files. `export_file` writes a tool's file from gold lines, `import_file` reads one back into gold
lines, `write_gold` writes them as gold (a directory of `<id>.jsonl`, or one JSONL file).
gold -> tool -> gold gives back the same lines: ids, texts, meta, offsets, labels and values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pipeline.atomic import atomic_file, write_atomically
from pipeline.exchange.base import Exported, GoldLine, Imported, Misaligned, jsonl
from pipeline.read import json_lines

ExchangeFormat = Literal["docbin", "labelstudio", "prodigy", "doccano"]
FORMATS: tuple[str, ...] = ("docbin", "labelstudio", "prodigy", "doccano")

__all__ = ["FORMATS", "ExchangeFormat", "Exported", "GoldLine", "Imported", "Misaligned", "export_file",
           "export_lines", "import_file", "write_gold"]


def export_lines(lines: list[GoldLine], fmt: ExchangeFormat) -> tuple[str | bytes, Exported]:
    """The tool file's content, and what was exported (with the misaligned spans)."""
    if fmt == "docbin":
        from pipeline.exchange.docbin import export_docbin

        exported = export_docbin(lines)
        return exported.items[0], exported
    if fmt == "labelstudio":
        from pipeline.exchange.labelstudio import dumps_tasks, export_labelstudio

        exported = export_labelstudio(lines)
        return dumps_tasks(exported), exported
    if fmt == "prodigy":
        from pipeline.exchange.prodigy import export_prodigy

        exported = export_prodigy(lines)
        return jsonl(exported.items), exported
    if fmt == "doccano":
        from pipeline.exchange.doccano import export_doccano

        exported = export_doccano(lines)
        return jsonl(exported.items), exported
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def export_file(lines: list[GoldLine], fmt: ExchangeFormat, out: Path) -> Exported:
    content, exported = export_lines(lines, fmt)
    if isinstance(content, bytes):
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(out) as handle:
            handle.buffer.write(content)
    else:
        write_atomically(out, [content])
    return exported


def _json_objects(path: Path) -> tuple[list[tuple[str, dict]], list[str]]:
    """(where, object) of each line of a JSONL file, and the lines that are no JSON object."""
    objects, problems = [], []
    for line in json_lines(path):
        if line.problem and line.lineno == 0:
            raise OSError(f"{path}: {line.problem}")
        if line.problem or not isinstance(line.obj, dict):
            problems.append(f"{line.where}: {line.problem or 'not a JSON object'}")
        else:
            objects.append((line.where, line.obj))
    return objects, problems


def import_file(path: Path, fmt: ExchangeFormat, use_predictions: bool = False) -> Imported:
    """Gold lines from a tool's file; OSError or ValueError when the file is none of that format."""
    if fmt == "docbin":
        from pipeline.exchange.docbin import import_docbin

        return import_docbin(path.read_bytes(), str(path))
    if fmt == "labelstudio":
        from pipeline.exchange.labelstudio import import_labelstudio

        return import_labelstudio(json.loads(path.read_text(encoding="utf-8-sig")), str(path), use_predictions)
    objects, problems = _json_objects(path)
    if fmt == "prodigy":
        from pipeline.exchange.prodigy import import_prodigy

        imported = import_prodigy(objects)
    elif fmt == "doccano":
        from pipeline.exchange.doccano import import_doccano

        imported = import_doccano(objects)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    imported.problems = problems + imported.problems
    return imported


def gold_file_line(line: GoldLine) -> str:
    """A gold line as the gold files hold it (UTF-8 JSON, one line)."""
    return json.dumps(line, ensure_ascii=False) + "\n"


def write_gold(lines: list[GoldLine], out: Path) -> list[Path]:
    """`out.jsonl`: one file of all lines; any other path: a directory of `<id>.jsonl` files, one
    line each, as gold/dev. Lines sorted by id; ValueError for an id that names no file."""
    lines = sorted(lines, key=lambda line: line["id"])
    if out.suffix == ".jsonl":
        write_atomically(out, [gold_file_line(line) for line in lines])
        return [out]
    bad = [line["id"] for line in lines if not line["id"] or "/" in line["id"] or "\\" in line["id"]
           or line["id"].startswith(".")]
    if bad:
        raise ValueError(f"ids that name no file in {out}: {', '.join(map(repr, bad))} (write one .jsonl file)")
    written = []
    for line in lines:
        path = out / f"{line['id']}.jsonl"
        write_atomically(path, [gold_file_line(line)])
        written.append(path)
    return written
