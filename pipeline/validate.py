"""One check of every input document, shared by `extract`, `load`, `export` and `score`.

Each command used to check its input its own way, so the same document passed one and sank
another. Now every document, an article `extract` reads or a record the others read, goes through
one `InputCheck`, and a document that fails becomes an error of its own (never the whole batch's):

- **ids are unique.** A second document with an id already seen is an error naming the first
  occurrence; the first one wins, so a stream is judged at once, without reading ahead.
- **`meta.dct` is an ISO calendar date (`YYYY-MM-DD`) or null.** Otherwise the document is an
  error; with `lenient_meta` its dct is read as null instead, and a warning says so.
- **A byte-order mark is not text.** A leading U+FEFF is dropped from a file, from each JSONL line
  (pipeline.read) and from an article's text, so it never shifts offsets or joins a span.
- **NUL makes a document binary**, whether it came as a byte in a file or as `\\u0000` in JSON:
  one reason, `NUL_REASON`, in every input form.
- **Spans lie inside their text.** A record that carries its text (gold) has spans within it whose
  `text` is `text[start:end]` (what `validate-gold` checks); one that carries `meta.n_chars` has
  no span past it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.schema import Article, ReadError, ReadResult

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
NUL_REASON = "binary (contains NUL characters)"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def without_bom(text: str) -> str:
    return text[1:] if text.startswith(BOM) else text


def iso_date(value: Any) -> dt.date | None:
    """The date of a strict `YYYY-MM-DD` string naming a real calendar day, else None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # 2021-02-30
        return None


def dct_problem(value: Any) -> str | None:
    if value is None or iso_date(value) is not None:
        return None
    return f"meta.dct {value!r} is not an ISO date (YYYY-MM-DD) or null"


def offset_problems(span: dict, text: str) -> list[str]:
    """Offsets inside `text` (integers, start < end) and a span text equal to `text[start:end]`."""
    start, end, span_text = span.get("start"), span.get("end"), span.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and not isinstance(end, bool) and 0 <= start < end <= len(text)):
        return [f"bad offsets {start!r}-{end!r} (text has {len(text)} characters)"]
    if text[start:end] != span_text:
        return [f"text {span_text!r} does not match text[{start}:{end}] = {text[start:end]!r}"]
    return []


def span_where(span: Any) -> str:
    """How problems name a span: `span 0-9 ORG 'Acme Corp'`."""
    if not isinstance(span, dict):
        return "span"
    return f"span {span.get('start')}-{span.get('end')} {span.get('label')} {span.get('text')!r}"


def _span_bound_problems(record: dict) -> list[str]:
    spans = record.get("spans")
    if not isinstance(spans, list):
        return []
    text, n_chars = record.get("text"), (record.get("meta") or {}).get("n_chars")
    problems = []
    for span in spans:
        if not isinstance(span, dict):
            continue  # the record schema says what is wrong with it
        where = span_where(span)
        if isinstance(text, str):
            problems += [f"{where}: {p}" for p in offset_problems(span, text)]
        elif isinstance(n_chars, int) and isinstance(span.get("end"), int) and span["end"] > n_chars:
            problems.append(f"{where}: ends past the text's {n_chars} characters")
    return problems


@dataclass
class InputCheck:
    """The check of one run's (or one file's) documents; it remembers the ids it has seen.

    `article` checks what `extract` reads, `record` what `load`, `export` and `score` read; both
    return the document (possibly cleaned: BOM dropped, a lenient dct nulled) or a ReadError.
    """

    lenient_meta: bool = False
    warnings: list[str] = field(default_factory=list)
    first_seen: dict[str, str] = field(default_factory=dict)  # id -> where it was first seen

    def _duplicate(self, doc_id: str, where: str) -> str | None:
        if doc_id in self.first_seen:
            return f"duplicate id {doc_id!r} (first at {self.first_seen[doc_id]})"
        self.first_seen[doc_id] = where
        return None

    def _meta(self, meta: dict, where: str) -> tuple[dict, str | None]:
        problem = dct_problem(meta.get("dct"))
        if problem is None:
            return meta, None
        if self.lenient_meta:
            self.warnings.append(f"{where}: {problem}; read as null (--lenient-meta)")
            return {**meta, "dct": None}, None
        return meta, problem

    def article(self, result: ReadResult, where: str) -> ReadResult:
        duplicate = self._duplicate(result.id, where)  # a document that failed to read takes its id too
        if isinstance(result, ReadError):
            return result
        if duplicate:
            return ReadError(result.id, where, duplicate)
        text = without_bom(result.text)
        if "\x00" in text:
            return ReadError(result.id, where, NUL_REASON)
        if not text.strip():
            return ReadError(result.id, where, "empty text")
        meta, problem = self._meta(result.meta, where)
        if problem:
            return ReadError(result.id, where, problem)
        return result if (text, meta) == (result.text, result.meta) else Article(result.id, text, meta)

    def record(self, record: Any, where: str) -> dict | ReadError:
        """An output or gold record; its text keeps a BOM (offsets count it), the file's is dropped."""
        if not isinstance(record, dict):
            return ReadError(where, where, "expected a JSON object")
        doc_id = record.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            return ReadError(where, where, 'expected a non-empty string "id"')
        duplicate = self._duplicate(doc_id, where)
        if duplicate:
            return ReadError(doc_id, where, duplicate)
        if record.get("errors"):
            return record  # an error record: its document was reported when it was made
        if isinstance(record.get("text"), str) and "\x00" in record["text"]:
            return ReadError(doc_id, where, NUL_REASON)
        meta = record.get("meta")
        if isinstance(meta, dict):
            checked, problem = self._meta(meta, where)
            if problem:
                return ReadError(doc_id, where, problem)
            if checked is not meta:
                record = {**record, "meta": checked}
        problems = _span_bound_problems(record)
        if problems:
            return ReadError(doc_id, where, "; ".join(problems))
        return record
