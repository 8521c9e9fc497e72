"""Exports via pandas round-trip: what is written reads back as the same typed frame."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.export import FORMATS, format_for, read_table, write_table
from pipeline.records import TABLES, to_dataframe
from record_samples import HOSTILE, error_record, samples


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("table", TABLES)
def test_export_round_trips(tmp_path, fmt, table):
    frame = to_dataframe([*samples(), error_record()], table)
    path = write_table(frame, tmp_path / f"rows.{fmt}", fmt)
    back = read_table(path, fmt, table)
    pd.testing.assert_frame_equal(back, frame)
    if table == "mentions":
        kept = set(back.doc_id) | set(back.text) | set(back.canonical.dropna()) | set(back.counted.dropna())
        assert set(HOSTILE) <= kept
        assert back[back.text == "one-seventh"].amount.iloc[0] == 1 / 7  # all 17 digits kept


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_of_corpus_output_round_trips(tmp_path, corpus_records, fmt):
    frame = to_dataframe(corpus_records)
    assert len(frame) == sum(len(r["spans"]) for r in corpus_records) > 0
    pd.testing.assert_frame_equal(read_table(write_table(frame, tmp_path / f"c.{fmt}", fmt), fmt), frame)


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_export_round_trips(tmp_path, fmt):
    frame = to_dataframe([])
    pd.testing.assert_frame_equal(read_table(write_table(frame, tmp_path / f"e.{fmt}", fmt), fmt), frame)


def test_jsonl_export_is_one_plain_object_per_row(tmp_path):
    frame = to_dataframe(samples())
    lines = write_table(frame, tmp_path / "m.jsonl", "jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert len(lines) == len(frame) and list(first) == list(frame.columns)
    dated = next(json.loads(line) for line in lines if json.loads(line)["text"] == "2020")
    assert (dated["date_start"], dated["date_end"], dated["extracted_at"]) == ("2020-01-01", "2020-12-31",
                                                                                "2021-10-14T08:30:00Z")
    assert dated["amount"] is None


@pytest.mark.parametrize(("name", "fmt"), [("a.csv", "csv"), ("a.PARQUET", "parquet"), ("dir/a.jsonl", "jsonl")])
def test_format_from_file_name(name, fmt):
    assert format_for(name) == fmt


def test_unknown_format_fails():
    with pytest.raises(ValueError, match="--format"):
        format_for("rows.xlsx")


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export(tmp_path, fmt):
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in samples()), encoding="utf-8")
    out = tmp_path / "export" / f"mentions.{fmt}"
    result = run_cli("export", str(predictions), "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{len(to_dataframe(samples()))} mentions rows" in result.stderr
    pd.testing.assert_frame_equal(read_table(out, fmt), to_dataframe(samples()))


def test_cli_export_documents_and_bad_arguments(tmp_path):
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in samples()), encoding="utf-8")
    ok = run_cli("export", str(predictions), "--table", "documents", "--out", str(tmp_path / "d.csv"))
    assert ok.returncode == 0, ok.stderr
    assert read_table(tmp_path / "d.csv", "csv", "documents").doc_id.tolist() == [r["id"] for r in samples()]
    bad = run_cli("export", str(predictions), "--out", str(tmp_path / "d.xlsx"))
    assert bad.returncode == 2 and "--format" in bad.stderr and "Traceback" not in bad.stderr
