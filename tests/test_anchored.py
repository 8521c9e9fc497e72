"""Search near anchors finds what a search of the whole text finds."""

import re

import pytest

from pipeline.anchored import anchor_windows, finditer_in
from pipeline.components.amounts import NUMBER_REACH, _number_anchor, amount_patterns
from pipeline.normalize.date_grammar import load_grammar
from conftest import CORPUS

NUMBER = re.compile(r"[0-9]+")
MILLIONS = re.compile(r"[0-9]+ (?:million|mln)\b")


@pytest.mark.parametrize("text, windows, expected", [
    ("costs 5 million dollars", [(0, 18)], ["5 million"]),
    ("costs 5 mlnx", [(0, 11)], []),  # the window cut the word after `mln`: read again, no match
    ("5 mln and 6 mln", [(0, 8), (4, 15)], ["5 mln", "6 mln"]),  # no match found twice
    ("5 mln, far away 6 mln", [(0, 6)], ["5 mln"]),  # nothing outside the windows
])
def test_finditer_in_windows(text, windows, expected):
    assert [m.group(0) for m in finditer_in(MILLIONS, text, windows)] == expected


@pytest.mark.parametrize("text, expected", [
    ("a 5 and 7", [(0, 9)]),
    ("5" + " " * 50 + "7", [(0, 11), (49, 52)]),
])
def test_windows_around_hits_merge_when_they_touch(text, expected):
    assert anchor_windows(NUMBER, text, 2, 10) == expected


@pytest.fixture(scope="module")
def texts():
    return [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]


def test_amount_patterns_near_numbers_match_as_on_the_whole_text(texts):
    for text in texts:
        windows = anchor_windows(_number_anchor(), text, NUMBER_REACH, NUMBER_REACH)
        for pattern in amount_patterns():
            assert [m.span() for m in finditer_in(pattern.regex, text, windows)] == \
                [m.span() for m in pattern.regex.finditer(text)], pattern.id


def test_date_rules_near_their_anchors_match_as_on_the_whole_text(texts):
    grammar = load_grammar()
    for text in texts:
        found = {(m.start, m.end, m.rule) for m in grammar.find(text)}
        whole = {(m.start, m.end, rule.id) for rule, pattern in grammar._compiled
                 for found in pattern.finditer(text) for m in grammar.matches_of(rule, pattern, found)}
        assert found == whole
