"""The model's NER, updated on gold/dev ORG spans, swapped in when the loaded model is its base.

The rules fix ORG boundaries and types, but cannot find a name the model never tagged (`Scottish
Water`, a club, a small firm). `pipeline.train_ner` updates the model's own `ner` weights on
gold/dev and saves only that component here, with the base model it fits. A different model (or
version) keeps its own NER: weights fit only the network they were trained from.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from spacy.language import Language

log = logging.getLogger(__name__)

BASE_FILE = "base.json"


def base_of(nlp: Language) -> dict[str, str]:
    """What an NER update must have been trained from: the model's name and version."""
    return meta_base(nlp.meta)


def meta_base(meta: dict) -> dict[str, str]:
    return {"name": f"{meta.get('lang')}_{meta.get('name')}", "version": str(meta.get("version"))}


def update_fits(meta: dict, folder: Path | None) -> bool:
    """Whether the update in `folder` would be applied to the model of this meta.json (read without
    loading the model: the store's run version must name the NER that will run)."""
    base_file = None if folder is None else folder / BASE_FILE
    return (base_file is not None and base_file.is_file() and "ner" in (meta.get("pipeline") or [])
            and json.loads(base_file.read_text(encoding="utf-8")) == meta_base(meta))


def save_ner_update(nlp: Language, base: dict[str, str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nlp.get_pipe("ner").to_disk(folder / "ner", exclude=["vocab"])  # the base model has it
    (folder / BASE_FILE).write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")


def apply_ner_update(nlp: Language, folder: Path | None) -> bool:
    """Load the updated NER weights into `nlp` if they were trained from this model; say if so."""
    if folder is None or "ner" not in nlp.pipe_names:
        return False
    base_file = folder / BASE_FILE
    if not base_file.is_file():
        log.warning("no NER update at %s; the model's own NER runs", folder)
        return False
    base = json.loads(base_file.read_text(encoding="utf-8"))
    if base != base_of(nlp):
        log.warning("the NER update at %s was trained from %s %s, not this model (%s %s); "
                    "the model's own NER runs", folder, base["name"], base["version"],
                    *base_of(nlp).values())
        return False
    nlp.get_pipe("ner").from_disk(folder / "ner", exclude=["vocab"])
    nlp.meta["news_ner_update"] = folder.name
    return True
