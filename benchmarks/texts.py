"""Whole-process throughput per text: `python -m pipeline extract` against bare `nlp.pipe`.

    python -m benchmarks.texts                      # the three texts, 3 alternating rounds: markdown
    python -m benchmarks.texts --rounds 5 --only reuters --json out.json
    python -m benchmarks.texts bare TEXT.jsonl      # one bare run (what the rounds time)

`make bench` (benchmarks/run.py) runs the same and puts the markdown into RESULTS.md.

Each run is a fresh interpreter started from here; its CPU time is the kernel's account of the
child and its descendants (`getrusage(RUSAGE_CHILDREN)`, user + system), so worker processes and
interpreter start-up count, and other work on the shared machine disturbs it less than wall time.
Rounds alternate (bare, ours, bare, ours, ...) so a slow spell on the machine hits both; the
ratio is the median bare CPU time over the median of ours, with the per-round ratios as its spread.
`ours` runs with `--n-process 1`: one worker, as the bare model runs in one process.

Also per text, in one process each: CPU seconds per component on the text's first documents
(`benchmarks.measure profile`), and the CPU time of loading our pipeline and the bare model.
The texts are the first lines of the JSONL files of `../shared/news` (not in CI: `make bench` only).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "news"
KINDS = ("bare", "ours")
GOALS = {"ratio": 1.3, "rules_share": 0.30, "load_cpu_s": 1.5}


@dataclass(frozen=True)
class NewsText:
    """The first `lines` documents of a JSONL file of `../shared/news` (None: all of them); the
    first `profile_lines` of them are profiled (the profile runs cProfile too: a few minutes at most)."""

    name: str
    file: str
    lines: int | None
    profile_lines: int


TEXTS = (
    NewsText("reuters", "reuters21578.jsonl", 1000, 300),  # number-dense wire copy
    NewsText("bbc", "bbc-2004-2005.jsonl", 1000, 150),
    NewsText("peoples-daily", "peoples-daily-2020-11-19.jsonl", None, 50),  # pages with menus and link lists
)
LOAD = {"ours": "from pipeline.nlp import build_pipeline; build_pipeline({model!r})",
        "bare": "import spacy; spacy.load({model!r})"}


def write_head(source: Path, lines: int | None, dest: Path) -> dict:
    """Copy the first `lines` non-empty lines of `source` to `dest`; its documents and words."""
    docs = words = 0
    with source.open(encoding="utf-8") as handle, dest.open("w", encoding="utf-8") as out:
        for line in handle:
            if not line.strip():
                continue
            if lines is not None and docs >= lines:
                break
            out.write(line)
            docs += 1
            words += len(json.loads(line)["text"].split())
    return {"docs": docs, "words": words}


def command(kind: str, text: Path, out: Path) -> list[str]:
    """The command line a round times."""
    if kind == "ours":
        return [sys.executable, "-m", "pipeline", "extract", str(text), "--out", str(out), "--n-process", "1"]
    return [sys.executable, "-m", "benchmarks.texts", "bare", str(text)]


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(cmd: list[str]) -> dict:
    """CPU seconds (user + system, the process and its descendants) and wall seconds of one command."""
    load = os.getloadavg()[0]
    cpu, wall = children_cpu_s(), time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   env={**os.environ, "CI": "1"})
    return {"cpu_s": children_cpu_s() - cpu, "wall_s": time.perf_counter() - wall,
            "load": max(load, os.getloadavg()[0])}


def summarize(runs: dict[str, list[dict]], words: int) -> dict:
    """Medians and spread of alternating rounds: `runs[kind][round]` as `timed_run` gives them."""
    cpu = {kind: [r["cpu_s"] for r in runs[kind]] for kind in KINDS}
    per_round = [bare / ours for bare, ours in zip(cpu["bare"], cpu["ours"])]
    median = {kind: statistics.median(cpu[kind]) for kind in KINDS}
    return {
        "rounds": len(per_round),
        "cpu_s": cpu,
        "wall_s": {kind: [r["wall_s"] for r in runs[kind]] for kind in KINDS},
        "load": max(r["load"] for kind in KINDS for r in runs[kind]),
        "median_cpu_s": median,
        "words_per_cpu_s": {kind: words / median[kind] for kind in KINDS},
        "ratio": median["bare"] / median["ours"],
        "ratio_min": min(per_round),
        "ratio_max": max(per_round),
    }


def measure_texts(texts: tuple[NewsText, ...], rounds: int, news: Path = NEWS, profile: bool = True,
                  log=lambda message: None) -> dict:
    """Per text: its size, `summarize` of `rounds` alternating rounds of bare and ours and, with
    `profile`, `benchmarks.measure profile` of its first documents; and the load times."""
    from pipeline.config import Settings

    work = Path(tempfile.mkdtemp(prefix="bench-texts-"))
    try:
        paths, sizes = {}, {}
        for text in texts:
            paths[text.name] = work / f"{text.name}.jsonl"
            sizes[text.name] = write_head(news / text.file, text.lines, paths[text.name])
        runs: dict[str, dict[str, list[dict]]] = {t.name: {kind: [] for kind in KINDS} for t in texts}
        loads: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for number in range(rounds):
            for kind in KINDS:
                loads[kind].append(timed_run([sys.executable, "-c", LOAD[kind].format(model=Settings.model)])["cpu_s"])
            for text in texts:
                for kind in KINDS:
                    row = timed_run(command(kind, paths[text.name], work / "out.jsonl"))
                    runs[text.name][kind].append(row)
                    log(f"round {number + 1}/{rounds} {text.name} {kind}: {row['cpu_s']:.1f} CPU s, "
                        f"{row['wall_s']:.1f} s, load {row['load']:.1f}")
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit.stdout.strip(),
                   "cores": os.cpu_count(),
                   "texts": {t.name: {**sizes[t.name], "file": t.file, "lines": t.lines,
                                      **summarize(runs[t.name], sizes[t.name]["words"])} for t in texts},
                   "load_cpu_s": loads}
        if profile:
            for text in texts:
                head = work / f"{text.name}-profile.jsonl"
                write_head(paths[text.name], text.profile_lines, head)
                log(f"profile {text.name}, {text.profile_lines} documents")
                done = subprocess.run([sys.executable, "-m", "benchmarks.measure", "profile", str(head)], cwd=ROOT,
                                      check=True, capture_output=True, text=True, env={**os.environ, "CI": "1"})
                results["texts"][text.name]["profile"] = json.loads(done.stdout.strip().splitlines()[-1])
        return results
    finally:
        shutil.rmtree(work)


def rules_share(profile: dict) -> float:
    """CPU of our rule components and the syntax they request, over the CPU of `ner`."""
    cost = profile["component_cpu_s"]
    rules = sum(seconds for step, seconds in cost.items() if step.startswith(("news_", "syntax on request")))
    return rules / cost["ner"]


def markdown(results: dict) -> str:
    """The per-text sections of RESULTS.md."""
    texts, loads = results["texts"], results["load_cpu_s"]
    load = {kind: statistics.median(loads[kind]) for kind in KINDS}
    out = ["## Whole process, per text (`python -m pipeline extract --n-process 1` vs bare `nlp.pipe`)", "",
           f"Measured {results.get('date', '')} at commit {results.get('commit', '')} on this machine "
           f"({results.get('cores', '?')} cores, shared: `load` is the 1-minute load average). "
           "CPU seconds of the whole process (interpreter, loading, reading, writing; user + system), "
           f"{next(iter(texts.values()))['rounds']} alternating rounds; the ratio is the median bare CPU time "
           "over the median of ours, per-round ratios in brackets. Goal: "
           f">= {GOALS['ratio']}x on each text.", "",
           "| text | documents | words | bare CPU s (rounds) | ours CPU s (rounds) | ratio (per round) | goal | load |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in texts.items():
        rounds = {kind: ", ".join(f"{c:.1f}" for c in row["cpu_s"][kind]) for kind in KINDS}
        part = f"first {row['lines']:,}" if row["lines"] else "all"
        out.append(f"| {name} ({part} of `{row['file']}`) | {row['docs']:,} | {row['words']:,} | "
                   f"{row['median_cpu_s']['bare']:.1f} ({rounds['bare']}) | {row['median_cpu_s']['ours']:.1f} "
                   f"({rounds['ours']}) | **{row['ratio']:.2f}x** ({row['ratio_min']:.2f}-{row['ratio_max']:.2f}) | "
                   f"{'met' if row['ratio'] >= GOALS['ratio'] else '**not met**'} | {row['load']:.1f} |")
    out += ["", f"Loading (a fresh process, CPU s, median of {len(loads['ours'])}): ours {load['ours']:.2f} "
            f"({', '.join(f'{c:.2f}' for c in loads['ours'])}), bare model {load['bare']:.2f} "
            f"({', '.join(f'{c:.2f}' for c in loads['bare'])}); goal for ours <= {GOALS['load_cpu_s']} s: "
            f"{'met' if load['ours'] <= GOALS['load_cpu_s'] else '**not met**'}.", ""]
    profiled = {name: row["profile"] for name, row in texts.items() if "profile" in row}
    if profiled:
        steps = sorted({step for p in profiled.values() for step in p["component_cpu_s"]},
                       key=lambda step: -max(p["component_cpu_s"].get(step, 0) for p in profiled.values()))
        out += ["## Profile per text (one process, CPU s per step)", "",
                "Each component timed over the same batches; the syntax a rule component requests is shown apart",
                f"from it. Last row: the rules and their syntax as a share of `ner` (goal <= {GOALS['rules_share']:.0%}).", "",
                "| step | " + " | ".join(f"{name} ({p['docs']} docs, {p['words']:,} words)" for name, p in profiled.items())
                + " |", "| --- |" + " --- |" * len(profiled)]
        for step in steps:
            out.append(f"| {step} | " + " | ".join(f"{p['component_cpu_s'].get(step, 0):.2f}" for p in profiled.values())
                       + " |")
        out.append("| **rules + syntax / ner** | " + " | ".join(
            f"**{rules_share(p):.0%}**" for p in profiled.values()) + " |")
        out.append("")
    return "\n".join(out)


def bare_run(text: Path) -> None:
    """What a bare round times: load the model, read the JSONL, `nlp.pipe` every text."""
    import spacy

    from pipeline.config import Settings

    nlp = spacy.load(Settings.model)
    with text.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    for _ in nlp.pipe(texts, batch_size=Settings.batch_size):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", nargs="?", choices=["rounds", "bare"], default="rounds")
    parser.add_argument("text", nargs="?", type=Path, help="bare: the JSONL to run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", action="append", choices=[t.name for t in TEXTS], help="a text (repeatable)")
    parser.add_argument("--no-profile", action="store_true", help="the rounds only")
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.kind == "bare":
        bare_run(args.text)
        return
    texts = tuple(t for t in TEXTS if not args.only or t.name in args.only)
    results = measure_texts(texts, args.rounds, args.news, not args.no_profile,
                            log=lambda message: print(f"[texts {time.strftime('%H:%M:%S')}] {message}",
                                                      file=sys.stderr, flush=True))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
