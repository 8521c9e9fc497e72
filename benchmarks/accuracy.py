"""`make accuracy`: every accuracy benchmark in one table, next to the peers and the last figures.

    python -m benchmarks.accuracy     # writes benchmarks/ACCURACY.md, accuracy.json and README's table

One run scores the pipeline on gold/dev (where the rules are studied), gold/test (sealed: scores
only), TempEval-3 platinum, MEANTIME dev and Recognizers-Text, with the peers measured in the same
run (spaCy alone, quantulum3, dateparser) or copied from the data sets' READMEs (HeidelTime).
The previous committed `accuracy.json` gives the "before" column, so a change that raises one
benchmark and drops another shows at once. Targets are issue 13's "done when".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import meantime, recognizers, te3

ROOT = Path(__file__).resolve().parent.parent
OUT_MD = Path(__file__).with_name("ACCURACY.md")
OUT_JSON = Path(__file__).with_name("accuracy.json")
README = ROOT / "README.md"
COMMAND = "python -m benchmarks.accuracy"

# (benchmark, metric) -> target from issue 13, as a fraction
TARGETS = {
    ("gold/test", "micro strict F1"): 0.92, ("gold/test", "value accuracy"): 0.95,
    ("gold/test", "lowest label strict F1"): 0.90, ("gold/dev", "micro strict F1"): 0.95,
    ("TempEval-3 platinum", "strict F1"): 0.83, ("TempEval-3 platinum", "relaxed F1"): 0.89,
    ("TempEval-3 platinum", "value F1"): 0.78,
    ("MEANTIME dev", "ORG lenient F1"): 0.85, ("MEANTIME dev", "DATE lenient F1"): 0.80,
    ("Recognizers-Text", "Currency extraction"): 0.85, ("Recognizers-Text", "Dimension extraction"): 0.85,
    ("Recognizers-Text", "Percent extraction"): 0.85,
}
HEIDELTIME = {("TempEval-3 platinum", "strict F1"): 0.818, ("TempEval-3 platinum", "relaxed F1"): 0.907,
              ("TempEval-3 platinum", "value F1"): 0.766}
UNSEEN = {"gold/test", "TempEval-3 platinum", "MEANTIME dev", "Recognizers-Text"}

Figures = dict[tuple[str, str], dict[str, float | None]]  # (benchmark, metric) -> {system: value}


def gold_figures(nlp, folder: Path, name: str) -> Figures:
    """Micro strict F1, value accuracy and each label's strict F1, ours and the baselines'."""
    from pipeline.annotate import annotate_one
    from pipeline.gold import load_gold
    from pipeline.report import run_baselines, score_system
    from pipeline.schema import Article, Document

    gold = load_gold(folder)
    preds = [Document.model_validate(annotate_one(nlp, Article(d.id, d.text, d.meta))) for d in gold]
    systems = [score_system(gold, preds, "ours", "ours"), *run_baselines(gold)]
    figures: Figures = {}
    for system in systems:
        report = system.report
        cells = {(name, "micro strict F1"): report.micro.strict.f1}
        if system.has_values:
            cells[(name, "value accuracy")] = report.micro.value.accuracy
        for label in system.labels:
            cells[(name, f"{label} strict F1")] = report.labels[label].strict.f1
        if system.name == "ours":
            cells[(name, "lowest label strict F1")] = min(
                (s.strict.f1 for s in report.labels.values() if s.strict.f1 is not None), default=None)
        for key, value in cells.items():
            figures.setdefault(key, {})[system.name] = value
    return {(name, "documents / spans"): {"note": f"{len(gold)} / {sum(len(d.spans) for d in gold)}"}} | figures


def te3_figures(nlp) -> Figures:
    docs = te3.load_te3()
    gold = [te3.timexes(d["spans"]) for d in docs]
    ours, model, _ = te3.run_pipeline(docs, nlp)
    systems = {"ours": [te3.timexes(m) for m in ours], "spacy": model, "dateparser": te3.run_dateparser(docs)}
    figures: Figures = {}
    for system, pred in systems.items():
        s = te3.tempeval_scores(gold, pred, system != "spacy")
        for metric, value in (("strict F1", s.strict_f1), ("relaxed F1", s.relaxed_f1), ("value F1", s.value_f1)):
            if system == "spacy" and metric == "value F1":
                continue
            figures.setdefault(("TempEval-3 platinum", metric), {})[system] = value
    for key, value in HEIDELTIME.items():
        figures[key]["HeidelTime"] = value
    return figures


def meantime_figures(nlp) -> Figures:
    results = meantime.run_systems(meantime.load(), nlp)
    figures: Figures = {}
    for system, by_label in results.items():
        for label, r in by_label.items():
            figures.setdefault(("MEANTIME dev", f"{label} lenient F1"), {})[system] = r.lenient_f1
        figures.setdefault(("MEANTIME dev", "DATE value accuracy"), {})[system] = (
            by_label["DATE"].value_accuracy if system == "ours" else None)
    return figures


def recognizers_figures(nlp) -> Figures:
    figures: Figures = {}
    for name, label in recognizers.MODELS.items():
        tallies = recognizers.score_model(name, label, recognizers.ours_extract(nlp), recognizers.q3_extract)
        metric = f"{name.removesuffix('Model')} extraction"
        figures[("Recognizers-Text", metric)] = {"ours": tallies["extract_ours"].rate,
                                                 "quantulum3": tallies["extract_q3"].rate}
    return figures


def all_figures(model: str | None = None) -> Figures:
    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline(model or Settings().model)
    figures: Figures = {}
    for folder, name in ((ROOT / "gold" / "dev", "gold/dev"), (ROOT / "gold" / "test", "gold/test")):
        if any(folder.glob("*.jsonl")):
            figures |= gold_figures(nlp, folder, name)
    return figures | te3_figures(nlp) | meantime_figures(nlp) | recognizers_figures(nlp)


# --- report ----------------------------------------------------------------------------------

PEERS = ("spacy", "quantulum3", "dateparser", "HeidelTime")


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def to_json(figures: Figures) -> dict:
    return {f"{bench} | {metric}": cells for (bench, metric), cells in figures.items()}


def markdown(figures: Figures, previous: dict, when: str) -> str:
    lines = [
        "# Accuracy: every benchmark in one table",
        "",
        f"Written by `{COMMAND}` (`make accuracy`) on {when}, all figures from that one run but the",
        "HeidelTime row, copied from `../shared/benchmarks/te3/README.md` (measured there on the same",
        "set). *before* is the last committed `benchmarks/accuracy.json`. Benchmarks marked *unseen*",
        "are text the rule writers never studied: gold/test is sealed (scores only, annotated by",
        "reading before the pipeline ran on it); TempEval-3, MEANTIME and Recognizers-Text were",
        "annotated by others and are never tuned on case by case. gold/dev is development data.",
        "",
        "| benchmark | metric | ours | before | target | spaCy alone | quantulum3 | dateparser | HeidelTime |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (bench, metric), cells in figures.items():
        name = f"{bench} (unseen)" if bench in UNSEEN else bench
        if "note" in cells:
            lines.append(f"| {name} | {metric} | {cells['note']} | | | | | | |")
            continue
        before = previous.get(f"{bench} | {metric}", {}).get("ours")
        target = TARGETS.get((bench, metric))
        ours = cells.get("ours")
        mark = "" if target is None or ours is None else (" ✓" if ours >= target else " ✗")
        lines.append(f"| {name} | {metric} | **{_fmt(ours)}**{mark} | {_fmt(before)} | "
                     f"{'' if target is None else _fmt(target)} | "
                     + " | ".join(_fmt(cells.get(p)) if p in cells else "" for p in PEERS) + " |")
    lines += ["", "✓/✗: at or above / below the target of issue 13. Details per benchmark:",
              "`benchmarks/TE3.md`, `benchmarks/RECOGNIZERS.md`, `docs/SCORES.md` (gold/dev),",
              "`benchmarks/MEANTIME.md` (`python -m benchmarks.meantime`).", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=None, help="spaCy model (default: the pipeline's)")
    args = parser.parse_args(argv)
    previous = json.loads(OUT_JSON.read_text(encoding="utf-8")) if OUT_JSON.exists() else {}
    figures = all_figures(args.model)
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    page = markdown(figures, previous.get("figures", {}), when)
    OUT_MD.write_text(page, encoding="utf-8")
    table = "\n".join(line for line in page.splitlines() if line.startswith("|"))
    readme = README.read_text(encoding="utf-8")
    README.write_text(re.sub(r"<!-- ACCURACY -->.*<!-- /ACCURACY -->",
                             lambda _: f"<!-- ACCURACY -->\n{table}\n<!-- /ACCURACY -->", readme, flags=re.DOTALL),
                      encoding="utf-8")
    OUT_JSON.write_text(json.dumps({"date": when, "figures": to_json(figures)}, indent=1) + "\n",
                        encoding="utf-8")
    print(OUT_MD.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
