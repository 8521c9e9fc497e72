"""The input check every command shares (pipeline.validate): a table of what passes and what not."""

import pytest

from pipeline.schema import Article, ReadError
from pipeline.validate import NUL_REASON, InputCheck, dct_problem, iso_date


@pytest.mark.parametrize("value, ok", [
    (None, True), ("2021-06-15", True), ("2024-02-29", True),
    ("2021-02-30", False), ("2023-02-29", False), ("15/06/2021", False), ("2021-6-15", False),
    ("2021-06-15T10:00:00", False), ("20210615", False), ("", False), (20210615, False), ("June 2021", False),
])
def test_dct_is_an_iso_calendar_date_or_null(value, ok):
    assert (dct_problem(value) is None) is ok
    assert (iso_date(value) is not None) is (ok and value is not None)


def test_article_check_strips_the_bom_and_refuses_nul_empty_and_bad_dct():
    check = InputCheck()
    assert check.article(Article("a", "\ufeffAcme Corp.", {"dct": "2021-01-01"}), "a.txt") == \
        Article("a", "Acme Corp.", {"dct": "2021-01-01"})
    assert check.article(Article("b", "Acme\x00Corp"), "b.txt") == ReadError("b", "b.txt", NUL_REASON)
    assert check.article(Article("c", "\ufeff  "), "c.txt") == ReadError("c", "c.txt", "empty text")
    assert check.article(Article("d", "Text.", {"dct": "2021-02-30"}), "x.jsonl:4").reason == \
        "meta.dct '2021-02-30' is not an ISO date (YYYY-MM-DD) or null"


def test_the_first_occurrence_wins_and_a_failed_read_takes_its_id_too():
    check = InputCheck()
    assert isinstance(check.article(ReadError("a", "a.txt", "not UTF-8"), "a.txt"), ReadError)
    assert check.article(Article("a", "Text."), "more.jsonl:1").reason == "duplicate id 'a' (first at a.txt)"
    assert check.record({"id": "b", "meta": {}, "spans": []}, "p:1")["id"] == "b"
    assert check.record({"id": "b", "meta": {}, "spans": []}, "p:2").reason == "duplicate id 'b' (first at p:1)"


def test_lenient_meta_reads_a_bad_dct_as_null_with_a_warning():
    check = InputCheck(lenient_meta=True)
    article = check.article(Article("a", "Text.", {"dct": "15/06/2021", "title": "T"}), "a.txt")
    record = check.record({"id": "r", "meta": {"dct": "2021-13-01"}, "spans": []}, "p.jsonl:3")
    assert article.meta == {"dct": None, "title": "T"} and record["meta"] == {"dct": None}
    assert check.warnings == ["a.txt: meta.dct '15/06/2021' is not an ISO date (YYYY-MM-DD) or null; "
                              "read as null (--lenient-meta)",
                              "p.jsonl:3: meta.dct '2021-13-01' is not an ISO date (YYYY-MM-DD) or null; "
                              "read as null (--lenient-meta)"]


@pytest.mark.parametrize("record, reason", [
    ({"id": "a", "text": "Acme Corp", "meta": {}, "spans": [{"start": 0, "end": 12, "label": "ORG", "text": "Acme"}]},
     "span 0-12 ORG 'Acme': bad offsets 0-12 (text has 9 characters)"),
    ({"id": "a", "text": "Acme Corp", "meta": {}, "spans": [{"start": 0, "end": 4, "label": "ORG", "text": "Beta"}]},
     "span 0-4 ORG 'Beta': text 'Beta' does not match text[0:4] = 'Acme'"),
    ({"id": "a", "meta": {"n_chars": 9}, "spans": [{"start": 5, "end": 12, "label": "ORG", "text": "Corp..."}]},
     "span 5-12 ORG 'Corp...': ends past the text's 9 characters"),
    ({"id": "a", "text": "Acme\x00", "meta": {}, "spans": []}, NUL_REASON),
    ({"meta": {}, "spans": []}, 'expected a non-empty string "id"'),
    (["not", "an", "object"], "expected a JSON object"),
])
def test_record_check_refuses(record, reason):
    assert InputCheck().record(record, "p.jsonl:1").reason == reason


def test_an_error_record_passes_as_it_is():
    record = {"id": "x", "meta": {"source": "x.txt", "dct": "bad"}, "spans": [], "errors": [{"id": "x", "reason": "r"}]}
    assert InputCheck().record(record, "p:1") is record
