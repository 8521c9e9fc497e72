"""What the annotation-tool formats share: gold lines in and out, spaCy token alignment, and
the checks an imported document goes through.

A gold line is the JSON object of one line of a gold file (gold/README.md): `{"id", "text",
"meta", "spans": [{"start", "end", "label", "text", "value"}]}`. Every converter is a pair of
pure functions, gold line -> tool object and tool object -> gold line, so that gold -> tool ->
gold gives back the same line (ids, text, meta, offsets, labels, values).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pipeline.gold import span_problems
from pipeline.validate import span_where

GoldLine = dict[str, Any]


def gold_line(doc_id: str, text: str, meta: dict, spans: list[dict]) -> GoldLine:
    """A gold line in the key order of the gold files, spans sorted by offsets, each span's text
    taken from the offsets (a tool's own copy of it is checked by `import_problems`)."""
    ordered = sorted(spans, key=lambda s: (s["start"], s["end"], s["label"]))
    return {"id": doc_id, "text": text, "meta": meta,
            "spans": [{"start": s["start"], "end": s["end"], "label": s["label"], "text": text[s["start"]:s["end"]],
                       "value": s.get("value")} for s in ordered]}


def span_key(start: int, end: int, label: str) -> str:
    """How a span is named where a tool keeps values in a field of the document: `371-385:MONEY`."""
    return f"{start}-{end}:{label}"


@dataclass(frozen=True)
class Misaligned:
    """A span whose ends are not spaCy token boundaries: the tool sees the tokens that cover it;
    the exact offsets travel beside them (docs: README, "Gold exchange with annotation tools")."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    token_start: int  # character offsets of the covering tokens
    token_end: int
    covered: str

    def __str__(self) -> str:
        return (f"{self.doc_id}: span {self.start}-{self.end} {self.label} {self.text!r} does not fall on spaCy "
                f"token boundaries: the tool's tokens cover {self.token_start}-{self.token_end} {self.covered!r}; "
                f"the exact offsets are kept beside them")


@dataclass
class Exported:
    """Tool objects (tasks, lines, spaCy Docs), one per document, and the spans reported as misaligned."""

    items: list[Any] = field(default_factory=list)
    misaligned: list[Misaligned] = field(default_factory=list)


@dataclass
class Imported:
    """Gold lines, the problems that keep them from being valid gold (`WHERE: REASON`), and notes
    on what was chosen or left out (the latest of several annotations, a rejected task)."""

    lines: list[GoldLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, line: GoldLine, problems: list[str]) -> None:
        self.lines.append(line)
        self.problems += problems


def jsonl(items: list[dict]) -> str:
    """One JSON object a line, non-ASCII characters as they are (as the gold files hold them)."""
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


@cache
def english():
    """spaCy's English tokenizer (`spacy.blank("en")`): the rules the project's model,
    en_core_web_sm, tokenizes with too (the same tokens on every gold text), without loading it."""
    import spacy

    from pipeline.extensions import register_extensions

    register_extensions()
    return spacy.blank("en")


def covering_span(doc, doc_id: str, span: dict):
    """The spaCy span of a gold span, and a Misaligned when its ends are no token boundaries (the
    spaCy span then covers the tokens the gold span touches: `alignment_mode="expand"`)."""
    start, end, label = span["start"], span["end"], span["label"]
    exact = doc.char_span(start, end, label=label)
    if exact is not None:
        return exact, None
    expanded = doc.char_span(start, end, label=label, alignment_mode="expand")
    if expanded is None:
        raise ValueError(f"{doc_id}: {span_where(span)} covers no token")
    return expanded, Misaligned(doc_id, start, end, label, span["text"], expanded.start_char, expanded.end_char,
                                expanded.text)


def import_problems(line: GoldLine, where: str, tool_texts: dict[int, str] | None = None) -> list[str]:
    """Why an imported line is not yet valid gold: each span as `validate-gold` checks it (label,
    value object, offsets), overlaps, and a span text the tool saved that differs from the text at
    its offsets (a tool that counted characters differently). `tool_texts`: span index -> that text."""
    problems = []
    for i, span in enumerate(line["spans"]):
        problems += [f"{where}: {span_where(span)}: {p}" for p in span_problems(span, line["text"])]
        saved = (tool_texts or {}).get(i)
        if saved is not None and saved != span["text"]:
            problems.append(f"{where}: {span_where(span)}: the tool saved the text {saved!r} for these offsets")
    reaching = None  # of the spans so far, the one that ends last
    for span in line["spans"]:
        if reaching is not None and span["start"] < reaching["end"]:
            problems.append(f"{where}: {span_where(span)}: overlaps {span_where(reaching)}")
        if reaching is None or span["end"] > reaching["end"]:
            reaching = span
    return problems
