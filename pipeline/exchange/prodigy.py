"""Prodigy JSONL: one task per document, as `ner.manual` and `spans.manual` read and save them.

`{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start", "end",
"token_start", "token_end", "label", "value"}], "meta": META, "doc_id": ID}`: tokens come from
spaCy's English tokenizer (pipeline.exchange.base.english), `token_end` is inclusive as in
Prodigy, and the value rides in each span dict under `value` (Prodigy keeps a task's and a span's
extra keys in what it saves). The gold meta is the task's `meta` (Prodigy shows it under the
text); the gold id is `doc_id`. A span that is no token boundary keeps its exact `start`/`end`,
with the token indices of the tokens that cover it (reported on export).

Back, a task Prodigy saved as `reject` or `ignore` is left out and reported; of several accepted
tasks of one document (two sessions), the latest by `_timestamp` is taken.
"""

from __future__ import annotations

from pipeline.exchange.base import Exported, GoldLine, Imported, covering_span, english, gold_line, import_problems

ACCEPTED = ("accept", None)  # None: a task never annotated (an exported file read back)


def to_task(line: GoldLine) -> tuple[dict, list]:
    doc = english().make_doc(line["text"])
    tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
              for t in doc]
    spans, misaligned = [], []
    for span in line["spans"]:
        covering, off = covering_span(doc, line["id"], span)
        if off is not None:
            misaligned.append(off)
        spans.append({"start": span["start"], "end": span["end"], "token_start": covering.start,
                      "token_end": covering.end - 1, "label": span["label"], "value": span["value"]})
    return {"text": line["text"], "tokens": tokens, "spans": spans, "meta": line["meta"], "doc_id": line["id"]}, \
        misaligned


def from_task(task: dict, where: str) -> tuple[GoldLine, list[str]]:
    doc_id = task.get("doc_id") or f"task-{task.get('_input_hash')}"
    spans = [{"start": s["start"], "end": s["end"], "label": s["label"], "value": s.get("value")}
             for s in task.get("spans") or []]
    line = gold_line(doc_id, task.get("text", ""), task.get("meta") or {}, spans)
    return line, import_problems(line, f"{where} ({doc_id})")


def export_prodigy(lines: list[GoldLine]) -> Exported:
    exported = Exported()
    for line in lines:
        task, misaligned = to_task(line)
        exported.items.append(task)
        exported.misaligned += misaligned
    return exported


def import_prodigy(tasks: list[tuple[str, dict]]) -> Imported:
    """`tasks`: (where, task) per JSONL line, in file order."""
    imported, latest = Imported(), {}
    for where, task in tasks:
        doc_id = task.get("doc_id") or f"task-{task.get('_input_hash')}"
        if task.get("answer") not in ACCEPTED:
            imported.notes.append(f"{where} ({doc_id}): answered {task.get('answer')!r}: left out")
            continue
        if doc_id in latest:
            earlier_where, earlier = latest[doc_id]
            later = (task.get("_timestamp") or 0) >= (earlier.get("_timestamp") or 0)
            kept_where = where if later else earlier_where
            imported.notes.append(f"{doc_id}: accepted at {earlier_where} and {where}; {kept_where} taken (latest)")
            if not later:
                continue
        latest[doc_id] = (where, task)
    for where, task in latest.values():
        imported.add(*from_task(task, where))
    return imported
