"""Character ranges (that may overlap each other) asked, span after span, whether one touches it."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import accumulate


class RangeIndex:
    """`in_ranges` (components/merge.py) for many spans: sorted once, then O(log n) a span.

    Scanning every range for every span was O(spans x ranges): quadratic on a text full of
    identifiers. Ranges sorted by start, with the furthest end reached so far, answer with a bisect.
    """

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether start..end overlaps a range: `start < r_end and r_start < end` for some range."""
        before_end = bisect.bisect_left(self._starts, end)  # the ranges with r_start < end
        return before_end > 0 and self._reach[before_end - 1] > start
