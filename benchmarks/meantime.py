"""MEANTIME English dev (Wikinews, annotated by others): ORG and DATE next to spaCy alone.

    python -m benchmarks.meantime            # prints the table

Data: ../shared/benchmarks/meantime/dev.jsonl (60 articles; see its README). Each text runs
through the full pipeline with its DCT as `doc._.dct`; the model's own ORG and DATE/TIME
entities from a plain `spacy.load` of the same model are the reference. MEANTIME keeps nested
ORG mentions and marks vague times our guidelines leave out, so lenient F1 is the figure to
compare; DATE value accuracy compares `timex_value` on lenient matches. The benchmark reads and
reports; no rule is written from a MEANTIME sentence.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEANTIME = ROOT.parent / "shared" / "benchmarks" / "meantime" / "dev.jsonl"
LABELS = ("ORG", "DATE")
SPACY_TO_OURS = {"ORG": "ORG", "DATE": "DATE", "TIME": "DATE"}

Mention = tuple[int, int, str | None]  # start, end, timex_value (None for ORG)


@dataclass(frozen=True)
class LabelResult:
    n_gold: int
    n_pred: int
    strict: int
    lenient: int
    values_right: int

    def _f1(self, tp: int) -> float | None:
        return 2 * tp / (self.n_gold + self.n_pred) if self.n_gold + self.n_pred else None

    @property
    def strict_f1(self) -> float | None:
        return self._f1(self.strict)

    @property
    def lenient_f1(self) -> float | None:
        return self._f1(self.lenient)

    @property
    def value_accuracy(self) -> float | None:
        return self.values_right / self.lenient if self.lenient else None


def label_result(gold: Sequence[Sequence[Mention]], pred: Sequence[Sequence[Mention]]) -> LabelResult:
    """Strict and lenient matches over documents (one gold span to at most one prediction)."""
    from pipeline.score import match_lenient, strict_true_positives

    strict = lenient = values = 0
    for g_doc, p_doc in zip(gold, pred, strict=True):
        g_doc, p_doc = sorted(g_doc), sorted(p_doc)
        g_iv, p_iv = [m[:2] for m in g_doc], [m[:2] for m in p_doc]
        strict += strict_true_positives(g_iv, p_iv)
        pairs = match_lenient(g_iv, p_iv)
        lenient += len(pairs)
        values += sum(g_doc[g][2] == p_doc[p][2] for g, p in pairs)
    return LabelResult(sum(map(len, gold)), sum(map(len, pred)), strict, lenient, values)


def load(path: Path = MEANTIME) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def mentions(spans: Sequence[dict], label: str) -> list[Mention]:
    return [(s["start"], s["end"], (s.get("value") or {}).get("timex_value") if label == "DATE" else None)
            for s in spans if s["label"] == label]


def run_systems(docs: Sequence[dict], nlp=None) -> dict[str, dict[str, LabelResult]]:
    """{system: {label: result}} for our pipeline and the bare model."""
    import spacy

    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    nlp = nlp or build_pipeline(Settings().model)
    bare = spacy.load(Settings().model)
    ours, model = [], []
    for doc in docs:
        spacy_doc = nlp.make_doc(doc["text"])
        spacy_doc._.dct = (doc.get("meta") or {}).get("dct")
        ours.append(nlp(spacy_doc)._.mentions)
        model.append([{"start": e.start_char, "end": e.end_char, "label": SPACY_TO_OURS[e.label_]}
                      for e in bare(doc["text"]).ents if e.label_ in SPACY_TO_OURS])
    gold = [d["spans"] for d in docs]
    return {name: {label: label_result([mentions(g, label) for g in gold], [mentions(p, label) for p in pred])
                   for label in LABELS}
            for name, pred in (("ours", ours), ("spacy", model))}


def main() -> int:
    results = run_systems(load())
    for system, by_label in results.items():
        for label, r in by_label.items():
            va = "–" if r.value_accuracy is None or label == "ORG" else f"{r.value_accuracy:.3f}"
            print(f"{system:6} {label:5} gold {r.n_gold:4} pred {r.n_pred:4} strict F1 {r.strict_f1:.3f} "
                  f"lenient F1 {r.lenient_f1:.3f} value acc {va}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
