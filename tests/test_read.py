import json

import pytest

from pipeline.read import read_inputs
from pipeline.schema import Article, ReadError


def test_directory_reads_txt_with_meta(tmp_path):
    (tmp_path / "a.txt").write_text("Acme Corp rose 5 percent.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "meta.jsonl").write_text(json.dumps({"id": "a", "dct": "2020-01-02"}) + "\n")
    results = list(read_inputs([tmp_path]))
    assert [r.id for r in results] == ["a", "b"]
    assert results[0].dct == "2020-01-02" and results[1].dct is None


def test_single_file_keeps_text_byte_for_byte_but_the_byte_order_mark(tmp_path):
    text = "Line one\r\n  indented\n"
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [article] = read_inputs([path])
    assert article.text == text


def test_jsonl_lines_and_malformed_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "d1", "text": "First text.", "meta": {"dct": "2021-01-01"}}) + "\n"
        + '{"id": "d2", "text": \n'
        + json.dumps({"id": "d3", "text": "Third."}) + "\n",
        encoding="utf-8",
    )
    results = list(read_inputs([path]))
    assert [type(r) for r in results] == [Article, ReadError, Article]
    assert results[0].dct == "2021-01-01"
    assert "malformed JSON" in results[1].reason and results[1].id.endswith(":2")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_files_become_errors(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [result] = read_inputs([path])
    assert isinstance(result, ReadError) and result.reason.startswith(reason)


def test_too_large_and_missing(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    big, missing = read_inputs([path, tmp_path / "nope.txt"], max_chars=50)
    assert "too large" in big.reason
    assert missing.reason == "no such file or directory"
