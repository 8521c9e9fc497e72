"""Regex search near anchors: big patterns tried only where a cheap one (a digit, a month name)
hit, with the same matches as over the whole text.

`re` tries a pattern at every position of the text. Rule patterns that must contain an anchor
(every amount holds a number, every dated expression a date word) cannot start far from one, so
the search runs over merged windows around the anchor's hits. A window's end cuts the text the
pattern sees, so a match that reaches near it is read again on the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def anchor_windows(anchor: re.Pattern[str], text: str, before: int, after: int) -> list[tuple[int, int]]:
    """Merged stretches of `text` from `before` characters ahead of each hit to `after` past it."""
    windows: list[list[int]] = []
    for hit in anchor.finditer(text):
        start, end = max(0, hit.start() - before), min(len(text), hit.end() + after)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [(start, end) for start, end in windows]


def finditer_in(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]],
                lookahead: int = 40) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only positions inside the windows.

    A match ending within `lookahead` characters of its window's end is matched again on the
    whole text (the window may have cut a word or a lookahead); matches never overlap.
    """
    last_end = 0
    for start, end in windows:
        for found in pattern.finditer(text, max(start, last_end), end):
            if end < len(text) and found.end() >= end - lookahead:
                found = pattern.match(text, found.start())
                if found is None:
                    continue
            if found.start() < last_end:
                continue
            last_end = found.end()
            yield found
