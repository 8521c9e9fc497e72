"""Merge rule candidates and the model's entities into final, non-overlapping mentions.

Precedence: candidates from our rule components beat the model's entities; among equals the
longer span wins ("longest expression that denotes one thing"), then the earlier one. Model
entities are taken only for the labels listed in `model_labels` (the labels no rule component
owns yet), mapped to our six labels; spaCy merges a config's dict into the default one, so a
component that owns a label maps it to null in nlp.py. Nothing is kept inside boilerplate ranges.

Every mention keeps the `source` of its candidate (docs/sources.md): the rule component's
`component:rule` id, or MODEL_SOURCE for an entity of the model taken as it is (trimmed only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from pipeline.extensions import SPANS_KEY, doc_text, register_extensions

DEFAULT_MODEL_LABELS = {
    "ORG": "ORG",
    "DATE": "DATE",
    "TIME": "DATE",
    "MONEY": "MONEY",
    "PERCENT": "PERCENT",
    "QUANTITY": "QUANTITY",
    "CARDINAL": "CARDINAL",
}
# The source of a span the model's NER found and the rules only kept or trimmed.
MODEL_SOURCE = "model:ner"
_LEADING_THE = re.compile(r"^[Tt]he\s+")
_TRAILING_POSSESSIVE = re.compile(r"['’]s?$")


def trim_span(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop outer whitespace, the possessive `'s`, and an ORG's leading `the` (guidelines)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    found = _TRAILING_POSSESSIVE.search(text[start:end])
    if found and found.start() > 0:
        end = start + found.start()
    if label == "ORG":
        found = _LEADING_THE.match(text[start:end])
        if found and found.end() < end - start:
            start += found.end()
    return start, end


def in_ranges(start: int, end: int, ranges: Iterable[Sequence[int]]) -> bool:
    """Whether start..end overlaps any of the (start, end) ranges."""
    return any(start < r_end and r_start < end for r_start, r_end in ranges)


def select_mentions(candidates: list[dict], boilerplate: list[list[int]],
                    model_candidates: Sequence[dict] = ()) -> list[dict]:
    """Greedy non-overlapping choice by (rule candidates before `model_candidates`, longer, earlier).

    O(n log n + total span length): taken characters are marked, so a candidate is checked
    against its own characters, not against every chosen mention."""
    pool = [(0, c) for c in candidates] + [(1, c) for c in model_candidates]
    if not pool:
        return []
    taken = bytearray(max(c["end"] for _, c in pool) + 1)
    for start, end in boilerplate:
        taken[start:end] = b"\x01" * max(0, min(end, len(taken)) - start)
    pool.sort(key=lambda item: (item[0], item[1]["start"] - item[1]["end"], item[1]["start"]))
    chosen: list[dict] = []
    for _, cand in pool:
        if not any(taken[cand["start"]:cand["end"]]):
            chosen.append(cand)
            taken[cand["start"]:cand["end"]] = b"\x01" * (cand["end"] - cand["start"])
    return sorted(chosen, key=lambda c: (c["start"], c["end"]))


@Language.factory("news_merge", default_config={"model_labels": DEFAULT_MODEL_LABELS})
def make_merge(nlp: Language, name: str, model_labels: dict[str, str | None]) -> "MergeMentions":
    return MergeMentions(model_labels)


class MergeMentions:
    def __init__(self, model_labels: dict[str, str | None]):
        register_extensions()
        self.model_labels = model_labels

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        from_model = []
        for ent in doc.ents:
            label = self.model_labels.get(ent.label_)
            if label is None:
                continue
            start, end = trim_span(text, ent.start_char, ent.end_char, label)
            if start < end:
                from_model.append({"start": start, "end": end, "label": label,
                                   "value": None, "source": MODEL_SOURCE})
        doc._.mentions = [
            {"start": c["start"], "end": c["end"], "label": c["label"],
             "text": text[c["start"]:c["end"]], "value": c.get("value"), "source": c["source"]}
            for c in select_mentions(list(doc._.candidates or []), doc._.boilerplate or [], from_model)
        ]
        set_spacy_spans(doc)
        return doc


def set_spacy_spans(doc: Doc) -> None:
    """The mentions as spaCy spans, for displaCy, `Scorer` and `DocBin`: `doc.spans["news"]`
    with each normalized value on `Span._.value` and its rule on `Span._.source`, and `doc.ents`
    made of them plus the model's other entities (PERSON, GPE...) that do not overlap them. A
    mention that does not fall on token boundaries (`5%-10%` in one token) is widened to the
    tokens; `doc._.mentions` keeps the exact offsets."""
    spans = []
    for mention in doc._.mentions or []:
        span = (doc.char_span(mention["start"], mention["end"], label=mention["label"])
                or doc.char_span(mention["start"], mention["end"], label=mention["label"], alignment_mode="expand"))
        if span is not None:
            span._.value = mention["value"]
            span._.source = mention.get("source")
            spans.append(span)
    doc.spans[SPANS_KEY] = spans
    ents = filter_spans(spans)
    taken = {i for span in ents for i in range(span.start, span.end)}
    others = [e for e in doc.ents if e.label_ not in DEFAULT_MODEL_LABELS
              and not any(i in taken for i in range(e.start, e.end))]
    doc.ents = sorted(ents + others, key=lambda span: span.start)
