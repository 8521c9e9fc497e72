"""Character ranges of a raw article that are not article content (guidelines, first section).

A `within` on a span or line rule limits it to matches that start within that many characters.
The text is never cut: boilerplate is a list of (start, end) ranges that no span may touch, so
offsets stay those of the raw file. The rules are data (`patterns/boilerplate.jsonl`), each of
one kind:
  span  the match itself (photo credits, stamps, injected CJK spam, licence numbers);
  line  the whole line holding a match (breadcrumbs, hotlines, language menus, a lone date line
        under the headline);
  head  everything up to the end of the match, if it starts within `within` characters
        (a page's title and menus before the story);
  tail  everything from the earliest match on (comment widgets, related and most-read lists).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Kind = Literal["span", "line", "head", "tail"]
_RULE_KEYS = {"id", "kind", "pattern", "within", "why"}


@dataclass(frozen=True)
class BoilerplateRule:
    id: str
    kind: Kind
    pattern: re.Pattern
    within: int | None = None


def parse_rule(entry: dict) -> BoilerplateRule:
    unknown = set(entry) - _RULE_KEYS
    if unknown or entry.get("kind") not in ("span", "line", "head", "tail"):
        raise ValueError(f"bad boilerplate rule {entry.get('id')!r}: unknown keys {sorted(unknown)} "
                         f"or kind {entry.get('kind')!r}")
    return BoilerplateRule(entry["id"], entry["kind"], re.compile(entry["pattern"], re.MULTILINE),
                           entry.get("within"))


@cache
def default_rules() -> tuple[BoilerplateRule, ...]:
    text = resources.files("pipeline.patterns").joinpath("boilerplate.jsonl").read_text(encoding="utf-8")
    return tuple(parse_rule(json.loads(line)) for line in text.splitlines() if line.strip())


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end == -1 else line_end


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def boilerplate_ranges(text: str, rules: tuple[BoilerplateRule, ...] | None = None) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) ranges of `text` that are boilerplate."""
    ranges: list[tuple[int, int]] = []
    head_end = 0
    for rule in rules or default_rules():
        if rule.kind == "head":
            found = rule.pattern.search(text, 0, rule.within or len(text))
            if found:
                head_end = max(head_end, found.end())
                ranges.append((0, found.end()))
        elif rule.kind == "tail":
            found = rule.pattern.search(text, head_end)
            if found:
                ranges.append((found.start(), len(text)))
        else:
            for found in rule.pattern.finditer(text, 0, rule.within or len(text)):
                if found.end() > found.start():
                    bounds = (found.start(), found.end())
                    ranges.append(_line_bounds(text, *bounds) if rule.kind == "line" else bounds)
    return merge_ranges(ranges)
