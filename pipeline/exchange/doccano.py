"""doccano JSONL, sequence labeling: `{"text", "label": [[start, end, LABEL], ...]}`.

doccano keeps every other key of an imported line as the example's metadata and writes it back
on export, so the gold id rides as `doc_id`, the gold meta as `meta` and the values as
`span_values`, keyed by span (`"371-385:MONEY"`, pipeline.exchange.base.span_key). A span moved
or relabelled in doccano has another key, so no value: the import reports it. Back, both of
doccano's export shapes are read: `label` lists, and `entities` objects (`start_offset`,
`end_offset`, `label`) of projects with relations.
"""

from __future__ import annotations

from pipeline.exchange.base import Exported, GoldLine, Imported, gold_line, import_problems, span_key


def to_line(line: GoldLine) -> dict:
    return {"text": line["text"], "label": [[s["start"], s["end"], s["label"]] for s in line["spans"]],
            "doc_id": line["id"], "meta": line["meta"],
            "span_values": {span_key(s["start"], s["end"], s["label"]): s["value"] for s in line["spans"]}}


def _labels(item: dict) -> list[tuple[int, int, str]]:
    if "entities" in item:
        return [(e["start_offset"], e["end_offset"], e["label"]) for e in item["entities"] or []]
    return [(start, end, label) for start, end, label in item.get("label") or []]


def from_line(item: dict, where: str) -> tuple[GoldLine, list[str]]:
    doc_id = item.get("doc_id") or f"example-{item.get('id')}"
    values = item.get("span_values") or {}
    spans = [{"start": start, "end": end, "label": label, "value": values.get(span_key(start, end, label))}
             for start, end, label in _labels(item)]
    line = gold_line(doc_id, item.get("text", ""), item.get("meta") or {}, spans)
    return line, import_problems(line, f"{where} ({doc_id})")


def export_doccano(lines: list[GoldLine]) -> Exported:
    return Exported([to_line(line) for line in lines])


def import_doccano(items: list[tuple[str, dict]]) -> Imported:
    imported = Imported()
    for where, item in items:
        imported.add(*from_line(item, where))
    return imported
