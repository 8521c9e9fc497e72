"""Load the gold set and check it against the guidelines' contract.

Gold is JSONL, one `{"id", "text", "meta", "spans"}` line per document, self-contained like
Prodigy's and doccano's exports: a directory holds one `<id>.jsonl` per article, or one file
holds many lines. Every line goes through the shared input check (pipeline.validate: unique ids,
ISO `meta.dct`, no NUL). `load_gold` also checks each span as `validate_gold` does (offsets inside
the text, span text equal to the offsets, value objects), so `score` never scores against spans
that `validate-gold` rejects; `validate_gold` further checks corpus identity, overlaps and
boilerplate, reporting every problem as one line so an annotator can fix them all in one pass.
Predictions are read record by record (`load_predictions`): a bad one is reported and left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.read import JsonLine, json_lines
from pipeline.schema import LABELS, VALUE_MODELS, Document, ReadError
from pipeline.validate import InputCheck, dct_problem, iso_date, offset_problems, span_where, without_bom

GOLD_KEYS = frozenset({"id", "text", "meta", "spans"})
SPAN_KEYS = frozenset({"start", "end", "label", "text", "value"})
_CURRENCY = re.compile(r"^[A-Z]{3}$")

SEALED_MARK = "SEALED"

BoilerplateFn = Callable[[str], list[tuple[int, int]]]


class GoldError(ValueError):
    """A gold or prediction file that cannot be read as documents; the message says where."""


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
    """The lines of every gold file, read as every command reads JSONL (pipeline.read.json_lines)."""
    for file in gold_files(path):
        yield from json_lines(file)


def _checked_documents(path: str | Path, check: InputCheck) -> Iterator[tuple[str, Document | ReadError, Any]]:
    """(where, document or why not, the line's object) for each line: the shared input check,
    then the Document model."""
    for line in iter_json_lines(path):
        if line.problem:
            yield line.where, ReadError(line.where, line.where, line.problem), None
            continue
        result = check.record(line.obj, line.where)
        if isinstance(result, ReadError):
            yield line.where, result, line.obj
            continue
        try:
            yield line.where, Document.model_validate(result), result
        except ValidationError as err:
            yield line.where, ReadError(result["id"], line.where, _first_error(err)), result


def _require_files(path: str | Path) -> None:
    files = gold_files(path)
    if not files or not all(f.exists() for f in files):
        raise GoldError(f"{path}: no such file, or a directory without *.jsonl files")


def load_documents(path: str | Path) -> list[Document]:
    """Documents of a JSONL file or directory, sorted by id; GoldError on the first bad line."""
    _require_files(path)
    docs = []
    for where, doc, _ in _checked_documents(path, InputCheck()):
        if isinstance(doc, ReadError):
            raise GoldError(f"{where}: {doc.reason}")
        docs.append(doc)
    return sorted(docs, key=lambda d: d.id)


def load_predictions(path: str | Path, check: InputCheck | None = None) -> tuple[list[Document], list[ReadError]]:
    """Predicted documents sorted by id, and the lines that are none (reported, left out of the
    scores: their gold documents count as missing, as for any document without a prediction)."""
    _require_files(path)
    docs, errors = [], []
    for _, doc, _ in _checked_documents(path, check or InputCheck()):
        (errors if isinstance(doc, ReadError) else docs).append(doc)
    return sorted(docs, key=lambda d: d.id), errors


def load_gold(path: str | Path) -> list[Document]:
    """Gold documents, each with its text, every span as `validate_gold` wants it.

    GoldError lists every problem: scores against spans past the text, or whose text is not
    what the offsets say, would be silently wrong."""
    _require_files(path)
    docs, problems = [], []
    for where, doc, obj in _checked_documents(path, InputCheck()):
        if isinstance(doc, ReadError):
            problems.append(f"{where}: {doc.reason}")
            continue
        if doc.text is None:
            problems.append(f"{where}: gold document {doc.id!r} has no text")
            continue
        problems += [f"{where}: {span_where(span)}: {problem}"
                     for span in obj.get("spans") or [] for problem in span_problems(span, doc.text)]
        docs.append(doc)
    if problems:
        shown = "\n  ".join(problems[:20]) + (f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise GoldError(f"{path}: {len(problems)} problem(s) in the gold set (validate-gold lists them all):\n  {shown}")
    return sorted(docs, key=lambda d: d.id)


# --- validation -----------------------------------------------------------------------------

def _first_error(err: ValidationError) -> str:
    return "; ".join(_error_text(e) for e in err.errors())


def _error_text(error: dict) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    return f"{loc}: {error['msg']}" if loc else error["msg"]


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
                days[key] = iso_date(value[key])
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
    label, span_text = span.get("label"), span.get("text")
    if label not in LABELS:
        problems.append(f"unknown label {label!r} (expected one of {', '.join(LABELS)})")
    elif "value" in span:
        problems.extend(value_problems(label, span["value"]))
    problems.extend(offset_problems(span, text))
    if isinstance(span_text, str) and span_text != span_text.strip():
        problems.append("span text has outer whitespace")
    return problems


def _read_corpus_meta(corpus: Path) -> dict[str, dict]:
    path = corpus / "meta.jsonl"
    if not path.exists():
        return {}
    entries = {}
    for line in json_lines(path):  # a bad line is the extractor's error, not this check's
        if isinstance(line.obj, dict) and isinstance(line.obj.get("id"), str):
            entries[line.obj["id"]] = line.obj
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
            corpus_text = without_bom(corpus_file.read_bytes().decode("utf-8"))  # as the extractor reads it
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
        if dct_problem(meta["dct"]):
            problems.append(dct_problem(meta["dct"]))  # the words of every command's input check
        if doc_id in corpus_meta and corpus_meta[doc_id].get("dct") != meta["dct"]:
            problems.append(f"meta.dct {meta['dct']!r} differs from corpus/meta.jsonl "
                            f"({corpus_meta[doc_id].get('dct')!r}), which the extractor uses")
    if not isinstance(spans, list):
        return problems + ["spans is not a list"]
    ranges = boilerplate(text)
    checked = []
    for span in spans:
        own = span_problems(span, text)
        problems.extend(f"{span_where(span)}: {p}" for p in own)
        if own:
            continue
        checked.append(span)
        for b_start, b_end in ranges:
            if span["start"] < b_end and b_start < span["end"]:
                problems.append(f"{span_where(span)}: falls in boilerplate "
                                f"{b_start}-{b_end} {text[b_start:b_end][:60]!r}")
                break
    in_order = sorted(checked, key=lambda s: (s["start"], s["end"]))
    if in_order != checked:
        problems.append("spans are not sorted by start")
    previous = None
    for span in in_order:
        if previous is not None and span["start"] < previous["end"]:
            problems.append(f"{span_where(span)}: overlaps {span_where(previous)}")
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
