"""Snapshots of the pipeline's output, so any change in what it extracts shows up in review as a
diff of a YAML file under tests/test_regressions/.

- per-label scores on gold/dev and, summary only, on the sealed gold/test (counts and F1);
- every mention with its normalized value and its source (`via`: the rule that produced it) on the
  corpus, sealed test documents left out (their per-span output is not for reading: gold/README.md).

After an intended change, regenerate and review the diff:

    .venv/bin/python -m pytest tests/test_regressions.py --force-regen
"""

import pytest
from conftest import GOLD

from pipeline.gold import load_gold, sealed_ids
from pipeline.schema import Document
from pipeline.score import score


def _round(x):
    return None if x is None else round(x, 4)


def scores_snapshot(records: list[dict], gold_dir) -> dict:
    report = score(load_gold(gold_dir), [Document.model_validate(r) for r in records])
    table = {}
    for name, s in [*report.labels.items(), ("micro", report.micro)]:
        table[name] = {
            "n_gold": s.n_gold, "n_pred": s.n_pred,
            "strict": {"tp": s.strict.tp, "fp": s.strict.fp, "fn": s.strict.fn, "f1": _round(s.strict.f1)},
            "lenient": {"tp": s.lenient.tp, "fp": s.lenient.fp, "fn": s.lenient.fn, "f1": _round(s.lenient.f1)},
            "value": {"correct": s.value.correct, "total": s.value.total, "accuracy": _round(s.value.accuracy)},
        }
    return {"n_docs": report.n_docs, "missing_docs": report.missing_docs, "labels": table}


def mentions_snapshot(records: list[dict]) -> dict:
    sealed = sealed_ids(GOLD)
    return {r["id"]: [{"span": f'{m["start"]}-{m["end"]} {m["label"]} {m["text"]}', "value": m["value"],
                       "via": m["source"]}  # `via`, not `source`: YAML sorts the keys, and it goes last
                      for m in r["spans"]]
            for r in sorted(records, key=lambda r: r["id"]) if r["id"] not in sealed}


@pytest.mark.parametrize("split", ["dev", "test"])
def test_scores_on_gold(corpus_records, data_regression, split):
    data_regression.check(scores_snapshot(corpus_records, GOLD / split))


def test_normalized_values_on_corpus(corpus_records, data_regression):
    data_regression.check(mentions_snapshot(corpus_records))
