"""`pipeline diff`: pairing two versions of a document's spans (a table of cases), verdicts against
gold, rendering, the command, and a real one-rule change run through the pipeline twice."""

import json
import re
import subprocess
import sys

import pytest

from pipeline.diff import diff_runs, document_changes, grade, render_diff_html, render_diff_text, verdict
from pipeline.records import RunSpan, read_run

TEXT = "Acme Corp paid $5 million, up 12 percent, to 300 workers on July 8, 2025."
MONEY = {"amount": 5_000_000, "amount_max": None, "currency": "USD", "modifier": None}
PCT = {"amount": 12, "amount_max": None, "unit": "percent", "modifier": None}


def s(start, end, label, value=None, source=None, doc="d"):
    return RunSpan(doc, start, end, label, TEXT[start:end], value, source)


def shape(changes):
    return [(c.kind, c.old and c.old.key[1:], c.new and c.new.key[1:], c.aspects) for c in changes]


# (case, old spans, new spans, [(kind, old (start, end, label), new (start, end, label), aspects)])
PAIRING = [
    ("unchanged", [s(0, 9, "ORG"), s(15, 25, "MONEY", MONEY)], [s(15, 25, "MONEY", MONEY), s(0, 9, "ORG")], []),
    ("a number's type does not matter", [s(15, 25, "MONEY", MONEY)], [s(15, 25, "MONEY", {**MONEY, "amount": 5e6})], []),
    ("only the source changed", [s(0, 9, "ORG", source="a")], [s(0, 9, "ORG", source="b")], []),
    ("added", [], [s(0, 9, "ORG")], [("added", None, (0, 9, "ORG"), ())]),
    ("removed", [s(0, 9, "ORG")], [], [("removed", (0, 9, "ORG"), None, ())]),
    ("value", [s(30, 40, "PERCENT", PCT)], [s(30, 40, "PERCENT", {**PCT, "unit": "percentage_point"})],
     [("changed", (30, 40, "PERCENT"), (30, 40, "PERCENT"), ("value",))]),
    ("label", [s(45, 48, "CARDINAL")], [s(45, 48, "QUANTITY")],
     [("changed", (45, 48, "CARDINAL"), (45, 48, "QUANTITY"), ("label",))]),
    ("boundary", [s(0, 4, "ORG")], [s(0, 9, "ORG")], [("changed", (0, 4, "ORG"), (0, 9, "ORG"), ("boundary",))]),
    ("boundary and value", [s(15, 22, "MONEY", {**MONEY, "amount": 5})], [s(15, 25, "MONEY", MONEY)],
     [("changed", (15, 22, "MONEY"), (15, 25, "MONEY"), ("boundary", "value"))]),
    ("label and boundary", [s(45, 48, "CARDINAL")], [s(45, 56, "QUANTITY")],
     [("changed", (45, 48, "CARDINAL"), (45, 56, "QUANTITY"), ("label", "boundary"))]),
    ("apart: removed and added", [s(0, 4, "ORG")], [s(5, 9, "ORG")],
     [("removed", (0, 4, "ORG"), None, ()), ("added", None, (5, 9, "ORG"), ())]),
    ("two old spans merged into one: one boundary change, one removal", [s(0, 4, "ORG"), s(5, 9, "ORG")],
     [s(0, 9, "ORG")], [("changed", (0, 4, "ORG"), (0, 9, "ORG"), ("boundary",)), ("removed", (5, 9, "ORG"), None, ())]),
    ("same offsets win over overlaps", [s(0, 9, "ORG"), s(0, 4, "ORG")], [s(0, 9, "ORG", {"canonical": "Acme"})],
     [("removed", (0, 4, "ORG"), None, ()), ("changed", (0, 9, "ORG"), (0, 9, "ORG"), ("value",))]),
]


@pytest.mark.parametrize("old, new, expected", [case[1:] for case in PAIRING], ids=[case[0] for case in PAIRING])
def test_document_changes_pair_spans(old, new, expected):
    assert shape(document_changes(old, new)) == expected


def test_a_value_change_says_which_fields_differ():
    change, = document_changes([s(30, 40, "PERCENT", PCT)], [s(30, 40, "PERCENT", {**PCT, "amount": 13})])
    assert change.value_diff == ("amount: 12 != 13",)


GOLD = [s(0, 9, "ORG", {"canonical": "Acme Corp"}), s(15, 25, "MONEY", MONEY), s(30, 40, "PERCENT", PCT)]


@pytest.mark.parametrize("span, expected", [
    (s(15, 25, "MONEY", MONEY), 3),                          # gold has it, with its value
    (s(15, 25, "MONEY", {**MONEY, "currency": "EUR"}), 2),   # offsets and label only
    (s(15, 22, "MONEY", MONEY), 1),                          # overlaps a gold span of its label
    (s(15, 25, "CARDINAL"), 0),                              # other label
    (s(45, 48, "CARDINAL"), 0),                              # nothing there
])
def test_grade_against_gold(span, expected):
    assert grade(span, GOLD) == expected


@pytest.mark.parametrize("old, new, expected", [
    ([], [s(0, 9, "ORG", {"canonical": "Acme Corp"})], "fix"),              # a missed span found
    ([], [s(0, 9, "ORG", {"canonical": "Acme"})], "fix"),                   # found, value wrong: still strict
    ([], [s(0, 4, "ORG")], "regression"),                                   # partial: strict counts an error
    ([], [s(45, 48, "CARDINAL")], "regression"),                            # a false alarm
    ([s(45, 48, "CARDINAL")], [], "fix"),                                   # a false alarm dropped
    ([s(15, 25, "MONEY", MONEY)], [], "regression"),                        # a right span lost
    ([s(0, 4, "ORG")], [s(0, 9, "ORG", {"canonical": "Acme Corp"})], "fix"),  # boundary fixed
    ([s(30, 40, "PERCENT", PCT)], [s(30, 40, "PERCENT", {**PCT, "amount": 1})], "regression"),  # value broken
    ([s(0, 4, "ORG")], [s(0, 6, "ORG")], "neutral"),                        # still a partial match
])
def test_verdicts(old, new, expected):
    change, = document_changes(old, new)
    assert verdict(change, GOLD) == expected


def test_diff_runs_compares_shared_documents_and_nets_per_label():
    old = {"d": [s(0, 4, "ORG"), s(15, 25, "MONEY", MONEY)], "gone": [], "plain": [s(45, 48, "CARDINAL", doc="plain")]}
    new = {"d": [s(0, 9, "ORG", {"canonical": "Acme Corp"}), s(45, 48, "CARDINAL")], "fresh": [],
           "plain": [s(45, 56, "CARDINAL", doc="plain")]}
    result = diff_runs(old, new, {"d": GOLD})
    assert (result.n_docs, result.only_old, result.only_new, result.n_gold_docs) == (2, ("gone",), ("fresh",), 1)
    assert [(c.doc_id, c.kind, c.verdict) for c in result.changes] == [
        ("d", "changed", "fix"), ("d", "removed", "regression"), ("d", "added", "regression"),
        ("plain", "changed", None)]  # no gold for "plain": no verdict
    nets = result.net_by_label()
    assert (nets["ORG"].net, nets["MONEY"].net, nets["CARDINAL"].net) == (1, -1, -1)
    assert result.strict_f1["ORG"] == (0.0, 1.0) and result.strict_f1["MONEY"] == (1.0, 0.0)


def test_changes_are_grouped_by_label_and_source():
    old = {"d": [s(0, 9, "ORG", source="model:ner"), s(30, 40, "PERCENT", PCT, "news_amounts:percent")]}
    new = {"d": [s(0, 4, "ORG", source="news_orgs:lexicon"), s(45, 48, "CARDINAL", source=None)]}
    result = diff_runs(old, new)
    assert [(key, [c.kind for c in changes]) for key, changes in result.groups] == [
        (("ORG", "news_orgs:lexicon"), ["changed"]), (("PERCENT", "news_amounts:percent"), ["removed"]),
        (("CARDINAL", "(unknown)"), ["added"])]
    text = render_diff_text(result, {"d": TEXT})
    assert text.splitlines()[0] == "1 added, 1 removed, 1 changed in 1 of 1 documents"
    assert "ORG  news_orgs:lexicon  (1 changed)" in text and "CARDINAL  (unknown)  (1 added)" in text
    assert "Acme Corp paid $5 million, up [12 percent], to 300 workers" in text


def test_diff_page_is_self_contained_escaped_and_filterable():
    text = "Beta <Ltd> paid $5 million."
    old = {"x": [RunSpan("x", 0, 10, "ORG", "Beta <Ltd>", {"canonical": "Beta <Ltd>"})]}
    new = {"x": [RunSpan("x", 0, 4, "ORG", "Beta", {"canonical": "Beta"}, "news_orgs:<rule>")]}
    page = render_diff_html(diff_runs(old, new), {"x": text}, {"old": "a.jsonl"})
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page) and "<script src" not in page
    assert "Beta <Ltd>" not in page and "Beta &lt;Ltd&gt;" in page and 'data-source="news_orgs:&lt;rule&gt;"' in page
    assert re.findall(r'<tr data-kind="(\w+)" data-label="(\w+)"', page) == [("changed", "ORG")]
    assert 'data-table="changes" data-filter="kind"' in page and 'data-filter="verdict"' not in page  # no gold


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def record(doc_id, spans, text=None):
    spans = [{"start": a.start, "end": a.end, "label": a.label, "text": a.text, "value": a.value,
              **({"source": a.source} if a.source else {})} for a in spans]
    return {"id": doc_id, "meta": {"dct": None}, "spans": spans, **({"text": text} if text else {})}


def test_diff_command_prints_changes_writes_html_and_judges_against_gold(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [{**record("d", GOLD), "text": TEXT}])
    old = write_jsonl(tmp_path / "old.jsonl", [record("d", [s(0, 4, "ORG", {"canonical": "Acme"}), GOLD[1]])])
    new = write_jsonl(tmp_path / "new.jsonl", [record("d", [GOLD[0], GOLD[1], s(45, 48, "CARDINAL", source="r")])])
    page = tmp_path / "diff.html"
    result = subprocess.run([sys.executable, "-m", "pipeline", "diff", str(old), str(new), "--gold", str(gold),
                             "--html", str(page)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "1 added, 0 removed, 1 changed in 1 of 1 documents"
    assert "~ boundary, value  d  'Acme' 0-4 → 'Acme Corp' 0-9" in result.stdout
    assert re.search(r"ORG\s+1\s+0\s+0\s+\+1", result.stdout) and re.search(r"CARDINAL\s+0\s+1\s+0\s+-1", result.stdout)
    html = page.read_text(encoding="utf-8")
    assert html.count('data-verdict="fix"') == 1 and html.count('data-verdict="regression"') == 1
    assert "<mark>Acme Corp</mark> paid $5 million" in html  # context from the gold text


def test_diff_command_reports_bad_lines_and_still_diffs(tmp_path):
    old = write_jsonl(tmp_path / "old.jsonl", [record("d", [GOLD[0]]), {"id": "bad", "spans": [{"start": "x"}]}])
    new = write_jsonl(tmp_path / "new.jsonl", [record("d", [])])
    result = subprocess.run([sys.executable, "-m", "pipeline", "diff", str(old), str(new)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "error: " in result.stderr and "not a span" in result.stderr
    assert result.stdout.startswith("0 added, 1 removed, 0 changed in 1 of 1 documents")


# --- done when: a one-rule change, run through the pipeline before and after -----------------------

ARTICLES = {
    "rates": "Acme Corp said on Monday that sales rose 5% to 3 billion yuan, while costs fell 2.5 percent.",
    "jobs": "Beta Ltd hired 300 workers in May; 40% of them are engineers, up from 35 pct a year earlier.",
    "plain": "The Shanghai Stock Exchange listed 12 companies in 2024, raising 8.1 billion yuan.",
}


def _extract(nlp, tmp_path, name):
    from pipeline.annotate import annotate
    from pipeline.schema import Article

    records = annotate(nlp, [Article(doc_id, text, {"dct": "2025-07-10"}) for doc_id, text in ARTICLES.items()])
    return write_jsonl(tmp_path / f"{name}.jsonl", [{**r, "text": ARTICLES[r["id"]]} for r in records])


def test_diff_lists_exactly_the_spans_a_one_rule_change_changed(nlp, tmp_path, monkeypatch):
    """The PERCENT rule changed to read a `%` sign as percentage points: the diff lists those spans'
    value changes and nothing else."""
    from pipeline.components.amounts import recognizer

    before = _extract(nlp, tmp_path, "before")
    rule = recognizer.percent_value

    def percent_sign_as_points(text):
        value = rule(text)
        return value.model_copy(update={"unit": "percentage_point"}) if value and "%" in text else value

    monkeypatch.setattr(recognizer, "percent_value", percent_sign_as_points)
    after = _extract(nlp, tmp_path, "after")

    def keyed(path):
        run, rejected = read_run(path)
        assert not rejected
        return run.spans, {(sp.key, json.dumps(sp.value, sort_keys=True)) for sp in run.all_spans}

    old, old_set = keyed(before)
    new, new_set = keyed(after)
    result = diff_runs(old, new)
    listed_old = {(c.old.key, json.dumps(c.old.value, sort_keys=True)) for c in result.changes if c.old}
    listed_new = {(c.new.key, json.dumps(c.new.value, sort_keys=True)) for c in result.changes if c.new}
    assert listed_old == old_set - new_set and listed_new == new_set - old_set  # every changed span, no other
    assert [(c.doc_id, c.span.text, c.aspects, c.value_diff) for c in result.changes] == [
        ("jobs", "40%", ("value",), ("unit: 'percent' != 'percentage_point'",)),
        ("rates", "5%", ("value",), ("unit: 'percent' != 'percentage_point'",))]
    shown = subprocess.run([sys.executable, "-m", "pipeline", "diff", str(before), str(after)],
                           capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == "0 added, 0 removed, 2 changed in 2 of 3 documents"
    assert shown.stdout.count("~ value") == 2
