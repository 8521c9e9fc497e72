"""The gold set passes `validate-gold`, and broken gold of every kind is rejected with a line
that says where and what."""

import copy
import json
import subprocess
import sys

import pytest

from conftest import CORPUS, GOLD
from pipeline.gold import GoldError, load_documents, load_gold, validate_gold

TEXT = "Acme Corp paid $5 million in 2020.\n[Photo/Xinhua] Beta Ltd\n"
CREDIT = (TEXT.index("[Photo"), TEXT.index("]") + 1)


def fixed_boilerplate(text):
    """The photo credit only, independent of the real rule set."""
    return [CREDIT] if text == TEXT else []


def good_line():
    return {
        "id": "a",
        "text": TEXT,
        "meta": {"dct": "2021-10-13", "title": "t"},
        "spans": [
            {"start": 0, "end": 9, "label": "ORG", "text": "Acme Corp", "value": {"canonical": "Acme Corp"}},
            {"start": 15, "end": 25, "label": "MONEY", "text": "$5 million",
             "value": {"amount": 5000000, "amount_max": None, "currency": "USD", "modifier": None}},
            {"start": 29, "end": 33, "label": "DATE", "text": "2020",
             "value": {"timex_type": "DATE", "timex_value": "2020", "start": "2020-01-01", "end": "2020-12-31"}},
        ],
    }


@pytest.fixture
def workspace(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (corpus / "meta.jsonl").write_text(json.dumps({"id": "a", "dct": "2021-10-13"}) + "\n", encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    return tmp_path, corpus, gold


def write_gold(gold_dir, obj, name="a.jsonl"):
    line = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    (gold_dir / name).write_text(line + "\n", encoding="utf-8")


# --- the real gold set ------------------------------------------------------------------------

def test_gold_set_is_valid():
    assert validate_gold(GOLD, CORPUS) == []


def test_validate_gold_cli_passes_on_gold():
    result = subprocess.run([sys.executable, "-m", "pipeline", "validate-gold", str(GOLD), "--corpus", str(CORPUS)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "valid" in result.stderr


def test_gold_covers_corpus_ids_it_claims():
    docs = load_gold(GOLD)
    assert docs, "gold/ holds no documents"
    assert all((CORPUS / f"{d.id}.txt").exists() for d in docs)


# --- broken fixtures --------------------------------------------------------------------------

def _set(path, value):
    def mutate(obj):
        target = obj
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return obj
    return mutate


def _del(path):
    def mutate(obj):
        target = obj
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        return obj
    return mutate


def _append(span):
    def mutate(obj):
        obj["spans"].append(span)
        return obj
    return mutate


BROKEN = [
    # (case, mutation, expected fragment of the problem line)
    ("offsets off by one", _set(("spans", 0, "end"), 8), "does not match text[0:8]"),
    ("offsets past the end", _set(("spans", 0, "end"), 999), "bad offsets 0-999"),
    ("end before start", _set(("spans", 0, "start"), 9), "bad offsets 9-9"),
    ("unknown label", _set(("spans", 0, "label"), "GPE"), "unknown label 'GPE'"),
    ("unknown value key", _set(("spans", 0, "value", "extra"), 1), "value.extra: Extra inputs are not permitted"),
    ("missing value key", _del(("spans", 1, "value", "modifier")), "value.modifier: Field required"),
    ("number as string", _set(("spans", 1, "value", "amount"), "5000000"), "value.amount: Input should be a valid number"),
    ("bad modifier", _set(("spans", 1, "value", "modifier"), "about"), "value.modifier"),
    ("null value", _set(("spans", 0, "value"), None), "value is missing"),
    ("keys of another label", _set(("spans", 0, "value"), {"amount": 5, "amount_max": None, "currency": "USD",
                                                          "modifier": None}), "value.canonical: Field required"),
    ("not a currency code", _set(("spans", 1, "value", "currency"), "dollars"), "not an ISO 4217 code"),
    ("bad interval date", _set(("spans", 2, "value", "end"), "2020-13-31"), "value.end '2020-13-31' is not a YYYY-MM-DD"),
    ("interval reversed", _set(("spans", 2, "value", "start"), "2021-01-01"), "is after value.end"),
    ("range reversed", _set(("spans", 1, "value", "amount_max"), 1), "amount_max 1 is below"),
    ("unknown span key", _set(("spans", 0, "source"), "model"), "unknown keys ['source']"),
    ("outer whitespace", _set(("spans", 0), {"start": 0, "end": 10, "label": "ORG", "text": "Acme Corp ",
                                             "value": {"canonical": "Acme Corp"}}), "outer whitespace"),
    ("overlap", _append({"start": 5, "end": 14, "label": "ORG", "text": "Corp paid", "value": {"canonical": "x"}}),
     "5-14 ORG 'Corp paid': overlaps span 0-9 ORG 'Acme Corp'"),
    ("in boilerplate", _append({"start": 36, "end": 42, "label": "ORG", "text": "Photo/",
                                "value": {"canonical": "x"}}), "falls in boilerplate 35-49"),
    ("text edited", _set(("text",), TEXT.replace("Acme", "ACME")), "text differs from"),
    ("meta without dct", _del(("meta", "dct")), "meta has no dct"),
    ("dct not a date", _set(("meta", "dct"), "13/10/2021"), "meta.dct '13/10/2021' is not an ISO date (YYYY-MM-DD) or null"),
    ("dct differs from corpus", _set(("meta", "dct"), "2021-10-14"), "differs from corpus/meta.jsonl"),
    ("unknown top-level key", _set(("annotator",), "me"), "unknown keys ['annotator']"),
    ("spans not a list", _set(("spans",), {}), "spans is not a list"),
]


@pytest.mark.parametrize("case, mutate, expected", BROKEN, ids=[c for c, _, _ in BROKEN])
def test_broken_gold_is_rejected(workspace, case, mutate, expected):
    _, corpus, gold = workspace
    write_gold(gold, mutate(copy.deepcopy(good_line())))
    problems = validate_gold(gold, corpus, boilerplate=fixed_boilerplate)
    assert problems, case
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(f"{gold / 'a.jsonl'}:1: ") for p in problems)


def test_fixture_itself_is_valid(workspace):
    _, corpus, gold = workspace
    write_gold(gold, good_line())
    assert validate_gold(gold, corpus, boilerplate=fixed_boilerplate) == []


def test_unsorted_spans_are_reported(workspace):
    _, corpus, gold = workspace
    line = good_line()
    line["spans"].reverse()
    write_gold(gold, line)
    problems = validate_gold(gold, corpus, boilerplate=fixed_boilerplate)
    assert any("not sorted by start" in p for p in problems), problems


@pytest.mark.parametrize("case, write, expected", [
    ("malformed JSON", lambda g: write_gold(g, '{"id": "a", "text": '), "malformed JSON"),
    ("id not in corpus", lambda g: write_gold(g, {**good_line(), "id": "b"}, "b.jsonl"), "has no corpus file"),
    ("id differs from file name", lambda g: write_gold(g, good_line(), "other.jsonl"), "differs from the file name other.jsonl"),
    ("duplicate id", lambda g: (write_gold(g, good_line()), write_gold(g, good_line(), "a2.jsonl")), "duplicate id 'a'"),
    ("empty directory", lambda g: None, "without *.jsonl files"),
])
def test_broken_gold_files_are_rejected(workspace, case, write, expected):
    _, corpus, gold = workspace
    write(gold)
    problems = validate_gold(gold, corpus, boilerplate=fixed_boilerplate)
    assert any(expected in p for p in problems), problems


def test_validate_gold_cli_lists_every_problem_and_exits_1(workspace):
    _, corpus, gold = workspace
    line = good_line()
    line["spans"][0]["end"] = 8                     # offsets
    line["spans"].append({"start": 36, "end": 41, "label": "ORG", "text": "Photo",  # real photo-credit rule
                          "value": {"canonical": "Photo"}})
    write_gold(gold, line)
    result = subprocess.run([sys.executable, "-m", "pipeline", "validate-gold", str(gold), "--corpus", str(corpus)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert "does not match text[0:8]" in lines[0]
    assert "36-41 ORG 'Photo': falls in boilerplate" in lines[1]


# --- loading ----------------------------------------------------------------------------------

def test_load_gold_reads_a_directory_or_one_file(workspace):
    tmp, _, gold = workspace
    write_gold(gold, good_line())
    (gold / "README.md").write_text("not gold", encoding="utf-8")
    docs = load_gold(gold)
    assert [d.id for d in docs] == ["a"] and docs[0].spans[1].value["amount"] == 5000000
    single = tmp / "all.jsonl"
    single.write_text(json.dumps(good_line()) + "\n\n" + json.dumps({**good_line(), "id": "b"}) + "\n",
                      encoding="utf-8")
    assert [d.id for d in load_documents(single)] == ["a", "b"]


@pytest.mark.parametrize("content, expected", [
    ('{"id": "a"}\n{"id": "a"}\n', "duplicate id 'a' (first at "),
    ('{"id": "a", "spans": [{"start": 3, "end": 1, "label": "ORG", "text": "x"}]}\n', "bad offsets 3-1"),
    ("[1, 2]\n", "expected a JSON object"),
    ('{"id": "a"\n', "malformed JSON"),
])
def test_load_documents_fails_loudly(tmp_path, content, expected):
    path = tmp_path / "p.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=r"p\.jsonl:\d+: "):
        load_documents(path)
    with pytest.raises(GoldError) as info:
        load_documents(path)
    assert expected in str(info.value)


def test_gold_needs_text(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "spans": []}\n', encoding="utf-8")
    with pytest.raises(GoldError, match="has no text"):
        load_gold(path)
