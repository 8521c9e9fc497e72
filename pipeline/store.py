"""Incremental output store: one record per (document id, input hash, pipeline version).

Daily batch runs meet mostly articles that were already processed: a document whose id, text,
metadata and pipeline version are all in the store is not processed again, and a new pipeline
version (our code, our rule data, or the model) reprocesses everything. The store is SQLite in
WAL mode with one transaction per batch, so a run killed at any point (`kill -9` included) keeps
every batch it committed, whole, and nothing half-written; the re-run skips what was committed.

Each run also lists its documents in input order (a temporary table), so the final JSONL is
written from the store in that order, to a temporary file renamed over the target.

A store that cannot be used (corrupt or truncated file, a file where the directory should be,
locked by another run past the wait) raises StoreError before anything is written: the CLI says
so in one line (exit 2) and leaves the store and the output as they were. Opening runs SQLite's
`PRAGMA quick_check`, which reads every page once (about a second per 100 MB).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import TextIO

from pipeline.atomic import write_atomically
from pipeline.schema import Article

STORE_FILE = "store.sqlite"
ERRORS_FILE = "errors.jsonl"

# The schema, once. `documents` holds successful records only: failures are retried every run.
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id     TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    version    TEXT NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (doc_id, input_hash, version)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS run_order (
    seq        INTEGER PRIMARY KEY,
    doc_id     TEXT,
    input_hash TEXT,
    error      TEXT
);
"""


@dataclass(frozen=True)
class DocKey:
    doc_id: str
    input_hash: str


@dataclass(frozen=True)
class RunEntry:
    """A document's place in this run: found by key in the store, or an error record of its own."""

    seq: int
    key: DocKey | None
    error: dict | None = None


def input_hash(article: Article) -> str:
    """sha256 of the text and the metadata: the output depends on both (`meta.dct` anchors dates)."""
    canonical = json.dumps({"text": article.text, "meta": article.meta}, sort_keys=True,
                           ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def doc_key(article: Article) -> DocKey:
    return DocKey(article.id, input_hash(article))


# Modules that cannot change a record: editing them keeps the stored records valid.
NOT_EXTRACTION = frozenset({"__main__.py", "cli.py", "store.py", "batch.py", "dask_engine.py", "workers.py",
                            "atomic.py", "score.py", "report.py", "gold.py", "db.py", "export.py",
                            "baselines.py", "provenance.py"})


def source_fingerprint(root: Path | None = None) -> str:
    """sha256 over the package's code and rule data (patterns/), so a change to either is a new
    version; the few modules listed in NOT_EXTRACTION are left out. Safe by default: a new module
    counts until it is listed."""
    root = root or Path(str(resources.files("pipeline")))
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (not path.is_file() or "__pycache__" in relative.parts or path.suffix in (".pyc", ".pyo")
                or relative.as_posix() in NOT_EXTRACTION):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def model_meta(model: str) -> dict:
    """The meta.json of an installed model package or model directory, without loading weights."""
    import spacy.util

    from pipeline.nlp import load_model

    if Path(model).exists():
        return spacy.util.get_model_meta(Path(model))
    if spacy.util.is_package(model):
        return spacy.util.get_model_meta(spacy.util.get_package_path(model))
    return load_model(model).meta  # neither: spaCy's loader decides, or ModelNotInstalled with the hint


def pipeline_meta(model: str) -> dict:
    """The meta the pipeline built on `model` will have: the model's meta.json, marked with the NER
    update as `apply_ner_update` marks the loaded model when the update fits it."""
    from pipeline.config import Settings
    from pipeline.ner_update import update_fits

    meta = dict(model_meta(model))
    folder = Settings().ner_update
    if update_fits(meta, folder):
        meta["news_ner_update"] = folder.name
    return meta


def run_version(model: str) -> str:
    """`pipeline.nlp.pipeline_version` of the pipeline on `model`, plus the source fingerprint.

    Read from the model's meta.json, so a run with nothing new to do never loads the model.
    """
    from pipeline.nlp import pipeline_version

    base = pipeline_version(SimpleNamespace(meta=pipeline_meta(model)))  # it reads `nlp.meta` only
    return f"{base}+src.{source_fingerprint()[:16]}"


class StoreError(RuntimeError):
    """The store cannot be used; the message names the file and what to do."""


def store_error(path: Path, err: Exception) -> StoreError:
    """What a failing store operation means for the user, in one line."""
    if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
        return StoreError(f"store {path} is locked by another run ({err}): wait for that run to end, "
                          f"or give this one another --store")
    if isinstance(err, sqlite3.DatabaseError):
        return StoreError(f"store {path} is corrupt or truncated ({err}): move it aside or delete it and run "
                          f"again (its documents are then processed anew); nothing was written")
    return StoreError(f"store {path} cannot be used ({type(err).__name__}: {err})")


class OutputStore:
    """The store in `directory` for records of one pipeline `version`."""

    def __init__(self, directory: str | Path, version: str):
        self.directory = Path(directory)
        self.path = self.directory / STORE_FILE
        self.version = version
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            # autocommit mode: transactions are explicit (`_transaction`); a second run on the same
            # store waits for the first one's batch commits instead of failing at once
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
        except (OSError, sqlite3.Error) as err:
            raise store_error(self.path, err) from err
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(problems))
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a killed process
            self._db.executescript(SCHEMA)
        except sqlite3.Error as err:
            self._db.close()
            raise store_error(self.path, err) from err

    def __enter__(self) -> "OutputStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def has(self, key: DocKey) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM documents WHERE doc_id = ? AND input_hash = ? AND version = ?",
            (key.doc_id, key.input_hash, self.version)).fetchone()
        return row is not None

    def commit(self, entries: list[RunEntry], records: list[tuple[DocKey, dict]]) -> None:
        """One transaction: the new records and these documents' places in the run, or nothing."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO documents (doc_id, input_hash, version, record) VALUES (?, ?, ?, ?)",
                [(k.doc_id, k.input_hash, self.version, json.dumps(r, ensure_ascii=False)) for k, r in records])
            self._db.executemany(
                "INSERT INTO run_order (seq, doc_id, input_hash, error) VALUES (?, ?, ?, ?)",
                [(e.seq, e.key.doc_id if e.key else None, e.key.input_hash if e.key else None,
                  json.dumps(e.error, ensure_ascii=False) if e.error else None) for e in entries])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Commit on success, roll back on any exception (the connection is in autocommit mode)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def run_records(self) -> Iterator[str]:
        """This run's JSON lines in input order: stored records, or the entry's error record."""
        rows = self._db.execute(
            "SELECT r.error, d.record FROM run_order AS r LEFT JOIN documents AS d"
            " ON d.doc_id = r.doc_id AND d.input_hash = r.input_hash AND d.version = ?"
            " ORDER BY r.seq", (self.version,))
        for error, record in rows:
            if record is None and error is None:
                raise RuntimeError("a document of this run is missing from the store")
            yield (error or record) + "\n"

    def run_errors(self) -> list[dict]:
        rows = self._db.execute("SELECT error FROM run_order WHERE error IS NOT NULL ORDER BY seq")
        return [json.loads(error) for (error,) in rows]

    def export(self, out: str | Path | TextIO) -> int:
        """Write this run's records, in input order; a path is replaced atomically. Returns the count."""
        if isinstance(out, (str, Path)):
            return write_atomically(Path(out), self.run_records())
        n_lines = 0
        for line in self.run_records():
            out.write(line)
            n_lines += 1
        return n_lines

    def write_errors(self) -> Path:
        """The run's error list beside the store: `{"id", "reason"}` lines, replaced atomically."""
        path = self.directory / ERRORS_FILE
        lines = (json.dumps(err, ensure_ascii=False) + "\n"
                 for record in self.run_errors() for err in record.get("errors", []))
        write_atomically(path, lines)
        return path

    def prune_replaced(self) -> int:
        """Drop this version's records of documents that this run saw with other content."""
        with self._transaction():
            cursor = self._db.execute(
                "DELETE FROM documents WHERE version = ?"
                " AND doc_id IN (SELECT doc_id FROM run_order WHERE input_hash IS NOT NULL)"
                " AND (doc_id, input_hash) NOT IN"
                " (SELECT doc_id, input_hash FROM run_order WHERE input_hash IS NOT NULL)",
                (self.version,))
        return cursor.rowcount

    def count(self) -> int:
        """Records of this version in the store."""
        return self._db.execute("SELECT COUNT(*) FROM documents WHERE version = ?",
                                (self.version,)).fetchone()[0]

