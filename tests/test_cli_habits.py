"""CLI habits: `--version`, `-` for standard input (plain text or JSONL lines)."""

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
