"""Records into a relational database with SQLAlchemy 2: SQLite by default, PostgreSQL for real.

The tables are declared once here (no SQL strings): `runs`, `documents`, `organizations`,
`mentions`, a `schema_version` row and the view `mention_context`. The schema is made by
`metadata.create_all` on first use and stamped with RECORD_SCHEMA_VERSION. A database of an
older minor version of the same major one is migrated in place: a minor version only adds nullable
columns (1.1.0: `mentions.source`), so the missing ones are added with ALTER TABLE ADD COLUMN
(their rows keep null) and the stamp is moved on. A database of another major version, or of a
newer minor one, is refused rather than written half-compatibly.

A load is one transaction and idempotent. Records are read and checked as every command reads
them (records.read_checked_records: the shared input check, then the record schema); a bad
record is reported in `LoadReport.rejected` and the good ones are loaded, as `extract` isolates a
bad document. A document id given twice keeps its first record; the second is rejected.
A document is rewritten only when its extraction
fingerprint (`records.extraction_hash`: content hash, meta with the pipeline version, spans)
changed: then its mentions and organizations (grouped by
`pipeline.organizations.group_organizations`) are deleted and inserted anew. Loading the same run twice changes no
row; documents missing from a later run stay, with `last_seen_run_id` telling when they were last
seen. Every value goes through bound parameters, so article text is never part of a statement.

Concurrent loads into one database wait for each other: the schema creation and each load take
the database's write lock first (SQLite: `BEGIN IMMEDIATE`, waiting up to SQLITE_BUSY_TIMEOUT_S;
PostgreSQL: a transaction-scoped advisory lock), so the second load sees what the first one
committed instead of tripping over the same run or view.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (JSON, BigInteger, Connection, Date, DateTime, Double, Engine, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint, create_engine, delete, event, func, insert, inspect, select,
                        update)
from sqlalchemy.engine import make_url
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, aliased, mapped_column, relationship
from sqlalchemy.schema import CreateColumn, SetColumnComment
from sqlalchemy.sql.ddl import CreateView

from pipeline.organizations import group_organizations
from pipeline.records import (RECORD_SCHEMA_VERSION, VALUE_FIELDS, checked_record, document_row, extraction_hash,
                              mention_context, provenance, read_checked_records, value_columns)
from pipeline.schema import ReadError
from pipeline.validate import InputCheck

DEFAULT_DB_URL = os.environ.get("PIPELINE_DB_URL") or "sqlite:///out/extractions.db"
SQLITE_BUSY_TIMEOUT_S = 600  # how long a load waits for another one's write lock on a SQLite file
WRITE_LOCK = 0x6E657773  # PostgreSQL advisory lock key of loads ("news")

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
    source: Mapped[str | None] = mapped_column(
        comment="the rule that produced it (span source, docs/sources.md); null for records before schema 1.1.0")
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


def migratable(version: str, to: str = RECORD_SCHEMA_VERSION) -> bool:
    """Whether a database stamped `version` can be brought to `to` in place: the same major
    version, an older minor one (semantic versioning: a minor version only adds)."""
    try:
        old, new = (tuple(int(part) for part in v.split(".")) for v in (version, to))
    except ValueError:
        return False
    return old[0] == new[0] and old < new


def _add_missing_columns(conn: Connection) -> list[str]:
    """ALTER TABLE ADD COLUMN for each column of the models that a table lacks; the column's DDL
    is the model's own (`CreateColumn`), as `create_all` would write it. Only nullable columns
    can be added to rows that exist: anything else is no minor change and refused."""
    existing = set(inspect(conn).get_table_names())
    added = []
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue  # create_all has just made it whole
        present = {column["name"] for column in inspect(conn).get_columns(table.name)}
        for column in (c for c in table.columns if c.name not in present):
            if not column.nullable:
                raise SchemaMismatch(f"cannot add the required column {table.name}.{column.name} to a database of "
                                     f"an older version: load into a new database")
            table_name = conn.dialect.identifier_preparer.format_table(table)
            conn.exec_driver_sql(f"ALTER TABLE {table_name} ADD COLUMN {CreateColumn(column).compile(dialect=conn.dialect)}")
            if column.comment and conn.dialect.supports_comments:
                conn.execute(SetColumnComment(column))
            added.append(f"{table.name}.{column.name}")
    return added


@dataclass
class LoadReport:
    inserted: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped_errors: list[str] = field(default_factory=list)
    new_runs: list[str] = field(default_factory=list)
    rejected: list[ReadError] = field(default_factory=list)  # records that failed the input check
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.inserted)} inserted, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
                f"{len(self.skipped_errors)} error records skipped, {len(self.rejected)} rejected, "
                f"{len(self.new_runs)} new run(s)")


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


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite's own BEGIN is deferred: `_sqlite_begin` emits ours (SQLAlchemy's pysqlite recipe)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite leaves them off per connection by default
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """A writer's transaction takes the write lock at BEGIN, waiting for another writer's to end: a
    deferred one would read first and fail at its first write (the database is locked, or the run
    the other load just inserted exists after all)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write_lock") else "BEGIN")


def connect(url: str = DEFAULT_DB_URL) -> Engine:
    """An engine for `url`; a SQLite file's folder is created, its foreign keys are enforced, and a
    writer waits for another writer's lock (up to SQLITE_BUSY_TIMEOUT_S) instead of failing."""
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, **({"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S}} if is_sqlite else {}))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _writer(engine: Engine) -> Engine:
    """The engine whose transactions hold the database's write lock from their start: one writer at
    a time, each seeing what the previous one committed (SQLite: BEGIN IMMEDIATE; PostgreSQL:
    `_take_write_lock`)."""
    return engine.execution_options(write_lock=True)


def _take_write_lock(conn: Connection | Session) -> None:
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))


def create_schema(engine: Engine) -> None:
    """Create missing tables and the view, stamp a new database, migrate an older minor
    version's (`migratable`), refuse another version's.

    In one transaction under the write lock: two loads starting on a new database at once
    create (or migrate) the schema once, the second one finding it made."""
    with _writer(engine).begin() as conn:
        _take_write_lock(conn)
        Base.metadata.create_all(conn)
        versions = conn.scalars(select(SchemaVersion.version)).all()
        if not versions:
            conn.execute(insert(SchemaVersion).values(version=RECORD_SCHEMA_VERSION, created_at=_utc_now()))
        elif len(versions) == 1 and migratable(versions[0]):
            _add_missing_columns(conn)
            conn.execute(update(SchemaVersion).values(version=RECORD_SCHEMA_VERSION))
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
                     "text": span["text"], **values, "source": span.get("source"),
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


def load_records(engine: Engine, records: Iterable[Any], source: str | None = None,
                 lenient_meta: bool = False) -> LoadReport:
    """Load extractor records in one transaction; see the module docstring for the rules.

    Each record goes through the input check and the record schema before it is written; one
    that fails is listed in `rejected` (its place as `record N`, or `source:N`) and the others
    are loaded. An exception while writing rolls everything back.
    """
    check = InputCheck(lenient_meta=lenient_meta)
    checked = (checked_record(check, record, f"{source or 'record'}:{i}") for i, record in enumerate(records, 1))
    report = _load(engine, checked, source)
    report.warnings = check.warnings
    return report


def load_file(engine: Engine, path: str | Path, lenient_meta: bool = False) -> LoadReport:
    """`load_records` on a JSONL file, streamed: a malformed line is rejected like an invalid record."""
    check = InputCheck(lenient_meta=lenient_meta)
    report = _load(engine, read_checked_records(path, check), str(path))
    report.warnings = check.warnings
    return report


def _load(engine: Engine, records: Iterable[dict | ReadError], source: str | None) -> LoadReport:
    create_schema(engine)
    report = LoadReport()
    with Session(_writer(engine)) as session, session.begin():
        _take_write_lock(session)
        for record in records:
            if isinstance(record, ReadError):
                report.rejected.append(record)
            elif record.get("errors"):
                report.skipped_errors.append(record["id"])
            else:
                _load_document(session, record, source, report)
    return report
