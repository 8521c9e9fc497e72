"""Output records: processed docs -> one JSON object per document -> flat rows for tables.

The record schema (`schemas/record.schema.json`, JSON Schema 2020-12, version
RECORD_SCHEMA_VERSION) is the one definition of the shapes: the extractor's output line, and the
document and mention rows that DataFrames, exports and the database (pipeline/db.py) are made
of. The column order and types of the rows are read from it, so a column is added in one place.

Flattening is pure: a record goes in, plain dicts come out, and every value field of the
guidelines' value objects has a column of its own (null where the label does not have it).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pipeline.read import content_hash, json_lines
from pipeline.schema import Article, ReadError
from pipeline.validate import InputCheck

if TYPE_CHECKING:  # spaCy and pandas are heavy: only the functions that need them import them
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Doc

RECORD_SCHEMA_VERSION = "1.1.0"  # 1.1.0: span `source` (optional) and the mention column `source`
SCHEMA_FILE = "record.schema.json"

Table = Literal["mentions", "documents"]
ColumnType = Literal["string", "integer", "number", "date", "datetime"]
TABLES: tuple[Table, ...] = ("mentions", "documents")

RUN_KEYS = ("run_id", "extracted_at")  # what differs between two runs that made the same output

# Which key of each label's value object (guidelines, "Labels and values") fills which column.
VALUE_COLUMNS: dict[str, dict[str, str]] = {
    "ORG": {"canonical": "canonical"},
    "DATE": {"timex_type": "timex_type", "timex_value": "timex_value", "start": "date_start", "end": "date_end"},
    "MONEY": {"amount": "amount", "amount_max": "amount_max", "currency": "currency", "modifier": "modifier"},
    "PERCENT": {"amount": "amount", "amount_max": "amount_max", "unit": "unit", "modifier": "modifier"},
    "QUANTITY": {"amount": "amount", "amount_max": "amount_max", "unit": "unit", "modifier": "modifier",
                 "si_amount": "si_amount", "si_unit": "si_unit"},
    "CARDINAL": {"amount": "amount", "amount_max": "amount_max", "modifier": "modifier", "kind": "kind",
                 "counted": "counted"},
}
VALUE_FIELDS: tuple[str, ...] = (
    "amount", "amount_max", "currency", "unit", "si_amount", "si_unit", "modifier",
    "timex_type", "timex_value", "date_start", "date_end", "canonical", "counted", "kind",
)


# --- records, as the extractor writes them ---------------------------------------------------

def document_record(article: Article, doc: Doc) -> dict:
    """A processed article's record; a web page's carries its extracted text, which the span
    offsets index (a plain-text input's text is the input itself)."""
    meta = {**article.meta, "sha256": content_hash(article.text), "n_chars": len(article.text)}
    record = {"id": article.id, "meta": meta, "spans": list(doc._.mentions or [])}
    if article.meta.get("input_format") == "html":
        record["text"] = article.text
    return record


def with_provenance(record: dict, provenance: dict) -> dict:
    """The record with `provenance` added to its meta; an error record is returned as it is."""
    if record.get("errors"):
        return record
    return {**record, "meta": {**record["meta"], **provenance}}


def error_record(error: ReadError) -> dict:
    return {"id": error.id, "meta": {"source": error.source}, "spans": [],
            "errors": [{"id": error.id, "reason": error.reason}]}


def extraction_provenance(nlp: Language) -> dict[str, str]:
    """What produced a record: pipeline and model versions, read from `nlp.meta` only (so any
    object with the model's meta as `.meta` will do)."""
    from pipeline.nlp import pipeline_version

    return {"pipeline_version": pipeline_version(nlp),
            "model_name": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}",
            "model_version": str(nlp.meta.get("version"))}


def new_run(now: datetime | None = None) -> dict[str, str]:
    """One run per `extract` invocation: a fresh id and its UTC start time."""
    started = (now or datetime.now(UTC)).astimezone(UTC)
    return {"run_id": uuid.uuid4().hex, "extracted_at": started.isoformat(timespec="seconds").replace("+00:00", "Z")}


def read_records(path: str | Path) -> Iterator[dict]:
    """Records from a JSONL file (extractor output or gold); a malformed line fails loudly.

    Unchecked: the commands read with `read_checked_records`, which isolates bad lines instead."""
    for line in json_lines(Path(path)):
        if line.problem:
            raise ValueError(f"{line.where}: {line.problem}")
        if not isinstance(line.obj, dict):
            raise ValueError(f"{line.where}: expected a JSON object")
        yield line.obj


def checked_record(check: InputCheck, record: Any, where: str, schema: bool = True) -> dict | ReadError:
    """`record` through the shared input check (pipeline.validate), then the record schema."""
    result = check.record(record, where)
    if isinstance(result, ReadError) or result.get("errors") or not schema:
        return result
    problems = record_errors(result)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return ReadError(result["id"], where, "does not match the record schema: " + "; ".join(problems[:3]) + more)
    return result


def read_checked_records(path: str | Path, check: InputCheck | None = None,
                         schema: bool = True) -> Iterator[dict | ReadError]:
    """Each record of a JSONL file, or a ReadError saying why that line is none: the input of
    `load`, `export` and `score`, checked as `extract` checks its articles (one bad line never
    sinks the others). `schema=False` leaves the shape to the caller (score's Document model)."""
    check = check or InputCheck()
    for line in json_lines(Path(path)):
        if line.problem and line.lineno == 0:  # the file itself: the command cannot run
            raise OSError(f"{path}: {line.problem}")
        if line.problem:
            yield ReadError(line.where, line.where, line.problem)
        else:
            yield checked_record(check, line.obj, line.where, schema)


# --- the schema -------------------------------------------------------------------------------

@cache
def record_schema() -> dict:
    text = resources.files("pipeline").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    schema = json.loads(text)
    if schema.get("version") != RECORD_SCHEMA_VERSION:
        raise RuntimeError(f"{SCHEMA_FILE} is version {schema.get('version')}, code expects {RECORD_SCHEMA_VERSION}")
    return schema


@cache
def _validator(definition: str | None = None, without_span_values: bool = False):
    from jsonschema import Draft202012Validator, FormatChecker

    schema = record_schema()
    if without_span_values:
        span = {k: v for k, v in schema["$defs"]["span"].items() if k != "allOf"}
        schema = {**schema, "$defs": {**schema["$defs"], "span": span}}
    if definition is not None:
        schema = {**schema, "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def value_definitions() -> dict[str, str]:
    """Label -> the `$defs` entry its span's value follows, read from the span's if/then rules."""
    rules = record_schema()["$defs"]["span"]["allOf"]
    return {rule["if"]["properties"]["label"]["const"]:
            rule["then"]["properties"]["value"]["anyOf"][1]["$ref"].removeprefix("#/$defs/") for rule in rules}


def _messages(errors, prefix: tuple = ()) -> list[tuple[tuple, str]]:
    return [((*prefix, *e.absolute_path), e.message) for e in errors]


def record_errors(record: Any, definition: str | None = None) -> list[str]:
    """Why `record` does not match the schema (its root, or one of its `$defs`); [] when it does.

    For the root, each span's value is checked against its label's value definition directly:
    the same rule as the schema's if/then on the label, ten times faster in jsonschema.
    """
    if definition is not None:
        found = _messages(_validator(definition).iter_errors(record))
    else:
        found = _messages(_validator(None, without_span_values=True).iter_errors(record))
        spans = record.get("spans") if isinstance(record, dict) else None
        for i, span in enumerate(spans if isinstance(spans, list) else []):
            if not isinstance(span, dict) or not isinstance(span.get("value"), dict):
                continue
            value_def = value_definitions().get(span.get("label"))
            if value_def is not None:
                found += _messages(_validator(value_def).iter_errors(span["value"]), ("spans", i, "value"))
    return [f"{'/'.join(map(str, path)) or '<root>'}: {message}" for path, message in sorted(found, key=str)]


def _column_type(prop: dict, defs: dict) -> ColumnType:
    while "$ref" in prop:
        target: Any = {"$defs": defs}
        for part in prop["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        prop = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
    if prop.get("format") == "date":
        return "date"
    if prop.get("format") == "date-time":
        return "datetime"
    types = prop.get("type") or ["string"]  # an enum of strings (and null) has no "type"
    types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if types not in (["string"], ["integer"], ["number"]):
        raise ValueError(f"row column of unsupported type {types}")
    return types[0]


@cache
def columns(table: Table) -> dict[str, ColumnType]:
    """Row columns in schema order with their types, from `$defs/<table>_row`."""
    defs = record_schema()["$defs"]
    props = defs[{"mentions": "mention_row", "documents": "document_row"}[table]]["properties"]
    return {name: _column_type(prop, defs) for name, prop in props.items()}


# --- flat rows ----------------------------------------------------------------------------------

def value_columns(label: str, value: dict | None) -> dict[str, Any]:
    """Spread a value object over the typed value columns; the others stay None."""
    row: dict[str, Any] = dict.fromkeys(VALUE_FIELDS)
    mapping = VALUE_COLUMNS[label]
    for key, item in (value or {}).items():
        if key not in mapping:
            raise ValueError(f"{label} value has no field {key!r}")
        row[mapping[key]] = item
    return row


def record_content_hash(record: dict) -> str | None:
    meta = record.get("meta") or {}
    if meta.get("sha256"):
        return meta["sha256"]
    return content_hash(record["text"]) if isinstance(record.get("text"), str) else None


def provenance(record: dict) -> dict[str, Any]:
    """Run id, pipeline and model version, content hash and extraction time of one record.

    A record written without a run (gold files, a library call of `annotate`) gets the run id
    `norun:<pipeline version>`, so that loading it twice still names the same run.
    """
    meta = record.get("meta") or {}
    return {
        "run_id": meta.get("run_id") or f"norun:{meta.get('pipeline_version') or 'unknown'}",
        "pipeline_version": meta.get("pipeline_version"),
        "model_name": meta.get("model_name"),
        "model_version": meta.get("model_version"),
        "content_hash": record_content_hash(record),
        "extracted_at": meta.get("extracted_at"),
    }


def document_row(record: dict) -> dict[str, Any]:
    meta = record.get("meta") or {}
    errors = record.get("errors") or []
    return {
        "doc_id": record["id"],
        "title": meta.get("title"),
        "source": meta.get("source"),
        "file": meta.get("file"),
        "dct": meta.get("dct"),
        "n_chars": meta.get("n_chars", len(record["text"]) if isinstance(record.get("text"), str) else None),
        "n_mentions": len(record.get("spans") or []),
        "error": "; ".join(e["reason"] for e in errors) or None,
        **provenance(record),
    }


def mention_rows(record: dict) -> list[dict[str, Any]]:
    """One row per span, in span order: key, text, value columns, the span's source (None for a
    record of schema 1.0.0, or gold), then provenance."""
    prov = provenance(record)
    return [
        {"doc_id": record["id"], "start_char": span["start"], "end_char": span["end"],
         "label": span["label"], "text": span["text"],
         **value_columns(span["label"], span.get("value")), "source": span.get("source"), **prov}
        for span in record.get("spans") or []
    ]


def extraction_hash(record: dict) -> str:
    """Fingerprint of what a load stores for a document: content, meta (pipeline and model
    versions included) and spans, but not the run that produced them.

    Equal fingerprints mean a reload would write the same rows, so the loader leaves them alone.
    """
    meta = {k: v for k, v in (record.get("meta") or {}).items() if k not in RUN_KEYS}
    payload = {"content_hash": record_content_hash(record), "meta": meta, "spans": record.get("spans") or []}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- a mention's organization and date -----------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """A mention's organization and date: indexes into the spans, with the character gap."""

    org: int | None
    org_distance: int | None
    date: int | None
    date_distance: int | None


def span_gap(a: dict, b: dict) -> int:
    return max(0, b["start"] - a["end"], a["start"] - b["end"])


def _nearest(spans: list[dict], i: int, label: str) -> tuple[int | None, int | None]:
    """Nearest other span of `label` by character gap; a tie goes to the earlier span."""
    best = min((j for j, s in enumerate(spans) if s["label"] == label and j != i),
               key=lambda j: (span_gap(spans[i], spans[j]), spans[j]["start"]), default=None)
    return best, (None if best is None else span_gap(spans[i], spans[best]))


def mention_context(spans: list[dict]) -> list[Context]:
    """Relate each mention to an organization and a date: the nearest ORG / DATE mention.

    The records carry offsets but no sentences, so "nearest in the document" is the rule: an
    ORG mention is its own organization, a DATE mention has no date of its own, and any other
    mention takes the ORG and the DATE mention with the smallest character gap, the earlier one
    on a tie. The gap is kept so a query can ask for closer context (`org_distance < 100`).
    """
    context = []
    for i, span in enumerate(spans):
        org, org_distance = (i, 0) if span["label"] == "ORG" else _nearest(spans, i, "ORG")
        date, date_distance = (None, None) if span["label"] == "DATE" else _nearest(spans, i, "DATE")
        context.append(Context(org, org_distance, date, date_distance))
    return context


# --- DataFrames ---------------------------------------------------------------------------------

PANDAS_DTYPES: dict[ColumnType, str] = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "date": "datetime64[s]",
    "datetime": "datetime64[us, UTC]",
}


def typed_frame(data: Any, table: Table = "mentions") -> pd.DataFrame:
    """A DataFrame of `table`'s columns, in schema order, each of its schema type.

    Takes rows (dicts) or a DataFrame read back from a file, so an export read back compares
    equal to the frame it was written from. Missing values are <NA>/NaT.
    """
    import pandas as pd

    frame = pd.DataFrame(data, columns=list(columns(table)))
    for name, kind in columns(table).items():
        col = frame[name].astype(object).where(frame[name].notna(), None)
        if kind == "string":
            frame[name] = col.astype("string")
        elif kind in ("integer", "number"):
            frame[name] = pd.to_numeric(col).astype(PANDAS_DTYPES[kind])
        elif kind == "date":
            frame[name] = pd.to_datetime(col, format="ISO8601").astype(PANDAS_DTYPES[kind])
        else:
            frame[name] = pd.to_datetime(col, format="ISO8601", utc=True).astype(PANDAS_DTYPES[kind])
    return frame


def to_dataframe(records: Iterable[dict], table: Table = "mentions") -> pd.DataFrame:
    """Records as a typed pandas DataFrame: one row per mention, or per document."""
    records = list(records)
    rows = ([row for r in records for row in mention_rows(r)] if table == "mentions"
            else [document_row(r) for r in records])
    return typed_frame(rows, table)


# --- a run's spans, as `diff` and `audit` read them ----------------------------------------------

UNKNOWN_SOURCE = "(unknown)"


@dataclass(frozen=True)
class RunSpan:
    """One predicted span with its document: what `diff` compares and `audit` samples.

    `source` names the rule that made it (`news_amounts:money.currency_after`, `model:ner`); it
    is None in records written before spans carried it. Read spans this way, not through
    `schema.Span`, so that fields a later version adds do not make older commands refuse a file.
    """

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    value: dict | None = field(default=None, hash=False)
    source: str | None = None

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.doc_id, self.start, self.end, self.label)

    @property
    def span_id(self) -> str:
        """Stable across runs of the same documents: `doc:start-end:LABEL`."""
        return f"{self.doc_id}:{self.start}-{self.end}:{self.label}"

    @property
    def shown_source(self) -> str:
        return self.source or UNKNOWN_SOURCE


def run_spans(record: dict) -> list[RunSpan]:
    """A record's spans, sorted by (start, end, label); ValueError names a span that is no span."""
    from pipeline.schema import LABELS

    spans = []
    for span in record.get("spans") or []:
        if not (isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
                and span.get("label") in LABELS and isinstance(span.get("text"), str)):
            raise ValueError(f"not a span: {json.dumps(span, ensure_ascii=False)[:120]}")
        spans.append(RunSpan(record["id"], span["start"], span["end"], span["label"], span["text"],
                             span.get("value"), span.get("source")))
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


@dataclass
class Run:
    """One prediction file: each document's spans by id, and the documents that are error records."""

    spans: dict[str, list[RunSpan]]
    records: dict[str, dict]
    errors: list[str]  # ids of error records (their documents have no spans)

    @property
    def all_spans(self) -> list[RunSpan]:
        return [span for doc_id in sorted(self.spans) for span in self.spans[doc_id]]

    def without(self, doc_ids: set[str]) -> "Run":
        """The run less some documents (sealed test gold, whose output nobody may study)."""
        return Run({k: v for k, v in self.spans.items() if k not in doc_ids},
                   {k: v for k, v in self.records.items() if k not in doc_ids},
                   [e for e in self.errors if e not in doc_ids])


def read_run(path: str | Path, check: InputCheck | None = None) -> tuple[Run, list[ReadError]]:
    """A prediction file as a Run, and the lines that could not be read (reported by the caller)."""
    run, rejected = Run({}, {}, []), []
    for record in read_checked_records(path, check, schema=False):
        if isinstance(record, ReadError):
            rejected.append(record)
            continue
        try:
            run.spans[record["id"]] = run_spans(record)
        except ValueError as err:
            rejected.append(ReadError(record["id"], str(path), str(err)))
            continue
        run.records[record["id"]] = record
        if record.get("errors"):
            run.errors.append(record["id"])
    return run, rejected


def record_texts(records: Iterable[dict], corpus: str | Path | None = None) -> dict[str, str]:
    """Document id -> text, for showing spans in context: a record's own `text` (web pages,
    gold), else the corpus article of that id, when its content hash is the record's
    `meta.sha256` (another text would put the offsets elsewhere)."""
    from pipeline.read import read_inputs

    texts, wanted = {}, {}
    for record in records:
        if isinstance(record.get("text"), str):
            texts[record["id"]] = record["text"]
        else:
            wanted[record["id"]] = (record.get("meta") or {}).get("sha256")
    if corpus is not None and wanted:
        for article in read_inputs([corpus], check=InputCheck(lenient_meta=True)):
            if isinstance(article, Article) and article.id in wanted \
                    and wanted[article.id] in (None, content_hash(article.text)):
                texts[article.id] = article.text
    return texts
