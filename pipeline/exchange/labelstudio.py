"""Label Studio JSON: tasks with pre-annotations out, completed tasks back.

A task is `{"data": {"text", "doc_id", "meta"}, "predictions": [{"model_version", "result"}]}`,
one result item per span: `{"id", "from_name": "label", "to_name": "text", "type": "labels",
"value": {"start", "end", "text", "labels": [LABEL]}, "meta": {"value": VALUE}}`. The value rides
in the item's `meta`: Label Studio's editor loads a result item's keys other than `id`, `type`
and `value` into its region, whose `meta` is a frozen (kept as it is) object that also holds an
annotator's region note (`meta.text`), and writes the region's meta back into each result item it
saves (label-studio, web/libs/editor: `Annotation.deserializeSingleResult`, `Result.serialize`),
so a span the annotator leaves, moves or relabels keeps its value; a span drawn in
Label Studio has none, and the import reports it. Offsets count code points, as Label Studio's
Text tag and Python do.

Back, a task's annotation is the latest (by `updated_at`, then `created_at`, then order) that was
not cancelled (skipped); a task without one is left out and reported, unless pre-annotations are
asked for (`use_predictions`: the round trip of an exported file, or pre-annotations accepted as
they are).
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import quoteattr

from pipeline.exchange.base import Exported, GoldLine, Imported, gold_line, import_problems
from pipeline.schema import LABELS

FROM_NAME, TO_NAME = "label", "text"
MODEL_VERSION = "gold"


def labeling_config() -> str:
    """The labeling interface for the six labels. `white-space: pre-wrap` shows the text with every
    space and line break, which Label Studio counts in offsets either way. The labels have the
    colours of the HTML report."""
    from pipeline.report import LABEL_COLORS

    labels = "\n".join(f'    <Label value={quoteattr(label)} background={quoteattr(LABEL_COLORS[label])}/>'
                       for label in LABELS)
    return ("<View>\n"
            "  <Style>.htx-text { white-space: pre-wrap; }</Style>\n"
            f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}\n  </Labels>\n'
            f'  <Text name="{TO_NAME}" value="${TO_NAME}"/>\n'
            "</View>\n")


def result_item(i: int, span: dict) -> dict:
    return {"id": f"s{i}", "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
            "value": {"start": span["start"], "end": span["end"], "text": span["text"], "labels": [span["label"]]},
            "meta": {"value": span["value"]}}


def to_task(line: GoldLine) -> dict:
    return {"data": {TO_NAME: line["text"], "doc_id": line["id"], "meta": line["meta"]},
            "predictions": [{"model_version": MODEL_VERSION,
                             "result": [result_item(i, span) for i, span in enumerate(line["spans"])]}]}


def _when(annotation: dict) -> str:
    return str(annotation.get("updated_at") or annotation.get("created_at") or "")


def chosen_result(task: dict, where: str, use_predictions: bool) -> tuple[list | None, str | None]:
    """The result items of the task's latest annotation that was not cancelled (or of its last
    prediction), and a note on the choice when there was one to make."""
    annotations = task.get("annotations") or task.get("completions") or []  # `completions`: before 1.0
    kept = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if kept:
        latest = max(enumerate(kept), key=lambda item: (_when(item[1]), item[0]))[1]
        note = (f"{where}: {len(kept)} annotations, the latest taken (id {latest.get('id')}, {_when(latest)})"
                if len(kept) > 1 else None)
        return latest.get("result") or [], note
    predictions = task.get("predictions") or []
    if use_predictions and predictions:
        return predictions[-1].get("result") or [], None
    cancelled = len(annotations) - len(kept)
    return None, f"{where}: no annotation{f' ({cancelled} cancelled)' if cancelled else ''}: left out"


def from_task(task: dict, where: str, use_predictions: bool = False) -> tuple[GoldLine | None, list[str], list[str]]:
    """The gold line of one task (None when it has no annotation), its problems and notes."""
    data = task.get("data") or {}
    doc_id = data.get("doc_id") or f"task-{task.get('id')}"
    where = f"{where} ({doc_id})"
    result, note = chosen_result(task, where, use_predictions)
    notes = [note] if note else []
    if result is None:
        return None, [], notes
    spans, saved, problems = [], {}, []
    for item in result:
        value = item.get("value") or {}
        if item.get("type") != "labels" or not value.get("labels"):
            continue  # not a span (a relation, a choice of the whole text)
        if len(value["labels"]) > 1:
            problems.append(f"{where}: region {item.get('id')} has several labels {value['labels']}: the first taken")
        saved[len(spans)] = value.get("text")
        spans.append({"start": int(value["start"]), "end": int(value["end"]), "label": value["labels"][0],
                      "value": (item.get("meta") or {}).get("value")})
    text = data.get(TO_NAME, "")
    line = gold_line(doc_id, text, data.get("meta") or {}, spans)
    order = sorted(range(len(spans)), key=lambda i: (spans[i]["start"], spans[i]["end"], spans[i]["label"]))
    tool_texts = {new: saved[old] for new, old in enumerate(order)}
    return line, problems + import_problems(line, where, tool_texts), notes


def export_labelstudio(lines: list[GoldLine]) -> Exported:
    return Exported([to_task(line) for line in lines])


def import_labelstudio(tasks: Any, where: str, use_predictions: bool = False) -> Imported:
    """Tasks as Label Studio exports them (a JSON list; one task object is read as a list of one)."""
    imported = Imported()
    for i, task in enumerate([tasks] if isinstance(tasks, dict) else tasks):
        if not isinstance(task, dict):
            imported.problems.append(f"{where}: task {i} is not an object")
            continue
        line, problems, notes = from_task(task, f"{where}: task {task.get('id', i)}", use_predictions)
        if line is not None:
            imported.add(line, problems)
        imported.notes += notes
    return imported


def dumps_tasks(exported: Exported) -> str:
    return json.dumps(exported.items, ensure_ascii=False, indent=1) + "\n"
