"""Records into a relational database with SQLAlchemy 2: SQLite by default, PostgreSQL for real.

The tables are declared once here (no SQL strings): `runs`, `documents`, `organizations`,
`mentions`, a `schema_version` row and the view `mention_context`. The schema is made by
`metadata.create_all` on first use and stamped with RECORD_SCHEMA_VERSION; a database stamped
with another version is refused rather than written half-compatibly.

A load is one transaction and idempotent. A document is rewritten only when its extraction
fingerprint (`records.extraction_hash`: content hash, meta with the pipeline version, spans)
changed: then its mentions and organizations (grouped by
`pipeline.organizations.group_organizations`) are deleted and inserted anew. Loading the same run twice changes no
row; documents missing from a later run stay, with `last_seen_run_id` telling when they were last
seen. Every value goes through bound parameters, so article text is never part of a statement.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (JSON, BigInteger, Date, DateTime, Double, Engine, ForeignKey, Index, Integer, String,
                        Text, UniqueConstraint, create_engine, delete, event, insert, select)
from sqlalchemy.engine import make_url
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, aliased, mapped_column, relationship
from sqlalchemy.sql.ddl import CreateView

from pipeline.organizations import group_organizations
from pipeline.records import (RECORD_SCHEMA_VERSION, VALUE_FIELDS, document_row, extraction_hash, mention_context,
                              provenance, read_records, record_errors, value_columns)

DEFAULT_DB_URL = os.environ.get("PIPELINE_DB_URL") or "sqlite:///out/extractions.db"

# Surrogate keys: BIGINT on PostgreSQL, INTEGER on SQLite (only that is its auto-increment rowid).
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {str: Text(), float: Double(), date: Date(), datetime: DateTime(),
                           dict[str, Any]: JSON().with_variant(JSONB(), "postgresql")}


class SchemaVersion(Base):
    """The record schema version the tables were made for (records.RECORD_SCHEMA_VERSION)."""

    __tablename__ = "schema_version"
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]


class Run(Base):
    """One `extract` invocation; records without one share `norun:<pipeline version>`."""

    __tablename__ = "runs"
    run_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    pipeline_version: Mapped[str | None]
    model_name: Mapped[str | None]
    model_version: Mapped[str | None]
    extracted_at: Mapped[datetime | None] = mapped_column(comment="UTC")
    loaded_at: Mapped[datetime] = mapped_column(comment="UTC, first load")
    source: Mapped[str | None] = mapped_column(comment="the file it was first loaded from")


class Document(Base):
    __tablename__ = "documents"
    doc_id: Mapped[str] = mapped_column(primary_key=True)
    title: Mapped[str | None]
    source: Mapped[str | None]
    file: Mapped[str | None]
    dct: Mapped[date | None]
    n_chars: Mapped[int | None]
    n_mentions: Mapped[int]
    content_hash: Mapped[str | None] = mapped_column(String(64))
    extraction_hash: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.run_id"), comment="the run whose mentions are stored")
    last_seen_run_id: Mapped[str] = mapped_column(ForeignKey("runs.run_id"), comment="latest run loaded with it")
    loaded_at: Mapped[datetime] = mapped_column(comment="UTC, when the stored mentions were loaded")
    meta: Mapped[dict[str, Any]] = mapped_column(comment="the record's meta, as given")


class Organization(Base):
    """An organization of one document: its canonical name and how often it is mentioned."""

    __tablename__ = "organizations"
    __table_args__ = (UniqueConstraint("doc_id", "canonical"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.doc_id", ondelete="CASCADE"), index=True)
    canonical: Mapped[str]
    n_mentions: Mapped[int]


class Mention(Base):
    """One span with its typed value columns, its organization and its date (records.mention_context)."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("doc_id", "start_char", "end_char", "label"),
                      Index("ix_mentions_label_currency_amount", "label", "currency", "amount"))
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    doc_id: Mapped[str] = mapped_column(ForeignKey("documents.doc_id", ondelete="CASCADE"), index=True)
    start_char: Mapped[int]
    end_char: Mapped[int]
    label: Mapped[str] = mapped_column(String(16))
    text: Mapped[str]
    amount: Mapped[float | None]
    amount_max: Mapped[float | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    unit: Mapped[str | None]
    si_amount: Mapped[float | None]
    si_unit: Mapped[str | None]
    modifier: Mapped[str | None] = mapped_column(String(16))
    timex_type: Mapped[str | None] = mapped_column(String(16))
    timex_value: Mapped[str | None]
    date_start: Mapped[date | None]
    date_end: Mapped[date | None]
    canonical: Mapped[str | None]
    counted: Mapped[str | None]
    kind: Mapped[str | None] = mapped_column(String(16))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True,
        comment="ORG: its own organization; others: the nearest ORG mention's")
    org_distance: Mapped[int | None] = mapped_column(comment="characters between this mention and that ORG")
    date_mention_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentions.id", ondelete="SET NULL"), comment="the nearest DATE mention; null for a DATE")
    date_distance: Mapped[int | None] = mapped_column(comment="characters between this mention and that DATE")

    organization: Mapped[Organization | None] = relationship()
    date_mention: Mapped[Mention | None] = relationship(remote_side=[id])


def _mention_context_select():
    """Each mention with its document, organization and date, for queries like the README's."""
    date = aliased(Mention, name="date_mention")
    return (
        select(Mention.id.label("mention_id"), Mention.doc_id, Document.title, Document.dct,
               Mention.start_char, Mention.end_char, Mention.label, Mention.text,
               *(getattr(Mention, name) for name in VALUE_FIELDS),
               Organization.canonical.label("organization"), Mention.org_distance,
               date.text.label("date_text"), date.timex_value.label("date_value"),
               date.date_start.label("date_from"), date.date_end.label("date_to"), Mention.date_distance)
        .join(Document, Document.doc_id == Mention.doc_id)
        .outerjoin(Organization, Organization.id == Mention.organization_id)
        .outerjoin(date, date.id == Mention.date_mention_id)
    )


MENTION_CONTEXT = CreateView(_mention_context_select(), "mention_context", metadata=Base.metadata)


class SchemaMismatch(RuntimeError):
    """The database was made for another record schema version."""


class InvalidRecords(ValueError):
    """Some records do not match the record schema; nothing was loaded."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:10]) + (f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else "")
        super().__init__(f"{len(problems)} problem(s) in the records, nothing loaded:\n  {shown}")


@dataclass
class LoadReport:
    inserted: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped_errors: list[str] = field(default_factory=list)
    new_runs: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.inserted)} inserted, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
                f"{len(self.skipped_errors)} error records skipped, {len(self.new_runs)} new run(s)")


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _utc(stamp: str | None) -> datetime | None:
    """ISO 8601 text as a naive UTC datetime (both databases store it the same way)."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off per connection by default
    cursor.close()


def connect(url: str = DEFAULT_DB_URL) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, its foreign keys are enforced."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def create_schema(engine: Engine) -> None:
    """Create missing tables and the view, stamp a new database, refuse another version's."""
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        versions = session.scalars(select(SchemaVersion.version)).all()
        if not versions:
            session.add(SchemaVersion(version=RECORD_SCHEMA_VERSION, created_at=_utc_now()))
        elif versions != [RECORD_SCHEMA_VERSION]:
            raise SchemaMismatch(f"the database holds record schema {', '.join(versions)}, this tool writes "
                                 f"{RECORD_SCHEMA_VERSION}: load into a new database, or migrate it first")


def _ensure_run(session: Session, prov: dict, source: str | None, report: LoadReport) -> None:
    if session.get(Run, prov["run_id"]) is None:
        session.add(Run(run_id=prov["run_id"], pipeline_version=prov["pipeline_version"],
                        model_name=prov["model_name"], model_version=prov["model_version"],
                        extracted_at=_utc(prov["extracted_at"]), loaded_at=_utc_now(), source=source))
        session.flush()
        report.new_runs.append(prov["run_id"])


def _document_fields(record: dict, digest: str) -> dict:
    row = document_row(record)
    return {"title": row["title"], "source": row["source"], "file": row["file"], "dct": _date(row["dct"]),
            "n_chars": row["n_chars"], "n_mentions": row["n_mentions"], "content_hash": row["content_hash"],
            "extraction_hash": digest, "run_id": row["run_id"], "last_seen_run_id": row["run_id"],
            "loaded_at": _utc_now(), "meta": record.get("meta") or {}}


def _insert_mentions(session: Session, doc_id: str, spans: list[dict]) -> None:
    """Insert a document's organizations and mentions, related as records.mention_context says.

    Bulk inserts in three statements: organizations and DATE mentions first (their new ids come
    back in order), then the other mentions, which point at them.
    """
    org_rows: dict[str, dict] = {}
    canonical_of_span: dict[tuple[int, int], str] = {}
    for group in group_organizations(spans):
        row = org_rows.setdefault(group["canonical"], {"doc_id": doc_id, "canonical": group["canonical"],
                                                       "n_mentions": 0})
        row["n_mentions"] += len(group["mentions"])
        canonical_of_span.update({tuple(span_range): group["canonical"] for span_range in group["mentions"]})
    org_ids = dict(zip(org_rows, _insert_returning_ids(session, Organization, list(org_rows.values()))))

    context, rows = mention_context(spans), []
    for span, ctx in zip(spans, context):
        values = value_columns(span["label"], span.get("value"))
        values["date_start"], values["date_end"] = _date(values["date_start"]), _date(values["date_end"])
        org_span = spans[ctx.org] if ctx.org is not None else None
        rows.append({"doc_id": doc_id, "start_char": span["start"], "end_char": span["end"], "label": span["label"],
                     "text": span["text"], **values,
                     "organization_id": org_ids.get(canonical_of_span.get((org_span["start"], org_span["end"])))
                     if org_span else None,
                     "org_distance": ctx.org_distance, "date_mention_id": None, "date_distance": ctx.date_distance})
    dates = [i for i, span in enumerate(spans) if span["label"] == "DATE"]
    date_ids = dict(zip(dates, _insert_returning_ids(session, Mention, [rows[i] for i in dates])))
    for row, ctx in zip(rows, context):
        row["date_mention_id"] = date_ids.get(ctx.date)
    others = [row for i, row in enumerate(rows) if i not in date_ids]
    if others:
        session.execute(insert(Mention), others)


def _insert_returning_ids(session: Session, model: type[Base], rows: list[dict]) -> list[int]:
    if not rows:
        return []
    return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _load_document(session: Session, record: dict, source: str | None, report: LoadReport) -> None:
    prov = provenance(record)
    _ensure_run(session, prov, source, report)
    doc_id, digest = record["id"], extraction_hash(record)
    document = session.get(Document, doc_id)
    if document is not None and document.extraction_hash == digest:
        if document.last_seen_run_id != prov["run_id"]:
            document.last_seen_run_id = prov["run_id"]
        report.unchanged.append(doc_id)
        return
    if document is None:
        document = Document(doc_id=doc_id, **_document_fields(record, digest))
        session.add(document)
        report.inserted.append(doc_id)
    else:
        session.execute(delete(Mention).where(Mention.doc_id == doc_id), execution_options={"synchronize_session": False})
        session.execute(delete(Organization).where(Organization.doc_id == doc_id),
                        execution_options={"synchronize_session": False})
        for name, value in _document_fields(record, digest).items():
            setattr(document, name, value)
        report.replaced.append(doc_id)
    session.flush()
    _insert_mentions(session, doc_id, record.get("spans") or [])


def _doc_key(record: Any, index: int) -> Any:
    """A record's document id; a record without a usable one is a key of its own (and invalid)."""
    doc_id = record.get("id") if isinstance(record, dict) else None
    return doc_id if isinstance(doc_id, str) else ("#", index)


def _latest(records: Iterable[Any], last_index: dict[Any, int]) -> Iterator[Any]:
    """The records that are their document's last in the input: a second load would keep those."""
    return (r for i, r in enumerate(records) if last_index[_doc_key(r, i)] == i)


def load_records(engine: Engine, records: Iterable[dict], source: str | None = None) -> LoadReport:
    """Load extractor records in one transaction; see the module docstring for the rules.

    Each record is validated against the record schema before it is written; after an invalid
    one nothing more is written, the rest is still checked, and the transaction is rolled back:
    InvalidRecords lists every problem and the database is as it was. A document id given twice
    keeps its last record.
    """
    records = list(records)
    last_index = {_doc_key(r, i): i for i, r in enumerate(records)}
    return _load(engine, _latest(records, last_index), source)


def load_file(engine: Engine, path: str | Path) -> LoadReport:
    """`load_records` on a JSONL file, streamed in two passes (ids, then records): memory stays
    flat in the file's size."""
    last_index = {_doc_key(r, i): i for i, r in enumerate(read_records(path))}
    return _load(engine, _latest(read_records(path), last_index), str(path))


def _load(engine: Engine, records: Iterable[Any], source: str | None) -> LoadReport:
    create_schema(engine)
    report, problems = LoadReport(), []
    with Session(engine) as session, session.begin():
        for record in records:
            errors = record_errors(record)
            if errors:
                doc_id = record.get("id", "?") if isinstance(record, dict) else "?"
                problems += [f"{doc_id}: {error}" for error in errors]
            elif problems:
                continue  # nothing more is written; the remaining records are only checked
            elif record.get("errors"):
                report.skipped_errors.append(record["id"])
            else:
                _load_document(session, record, source, report)
        if problems:
            raise InvalidRecords(problems)  # leaving the block rolls the transaction back
    return report
