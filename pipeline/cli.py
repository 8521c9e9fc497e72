"""Command-line front: thin wrappers over the library, one command per job.

Exit codes: 0 success; 1 the run finished but some documents were reported as errors;
2 the run could not start (bad arguments, missing model).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, TextIO

import typer

from pipeline.config import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Extract organizations, dates, money, percentages, quantities and counts from news text.")


@app.callback()
def main() -> None:
    """Extract organizations, dates, money, percentages, quantities and counts from news text."""


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def open_output(out: str) -> Iterator[TextIO]:
    if out == "-":
        yield sys.stdout
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        yield handle


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Directories of .txt, .txt files, or .jsonl files of {id,text,meta}.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output JSONL file, or - for stdout.")] = "-",
    model: Annotated[str, typer.Option(help="spaCy model to load (env PIPELINE_MODEL).")] = Settings.model,
    batch_size: Annotated[int, typer.Option(min=1)] = Settings.batch_size,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes for nlp.pipe.")] = Settings.n_process,
    max_chars: Annotated[int, typer.Option(min=1, help="Longer documents are reported as errors.")] = Settings.max_chars,
) -> None:
    """Extract mentions: one JSON line per document, bad inputs as lines with `errors`."""
    from tqdm import tqdm

    from pipeline.annotate import annotate
    from pipeline.nlp import ModelNotInstalled, build_pipeline
    from pipeline.read import read_inputs

    try:
        nlp = build_pipeline(model)
    except ModelNotInstalled as err:
        fail(str(err))
    n_docs = n_errors = 0
    with open_output(out) as handle:
        records = annotate(nlp, read_inputs(inputs, max_chars), batch_size, n_process)
        for record in tqdm(records, unit="doc", disable=not show_progress()):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            n_docs += 1
            for error in record.get("errors", []):
                n_errors += 1
                typer.echo(f"error: {error['id']}: {error['reason']}", err=True)
    typer.echo(f"{n_docs} documents, {n_errors} errors -> {out}", err=True)
    if n_errors:
        raise typer.Exit(1)
