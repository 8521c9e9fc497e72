"""CLI habits: `--version`, `-` for standard input (plain text or JSONL lines), `-q`/`-v` (logging)."""

import json
import subprocess
import sys

import pytest

from pipeline import __version__


def run(args, stdin=""):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], input=stdin, capture_output=True, text=True,
                          timeout=600)


def test_version():
    result = run(["--version"])
    assert result.returncode == 0 and __version__ in result.stdout


@pytest.mark.parametrize(("stdin", "ids"), [
    ("Apple Inc said sales rose 5% to $3 billion on Monday.\n", ["stdin"]),
    ('{"id": "a", "text": "GM cut 500 jobs."}\n{"id": "b", "text": "Ford added 2%."}\n', ["a", "b"]),
])
def test_extract_reads_standard_input(stdin, ids):
    result = run(["extract", "-", "--out", "-"], stdin)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ids and all(r["spans"] for r in records)


@pytest.fixture
def records(tmp_path):
    """Two extractor records, the second with a bad dct: one summary line and one error line."""
    path = tmp_path / "records.jsonl"
    path.write_text('{"id": "a", "meta": {"dct": null}, "spans": []}\n'
                    '{"id": "b", "meta": {"dct": "15/06/2021"}, "spans": []}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(("options", "summary", "debug"), [
    ([], True, False),
    (["-q"], False, False),
    (["--quiet"], False, False),
    (["-v"], True, True),
    (["--verbose"], True, True),
])
def test_quiet_and_verbose(records, tmp_path, options, summary, debug):
    result = run([*options, "export", str(records), "--out", str(tmp_path / "docs.csv"), "--table", "documents"])
    assert result.returncode == 1
    assert f"error: {records}:2 (b): meta.dct '15/06/2021' is not an ISO date" in result.stderr  # errors always
    assert ("2 documents rows -> " in result.stderr) == summary
    assert ("debug: export " in result.stderr) == debug


def test_quiet_and_verbose_exclude_each_other(records, tmp_path):
    result = run(["-q", "-v", "export", str(records), "--out", str(tmp_path / "docs.csv")])
    assert result.returncode == 2 and result.stderr == "error: --quiet and --verbose exclude each other\n"
