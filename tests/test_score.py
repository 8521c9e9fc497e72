"""The scorer on hand-computed cases: each expected number was worked out on paper from the
guidelines' definitions, so a slip in the maths (matching, counting, tolerance) fails here."""

import itertools
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.schema import Document, Span
from pipeline.score import (PRF, ValueAccuracy, context, match_lenient, overlap, score,
                            strict_true_positives, value_differences, values_equal)

TEXT = "Acme Corp paid $5 million on July 8, 2025 to Beta Ltd, up 12 percent from 2024 for 40 firms."


def span(start, end, label, value=None, text=TEXT):
    return Span(start=start, end=end, label=label, text=text[start:end], value=value)


def money(amount, currency="USD"):
    return {"amount": amount, "amount_max": None, "currency": currency, "modifier": None}


def org(canonical):
    return {"canonical": canonical}


def doc(spans, doc_id="d1", text=TEXT):
    return Document(id=doc_id, text=text, meta={"dct": None}, spans=spans)


def counts(prf):
    return (prf.tp, prf.fp, prf.fn)


# --- counts and ratios ------------------------------------------------------------------------

@pytest.mark.parametrize("tp, fp, fn, p, r, f", [
    (0, 0, 0, None, None, None),       # nothing anywhere: undefined, not 0
    (0, 0, 3, None, 0.0, 0.0),         # nothing predicted
    (0, 2, 0, 0.0, None, 0.0),         # nothing in gold
    (1, 2, 1, 1 / 3, 1 / 2, 0.4),      # 2PR/(P+R) = (1/3)/(5/6) = 2/5
    (2, 1, 0, 2 / 3, 1.0, 0.8),
    (3, 0, 0, 1.0, 1.0, 1.0),
])
def test_prf_ratios(tp, fp, fn, p, r, f):
    prf = PRF(tp, fp, fn)
    assert prf.to_dict() == {"tp": tp, "fp": fp, "fn": fn, "p": pytest.approx(p) if p is not None else None,
                             "r": pytest.approx(r) if r is not None else None,
                             "f": pytest.approx(f) if f is not None else None}


def test_counts_add_up_like_spacy_prfscore():
    assert PRF(1, 2, 3) + PRF(10, 20, 30) == PRF(11, 22, 33)
    assert ValueAccuracy(1, 2) + ValueAccuracy(3, 4) == ValueAccuracy(4, 6)
    assert ValueAccuracy(4, 6).to_dict() == {"correct": 4, "total": 6, "accuracy": pytest.approx(2 / 3)}
    assert ValueAccuracy().accuracy is None


# --- strict vs lenient ------------------------------------------------------------------------

def test_strict_versus_lenient_hand_computed():
    gold = [span(0, 9, "ORG"), span(15, 25, "MONEY"), span(29, 41, "DATE")]   # Acme Corp, $5 million, July 8, 2025
    pred = [span(0, 4, "ORG"),       # Acme: boundary mismatch
            span(15, 25, "MONEY"),   # exact
            span(29, 35, "DATE"),    # July 8: boundary mismatch
            span(45, 53, "ORG")]     # Beta Ltd: false positive
    report = score([doc(gold)], [doc(pred)])
    # strict: only MONEY matches -> tp 1, fp 3, fn 2
    assert counts(report.micro.strict) == (1, 3, 2)
    assert report.micro.strict.precision == pytest.approx(1 / 4)
    assert report.micro.strict.recall == pytest.approx(1 / 3)
    assert report.micro.strict.f1 == pytest.approx(2 / 7)  # 2*1 / (2*1 + 3 + 2)
    # lenient: ORG, MONEY, DATE match; Beta Ltd stays a false positive
    assert counts(report.micro.lenient) == (3, 1, 0)
    assert report.micro.lenient.f1 == pytest.approx(6 / 7)  # 2*3 / (2*3 + 1 + 0)
    assert counts(report.labels["ORG"].strict) == (0, 2, 1)
    assert counts(report.labels["ORG"].lenient) == (1, 1, 0)
    assert counts(report.labels["MONEY"].strict) == (1, 0, 0)
    assert counts(report.labels["PERCENT"].lenient) == (0, 0, 0)


def test_same_offsets_other_label_is_a_miss_and_a_false_alarm():
    report = score([doc([span(15, 25, "MONEY")])], [doc([span(15, 25, "CARDINAL")])])
    assert counts(report.labels["MONEY"].lenient) == (0, 0, 1)
    assert counts(report.labels["CARDINAL"].lenient) == (0, 1, 0)
    notes = {r["kind"]: r["note"] for r in report.errors}
    assert notes == {"false_negative": "predicted CARDINAL '$5 million'",
                     "false_positive": "gold has MONEY '$5 million'"}


def test_duplicate_prediction_matches_once():
    assert strict_true_positives([(0, 5)], [(0, 5), (0, 5)]) == 1
    report = score([doc([span(0, 9, "ORG")])], [doc([span(0, 9, "ORG"), span(0, 9, "ORG")])])
    assert counts(report.micro.strict) == (1, 1, 0)
    assert counts(report.micro.lenient) == (1, 1, 0)


# --- one-to-one matching ----------------------------------------------------------------------

def test_two_predictions_overlapping_one_gold_span():
    # gold "$5 million" (15-25); predictions "$5" (15-17) and "5 million" (16-25)
    report = score([doc([span(15, 25, "MONEY")])], [doc([span(15, 17, "MONEY"), span(16, 25, "MONEY")])])
    assert counts(report.micro.lenient) == (1, 1, 0)
    assert counts(report.micro.strict) == (0, 2, 1)
    boundary = [r for r in report.errors if r["kind"] == "boundary"]
    false_pos = [r for r in report.errors if r["kind"] == "false_positive"]
    assert [(r["pred_start"], r["pred_end"]) for r in boundary] == [(16, 25)]  # larger overlap wins
    assert [(r["pred_start"], r["pred_end"]) for r in false_pos] == [(15, 17)]


def test_one_prediction_overlapping_two_gold_spans():
    gold = [span(0, 4, "ORG"), span(5, 9, "ORG")]        # "Acme" and "Corp" as two gold spans
    pred = [span(2, 8, "ORG")]                            # "me Cor": overlaps them by 2 and 3
    assert match_lenient([(0, 4), (5, 9)], [(2, 8)]) == [(1, 0)]
    report = score([doc(gold)], [doc(pred)])
    assert counts(report.micro.lenient) == (1, 0, 1)
    assert [(r["gold_start"], r["kind"]) for r in report.errors] == [(0, "false_negative"), (5, "boundary")]


def test_matching_maximizes_matches_before_overlap():
    # Greedy largest-overlap-first would pair A with P (8 chars) and leave B and Q unmatched.
    a, b = (0, 10), (10, 14)
    p, q = (2, 12), (0, 1)   # P overlaps A by 8 and B by 2; Q overlaps A by 1
    assert match_lenient([a, b], [p, q]) == [(0, 1), (1, 0)]
    gold = [span(*a, "ORG"), span(*b, "ORG")]
    pred = [span(*p, "ORG"), span(*q, "ORG")]
    assert counts(score([doc(gold)], [doc(pred)]).micro.lenient) == (2, 0, 0)


def test_matching_prefers_exact_pairs_then_overlap():
    # Both golds could match either prediction; the exact pair must be kept.
    assert match_lenient([(0, 10), (5, 12)], [(0, 10), (4, 11)]) == [(0, 0), (1, 1)]
    assert match_lenient([(0, 10)], [(0, 3), (2, 9), (8, 10)]) == [(0, 1)]
    assert match_lenient([], [(0, 3)]) == [] and match_lenient([(0, 3)], []) == []
    assert match_lenient([(0, 3)], [(3, 6)]) == []  # touching is not overlapping


def _brute_force_best(gold, pred):
    edges = [(g, p) for g in range(len(gold)) for p in range(len(pred)) if overlap(gold[g], pred[p])]
    best = (0, 0, 0)
    for r in range(1, len(edges) + 1):
        for chosen in itertools.combinations(edges, r):
            if len({g for g, _ in chosen}) == r and len({p for _, p in chosen}) == r:
                best = max(best, _objective(gold, pred, chosen))
    return best


def _objective(gold, pred, pairs):
    return (len(pairs), sum(gold[g] == pred[p] for g, p in pairs),
            sum(overlap(gold[g], pred[p]) for g, p in pairs))


intervals = st.lists(st.tuples(st.integers(0, 25), st.integers(1, 7)).map(lambda t: (t[0], t[0] + t[1])),
                     max_size=5).map(sorted)


@settings(deadline=None, max_examples=300)
@given(intervals, intervals)
def test_matching_is_optimal_one_to_one_and_deterministic(gold, pred):
    pairs = match_lenient(gold, pred)
    assert len({g for g, _ in pairs}) == len(pairs) == len({p for _, p in pairs})
    assert all(overlap(gold[g], pred[p]) > 0 for g, p in pairs)
    assert _objective(gold, pred, pairs) == _brute_force_best(gold, pred)
    assert match_lenient(gold, pred) == pairs


# --- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize("gold, pred, equal", [
    (money(1_000_000), money(1_000_000.5), True),            # relative 5e-7
    (money(1_000_000), money(999_999.2), True),              # relative 8e-7
    (money(1_000_000), money(1_000_002), False),             # relative 2e-6
    (money(46_100_000_000), money(46.1e9), True),            # int vs float
    (money(0), money(0.0), True),
    (money(0), money(1e-12), False),                         # relative, not absolute
    (money(5), money(5, "usd"), False),                      # other strings are exact
    (money(None), money(None), True),
    (money(None), money(0), False),
    (org("Bank of China"), org("bank of CHINA"), True),      # canonical ignores case
    (org("Bank of China"), org("Bank of China Ltd"), False),
    ({"amount": 5, "amount_max": None, "unit": "percent", "modifier": None},
     {"amount": 5, "amount_max": None, "unit": "percent", "modifier": "approx"}, False),
    ({"amount": 5, "amount_max": None, "unit": "percent", "modifier": None},
     {"amount": 5, "amount_max": None, "unit": "percent"}, False),   # a missing key differs
    (money(5), None, False),
    (None, None, True),
    ({"amount": 1, "flag": True}, {"amount": 1, "flag": 1}, False),  # bool is not a number
])
def test_value_equality_rules(gold, pred, equal):
    assert values_equal(gold, pred) is equal
    assert (value_differences(gold, pred) == []) is equal


def test_value_differences_name_the_field():
    assert value_differences(money(5), money(6)) == ["amount: 5 != 6"]


def test_value_accuracy_counts_lenient_matches_only():
    gold = [span(15, 25, "MONEY", money(5_000_000)), span(0, 9, "ORG", org("Acme Corp")),
            span(45, 53, "ORG", org("Beta Ltd")), span(83, 85, "CARDINAL",
                                                     {"amount": 40, "amount_max": None, "modifier": None,
                                                      "kind": "count", "counted": "firm"})]
    pred = [span(16, 25, "MONEY", money(5_000_000.000001)),   # boundary, right value
            span(0, 9, "ORG", org("ACME CORP")),              # exact, right value (case)
            span(45, 53, "ORG", org("Beta")),                 # exact, wrong value
            span(58, 68, "PERCENT", {"amount": 12, "amount_max": None, "unit": "percent",
                                     "modifier": None})]      # false positive: no value counted
    report = score([doc(gold)], [doc(pred)])
    assert report.micro.value.to_dict() == {"correct": 2, "total": 3, "accuracy": pytest.approx(2 / 3)}
    assert report.labels["ORG"].value.to_dict() == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert report.labels["CARDINAL"].value.accuracy is None
    assert [(r["label"], r["kind"]) for r in report.errors] == [
        ("MONEY", "boundary"), ("ORG", "wrong_value"), ("PERCENT", "false_positive"), ("CARDINAL", "false_negative")]
    wrong = report.errors[1]
    assert wrong["value_diff"] == "canonical: 'Beta Ltd' != 'Beta'"
    assert json.loads(wrong["gold_value"]) == org("Beta Ltd")


# --- documents and empty cases ----------------------------------------------------------------

def test_missing_documents_count_as_misses_and_extra_ones_are_ignored():
    gold = [doc([span(0, 9, "ORG")], "a"), doc([span(15, 25, "MONEY")], "b")]
    pred = [doc([span(0, 9, "ORG")], "a"), doc([span(15, 25, "MONEY")], "zzz")]
    report = score(gold, pred)
    assert counts(report.micro.strict) == (1, 0, 1)
    assert report.missing_docs == ["b"] and report.ignored_docs == ["zzz"]
    assert report.to_dict()["missing_docs"] == ["b"]


def test_empty_gold_and_predictions():
    report = score([doc([])], [doc([])])
    assert report.micro.to_dict() == {
        "n_gold": 0, "n_pred": 0,
        "strict": {"tp": 0, "fp": 0, "fn": 0, "p": None, "r": None, "f": None},
        "lenient": {"tp": 0, "fp": 0, "fn": 0, "p": None, "r": None, "f": None},
        "value": {"correct": 0, "total": 0, "accuracy": None}}
    assert report.errors == []
    assert score([], []).n_docs == 0
    only_pred = score([doc([])], [doc([span(0, 9, "ORG")])])
    assert only_pred.micro.strict.to_dict() == {"tp": 0, "fp": 1, "fn": 0, "p": 0.0, "r": None, "f": 0.0}


def test_error_rows_sorted_with_context():
    gold = [span(45, 53, "ORG"), span(0, 9, "ORG")]
    report = score([doc(gold)], [doc([])])
    assert [r["gold_start"] for r in report.errors] == [0, 45]
    assert report.errors[1]["context"] == ("Acme Corp paid $5 million on July 8, 2025 to [Beta Ltd], "
                                           "up 12 percent from 2024 for 40 firms.")
    assert context("a\n b  [c]", 0, 1, width=3) == "[a] b…"
    assert context(TEXT, 45, 53, width=5) == "…5 to [Beta Ltd], up…"
    frame = report.errors_frame()
    assert list(frame["kind"]) == ["false_negative", "false_negative"]
    assert str(frame["pred_start"].dtype) == "Int64"


# --- command line -----------------------------------------------------------------------------

def _write_jsonl(path, docs):
    path.write_text("".join(d.model_dump_json() + "\n" for d in docs), encoding="utf-8")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=300)


def test_score_cli_writes_json_and_error_files(tmp_path):
    gold_file, pred_file = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    _write_jsonl(gold_file, [doc([span(0, 9, "ORG", org("Acme Corp")), span(15, 25, "MONEY", money(5e6))], "a"),
                             doc([span(45, 53, "ORG", org("Beta Ltd"))], "b")])
    _write_jsonl(pred_file, [doc([span(0, 9, "ORG", org("acme corp")), span(16, 25, "MONEY", money(5e6))], "a"),
                             doc([], "other")])
    result = run_cli("score", "--gold", str(gold_file), "--pred", str(pred_file),
                     "--json", str(tmp_path / "s.json"), "--errors", str(tmp_path / "e.csv"))
    assert result.returncode == 0, result.stderr
    assert "micro" in result.stdout and "lenient F1" in result.stdout
    assert "1 gold document(s) have no prediction" in result.stderr and ": b" in result.stderr
    assert "1 predicted document(s) are not in the gold set and were ignored" in result.stderr
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["micro"]["strict"] == {"tp": 1, "fp": 1, "fn": 2, "p": 0.5, "r": pytest.approx(1 / 3),
                                         "f": 0.4}
    assert scores["micro"]["lenient"]["tp"] == 2 and scores["micro"]["value"]["accuracy"] == 1.0
    assert scores["missing_docs"] == ["b"] and scores["ignored_docs"] == ["other"]
    import pandas as pd

    errors = pd.read_csv(tmp_path / "e.csv")
    assert list(errors["kind"]) == ["boundary", "false_negative"]
    result = run_cli("score", "--gold", str(gold_file), "--pred", str(pred_file),
                     "--errors", str(tmp_path / "e.jsonl"))
    rows = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert [r["doc_id"] for r in rows] == ["a", "b"]


def test_score_cli_reports_unreadable_predictions_and_scores_the_rest(tmp_path):
    gold_file, pred_file = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    _write_jsonl(gold_file, [doc([], "a")])
    pred_file.write_text('{"id": "a", "spans": []}\n{"id": "b", "spans": [{"start": 0}\n', encoding="utf-8")
    result = run_cli("score", "--gold", str(gold_file), "--pred", str(pred_file))
    assert result.returncode == 1
    assert "pred.jsonl:2: malformed JSON" in result.stderr and "micro" in result.stdout
    assert "gold document(s) have no prediction" not in result.stderr  # "a" was read and scored
