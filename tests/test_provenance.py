"""Which rule erred: precision per span source (pipeline/provenance.py), from the aggregation as a
pure function up to `pipeline score`, the HTML report, and a deliberately broken rule that must
come out as the worst source."""

import json
import subprocess
import sys

import pytest
from conftest import GOLD, ROOT

from pipeline.gold import load_gold
from pipeline.provenance import NO_SOURCE, JudgedSpan, source_table, table_rows
from pipeline.report import render_report, score_system
from pipeline.schema import Document, Span
from pipeline.score import score
from record_samples import samples, schema_1_0

# --- the aggregation, a pure function ---------------------------------------------------------------


def judged(source, strict, lenient, context="… [x] …", doc_id="d", start=0):
    return JudgedSpan(doc_id, source, "ORG", start, start + 1, "x", strict, lenient, context)


def right(source):
    return judged(source, True, True)


def boundary(source):
    return judged(source, False, True)


def wrong(source, context="… [x] …"):
    return judged(source, False, False, context)


# (judged predictions, expected rows worst first: source, n_pred, right strict, right lenient, FP strict, FP listed)
TABLES = [
    pytest.param([], [], id="nothing predicted"),
    pytest.param([right("a:x"), right("a:x")], [("a:x", 2, 2, 2, 0, 0)], id="all right"),
    pytest.param([right("a:good"), wrong("a:bad"), right("a:bad")],
                 [("a:bad", 2, 1, 1, 1, 1), ("a:good", 1, 1, 1, 0, 0)], id="lower precision first"),
    pytest.param([wrong("a:one"), wrong("a:two"), wrong("a:two")],
                 [("a:two", 2, 0, 0, 2, 2), ("a:one", 1, 0, 0, 1, 1)], id="tie on precision: more FPs first"),
    pytest.param([boundary("a:near"), right("a:near"), wrong("a:far"), right("a:far")],
                 [("a:far", 2, 1, 1, 1, 1), ("a:near", 2, 1, 2, 1, 1)], id="tie on both: lower lenient first"),
    pytest.param([wrong("b:z"), wrong("a:z")], [("a:z", 1, 0, 0, 1, 1), ("b:z", 1, 0, 0, 1, 1)], id="then by id"),
    pytest.param([right(None), wrong(None)], [(NO_SOURCE, 2, 1, 1, 1, 1)], id="schema 1.0.0: no source"),
    pytest.param([wrong("a:sealed", context=None), wrong("a:sealed"), right("a:sealed")],
                 [("a:sealed", 3, 1, 1, 2, 1)], id="sealed documents count, never listed"),
]


@pytest.mark.parametrize(("spans", "expected"), TABLES)
def test_source_table(spans, expected):
    table = source_table(spans)
    assert [(s.source, s.n_pred, s.strict, s.lenient, s.n_fp, len(s.false_positives)) for s in table] == expected
    for s in table:
        assert all(not fp.strict and fp.context is not None for fp in s.false_positives)


def test_table_rows_and_dict_give_precision_and_false_positives():
    table = source_table([boundary("a:x"), right("a:x"), wrong("a:x", "… [Acme] …")])
    assert table_rows(table) == [["a:x", "3", "1", "2", "33.3", "66.7", "2"]]
    row = table[0].to_dict()
    assert (row["precision_strict"], row["precision_lenient"]) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert [fp["kind"] for fp in row["false_positives"]] == ["boundary", "false_positive"]


# --- the scorer judges each prediction -------------------------------------------------------------

TEXT = "Acme Corp paid $5 million on July 8, 2025 to Beta Ltd, up 12 percent from 2024 for 40 firms."


def span(start, end, label, source=None):
    value = {"canonical": TEXT[start:end]} if label == "ORG" else None  # gold ORGs need one
    return Span(start=start, end=end, label=label, text=TEXT[start:end], value=value, source=source)


def doc(spans, doc_id="d1"):
    return Document(id=doc_id, text=TEXT, meta={"dct": None}, spans=spans)


def test_scorer_judges_each_prediction_by_its_source():
    gold = [span(0, 9, "ORG"), span(15, 25, "MONEY"), span(29, 41, "DATE")]
    pred = [span(0, 4, "ORG", "orgs:a"),          # Acme: boundary
            span(15, 25, "MONEY", "amounts:b"),   # exact
            span(29, 41, "DATE", "dates:c"),      # exact
            span(45, 53, "ORG", "orgs:a"),        # Beta Ltd: false positive
            span(58, 68, "MONEY", "amounts:b")]   # 12 percent as MONEY: wrong label
    gold_doc = doc(gold)
    report = score([gold_doc], [doc(pred)])
    rows = {s.source: (s.n_pred, s.strict, s.lenient) for s in report.sources}
    assert rows == {"orgs:a": (2, 0, 1), "amounts:b": (2, 1, 1), "dates:c": (1, 1, 1)}
    assert report.sources[0].source == "orgs:a"
    fps = {(fp.text, fp.kind, fp.gold) for s in report.sources for fp in s.false_positives}
    assert fps == {("Acme", "boundary", "ORG 'Acme Corp'"), ("Beta Ltd", "false_positive", ""),
                   ("12 percent", "false_positive", "")}
    assert report.sources[0].false_positives[0].context.startswith("[Acme] Corp paid")
    # the source is never part of a match: the same spans without sources score the same
    bare = score([gold_doc], [doc([s.model_copy(update={"source": None}) for s in pred])])
    assert bare.to_dict()["micro"] == report.to_dict()["micro"]
    assert [(s.source, s.n_pred) for s in bare.sources] == [(NO_SOURCE, 5)]


def test_withheld_documents_give_counts_but_no_false_positive():
    gold, pred = doc([span(0, 9, "ORG")]), doc([span(0, 9, "ORG", "orgs:a"), span(45, 53, "ORG", "orgs:a")])
    report = score([gold], [pred], withhold={"d1"})
    (row,) = report.sources
    assert (row.n_pred, row.strict, row.n_fp, row.false_positives) == (2, 1, 1, ())
    assert all(j.context is None and j.gold == "" for j in report.judged)
    assert "Beta" not in json.dumps(report.to_dict())


# --- command line and report -----------------------------------------------------------------------

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)


def _write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_score_cli_prints_and_writes_the_source_table(tmp_path):
    gold_file, pred_file = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    _write_jsonl(gold_file, [doc([span(0, 9, "ORG")]).model_dump()])
    _write_jsonl(pred_file, [doc([span(0, 9, "ORG", "orgs:good"), span(45, 53, "ORG", "orgs:bad")]).model_dump()])
    result = run_cli("score", "--gold", str(gold_file), "--pred", str(pred_file), "--json", str(tmp_path / "s.json"))
    assert result.returncode == 0, result.stderr
    assert "Precision by source" in result.stdout and "false positives of orgs:bad" in result.stdout
    assert "[Beta Ltd]" in result.stdout
    sources = json.loads((tmp_path / "s.json").read_text())["sources"]
    assert [(s["source"], s["n_pred"], s["strict"], s["precision_strict"]) for s in sources] == [
        ("orgs:bad", 1, 0, 0.0), ("orgs:good", 1, 1, 1.0)]
    assert sources[0]["false_positives"][0]["text"] == "Beta Ltd"
    summary = run_cli("score", "--gold", str(gold_file), "--pred", str(pred_file), "--summary-only",
                      "--json", str(tmp_path / "summary.json"))
    assert summary.returncode == 0 and "Precision by source" in summary.stdout and "[Beta Ltd]" not in summary.stdout
    sealed = json.loads((tmp_path / "summary.json").read_text())["sources"]
    assert [(s["source"], s["n_fp"], s["false_positives"]) for s in sealed] == [("orgs:bad", 1, []), ("orgs:good", 0, [])]


def test_records_of_schema_1_0_still_load_and_score(tmp_path):
    """Predictions written before `source` existed: read, exported, loaded and scored as before."""
    from pipeline.records import read_checked_records, to_dataframe

    old = [schema_1_0(r) for r in samples()]
    path = tmp_path / "old.jsonl"
    _write_jsonl(path, old)
    records = list(read_checked_records(path))
    assert records == old  # every line passes the checks and the 1.1.0 schema
    assert to_dataframe(records)["source"].isna().all()
    gold = [Document.model_validate({**r, "text": "x" * r["meta"]["n_chars"], "spans": []}) for r in old]
    report = score(gold, [Document.model_validate(r) for r in old])
    assert [(s.source, s.n_pred, s.strict) for s in report.sources] == [
        (NO_SOURCE, sum(len(r["spans"]) for r in old), 0)]
    result = run_cli("export", str(path), "--out", str(tmp_path / "m.csv"))
    assert result.returncode == 0, result.stderr


def test_report_links_the_worst_source_to_its_false_positives():
    gold = [doc([span(0, 9, "ORG")])]
    ours = score_system(gold, [doc([span(0, 9, "ORG", "orgs:good"), span(45, 53, "ORG", "orgs:bad")])], "ours", "Ours")
    page = render_report(gold, ours, boilerplate=lambda text: [])
    assert 'worst source: <a href="#src-orgs_bad"><code>orgs:bad</code></a>' in page
    assert '<details class="source" id="src-orgs_bad" open>' in page and "[Beta Ltd]" in page
    assert page.index('id="sources"') < page.index('id="src-orgs_bad"')


# --- done when: a broken rule is the worst source ------------------------------------------------

BROKEN_RULE = {"id": "broken-month-names", "take": "all", "why": "deliberately wrong: months and days are no ORG",
               "pattern": [{"TEXT": {"IN": ["January", "February", "March", "April", "May", "June", "July", "August",
                                            "September", "October", "November", "December", "Monday", "Tuesday",
                                            "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}}]}


def test_a_broken_rule_is_the_worst_source(tmp_path):
    """An org pattern file with one wrong rule (month and weekday names as ORG): on a few gold/dev
    documents that rule, and no other, comes out first in the per-source table."""
    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    patterns = tmp_path / "org_patterns.jsonl"
    patterns.write_text((ROOT / "pipeline" / "patterns" / "org_patterns.jsonl").read_text(encoding="utf-8")
                        + json.dumps(BROKEN_RULE) + "\n", encoding="utf-8")
    nlp = build_pipeline(Settings().model)
    nlp.replace_pipe("news_orgs", "news_orgs", config={"patterns_path": str(patterns)})
    gold = load_gold(GOLD / "dev")[:12]
    preds = []
    for gold_doc in gold:
        spacy_doc = nlp.make_doc(gold_doc.text)
        spacy_doc._.dct = gold_doc.meta.get("dct")
        preds.append(Document(id=gold_doc.id, text=gold_doc.text, spans=nlp(spacy_doc)._.mentions))
    worst, *others = score(gold, preds).sources
    assert worst.source == "news_orgs:pattern.broken-month-names"
    assert worst.precision_strict == 0 and worst.n_fp >= 5 and len(worst.false_positives) == worst.n_fp
    assert all(fp.label == "ORG" for fp in worst.false_positives)
    assert all(o.source != worst.source for o in others)


def test_benchmark_table_keeps_counts_only():
    """MEANTIME and TempEval-3 are held out: their per-source table lists no false positive."""
    from benchmarks.per_source import markdown, source_scores

    docs = [{"id": "t", "text": TEXT, "spans": [{"start": 0, "end": 9, "label": "ORG", "text": "Acme Corp"},
                                                {"start": 29, "end": 41, "label": "DATE", "text": "July 8, 2025"}]}]
    ours = [[{"start": 0, "end": 9, "label": "ORG", "text": "Acme Corp", "source": "orgs:good"},
             {"start": 45, "end": 53, "label": "ORG", "text": "Beta Ltd", "source": "orgs:bad"},
             {"start": 15, "end": 25, "label": "MONEY", "text": "$5 million", "source": "amounts:x"}]]
    table = source_scores(docs, ours, ["ORG", "DATE"])
    assert [(s.source, s.n_pred, s.strict, s.false_positives) for s in table] == [("orgs:bad", 1, 0, ()),
                                                                                  ("orgs:good", 1, 1, ())]
    assert markdown(table).splitlines()[2] == "| orgs:bad | 1 | 0 | 0 | 0.0 | 0.0 | 1 |"
