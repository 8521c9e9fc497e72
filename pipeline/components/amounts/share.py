"""Share: units, currencies and scales that one amount gives the bare numbers around it.

Wire copy writes a unit once for several numbers: `1,850 and 1,880 dlrs` (a list),
`from 2 to 3 percent` (a change: two spans), `12.5 mln dlrs from 10.2 mln` (a comparison).
Each bare number gets a `value_text` with the shared unit, so the normalizers see a full amount.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.components.amounts.counted import CountedNouns
from pipeline.components.amounts.patterns import _YEAR, Match, _amount_head, _coordinated_amounts, fragments, \
    resolve_overlaps
from pipeline.components.amounts.ranges import RangeIndex
from pipeline.components.amounts.view import DocView
from pipeline.normalize.money import find_prefix
from pipeline.normalize.numbers import split_modifier

# Whitespace runs are possessive (`\s++`): a word always follows them, and backtracking into a
# long run of spaces cost O(run^2).
_COMPARISON = re.compile(r"(?:\s*+,\s++|\s++)(?:(?:up|down)\s++)?"
                         r"(?:from|against|versus|vs\.?|compared\s++(?:with|to))\s++")
_UP_OR_DOWN = re.compile(r"(?:\s*+,\s++|\s++)(?:up|down)\s++")
_SCALE_END = re.compile(r"(?i:\s*(?:thousand|million|billion|trillion|mln|bln|bn|mn))$")


def split_from_to(matches: list[Match], text: str) -> list[Match]:
    """`from 2 to 3 percent` is a change between two values: two spans, the unit shared. O(n)."""
    result = []
    for match in matches:
        span_text = text[match.start:match.end]
        to = re.search(r"\s+to\s+", span_text)
        if to is None or not re.search(r"(?i:\bfrom)\s+$", text[max(0, match.start - 8):match.start]):
            result.append(match)
            continue
        low_text = span_text[:to.start()]
        high_start = match.start + to.end()
        head = _amount_head().fullmatch(low_text)
        tail = _unit_tail(text[high_start:match.end])
        low_value = low_text if head is None or match.label == "CARDINAL" else low_text + tail
        result.append(Match(match.start, match.start + len(low_text), match.label, match.pattern,
                            match.priority, value_text=low_value))
        result.append(Match(high_start, match.end, match.label, match.pattern, match.priority))
    return result


def _unit_tail(span_text: str) -> str:
    """What follows the amount in a span: its unit or currency word (`3 percent` -> ` percent`)."""
    head = _amount_head().match(span_text)
    return span_text[head.end():] if head else ""


def share_units(matches: list[Match], text: str, blocked: RangeIndex) -> list[Match]:
    """`1,850 and 1,880 dlrs`, `2.27 and 2.28 times`: the bare numbers take the shared unit.

    O(n log n): a typed amount reads the 160 characters before it, and a bare number whether a
    shared one covers it by bisect.
    """
    added: list[Match] = []
    for match in matches:
        if match.label == "CARDINAL" and match.pattern != "factor":
            continue
        span_text = text[match.start:match.end]
        if match.label == "MONEY" and find_prefix(span_text) is not None:
            continue
        head = _amount_head().match(span_text)
        if head is None or not re.match(r"[0-9]", span_text):
            continue  # no bare amount first, or a modifier / `between` leads
        tail = span_text[head.end():]
        scale = _SCALE_END.search(head.group(0))
        window_start = max(0, match.start - 160)
        chain = _coordinated_amounts().search(text[window_start:match.start])
        if chain is None:
            continue
        chain_start = window_start + chain.start()
        for part in re.finditer(fragments()["AMOUNT"], text[chain_start:match.start]):
            start, end = chain_start + part.start(), chain_start + part.end()
            part_text = part.group(0)
            if not re.match(r"[0-9]", part_text) or _YEAR.fullmatch(part_text):
                continue
            value_text = part_text
            if scale and not re.search(r"[A-Za-z]", part_text):
                value_text += scale.group(0)
            if not blocked.overlaps(start, end):
                added.append(Match(start, end, match.label, "shared-" + match.pattern, 2, value_text + tail))
    if not added:
        return matches
    shared = RangeIndex((a.start, a.end) for a in added)
    kept = [m for m in matches if m.priority > 2 or not shared.overlaps(m.start, m.end)]
    return resolve_overlaps(kept + added)


def share_comparisons(matches: list[Match], text: str, view: DocView, nouns: CountedNouns) -> list[Match]:
    """`12.5 mln dlrs from 10.2 mln`, `5.93 mln against 5.81`: the compared number is the same kind.

    A bare number right after a typed amount and `from`, `against`, `vs`, `compared with`
    takes its unit, and its scale when it has none (wire style leaves both out).
    O(n): the compared number is found by its start, in a dict.
    """
    by_start = {m.start: i for i, m in enumerate(matches)}
    result = list(matches)
    for position, match in enumerate(matches):
        if match.label == "CARDINAL" and match.pattern != "count":
            continue
        connector = _COMPARISON.match(text, match.end)
        if connector is None or connector.end() not in by_start:
            continue
        index = by_start[connector.end()]
        other = matches[index]
        other_text = text[other.start:other.end]
        if other.pattern != "count" or other.value_text or _YEAR.fullmatch(other_text) \
                or not re.match(r"[0-9]", other_text):
            continue
        if match.label == "PERCENT" and not re.search(r"\b(?:to|at|of|was|were|is|are|stood|reached|from)\s+$",
                                                      text[max(0, match.start - 10):match.start]):
            # `602.26 billion kilowatt hours, up 2.2 pct from 589.51 billion`: the compared
            # number is the base of the change, the amount before `up`.
            before = matches[position - 1] if position > 0 else None
            if before is None or before.label == "PERCENT" or before.pattern not in (
                    "money-prefix", "money-suffix", "quantity", "count") \
                    or not _UP_OR_DOWN.fullmatch(text, before.end, match.start):
                continue
            match = before
        elif match.label == "PERCENT" and re.search(r"[A-Za-z]", other_text):
            continue
        span_text = text[match.start:match.end]
        head = _amount_head().match(span_text)
        prefix = ""
        if match.label == "MONEY" and (found := find_prefix(split_modifier_text(span_text))):
            prefix, tail = found[0].surface, ""
            head = _amount_head().match(split_modifier_text(span_text)[found[1]:])
        elif head is not None:
            tail = span_text[head.end():]
        else:
            continue
        scale = _SCALE_END.search(head.group(0)) if head else None
        value_text = other_text
        if scale and not re.search(r"[A-Za-z]", other_text):
            value_text += scale.group(0)
        if match.label == "CARDINAL":
            if scale is None or (view.tagged and nouns.of(other, text, view) is not None):
                continue
            counted = nouns.of(match, text, view) or match.counted
            result[index] = replace(other, pattern="shared-count", value_text=value_text, counted=counted)
            continue
        result[index] = replace(other, label=match.label, pattern="shared-" + match.pattern, priority=2,
                                value_text=(prefix + value_text) if prefix else value_text + tail)
    return result


def split_modifier_text(text: str) -> str:
    """The span text after its modifier (`about $5 million` -> `$5 million`)."""
    return split_modifier(text)[1]
