"""news_amounts in linear time: the work is counted (lines of the pipeline's code run), not timed.

A document of bare numbers once took minutes: each count without a noun looked back over every
count before it, and re-read the text between them for a sentence end. Counting lines run fails
a quadratic step on any machine, fast or slow, loaded or not.
"""

import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import spacy

import pipeline
import pipeline.components  # noqa: F401  (registers news_sentences and news_amounts)
from pipeline.components.amounts import filter as amount_filter
from pipeline.components.amounts.counted import _LIST_SEPARATOR, CountedNouns, elliptical_counted
from pipeline.components.amounts.ranges import RangeIndex
from pipeline.components.amounts.share import _COMPARISON, _UP_OR_DOWN
from pipeline.components.merge import in_ranges

PACKAGE = str(Path(pipeline.__file__).parent)


def lines_run(nlp, text):
    """Lines of the pipeline's own code that `nlp(text)` runs (spaCy's and the stdlib's not counted)."""
    lines = 0

    def count(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return count

    def enter(frame, event, arg):
        return count if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(enter)
    try:
        nlp(text)
    finally:
        sys.settrace(previous)
    return lines


@pytest.fixture(scope="module", params=[(), ("news_sentences",)], ids=["sentence ends in the text", "news_sentences"])
def blank(request):
    """spacy.blank + the component; with `news_sentences`, the doc's own sentence boundaries."""
    nlp = spacy.blank("en")
    for name in request.param:
        nlp.add_pipe(name)
    nlp.add_pipe("news_amounts")
    return nlp


@pytest.mark.parametrize("unit", ["1 ", "1, 2 and 3. ", "5 dlrs and 6\n", "Revs 1 vs 2 mln "])
def test_work_grows_linearly(blank, unit):
    small, large = (lines_run(blank, unit * (n // unit.count(" "))) for n in (2000, 4000))
    assert large / small < 2.5


def test_twenty_thousand_bare_numbers(blank):
    doc = blank("1 " * 20000)
    found = doc._.candidates
    assert [(c["start"], c["end"], c["label"]) for c in found] == [(2 * i, 2 * i + 1, "CARDINAL") for i in range(20000)]
    assert {(c["value"]["amount"], c["value"]["counted"]) for c in found} == {(1, None)}


def test_a_results_line_reads_its_currency_word_once(blank, monkeypatch):
    """The line's currency word was looked up again for each number on it: O(numbers x line)."""
    lookups = []
    monkeypatch.setattr(amount_filter, "_currency_word",
                        lambda line, default, lookup=amount_filter._currency_word:
                        lookups.append(line) or lookup(line, default))
    doc = blank("Revs 1 vs 2 mln " * 1000)
    assert len(lookups) == 1
    assert len(doc._.candidates) == 2000
    assert {(c["label"], c["value"]["currency"]) for c in doc._.candidates} == {("MONEY", "USD")}


@pytest.mark.parametrize("pattern, matching, not_matching", [
    (_COMPARISON, [" from ", ", up from ", "  compared  with ", "\tvs. ", " ,  against "],
     [" ,from ", "from ", " up ", " " * 20000 + "x"]),
    (_UP_OR_DOWN, [" up ", ", down  ", "\n up\n"], ["up ", " up", " " * 20000 + "x"]),
    (_LIST_SEPARATOR, [", ", " , and ", " and ", ",or ", "\nor\n"], [" ", " and", " " * 20000 + "x"]),
])
def test_separators_between_amounts(pattern, matching, not_matching):
    """A long run of spaces is refused at once (the runs are possessive: no backtracking)."""
    assert all(pattern.fullmatch(text) for text in matching)
    assert not any(pattern.fullmatch(text) for text in not_matching)


TEXT = "It has 109 firms, including 44 here and 7 abroad. Only 3 left, 15 shops, of 5 and 0 new and 4 old.\n2 more"
GIVEN = {"109": "firm", "15": "shop"}  # the counts whose noun follows them


def _candidates():
    return [{"start": m.start(), "end": m.end(), "label": "CARDINAL",
             "value": {"amount": int(m.group()), "kind": "count", "counted": GIVEN.get(m.group())}}
            for m in re.finditer(r"[0-9]+", TEXT)]


@pytest.mark.parametrize("view, expected", [
    # sentence ends read from the text: `. ` and the line break
    (SimpleNamespace(parsed=False),
     ["firm", "firm", "firm", "firm", "shop", None, None, "shop", "shop"]),
    # the doc's own boundaries, the same places
    (SimpleNamespace(parsed=True, sentence_starts=lambda: [0, TEXT.index("Only"), TEXT.index("2 more")]),
     ["firm", "firm", "firm", "firm", "shop", None, None, "shop", "shop"]),
    # the doc's own boundaries, one sentence
    (SimpleNamespace(parsed=True, sentence_starts=lambda: [0]),
     ["firm", "firm", "firm", "firm", "shop", None, None, "shop", "shop"]),
])
def test_elliptical_count_takes_the_last_noun_of_its_sentence_or_the_one_before(view, expected):
    """Not after `of` (`of 5`), never for zero; `3` and `2` take the noun of the sentence before."""
    candidates = _candidates()
    elliptical = [i for i, c in enumerate(candidates) if c["value"]["counted"] is None]
    elliptical_counted(candidates, elliptical, TEXT, view, CountedNouns({}))
    assert [c["value"]["counted"] for c in candidates] == expected


@pytest.mark.parametrize("text, expected", [
    ("It has 109 firms. Sales rose. Only 3 left.", ["firm", None]),  # two sentences back: no noun
    ("It has 109 firms. The index rose to 12.5 today.", ["firm", None]),  # a level from the sentence before
    ("It has 109 firms, and 12.5 more.", ["firm", "firm"]),  # a decimal in the same sentence
])
def test_elliptical_count_reaches_one_sentence_back_only(text, expected):
    found = list(re.finditer(r"[0-9]+(?:\.[0-9]+)?", text))
    candidates = [{"start": m.start(), "end": m.end(), "label": "CARDINAL",
                   "value": {"amount": float(m.group()), "kind": "count", "counted": "firm" if i == 0 else None}}
                  for i, m in enumerate(found)]
    elliptical_counted(candidates, [1], text, SimpleNamespace(parsed=False), CountedNouns({}))
    assert [c["value"]["counted"] for c in candidates] == expected


@pytest.mark.parametrize("ranges", [
    [],
    [(5, 10)],
    [(0, 4), (2, 9), (3, 5), (12, 12), (15, 20)],  # overlapping, nested, empty
    [(10, 30), (11, 12), (20, 21)],  # a long range holds short ones
])
def test_range_index_answers_as_in_ranges(ranges):
    index = RangeIndex(ranges)
    assert all(index.overlaps(start, end) == in_ranges(start, end, ranges)
               for start in range(32) for end in range(start, 34))
