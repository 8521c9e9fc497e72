"""`make soak`: kill an incremental batch run at random moments, resume it, and compare with a clean run.

    python -m benchmarks.soak                  # all of ../shared/news (about 21,000 documents)
    python -m benchmarks.soak --limit 1500     # a subset: every k-th line of each news file

The input is the news files with a hostile file and a hostile directory mixed in after the first
one (a 200,000-number document that runs for minutes, a 10,000-number table, a 100,000-character
single sentence, a document over the size limit, malformed JSON, a duplicate id, dates that are no
ISO dates, NUL, a byte-order mark, an empty text, a formula, a malformed `meta.jsonl` line).

1. A clean run: `extract --n-process 2` without a store (the streaming path), never interrupted.
2. The same input with `--store`, killed with SIGKILL at `--kills` random moments (seeded), each
   kill followed by a check that no worker process outlived it; then resumed once more to the end.
   Each kill comes at a random point of the work left: once the store holds a random number of
   new documents (drawn from 20% to 100% of the work left divided by the kills left plus one), a
   random 0-3 s later, so it lands between commits; every run thus makes progress and every kill
   interrupts a run with work left. (Time-based kills mostly landed before a run's first commit:
   each run retries the failed documents first, and a stuck one holds back the in-order commits.)
3. The final output against the clean one, line by line, less the run fields (`run_id`,
   `extracted_at`): documents lost, duplicated, and differing; the error records by reason.

Every run gets the same PYTHONHASHSEED, so that an output depending on the hash seed cannot pass
for an effect of the kills (the first soaks found one: the ORG rules broke a tie between
equal-length names in set order, fixed in c191989). `--hash-check` measures it apart: one more
clean run with another seed, compared with the first.

Results go to benchmarks/soak.json (one entry per input size) and benchmarks/SOAK.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "news"
RUN_KEYS = ("run_id", "extracted_at")
HERE = Path(__file__).resolve().parent


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the input ---------------------------------------------------------------------------------

def news_subset(news: Path, work: Path, limit: int | None) -> list[Path]:
    """The news files, or every k-th line of each (k the same for all, so the mix is kept)."""
    files = sorted(news.glob("*.jsonl"))
    if limit is None:
        return files
    total = sum(1 for f in files for line in f.open("rb") if line.strip())
    step = max(1, total // limit)
    out = []
    for path in files:
        target = work / "news" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with path.open("rb") as src, target.open("wb") as dst:
            kept = [line for line in src if line.strip()][::step]
            dst.writelines(kept)
        out.append(target)
    return out


HOSTILE_FILES = ("bom", "nul", "plain")  # the hostile directory's .txt files


def hostile_inputs(work: Path, duplicate_of: str) -> list[Path]:
    rng = random.Random(14)
    table = "\n".join(" | ".join(str(rng.randint(1, 99_999)) for _ in range(10)) for _ in range(1_000))
    words = ["the", "company", "said", "its", "profit", "rose", "12", "percent", "to", "$5", "million", "and",
             "Acme", "Corp", "shares", "in", "Shanghai", "on", "Monday", "while", "output", "of", "3", "tonnes"]
    sentence = ""
    while len(sentence) < 100_000:
        sentence += rng.choice(words) + " "
    sentence = sentence[:100_000 - 1] + "."
    good = "Acme Corp said on Monday its profit rose 5 percent to $3 million in 2020."
    lines = [
        json.dumps({"id": "hostile-bom-first", "text": good}),
        json.dumps({"id": "hostile-numbers", "text": "1 " * 200_000}),
        json.dumps({"id": "hostile-table", "text": table}),
        json.dumps({"id": "hostile-sentence", "text": sentence}),
        json.dumps({"id": "hostile-too-large", "text": "x " * 500_001}),
        '{"id": "hostile-malformed", "text": ',
        json.dumps({"id": duplicate_of, "text": good}),
        json.dumps({"id": "hostile-dct-slashes", "text": good, "meta": {"dct": "15/06/2021"}}),
        json.dumps({"id": "hostile-dct-feb30", "text": good, "meta": {"dct": "2021-02-30"}}),
        json.dumps({"id": "hostile-nul", "text": "Acme\u0000 Corp raised $5 million."}),
        json.dumps({"id": "hostile-empty", "text": "   "}),
        json.dumps({"id": "hostile-formula", "text": "=HYPERLINK(\"http://x\") Acme Corp raised $5 million."}),
        json.dumps({"id": "hostile-good-last", "text": good}),
    ]
    hostile = work / "hostile.jsonl"
    hostile.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))
    directory = work / "hostile-dir"
    directory.mkdir(exist_ok=True)
    (directory / "bom.txt").write_bytes(b"\xef\xbb\xbf" + good.encode())
    (directory / "nul.txt").write_bytes(b"Acme\x00 Corp raised $5 million.")
    (directory / "plain.txt").write_text(good, encoding="utf-8")
    (directory / "meta.jsonl").write_text(json.dumps({"id": "plain", "dct": "2020-05-04"}) + "\n{broken\n",
                                          encoding="utf-8")
    return [hostile, directory]


def first_id(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        return json.loads(handle.readline())["id"]


# --- runs --------------------------------------------------------------------------------------

def extract_cmd(inputs: list[Path], out: Path, args: argparse.Namespace, store: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline", "extract", *map(str, inputs), "--out", str(out),
           "--n-process", str(args.n_process), "--doc-timeout", str(args.doc_timeout)]
    return cmd + (["--store", str(store), "--commit-every", str(args.commit_every)] if store else [])


def env(hash_seed: int) -> dict[str, str]:
    return {**os.environ, "CI": "1", "PYTHONHASHSEED": str(hash_seed),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def stored(store: Path) -> int:
    try:
        with sqlite3.connect(store / "store.sqlite") as db:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def clean_run(inputs: list[Path], work: Path, args: argparse.Namespace, hash_seed: int, name: str = "clean") -> dict:
    out = work / f"{name}.jsonl"
    log(f"{name} run (no store, never interrupted, PYTHONHASHSEED={hash_seed})")
    started = time.monotonic()
    result = subprocess.run(extract_cmd(inputs, out, args, None), capture_output=True, text=True, env=env(hash_seed))
    seconds = time.monotonic() - started
    (work / f"{name}.log").write_text(result.stderr, encoding="utf-8")
    log(f"{name} run: exit {result.returncode} in {seconds:.0f} s")
    return {"exit": result.returncode, "seconds": round(seconds, 1), "out": str(out)}


def killed_runs(inputs: list[Path], work: Path, args: argparse.Namespace, n_documents: int) -> dict:
    """Run with --store, SIGKILL at random moments (seeded), check for orphans, resume to the end."""
    rng = random.Random(args.seed)
    out, store = work / "soak.jsonl", work / "store"
    kills = []
    for k in range(args.kills):
        before = stored(store)
        target = before + max(1, int(rng.uniform(0.2, 1.0) * (n_documents - before) / (args.kills - k + 1)))
        delay = rng.uniform(0, 3.0)
        log(f"run {k + 1}: kill {delay:.1f} s after the store holds {target:,} documents (now {before:,})")
        with (work / f"killed-{k + 1}.log").open("w") as log_file:
            started = time.monotonic()
            proc = subprocess.Popen(extract_cmd(inputs, out, args, store), stdout=subprocess.DEVNULL,
                                    stderr=log_file, env=env(args.hash_seed))
            parent = psutil.Process(proc.pid)
            kill_at = None
            workers: set[psutil.Process] = set()
            while proc.poll() is None and (kill_at is None or time.monotonic() < kill_at):
                try:
                    workers |= set(parent.children(recursive=True))
                except psutil.Error:
                    pass
                if kill_at is None and stored(store) >= target:
                    kill_at = time.monotonic() + delay
                time.sleep(0.1)
            finished = proc.poll() is not None
            if not finished:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            at = time.monotonic() - started
        _, alive = psutil.wait_procs(list(workers), timeout=30)
        kills.append({"at_s": round(at, 1), "finished_before_kill": finished, "target": target, "stored_before": before,
                      "stored_after": stored(store), "workers_seen": len(workers), "orphans": len(alive),
                      "out_exists": out.exists()})
        log(f"run {k + 1}: {'finished' if finished else 'killed'}; {stored(store)} stored, {len(alive)} orphans")
        for orphan in alive:
            orphan.kill()
    log("resume to the end")
    started = time.monotonic()
    result = subprocess.run(extract_cmd(inputs, out, args, store), capture_output=True, text=True, env=env(args.hash_seed))
    seconds = time.monotonic() - started
    (work / "resume.log").write_text(result.stderr, encoding="utf-8")
    summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    log(f"resume: exit {result.returncode} in {seconds:.0f} s: {summary}")
    return {"kills": kills, "resume": {"exit": result.returncode, "seconds": round(seconds, 1), "summary": summary},
            "out": str(out)}


# --- comparison -------------------------------------------------------------------------------------

def records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def without_run(record: dict) -> dict:
    return {**record, "meta": {k: v for k, v in record.get("meta", {}).items() if k not in RUN_KEYS}}


def compare(clean_path: Path, soak_path: Path) -> dict:
    clean, soak = records(clean_path), records(soak_path)
    clean_ids, soak_ids = Counter(r["id"] for r in clean), Counter(r["id"] for r in soak)
    differing = [c["id"] for c, s in zip(clean, soak) if without_run(c) != without_run(s)]
    reasons = Counter(r["errors"][0]["reason"].split(" (")[0] for r in soak if r.get("errors"))
    hostile = {r["id"]: r["errors"][0]["reason"] if r.get("errors") else f"{len(r['spans'])} mentions"
               for r in soak if r["id"].startswith("hostile") or r["id"] in HOSTILE_FILES
               or "hostile" in (r.get("meta") or {}).get("source", "")}
    return {"documents_clean": len(clean), "documents_soak": len(soak),
            "lost": sum((clean_ids - soak_ids).values()), "duplicated": sum((soak_ids - clean_ids).values()),
            "differing": len(differing) + abs(len(clean) - len(soak)), "differing_ids": differing[:20],
            "same_order": [r["id"] for r in clean] == [r["id"] for r in soak],
            "error_records": sum(reasons.values()), "errors_by_reason": dict(reasons.most_common()),
            "hostile": hostile,
            "mentions": sum(len(r["spans"]) for r in soak)}


# --- report -----------------------------------------------------------------------------------

HOSTILE = ("a 200,000-number document (`\"1 \" * 200000`, 400,000 characters: minutes and gigabytes without the "
           "budget), a 10,000-number table, a 100,000-character single sentence, a document over the 1,000,000-"
           "character limit, a malformed JSON line, a duplicate of the first news id, `meta.dct` `15/06/2021` and "
           "`2021-02-30`, a `\\u0000`, an empty text, a formula, a byte-order mark before the first line; and a "
           "directory with a `.txt` file starting with a byte-order mark, one with a NUL byte, and a `meta.jsonl` "
           "with a malformed line")


def markdown(entries: dict[str, dict]) -> str:
    parts = ["# Soak: killed and resumed batch runs against a clean run",
             "",
             "Written by `python -m benchmarks.soak` (`make soak`; its docstring has the method). The input is",
             "the news with hostile inputs mixed in after the first file: " + HOSTILE + ".",
             "",
             "A clean run (`extract --n-process 2`, no store, never interrupted) is compared with the same input",
             "run with `--store` and `--n-process 2`, killed with SIGKILL five times (the `extract` process",
             "only: its workers must die with it), each time at a random point of the work left (a number of",
             "documents in the store, then a random 0-3 s more, so between commits), then resumed to the end.",
             "`lost`, `duplicated` and `differing` compare the two final outputs line by",
             "line, less the run fields (`run_id`, `extracted_at`). Budgets are the defaults (`--doc-timeout",
             "60`, `--doc-memory 2048`). Every run has PYTHONHASHSEED=0, so that an output depending on the",
             "hash seed cannot pass for an effect of the kills; the hash-seed check measures that apart (the",
             "first soaks found such a dependence: the ORG rules broke a tie between equal-length names in",
             "set order, `_link_names`; fixed on main in c191989).",
             ""]
    for label, e in entries.items():
        c = e["comparison"]
        parts += [f"## {label}", "",
                  f"Command: `{e['command']}` (commit {e['commit']})  ",
                  f"Machine: {e['machine']}; {e['date']}.  ",
                  f"Input: {e['n_documents']:,} news documents ({e['input']}) and the hostile inputs.", "",
                  "| figure | value |", "|---|---:|",
                  f"| documents in the clean output | {c['documents_clean']:,} |",
                  f"| documents in the resumed output | {c['documents_soak']:,} |",
                  f"| **lost** | **{c['lost']}** |",
                  f"| **duplicated** | **{c['duplicated']}** |",
                  f"| **differing** (but for run fields) | **{c['differing']}** |",
                  f"| same order | {'yes' if c['same_order'] else 'no'} |",
                  f"| mentions | {c['mentions']:,} |",
                  f"| error records | {c['error_records']} |",
                  f"| clean run (no store) | {e['clean']['seconds']:.0f} s, exit {e['clean']['exit']} |",
                  f"| final resume | {e['soak']['resume']['seconds']:.0f} s, exit {e['soak']['resume']['exit']} |",
                  "", "Kills (SIGKILL to the `extract` process only; its workers must die with it):", "",
                  "| run | killed after | kill point (stored) | documents in the store before / after | workers seen "
                  "| orphans left | output file |",
                  "|---:|---:|---:|---:|---:|---:|---|"]
        for i, k in enumerate(e["soak"]["kills"], 1):
            when = f"finished first ({k['at_s']:.0f} s)" if k["finished_before_kill"] else f"{k['at_s']:.1f} s"
            parts.append(f"| {i} | {when} | {k['target']:,} | {k['stored_before']:,} / {k['stored_after']:,} | "
                         f"{k['workers_seen']} | {k['orphans']} | {'written' if k['out_exists'] else 'not yet written'} |")
        parts += ["", "Error records by reason (identical in both outputs when `differing` is 0):", ""]
        parts += [f"- {reason}: {n}" for reason, n in c["errors_by_reason"].items()]
        if c.get("hostile"):
            parts += ["", "What became of each hostile input (in the resumed output; the same in the clean one "
                      "when `differing` is 0):", "", "| input | outcome |", "|---|---|"]
            parts += [f"| `{name.rsplit('/', 1)[-1]}` | {outcome} |" for name, outcome in c["hostile"].items()]
        parts += ["", f"Final resume: {e['soak']['resume']['summary']}", ""]
        if e.get("hash_check"):
            h = e["hash_check"]
            parts += [f"Hash-seed check: a second clean run with PYTHONHASHSEED={h['seed']} (instead of "
                      f"{e['options']['hash_seed']}) differs from the first on {h['differing']} of "
                      f"{h['documents']:,} documents ({', '.join(h['differing_ids'][:10]) or 'none'}).", ""]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--limit", type=int, help="about this many news documents (every k-th line)")
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--doc-timeout", type=float, default=60.0)
    parser.add_argument("--commit-every", type=int, default=256, help="extract's --commit-every (its default: 256)")
    parser.add_argument("--hash-seed", type=int, default=0, help="PYTHONHASHSEED of every run")
    parser.add_argument("--hash-check", action="store_true",
                        help="also compare a clean run with another hash seed (one more clean run)")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "soak")
    parser.add_argument("--json", type=Path, default=HERE / "soak.json")
    parser.add_argument("--markdown", type=Path, default=HERE / "SOAK.md")
    parser.add_argument("--commit", help="the code's commit, when ROOT is no git checkout")
    parser.add_argument("--report-only", action="store_true", help="rewrite --markdown from --json, run nothing")
    args = parser.parse_args()
    if args.report_only:
        args.markdown.write_text(markdown(json.loads(args.json.read_text(encoding="utf-8"))), encoding="utf-8")
        return
    commit = args.commit or subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                           text=True).stdout.strip() or "unknown"

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    news = news_subset(args.news, args.work, args.limit)
    hostile = hostile_inputs(args.work, duplicate_of=first_id(news[0]))
    inputs = [news[0], *hostile, *news[1:]]
    n_documents = sum(1 for line in b"".join(p.read_bytes() for p in news).splitlines() if line.strip())
    log(f"{n_documents:,} news documents in {len(news)} files, hostile inputs after {news[0].name}")

    clean = clean_run(inputs, args.work, args, args.hash_seed)
    soak = killed_runs(inputs, args.work, args, n_documents)
    comparison = compare(Path(clean["out"]), Path(soak["out"]))
    log(f"lost {comparison['lost']}, duplicated {comparison['duplicated']}, differing {comparison['differing']}")
    hash_check = None
    if args.hash_check:
        other = clean_run(inputs, args.work, args, args.hash_seed + 1, name="other-seed")
        seeds = compare(Path(clean["out"]), Path(other["out"]))
        hash_check = {"seed": args.hash_seed + 1, "documents": seeds["documents_clean"],
                      "differing": seeds["differing"], "differing_ids": seeds["differing_ids"]}
        log(f"another hash seed: {seeds['differing']} documents differ")

    label = f"Subset: {n_documents:,} news documents (--limit {args.limit})" if args.limit else \
        f"Full: all {n_documents:,} news documents"
    command = "python -m benchmarks.soak" + (f" --limit {args.limit}" if args.limit else "") + \
        (f" --kills {args.kills}" if args.kills != 5 else "") + (f" --seed {args.seed}" if args.seed != 14 else "") + \
        (f" --commit-every {args.commit_every}" if args.commit_every != 256 else "") + \
        (" --hash-check" if args.hash_check else "")
    entry = {"command": command, "commit": commit, "date": datetime.now(UTC).strftime("%Y-%m-%d"),
             "machine": f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, "
                        f"Python {platform.python_version()}",
             "input": f"{', '.join(p.name for p in news)}; every k-th line" if args.limit else
                      ", ".join(p.name for p in news),
             "n_documents": n_documents, "options": {"n_process": args.n_process, "doc_timeout": args.doc_timeout, "commit_every": args.commit_every,
                                                      "kills": args.kills, "seed": args.seed, "hash_seed": args.hash_seed},
             "clean": clean, "soak": soak, "comparison": comparison, "hash_check": hash_check}
    entries = json.loads(args.json.read_text(encoding="utf-8")) if args.json.exists() else {}
    entries = {k: v for k, v in entries.items() if k.split(":")[0] != label.split(":")[0] or k == label}
    entries[label] = entry
    entries = dict(sorted(entries.items(), key=lambda kv: kv[0].startswith("Full")))
    args.json.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.markdown.write_text(markdown(entries), encoding="utf-8")
    log(f"-> {args.markdown}")
    if comparison["lost"] or comparison["duplicated"] or comparison["differing"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
