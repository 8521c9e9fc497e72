"""Update the model's NER on gold ORG spans, without forgetting what it knows of other labels.

    python -m pipeline train-ner --gold gold/dev --rehearse ../shared/news/*.jsonl

Gold annotates only our six labels, so a plain update would teach the model that people and places
are nothing. Each gold document therefore keeps the model's own non-ORG entities where they do not
touch a gold ORG (pseudo-rehearsal), and news stories outside gold are added with the model's
own predictions as targets, so the update moves ORG and little else. Boilerplate (menus, bylines)
is unannotated in gold by rule, not because it holds no names: its tokens are left missing.
Only `ner` trains; it has its own embedding layer, so the tagger and parser are untouched.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.training import Example, offsets_to_biluo_tags
from spacy.util import fix_random_seed, minibatch

from pipeline.boilerplate import boilerplate_ranges
from pipeline.gold import load_gold
from pipeline.ner_update import base_of, save_ner_update
from pipeline.nlp import load_model

Offsets = tuple[int, int, str]


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 8
    rehearse_per_file: int = 150  # news stories drawn from each rehearsal file
    rehearse_per_epoch: int = 120  # of those, seen in one epoch beside two passes over gold
    min_chars: int = 200
    max_chars: int = 6000
    batch_size: int = 8
    dropout: float = 0.2
    seed: int = 0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def biluo_example(nlp: Language, text: str, entities: Iterable[Offsets],
                  missing: Sequence[tuple[int, int]] = ()) -> Example:
    """An example whose target is `entities` (first wins where two overlap); tokens touching a
    `missing` range carry no target at all."""
    doc = nlp.make_doc(text)
    spans = []
    for start, end, label in entities:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and not any(_overlaps((span.start, span.end), (s.start, s.end)) for s in spans) \
                and not any(_overlaps((span.start_char, span.end_char), r) for r in missing):
            spans.append(span)  # an entity half in a missing range would leave a broken tag sequence
    tags = offsets_to_biluo_tags(doc, [(s.start_char, s.end_char, s.label_) for s in spans])
    for i, token in enumerate(doc):
        if any(_overlaps((token.idx, token.idx + len(token)), r) for r in missing):
            tags[i] = "-"
    return Example.from_dict(doc, {"entities": tags})


def gold_target(gold_orgs: Sequence[tuple[int, int]], model_ents: Iterable[Offsets]) -> list[Offsets]:
    """Gold ORG spans, plus the model's entities of other labels that touch none of them."""
    kept = [(s, e, label) for s, e, label in model_ents
            if label != "ORG" and not any(_overlaps((s, e), o) for o in gold_orgs)]
    return sorted([(s, e, "ORG") for s, e in gold_orgs] + kept)


def _entities(nlp: Language, text: str) -> list[Offsets]:
    return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]


def gold_examples(nlp: Language, gold_dir: Path) -> list[Example]:
    examples = []
    for doc in load_gold(gold_dir):
        orgs = [(s.start, s.end) for s in doc.spans if s.label == "ORG"]
        target = gold_target(orgs, _entities(nlp, doc.text))
        examples.append(biluo_example(nlp, doc.text, target, boilerplate_ranges(doc.text)))
    return examples


def rehearsal_examples(nlp: Language, files: Iterable[Path], exclude_texts: set[str],
                       settings: TrainSettings, rng: random.Random) -> list[Example]:
    """The model's own predictions on stories outside gold, `rehearse_per_file` from each file."""
    examples = []
    for path in files:
        stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        stories = [s["text"] for s in stories
                   if settings.min_chars < len(s["text"]) < settings.max_chars and text_key(s["text"]) not in exclude_texts]
        for text in rng.sample(stories, min(settings.rehearse_per_file, len(stories))):
            examples.append(biluo_example(nlp, text, _entities(nlp, text)))
    return examples


def text_key(text: str) -> str:
    """A story's identity across copies that differ in whitespace."""
    return " ".join(text.split())[:300]


def all_gold_texts(gold_root: Path) -> set[str]:
    """Every gold text, dev and test, so that none is drawn for rehearsal."""
    return {text_key(doc.text) for doc in load_gold(gold_root)}


def train(model: str, gold_dir: Path, rehearse: Sequence[Path], exclude_texts: set[str],
          settings: TrainSettings = TrainSettings()) -> Language:
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    nlp = load_model(model)
    gold = gold_examples(nlp, gold_dir)
    background = rehearsal_examples(nlp, rehearse, exclude_texts, settings, rng)
    optimizer = nlp.resume_training()
    with nlp.select_pipes(enable=["ner"]):
        for _ in range(settings.epochs):
            epoch = gold * 2 + rng.sample(background, min(len(background), settings.rehearse_per_epoch))
            rng.shuffle(epoch)
            for batch in minibatch(epoch, size=settings.batch_size):
                nlp.update(batch, sgd=optimizer, drop=settings.dropout)
    return nlp


def train_and_save(model: str, gold_dir: Path, rehearse: Sequence[Path], gold_root: Path, out: Path,
                   settings: TrainSettings = TrainSettings()) -> None:
    nlp = train(model, gold_dir, rehearse, all_gold_texts(gold_root), settings)
    save_ner_update(nlp, base_of(nlp.meta), out)
