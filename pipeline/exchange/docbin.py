"""spaCy DocBin (`.spacy`): what `spacy train` and spaCy code read.

Each document is a Doc tokenized by spaCy's English tokenizer, its spans in
`doc.spans["news"]` (the key the pipeline writes, pipeline.extensions.SPANS_KEY) with the value
on `Span._.value`, and in `doc.ents` where they do not overlap. `doc.user_data["news_gold"]`
keeps the gold id, the meta (as JSON text, which msgpack cannot turn into tuples) and, for each
span whose ends are no token boundaries, its exact offsets and value beside the token-aligned
span spaCy holds: `[token start, token end, label, start, end, value]`. The DocBin is written
with `store_user_data=True`, which is what carries `Span._` values.
"""

from __future__ import annotations

import json
from collections import defaultdict

from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from pipeline.exchange.base import Exported, GoldLine, Imported, covering_span, english, gold_line, import_problems
from pipeline.extensions import SPANS_KEY

USER_DATA_KEY = "news_gold"


def to_doc(line: GoldLine) -> tuple[Doc, list]:
    """The Doc of one gold line, and its misaligned spans."""
    doc = english().make_doc(line["text"])
    spans, exact, misaligned = [], [], []
    for span in line["spans"]:
        covering, off = covering_span(doc, line["id"], span)
        covering._.value = span["value"]
        spans.append(covering)
        if off is not None:
            misaligned.append(off)
            exact.append([covering.start_char, covering.end_char, span["label"], span["start"], span["end"],
                          span["value"]])
    doc.spans[SPANS_KEY] = spans
    doc.ents = filter_spans(spans)
    doc.user_data[USER_DATA_KEY] = {"id": line["id"], "meta": json.dumps(line["meta"], ensure_ascii=False),
                                    "exact": exact}
    return doc, misaligned


def from_doc(doc: Doc, fallback_id: str) -> GoldLine:
    """The gold line of a Doc: the exact offsets where user_data has them, else the span's own."""
    data = doc.user_data.get(USER_DATA_KEY) or {}
    exact = defaultdict(list)
    for token_start, token_end, label, start, end, value in data.get("exact") or ():
        exact[token_start, token_end, label].append((start, end, value))
    spans = []
    for span in doc.spans.get(SPANS_KEY, []):
        kept = exact[span.start_char, span.end_char, span.label_]
        start, end, value = kept.pop(0) if kept else (span.start_char, span.end_char, span._.value)
        spans.append({"start": start, "end": end, "label": span.label_, "value": _lists(value)})
    meta = json.loads(data["meta"]) if "meta" in data else {}
    return gold_line(data.get("id") or fallback_id, doc.text, meta, spans)


def _lists(value):
    """msgpack gives back tuples for lists: a value object is plain JSON again."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def export_docbin(lines: list[GoldLine]) -> Exported:
    """One DocBin of all documents; `items` holds its bytes."""
    exported, docs = Exported(), []
    for line in lines:
        doc, misaligned = to_doc(line)
        docs.append(doc)
        exported.misaligned += misaligned
    exported.items = [DocBin(store_user_data=True, docs=docs).to_bytes()]
    return exported


def import_docbin(data: bytes, where: str) -> Imported:
    imported = Imported()
    for i, doc in enumerate(DocBin().from_bytes(data).get_docs(english().vocab)):
        line = from_doc(doc, fallback_id=f"doc{i}")
        if USER_DATA_KEY not in doc.user_data:
            imported.notes.append(f"{where}: Doc {i} has no user_data[{USER_DATA_KEY!r}]: id {line['id']!r}, no meta")
        imported.lines.append(line)
        imported.problems += import_problems(line, f"{where}: {line['id']}")
    return imported
