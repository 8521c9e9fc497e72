"""Command-line front: thin wrappers over the library, one command per job.

Every command reads its documents through the same input check (pipeline.validate) and reports
a bad one as `error: WHERE: REASON` on stderr without stopping; `--lenient-meta` turns a bad
`meta.dct` into a `warning:` and a null dct.

Exit codes, the same for every command: 0 success; 1 the command finished, but some documents
were reported as errors; 2 it could not start or could not finish (bad arguments, missing model,
unusable store or database, invalid gold).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.batch import EngineName, ExtractOptions
from pipeline.exchange import ExchangeFormat
from pipeline.web import PageOptions
from pipeline.config import NER_UPDATE_DIR, Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Extract organizations, dates, money, percentages, quantities and counts from news text.")


def _print_version(value: bool) -> None:
    if value:
        from pipeline import __version__
        from pipeline.config import MODEL_PACKAGE

        typer.echo(f"news-extraction-pipeline {__version__} (spaCy model: {MODEL_PACKAGE})")
        raise typer.Exit()


log = logging.getLogger("pipeline")


class StderrFormatter(logging.Formatter):
    """The CLI's stderr lines: a summary as it is, anything else after its level (`warning: ...`,
    `error: WHERE: REASON`, `debug: ...`)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        return message if record.levelno == logging.INFO else f"{record.levelname.lower()}: {message}"


class StderrHandler(logging.StreamHandler):
    """Writes to the `sys.stderr` of the moment, so a test runner's capture sees every line."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(quiet: bool, verbose: bool) -> None:
    """The `pipeline` loggers to stderr: errors only (`-q`), with debug lines (`-v`), or summaries,
    notes, warnings and errors (the default). Other libraries' loggers are left alone."""
    handler = StderrHandler()
    handler.setFormatter(StderrFormatter())
    log.handlers = [handler]
    log.propagate = False
    log.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO)


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only on stderr: no summary, note, "
                                                              "warning or progress bar.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print debug lines on stderr "
                                                                  "(settings, files, per-document steps).")] = False,
) -> None:
    """Extract organizations, dates, money, percentages, quantities and counts from news text."""
    if quiet and verbose:
        fail("--quiet and --verbose exclude each other")
    configure_logging(quiet, verbose)


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and log.isEnabledFor(logging.INFO)


LenientMeta = Annotated[bool, typer.Option(help="A meta.dct that is no ISO date (YYYY-MM-DD) is read as null "
                                                "with a warning, instead of making its document an error.")]


def report_problems(errors, warnings) -> None:
    """`error: WHERE: REASON` per rejected document (ReadError or {"id", "reason"}), then warnings."""
    for error in errors:
        if isinstance(error, dict):
            log.error("%s: %s", error["id"], error["reason"])
        else:
            where = error.source if error.source == error.id else f"{error.source} ({error.id})"
            log.error("%s: %s", where, error.reason)
    for warning in warnings:
        log.warning("%s", warning)


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Directories of .txt/.html, .txt or .html files, .jsonl files "
                                                      "of {id,text|html,meta}, or - for standard input.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output JSONL file, or - for stdout.")] = "-",
    store: Annotated[Path | None, typer.Option(help="Incremental store directory: only new or changed "
                     "documents are processed, results survive a killed run, --out is rewritten at the end.")] = None,
    model: Annotated[str, typer.Option(help="spaCy model to load (env PIPELINE_MODEL).")] = Settings.model,
    engine: Annotated[EngineName, typer.Option(help="local: nlp.pipe here; dask: a dask.distributed cluster.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address; none starts a LocalCluster.")] = None,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes (local), or LocalCluster workers "
                                           "(dask without --scheduler); default: the cores available to "
                                           "this process. Output order is input order whatever the number. "
                                           "1 for debugging (one worker, documents in input order).")
                         ] = Settings.n_process,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per nlp.pipe batch.")] = Settings.batch_size,
    commit_every: Annotated[int, typer.Option(min=1, help="Documents per store transaction.")] = ExtractOptions.commit_every,
    partition_size: Annotated[int, typer.Option(min=1, help="Documents per dask task.")] = ExtractOptions.partition_size,
    max_chars: Annotated[int, typer.Option(min=1, help="Longer documents are reported as errors.")] = Settings.max_chars,
    doc_timeout: Annotated[float, typer.Option(min=0, help="Seconds one document may take (local engine); past "
                           "them it is an error record and the batch goes on. 0: no budget, run in this "
                           "process.")] = Settings.doc_timeout,
    doc_memory: Annotated[int, typer.Option(min=0, help="MB a worker process may use on a document (local "
                          "engine); past them the document is an error record. 0: no limit.")] = Settings.doc_memory,
    lenient_meta: LenientMeta = False,
    html_comments: Annotated[bool, typer.Option(help="Web pages: keep reader comments in the main text.")] = False,
    html_tables: Annotated[bool, typer.Option(help="Web pages: keep tables in the main text.")] = True,
) -> None:
    """Extract mentions: one JSON line per document, bad inputs as lines with `errors`.

    Web pages (`.html`, `.htm`, or JSONL lines with `html` instead of `text`) are read as their
    main text, which the record then carries (`text`): span offsets index it."""
    from pipeline.batch import extract as run_extract
    from pipeline.nlp import ModelNotInstalled
    from pipeline.store import StoreError

    options = ExtractOptions(model=model, batch_size=batch_size, n_process=n_process, max_chars=max_chars,
                             engine=engine, scheduler=scheduler, commit_every=commit_every,
                             partition_size=partition_size, doc_timeout=doc_timeout or None,
                             doc_memory=doc_memory or None, lenient_meta=lenient_meta,
                             page=PageOptions(comments=html_comments, tables=html_tables))
    log.debug("extract %s -> %s: %s", ", ".join(inputs), out, options)
    try:
        summary = run_extract(inputs, out, options, store_dir=store, progress=show_progress())
    except (ModelNotInstalled, StoreError) as err:
        fail(str(err))
    report_problems(summary.errors, summary.warnings)
    log.info(f"{summary.n_documents} documents ({summary.n_processed} processed, {summary.n_stored} from "
             f"the store), {len(summary.errors)} errors -> {out}")
    if summary.errors:
        raise typer.Exit(1)


@app.command("validate-gold")
def validate_gold_command(
    gold: Annotated[Path, typer.Argument(help="Gold directory of <id>.jsonl files, or one JSONL file.")] = Path("gold"),
    corpus: Annotated[Path, typer.Option(help="Corpus directory the gold ids and texts must match.")] = Path("corpus"),
) -> None:
    """Check the gold set: schema, value keys, offsets, corpus identity, overlaps, boilerplate.

    Exit 0 when valid; 1 with one line per problem otherwise.
    """
    from pipeline.gold import load_documents, validate_gold

    problems = validate_gold(gold, corpus)
    for problem in problems:
        typer.echo(problem)
    if problems:
        log.info(f"{len(problems)} problem(s) in {gold}")
        raise typer.Exit(1)
    from collections import Counter

    from pipeline.schema import LABELS

    docs = load_documents(gold)
    per_label = Counter(s.label for d in docs for s in d.spans)
    log.info(f"{gold}: valid, {len(docs)} documents, {sum(per_label.values())} spans ("
             + ", ".join(f"{label} {per_label[label]}" for label in LABELS) + ")")


def _load_scoring_inputs(gold: Path, pred: Path, lenient_meta: bool = False):
    """Gold (every problem refuses it: exit 2) and the predictions, whose bad records are
    reported and left out (the command then exits 1)."""
    from pipeline.gold import GoldError, load_gold, load_predictions
    from pipeline.validate import InputCheck

    check = InputCheck(lenient_meta=lenient_meta)
    try:
        gold_docs = load_gold(gold)
        pred_docs, rejected = load_predictions(pred, check)
    except GoldError as err:
        fail(str(err))
    report_problems(rejected, check.warnings)
    log.debug("%d gold documents from %s, %d predicted from %s", len(gold_docs), gold, len(pred_docs), pred)
    return gold_docs, pred_docs, rejected


def _print_source_errors(sources, n_sources: int, per_source: int = 10) -> None:
    """The false positives, with context, of the `n_sources` worst sources that have listed ones."""
    for scores in [s for s in sources if s.false_positives][:n_sources]:
        shown = scores.false_positives[:per_source]
        more = len(scores.false_positives) - len(shown)
        typer.echo(f"\nfalse positives of {scores.source} ({scores.n_fp} of {scores.n_pred} predictions not right "
                   f"strict{f'; {more} more in --json' if more else ''}):")
        for fp in shown:
            gold = f"; gold has {fp.gold}" if fp.gold else ""
            typer.echo(f"  {fp.doc_id} {fp.label} {fp.text!r} ({fp.kind.replace('_', ' ')}{gold}): {fp.context}")


def _coverage_notes(report) -> None:
    if report.missing_docs:
        log.info(f"note: {len(report.missing_docs)} gold document(s) have no prediction and count as "
                 f"all false negatives: {', '.join(report.missing_docs)}")
    if report.ignored_docs:
        log.info(f"note: {len(report.ignored_docs)} predicted document(s) are not in the gold set "
                 f"and were ignored")


@app.command()
def score(
    gold: Annotated[Path, typer.Option(help="Gold directory or JSONL file.")] = Path("gold"),
    pred: Annotated[Path, typer.Option(help="Predictions: the JSONL written by `extract`.")] = Path("out/predictions.jsonl"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the scores as JSON here.")] = None,
    errors: Annotated[Path | None, typer.Option(help="Write the error rows here (.csv, or .jsonl).")] = None,
    summary_only: Annotated[bool, typer.Option(help="Scores only: keep no error row of any document.")] = False,
    source_errors: Annotated[int, typer.Option(min=0, help="Print the false positives (with context) of this many "
                                                           "of the worst sources.")] = 3,
    lenient_meta: LenientMeta = False,
) -> None:
    """Strict and lenient P/R/F1 per label and micro-averaged, value accuracy, and precision per
    span source (the rule that produced a span), worst source first.

    Documents in a folder marked SEALED (gold/test/) are always scored summary-only: counts,
    never an error row or a false positive with its context. Gold with any problem
    `validate-gold` would report is refused (exit 2); a bad prediction record is reported and
    left out (exit 1)."""
    from pipeline import provenance
    from pipeline.gold import sealed_ids
    from pipeline.score import TABLE_HEADER, print_table, score as score_docs, table_rows, write_errors

    gold_docs, pred_docs, rejected = _load_scoring_inputs(gold, pred, lenient_meta)
    withhold = {d.id for d in gold_docs} if summary_only else sealed_ids(gold)
    report = score_docs(gold_docs, pred_docs, withhold=withhold)
    print_table(f"{pred} against {gold} ({report.n_docs} documents, percent)", TABLE_HEADER, table_rows(report))
    sources = report.sources
    print_table("Precision by source (the rule that produced a span), worst first, percent",
                provenance.TABLE_HEADER, provenance.table_rows(sources), total_row=False)
    _print_source_errors(sources, source_errors)
    _coverage_notes(report)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        payload = {"gold": str(gold), "pred": str(pred), **report.to_dict()}
        json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log.info(f"scores -> {json_out}")
    if report.withheld_docs:
        log.info(f"note: {len(report.withheld_docs)} document(s) scored summary-only: "
                 f"their error rows are not kept")
    if errors:
        write_errors(report, errors)
        log.info(f"{len(report.errors)} error rows -> {errors}")
    if rejected:
        raise typer.Exit(1)


@app.command()
def report(
    gold: Annotated[Path, typer.Option(help="Gold directory or JSONL file.")] = Path("gold"),
    pred: Annotated[Path, typer.Option(help="Predictions: the JSONL written by `extract`.")] = Path("out/predictions.jsonl"),
    out: Annotated[Path, typer.Option(help="The HTML report to write.")] = Path("out/report.html"),
    baselines: Annotated[bool, typer.Option(help="Score the spaCy / quantulum3 / dateparser baselines too.")] = True,
    model: Annotated[str, typer.Option(help="spaCy model of the spaCy baseline.")] = Settings.model,
    markdown: Annotated[Path | None, typer.Option(help="Also write the comparison table as Markdown.")] = None,
    diff_page: Annotated[Path | None, typer.Option("--diff", help="Link this page of what changed since the "
                                                                  "previous run (`diff --html`).")] = None,
) -> None:
    """One self-contained HTML report: scores with baselines, errors, documents (displaCy)."""
    from pipeline.gold import sealed_ids
    from pipeline.report import (comparison_header, comparison_rows, render_report, run_baselines,
                                 score_system, write_report)
    from pipeline.score import markdown_table, print_table

    gold_docs, pred_docs, rejected = _load_scoring_inputs(gold, pred)
    sealed = sealed_ids(gold)
    if sealed:
        log.info(f"note: {len(sealed)} sealed test document(s) left out of the report "
                 f"(score them with `score --gold gold/test`)")
        gold_docs = [d for d in gold_docs if d.id not in sealed]
    ours = score_system(gold_docs, pred_docs, "ours", "Our pipeline")
    others = run_baselines(gold_docs, model) if baselines else []
    systems = [ours, *others]
    header, rows = comparison_header(systems), comparison_rows(systems)
    print_table(f"F1 strict/lenient (s/l) and value accuracy, percent, on {ours.report.n_docs} gold documents",
                header, rows)
    _coverage_notes(ours.report)
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(markdown_table(header, rows) + "\n", encoding="utf-8")
    diff_href = Path(os.path.relpath(diff_page.resolve(), out.resolve().parent)).as_posix() if diff_page else None
    page = render_report(gold_docs, ours, others, sources={"gold": str(gold), "predictions": str(pred)},
                         diff_href=diff_href)
    typer.echo(f"report: {write_report(out, page)}")
    if rejected:
        raise typer.Exit(1)


@app.command()
def load(
    predictions: Annotated[Path, typer.Argument(help="Extractor output JSONL (or gold JSONL).")],
    db: Annotated[str, typer.Option(help="SQLAlchemy URL: sqlite:///FILE, or postgresql+psycopg://USER@HOST/DB "
                                         "(env PIPELINE_DB_URL).")] = "",
    lenient_meta: LenientMeta = False,
) -> None:
    """Load records into a database: one transaction, idempotent, changed documents replaced.

    Exit 0 loaded; 1 loaded, but some records were rejected (malformed, duplicate id, bad dct,
    not the record schema: each reported); 2 the load could not start or failed, nothing loaded
    (bad URL, unreachable server, other schema version). Concurrent loads wait for each other.
    """
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from pipeline.db import DEFAULT_DB_URL, SchemaMismatch, connect, load_file

    url = db or DEFAULT_DB_URL
    shown = "the database"
    try:
        engine = connect(url)
        shown = engine.url.render_as_string(hide_password=True)
        report = load_file(engine, predictions, lenient_meta=lenient_meta)
    except (OSError, ValueError, ArgumentError, SchemaMismatch, SQLAlchemyError) as err:
        fail(f"cannot load {predictions} into {shown}: {type(err).__name__}: {err}")
    report_problems(report.rejected, report.warnings)
    log.info(f"{predictions}: {report.summary()} -> {shown}")
    if report.rejected:
        raise typer.Exit(1)


@app.command()
def export(
    predictions: Annotated[Path, typer.Argument(help="Extractor output JSONL (or gold JSONL).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    format: Annotated[str | None, typer.Option("--format", "-f", help="jsonl, csv or parquet; default: --out's suffix.")] = None,
    table: Annotated[str, typer.Option(help="mentions (one row per mention) or documents.")] = "mentions",
    lenient_meta: LenientMeta = False,
) -> None:
    """Write the records as a flat table (typed columns of the record schema) via pandas.

    A record that fails the input check or the record schema is reported and exported as an
    error record (a `documents` row with its `error`, no mentions); the command then exits 1."""
    from pipeline.export import FORMATS, format_for, write_table
    from pipeline.records import TABLES, error_record, read_checked_records, to_dataframe
    from pipeline.schema import ReadError
    from pipeline.validate import InputCheck

    if table not in TABLES:
        fail(f"--table must be one of {', '.join(TABLES)}")
    if format is not None and format not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    check = InputCheck(lenient_meta=lenient_meta)
    try:
        fmt = format or format_for(out)
        log.debug("export %s -> %s: format %s, table %s", predictions, out, fmt, table)
        checked = list(read_checked_records(predictions, check))
        rejected = [r for r in checked if isinstance(r, ReadError)]
        frame = to_dataframe((error_record(r) if isinstance(r, ReadError) else r for r in checked), table)
        write_table(frame, out, fmt)
    except (OSError, ValueError) as err:
        fail(f"cannot export {predictions}: {err}")
    report_problems(rejected, check.warnings)
    log.info(f"{len(frame)} {table} rows -> {out} ({fmt})")
    if rejected:
        raise typer.Exit(1)


ExchangeFormatOption = Annotated[ExchangeFormat, typer.Option(
    "--format", "-f", help="docbin (spaCy .spacy), labelstudio (Label Studio JSON tasks), prodigy (JSONL with "
                           "tokens and spans) or doccano (sequence-labeling JSONL).")]


def _gold_lines(gold: Path, corpus: Path | None) -> list[dict]:
    """Gold lines of the documents in `gold` (gold, or extractor records: their spans' sources are
    left out), each with its text: its own, or the corpus article's (`record_texts`)."""
    from pipeline.exchange.base import gold_line
    from pipeline.gold import GoldError, load_documents
    from pipeline.records import record_texts

    try:
        docs = load_documents(gold)
    except GoldError as err:
        fail(str(err))
    texts = record_texts([doc.model_dump() for doc in docs], corpus)
    missing = [doc.id for doc in docs if doc.id not in texts]
    if missing:
        fail(f"{len(missing)} document(s) without their text ({', '.join(missing[:5])}"
             f"{', ...' if len(missing) > 5 else ''}): give the corpus they were extracted from (--corpus)")
    return [gold_line(doc.id, texts[doc.id], doc.meta, [span.model_dump(exclude={"source"}) for span in doc.spans])
            for doc in docs]


@app.command("export-gold")
def export_gold_command(
    gold: Annotated[Path, typer.Argument(help="Gold directory or JSONL file, or extractor records (their texts "
                                              "from the record or --corpus).")],
    format: ExchangeFormatOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="The tool's file to write.")],
    config: Annotated[str | None, typer.Option(help="labelstudio: write the labeling config (XML) here; - prints "
                                                    "it.")] = None,
    corpus: Annotated[Path | None, typer.Option(help="The corpus of extractor records without their text (read "
                                                     "as `extract` reads it).")] = None,
) -> None:
    """Write gold (or predictions) for an annotation tool: values ride in the tool's own fields.

    A span whose ends are no spaCy token boundaries (docbin, prodigy) is reported on stderr: the
    tool gets the tokens that cover it, and its exact offsets travel beside them."""
    from pipeline.exchange import export_file

    if config is not None and format != "labelstudio":
        fail("--config is the labeling config of Label Studio: use it with --format labelstudio")
    lines = _gold_lines(gold, corpus)
    try:
        exported = export_file(lines, format, out)
    except (OSError, ValueError) as err:
        fail(f"cannot export {gold}: {err}")
    for misaligned in exported.misaligned:
        log.warning("%s", misaligned)
    if format == "labelstudio":
        from pipeline.exchange.labelstudio import labeling_config

        if config == "-":
            typer.echo(labeling_config(), nl=False)
        elif config is not None:
            from pipeline.atomic import write_atomically

            write_atomically(Path(config), [labeling_config()])
            log.info(f"labeling config -> {config}")
        else:
            log.info("note: --config labels.xml writes the labeling config for these tasks")
    n_spans = sum(len(line["spans"]) for line in lines)
    tokens = f"; {len(exported.misaligned)} not on spaCy token boundaries" if format in ("docbin", "prodigy") else ""
    log.info(f"{len(lines)} documents, {n_spans} spans -> {out} ({format}){tokens}")


@app.command("import-gold")
def import_gold_command(
    path: Annotated[Path, typer.Argument(help="The tool's file: .spacy, Label Studio's JSON export, Prodigy's or "
                                              "doccano's JSONL.")],
    format: ExchangeFormatOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="Gold to write: one FILE.jsonl, or a directory of "
                                                          "<id>.jsonl files (as gold/dev).")],
    use_predictions: Annotated[bool, typer.Option(help="labelstudio: a task nobody annotated gives its "
                                                       "pre-annotations (else it is left out).")] = False,
) -> None:
    """Read an annotation tool's file back as gold: offsets, labels, values, ids, texts, meta.

    Label Studio: each task's latest annotation that was not cancelled. Prodigy: accepted tasks
    (the latest of one document). A span without a valid value (drawn in the tool, relabelled,
    moved in doccano) is reported (exit 1): the gold is written, and `validate-gold` refuses it
    until the value is filled in."""
    from pipeline.exchange import import_file, write_gold

    if use_predictions and format != "labelstudio":
        fail("--use-predictions reads Label Studio's pre-annotations: use it with --format labelstudio")
    try:
        imported = import_file(path, format, use_predictions)
    except (OSError, ValueError, KeyError, TypeError) as err:
        fail(f"cannot read {path} as {format}: {type(err).__name__}: {err}")
    for note in imported.notes:
        log.warning("%s", note)
    for problem in imported.problems:
        log.error("%s", problem)
    try:
        written = write_gold(imported.lines, out)
    except (OSError, ValueError) as err:
        fail(f"cannot write {out}: {err}")
    log.debug("wrote %s", ", ".join(map(str, written)))
    n_spans = sum(len(line["spans"]) for line in imported.lines)
    log.info(f"{len(imported.lines)} documents, {n_spans} spans -> {out}; {len(imported.problems)} problems")
    if imported.problems:
        raise typer.Exit(1)


@app.command("train-ner")
def train_ner_command(
    rehearse: Annotated[list[Path], typer.Argument(help="News JSONL files (`id`, `text` per line) whose stories keep "
                                                        "the model's own entities as targets.")],
    gold: Annotated[Path, typer.Option(help="Gold whose ORG spans the NER learns (never the sealed test gold).")]
    = Path("gold/dev"),
    out: Annotated[Path, typer.Option(help="Folder for the updated NER and the model it fits.")]
    = NER_UPDATE_DIR,
    model: Annotated[str, typer.Option(help="The spaCy model to update.")] = Settings().model,
    epochs: Annotated[int, typer.Option(min=1)] = 8,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Update the model's NER on gold ORG spans (pipeline.train_ner); extraction then uses it."""
    from pipeline.gold import GoldError, sealed_ids
    from pipeline.nlp import ModelNotInstalled
    from pipeline.train_ner import TrainSettings, train_and_save

    if sealed_ids(gold):
        fail(f"{gold} holds sealed test gold: train on gold/dev only")
    try:
        train_and_save(model, gold, rehearse, gold.parent, out, TrainSettings(epochs=epochs, seed=seed))
    except (GoldError, ModelNotInstalled, OSError, ValueError) as err:
        fail(str(err))
    log.info(f"NER update trained from {model} on {gold} -> {out}")


def _read_run_or_fail(path: Path):
    from pipeline.records import read_run

    try:
        run, rejected = read_run(path)
    except OSError as err:
        fail(str(err))
    report_problems(rejected, [])
    return run, rejected


def _gold_spans(gold: Path) -> tuple[dict, dict[str, str]]:
    """Gold spans by document (sealed test documents left out: nobody reads their spans) and the
    gold texts."""
    from pipeline.gold import GoldError, load_gold, sealed_ids
    from pipeline.records import run_spans

    try:
        docs = load_gold(gold)
    except GoldError as err:
        fail(str(err))
    sealed = sealed_ids(gold)
    if sealed:
        log.info(f"note: {len(sealed)} sealed test document(s) left out of the verdicts")
    docs = [d for d in docs if d.id not in sealed]
    return ({d.id: run_spans(d.model_dump()) for d in docs}, {d.id: d.text for d in docs if d.text is not None})


CorpusOption = Annotated[Path | None, typer.Option(help="The documents' texts, for the context around each span "
                                                        "(read as `extract` reads them; records of web pages "
                                                        "carry their own text).")]


SkipSealed = Annotated[Path | None, typer.Option(
    "--skip-sealed", help="Gold directory: leave out the documents of its sealed (test) folders, whose output "
                          "nobody may study (gold/README.md).")]


def _read_open_run(path: Path, skip_sealed: Path | None):
    """A prediction file as a Run, less the sealed gold documents when asked."""
    from pipeline.gold import sealed_ids

    run, rejected = _read_run_or_fail(path)
    return (run.without(sealed_ids(skip_sealed)) if skip_sealed else run), rejected


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Predictions of the earlier run (the JSONL written by `extract`).")],
    new: Annotated[Path, typer.Argument(help="Predictions of the later run, over the same documents.")],
    html_out: Annotated[Path | None, typer.Option("--html", help="Also write the diff as a self-contained HTML page.")] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold directory or JSONL: mark each change a fix, a regression "
                                                   "or neutral, and print the net per label.")] = None,
    corpus: CorpusOption = None,
    skip_sealed: SkipSealed = None,
) -> None:
    """Spans added, removed and changed (label, boundary, value), grouped by label and source.

    Only documents in both files are compared (the others are listed). Sealed test gold is never
    used for verdicts."""
    from pipeline.diff import NET_HEADER, diff_runs, net_rows, render_diff_html, render_diff_text
    from pipeline.records import record_texts
    from pipeline.report import write_report
    from pipeline.score import print_table

    old_run, old_rejected = _read_open_run(old, skip_sealed)
    new_run, new_rejected = _read_open_run(new, skip_sealed)
    gold_spans, texts = _gold_spans(gold) if gold else (None, {})
    texts = {**texts, **record_texts([*old_run.records.values(), *new_run.records.values()], corpus)}
    result = diff_runs(old_run.spans, new_run.spans, gold_spans)
    typer.echo(render_diff_text(result, texts))
    if result.judged:
        print_table(f"Against {gold} ({result.n_gold_docs} documents): changes per label", NET_HEADER,
                    net_rows(result))
    if html_out:
        page = render_diff_html(result, texts, {"old": str(old), "new": str(new),
                                                **({"gold": str(gold)} if gold else {})})
        log.info(f"diff: {write_report(html_out, page)}")
    if old_rejected or new_rejected:
        raise typer.Exit(1)


@app.command()
def audit(
    predictions: Annotated[Path, typer.Argument(help="The JSONL written by `extract`.")],
    sample: Annotated[int, typer.Option(min=1, help="Spans to sample.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed: the same run, size and seed give the same sample.")] = 0,
    out: Annotated[Path, typer.Option(help="The review page to write.")] = Path("out/audit.html"),
    by_source: Annotated[bool, typer.Option(help="Stratify by label and source (the rule behind a span), "
                                                  "not by label alone.")] = False,
    min_per_stratum: Annotated[int, typer.Option(min=1, help="Spans every stratum gets first (or all it has); "
                                                             "the rest is shared in proportion.")] = 10,
    corpus: CorpusOption = None,
    skip_sealed: SkipSealed = None,
) -> None:
    """A stratified random sample of a run's spans on one self-contained review page.

    The reviewer marks each span with one key (correct, wrong label, wrong boundary, wrong value),
    and downloads the marks as JSONL for `audit-score`."""
    from pipeline.audit import draw_sample, render_audit_html
    from pipeline.records import record_texts
    from pipeline.report import write_report

    run, rejected = _read_open_run(predictions, skip_sealed)
    spans = run.all_spans
    if not spans:
        fail(f"{predictions}: no spans to sample")
    drawn = draw_sample(spans, sample, seed, by_source, min_per_stratum)
    texts = record_texts(run.records.values(), corpus)
    page = write_report(out, render_audit_html(drawn, texts, str(predictions)))
    strata = ", ".join(f"{h} {n}/{size}" for h, (size, n) in drawn.strata.items())
    typer.echo(f"audit: {len(drawn.items)} of {len(spans)} spans (seed {seed}; sampled/spans per stratum: "
               f"{strata}) -> {page} (sample {drawn.sample_id})")
    if rejected:
        raise typer.Exit(1)


@app.command("audit-score")
def audit_score(
    marks: Annotated[Path, typer.Argument(help="Marks downloaded from the `audit` page (JSONL).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the estimates as JSON here.")] = None,
) -> None:
    """Precision per label (and per source, when the marks have sources) with 95% Wilson score
    intervals, and the estimated number of wrong spans in the whole run, reweighted by stratum."""
    from dataclasses import asdict

    from pipeline.audit import SCORE_HEADER, estimate_precision, estimate_rows, read_marks
    from pipeline.read import json_lines
    from pipeline.score import print_table

    lines = list(json_lines(marks))
    if len(lines) == 1 and lines[0].lineno == 0:
        fail(f"{marks}: {lines[0].problem}")
    marked, problems = read_marks((line.where, line.obj if not line.problem else None) for line in lines)
    for problem in problems:
        log.error("%s", problem)
    if not marked:
        fail(f"{marks}: no marks")
    sections = ["label", *(["source"] if any(m.get("source") for m in marked) else []), "all"]
    estimates = {by: estimate_precision(marked, by) for by in sections}
    for by in sections[:-1]:
        print_table(f"Precision by {by} from {len(marked)} marks (percent, 95% Wilson score interval); spans "
                    f"and wrong ones in the run (estimated); marked wrong label, boundary, value", SCORE_HEADER,
                    estimate_rows([*estimates[by], *estimates["all"]]))
    run_spans = {m.get("run_spans") for m in marked}
    covered = estimates["all"][0].spans
    if len(run_spans) == 1 and isinstance(total := run_spans.pop(), int) and total > round(covered):
        log.info(f"note: the marked strata hold {covered:.0f} of the run's {total} spans: strata "
                 f"without marks are not estimated")
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        payload = {by: [{**asdict(e), "wrong": dict(e.wrong), "wrong_estimate": e.wrong_estimate}
                        for e in estimates[by]] for by in sections}
        json_out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    if problems:
        raise typer.Exit(1)


@app.command()
def screenshot(
    page: Annotated[Path, typer.Argument(help="A local HTML page (report, diff, audit).")],
    png: Annotated[Path, typer.Argument(help="The PNG to write.")],
    width: Annotated[int, typer.Option(min=100)] = 1280,
    height: Annotated[int, typer.Option(min=100)] = 1600,
) -> None:
    """A PNG of a page's top, rendered by headless Chromium (exit 2 when chromium is missing)."""
    import subprocess

    from pipeline.browser import ChromiumMissing, screenshot as take

    if not page.exists():
        fail(f"{page}: no such file")
    try:
        typer.echo(f"screenshot: {take(page, png, (width, height))}")
    except (ChromiumMissing, RuntimeError, OSError, subprocess.TimeoutExpired) as err:
        fail(str(err))
