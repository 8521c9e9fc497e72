"""MEANTIME English dev (Wikinews, annotated by others): ORG and DATE next to spaCy alone.

    python -m benchmarks.meantime            # writes benchmarks/MEANTIME.md
    python -m benchmarks.meantime --out -    # prints the Markdown instead

Data: ../shared/benchmarks/meantime/dev.jsonl (60 articles; see its README). Each text runs
through the full pipeline with its DCT as `doc._.dct`; the model's own ORG and DATE/TIME
entities from a plain `spacy.load` of the same model are the reference. MEANTIME keeps nested
ORG mentions and marks vague times our guidelines leave out, so lenient F1 is the figure to
compare; DATE value accuracy compares `timex_value` on lenient matches. Our ORG and DATE spans
are also counted by source, the rule that produced them (benchmarks/per_source.py: precision per
rule, counts only). The benchmark reads and reports; no rule is written from a MEANTIME sentence.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import per_source

ROOT = Path(__file__).resolve().parent.parent
MEANTIME = ROOT.parent / "shared" / "benchmarks" / "meantime" / "dev.jsonl"
OUT = Path(__file__).with_name("MEANTIME.md")
COMMAND = "python -m benchmarks.meantime"
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


def run_pipelines(docs: Sequence[dict], nlp=None) -> dict[str, list[list[dict]]]:
    """{system: mentions per document} for our pipeline and the bare model."""
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
    return {"ours": ours, "spacy": model}


def label_results(docs: Sequence[dict], predicted: dict[str, list[list[dict]]]) -> dict[str, dict[str, LabelResult]]:
    """{system: {label: result}}."""
    gold = [d["spans"] for d in docs]
    return {name: {label: label_result([mentions(g, label) for g in gold], [mentions(p, label) for p in pred])
                   for label in LABELS}
            for name, pred in predicted.items()}


def run_systems(docs: Sequence[dict], nlp=None) -> dict[str, dict[str, LabelResult]]:
    """{system: {label: result}} for our pipeline and the bare model."""
    return label_results(docs, run_pipelines(docs, nlp))


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def markdown(results: dict[str, dict[str, LabelResult]], by_source: str, n_docs: int) -> str:
    rows = [f"| {system} | {label} | {r.n_gold} | {r.n_pred} | {_fmt(r.strict_f1)} | {_fmt(r.lenient_f1)} | "
            f"{_fmt(r.value_accuracy) if label == 'DATE' and system == 'ours' else '–'} |"
            for system, by_label in results.items() for label, r in by_label.items()]
    return f"""# MEANTIME English dev: ORG and DATE

Produced by `{COMMAND}` (this file is its output). Data: `../shared/benchmarks/meantime/dev.jsonl`
({n_docs} Wikinews articles annotated by others; see its README), each text run through the full
pipeline with its DCT as `doc._.dct`; `spacy` is the model's own ORG and DATE/TIME entities from a
plain `spacy.load` of the same model. MEANTIME keeps nested ORG mentions and marks vague times our
guidelines leave out, so lenient F1 is the figure to compare (benchmarks/ACCURACY.md has it next to
the other benchmarks). Value accuracy: `timex_value` on lenient DATE matches.

| system | label | gold | pred | strict F1 | lenient F1 | value acc. |
|---|---|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

## Our ORG and DATE spans by source

Which rule produced each of our ORG and DATE spans (`source`, docs/sources.md) and how many of
them MEANTIME confirms: right strict (same offsets and label), right lenient (overlapping, one to
one), worst source first (lowest strict precision, then most false positives), as `pipeline score`
prints it for gold/dev. Counts only: the false positives of this held-out set are not listed. Part
of the misses are MEANTIME's conventions (nested names, vague times), not errors of the rule.

{by_source}
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=MEANTIME)
    parser.add_argument("--out", default=str(OUT), help="Markdown file, or - for stdout")
    args = parser.parse_args(argv)
    docs = load(args.data)
    predicted = run_pipelines(docs)
    by_source = per_source.markdown(per_source.source_scores(docs, predicted["ours"], LABELS))
    text = markdown(label_results(docs, predicted), by_source, len(docs))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
