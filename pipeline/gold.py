"""Load the gold set and check it against the guidelines' contract.

Gold is JSONL, one `{"id", "text", "meta", "spans"}` line per document, self-contained like
Prodigy's and doccano's exports: a directory holds one `<id>.jsonl` per article, or one file
holds many lines. Loading checks the schema only; `validate_gold` also checks what scoring
silently depends on (offsets, corpus identity, no overlaps, nothing in boilerplate), reporting
every problem as one line so an annotator can fix them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.schema import LABELS, VALUE_MODELS, Document

GOLD_KEYS = frozenset({"id", "text", "meta", "spans"})
SPAN_KEYS = frozenset({"start", "end", "label", "text", "value"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

SEALED_MARK = "SEALED"

BoilerplateFn = Callable[[str], list[tuple[int, int]]]


class GoldError(ValueError):
    """A gold or prediction file that cannot be read as documents; the message says where."""


@dataclass(frozen=True)
class JsonLine:
    """One non-blank line of a JSONL file: where it is, and its object (or why it is not one)."""

    path: Path
    lineno: int
    obj: Any = None
    problem: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.lineno}"


def gold_files(path: str | Path) -> list[Path]:
    """A directory's `*.jsonl` files, its sub-folders' included (`gold/` is `gold/dev/` plus
    `gold/test/`), sorted; or the file itself."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*.jsonl") if p.is_file())
    return [path]


def sealed_ids(path: str | Path) -> set[str]:
    """Ids of the documents in folders marked with a `SEALED` file: held-out test gold, whose
    per-span errors nobody may read (reading them would turn test data into development data)."""
    sealed = set()
    for file in gold_files(path):
        if any((folder / SEALED_MARK).exists() for folder in file.parents):
            sealed |= {line.obj["id"] for line in iter_json_lines(file)
                       if isinstance(line.obj, dict) and isinstance(line.obj.get("id"), str)}
    return sealed


def iter_json_lines(path: str | Path) -> Iterator[JsonLine]:
    for file in gold_files(path):
        try:
            raw = file.read_bytes()
        except OSError as err:
            yield JsonLine(file, 0, problem=f"cannot read: {err.strerror}")
            continue
        try:
            content = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield JsonLine(file, 0, problem=f"not UTF-8 (byte offset {err.start})")
            continue
        # Split on "\n" only: str.splitlines() would also split inside JSON strings on U+2028.
        for lineno, line in enumerate(content.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield JsonLine(file, lineno, json.loads(line))
            except json.JSONDecodeError as err:
                yield JsonLine(file, lineno, problem=f"malformed JSON: {err.msg} (column {err.colno})")


def _document(line: JsonLine) -> Document:
    if line.problem:
        raise GoldError(f"{line.where}: {line.problem}")
    try:
        return Document.model_validate(line.obj)
    except ValidationError as err:
        raise GoldError(f"{line.where}: {_first_error(err)}") from err


def load_documents(path: str | Path) -> list[Document]:
    """Documents of a JSONL file or directory (gold or predictions), sorted by id.

    Raises GoldError on the first unreadable line or duplicated id: scoring against a file
    that is half read would report numbers for the wrong set of documents.
    """
    files = gold_files(path)
    if not files or not all(f.exists() for f in files):
        raise GoldError(f"{path}: no such file, or a directory without *.jsonl files")
    docs: dict[str, Document] = {}
    for line in iter_json_lines(path):
        doc = _document(line)
        if doc.id in docs:
            raise GoldError(f"{line.where}: duplicate document id {doc.id!r}")
        docs[doc.id] = doc
    return [docs[k] for k in sorted(docs)]


def load_gold(path: str | Path) -> list[Document]:
    """Gold documents; unlike predictions, each must carry its text (contexts, rendering)."""
    docs = load_documents(path)
    for doc in docs:
        if doc.text is None:
            raise GoldError(f"{path}: gold document {doc.id!r} has no text")
    return docs


# --- validation -----------------------------------------------------------------------------

def _first_error(err: ValidationError) -> str:
    return "; ".join(_error_text(e) for e in err.errors())


def _error_text(error: dict) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    return f"{loc}: {error['msg']}" if loc else error["msg"]


def _iso_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def value_problems(label: str, value: Any) -> list[str]:
    """Schema of a gold value (strict: JSON numbers, exact keys) plus sanity the schema cannot
    express: ISO 4217-shaped currency, calendar dates with start <= end, low end <= high end."""
    if value is None:
        return ["value is missing (gold values are never null)"]
    try:
        VALUE_MODELS[label].model_validate(value, strict=True)
    except ValidationError as err:
        return [f"value.{_error_text(e)}" for e in err.errors()]
    problems = []
    if label == "MONEY" and not _CURRENCY.match(value["currency"]):
        problems.append(f"value.currency {value['currency']!r} is not an ISO 4217 code")
    if label == "DATE":
        days = {}
        for key in ("start", "end"):
            if value[key] is not None:
                days[key] = _iso_date(value[key])
                if days[key] is None:
                    problems.append(f"value.{key} {value[key]!r} is not a YYYY-MM-DD date")
        if days.get("start") and days.get("end") and days["start"] > days["end"]:
            problems.append(f"value.start {value['start']} is after value.end {value['end']}")
    amount, amount_max = value.get("amount"), value.get("amount_max")
    if amount is not None and amount_max is not None and amount_max < amount:
        problems.append(f"value.amount_max {amount_max} is below value.amount {amount}")
    return problems


def key_problems(obj: dict, expected: set[str]) -> list[str]:
    missing, unknown = expected - set(obj), set(obj) - expected
    return ([f"missing keys {sorted(missing)}"] if missing else []) + \
        ([f"unknown keys {sorted(unknown)}"] if unknown else [])


def span_problems(span: Any, text: str) -> list[str]:
    """Problems of one gold span dict against its document text."""
    if not isinstance(span, dict):
        return ["span is not an object"]
    problems = key_problems(span, SPAN_KEYS)
    start, end, label, span_text = (span.get(k) for k in ("start", "end", "label", "text"))
    if label not in LABELS:
        problems.append(f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
    elif "value" in span:
        problems.extend(value_problems(label, span["value"]))
    offsets_ok = (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
                  and not isinstance(end, bool) and 0 <= start < end <= len(text))
    if not offsets_ok:
        problems.append(f"bad offsets {start!r}-{end!r} (text has {len(text)} characters)")
    elif text[start:end] != span_text:
        problems.append(f"text {span_text!r} does not match text[{start}:{end}] = {text[start:end]!r}")
    if isinstance(span_text, str) and span_text != span_text.strip():
        problems.append("span text has outer whitespace")
    return problems


def _span_where(span: Any) -> str:
    if not isinstance(span, dict):
        return "span"
    return f"span {span.get('start')}-{span.get('end')} {span.get('label')} {span.get('text')!r}"


def _read_corpus_meta(corpus: Path) -> dict[str, dict]:
    path = corpus / "meta.jsonl"
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            entry = json.loads(line)
            entries[entry["id"]] = entry
    return entries


def document_problems(obj: Any, corpus: Path, corpus_meta: dict[str, dict],
                      boilerplate: BoilerplateFn) -> list[str]:
    """Problems of one gold line (already parsed JSON), without its location prefix."""
    if not isinstance(obj, dict):
        return ["line is not a JSON object"]
    problems = key_problems(obj, GOLD_KEYS)
    doc_id, text, meta, spans = obj.get("id"), obj.get("text"), obj.get("meta"), obj.get("spans")
    if not isinstance(doc_id, str) or not doc_id:
        return problems + ["id is not a non-empty string"]
    if not isinstance(text, str):
        return problems + ["text is not a string"]
    corpus_file = corpus / f"{doc_id}.txt"
    if not corpus_file.exists():
        problems.append(f"id {doc_id!r} has no corpus file {corpus_file}")
    else:
        try:
            corpus_text = corpus_file.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            corpus_text = None
            problems.append(f"corpus file {corpus_file} unreadable: {err}")
        if corpus_text is not None and corpus_text != text:
            where = next((i for i, (a, b) in enumerate(zip(text, corpus_text)) if a != b),
                         min(len(text), len(corpus_text)))
            problems.append(f"text differs from {corpus_file} (first difference at offset {where})")
    if not isinstance(meta, dict):
        problems.append("meta is not an object")
    elif "dct" not in meta:
        problems.append("meta has no dct (null when unknown)")
    else:
        if meta["dct"] is not None and _iso_date(meta["dct"]) is None:
            problems.append(f"meta.dct {meta['dct']!r} is not a YYYY-MM-DD date")
        if doc_id in corpus_meta and corpus_meta[doc_id].get("dct") != meta["dct"]:
            problems.append(f"meta.dct {meta['dct']!r} differs from corpus/meta.jsonl "
                            f"({corpus_meta[doc_id].get('dct')!r}), which the extractor uses")
    if not isinstance(spans, list):
        return problems + ["spans is not a list"]
    ranges = boilerplate(text)
    checked = []
    for span in spans:
        own = span_problems(span, text)
        problems.extend(f"{_span_where(span)}: {p}" for p in own)
        if own:
            continue
        checked.append(span)
        for b_start, b_end in ranges:
            if span["start"] < b_end and b_start < span["end"]:
                problems.append(f"{_span_where(span)}: falls in boilerplate "
                                f"{b_start}-{b_end} {text[b_start:b_end][:60]!r}")
                break
    in_order = sorted(checked, key=lambda s: (s["start"], s["end"]))
    if in_order != checked:
        problems.append("spans are not sorted by start")
    previous = None
    for span in in_order:
        if previous is not None and span["start"] < previous["end"]:
            problems.append(f"{_span_where(span)}: overlaps {_span_where(previous)}")
        if previous is None or span["end"] > previous["end"]:
            previous = span
    return problems


def validate_gold(path: str | Path, corpus: str | Path = "corpus",
                  boilerplate: BoilerplateFn | None = None) -> list[str]:
    """Every problem of the gold set as `where: what` lines; an empty list means valid.

    `boilerplate` defaults to the extractor's own `boilerplate_ranges`, so gold and extractor
    agree on what is article content.
    """
    if boilerplate is None:
        from pipeline.boilerplate import boilerplate_ranges as boilerplate
    corpus = Path(corpus)
    files = gold_files(path)
    if not files or not all(f.exists() for f in files):
        return [f"{path}: no such file, or a directory without *.jsonl files"]
    if not corpus.is_dir():
        return [f"{corpus}: corpus directory not found"]
    corpus_meta = _read_corpus_meta(corpus)
    one_doc_per_file = Path(path).is_dir()
    problems: list[str] = []
    seen: dict[str, str] = {}
    for line in iter_json_lines(path):
        if line.problem:
            problems.append(f"{line.where}: {line.problem}")
            continue
        problems.extend(f"{line.where}: {p}" for p in
                        document_problems(line.obj, corpus, corpus_meta, boilerplate))
        doc_id = line.obj.get("id") if isinstance(line.obj, dict) else None
        if not isinstance(doc_id, str):
            continue
        if doc_id in seen:
            problems.append(f"{line.where}: duplicate id {doc_id!r} (first at {seen[doc_id]})")
        seen[doc_id] = line.where
        if one_doc_per_file and line.path.stem != doc_id:
            problems.append(f"{line.where}: id {doc_id!r} differs from the file name {line.path.name}")
    return problems
