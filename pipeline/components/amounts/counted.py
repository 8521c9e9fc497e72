"""Counted noun: the noun a CARDINAL counts (`three major industrial funds` -> `fund`).

Read from the model's tags and lemmas after the number; a count that leaves its noun out takes
one from a count listed with it (`249.9, 199.1 and 168.8 points`) or before it in the sentence
or the one before (`109 listed companies, including 44 on the STAR Market`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from pipeline.components.amounts.patterns import CHANGE_VERBS, Match
from pipeline.components.amounts.view import DocView
from pipeline.syntax import DocSyntax

# Whitespace runs are possessive (`\s++`): backtracking into a long run of spaces cost O(run^2).
_LIST_SEPARATOR = re.compile(r"\s*+,\s*+(?:(?:and|or)\s++)?|(?:\s*+,\s++|\s++)(?:and|or)\s++")
# `from 155,000 to 110,000 staff`: the start of a change shares the noun of its end.
_TO_GAP = re.compile(r"\s++to\s++")
_FROM_BEFORE = re.compile(r"(?i:\bfrom)\s+$")
# `to 126.4 from December's 117.9`: a decimal without a scale word is a level (an index, a
# price), which a count of the sentence before does not name.
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_AFTER_OF = re.compile(r"(?i:\bof)\s+(?:(?i:only|just)\s+)?$")
# Every place a sentence may end without a parse: `.`, `!` or `?` before a space, or a line break.
_SENTENCE_BREAK = re.compile(r"(?=[.!?]\s|\n)")
_NOT_IN_NOUN_PHRASE = frozenset({"last", "next", "previous", "past", "coming", "following", "same", "this", "that",
                                  "each", "every", "per", "earlier", "later", "ago",
                                  "today", "yesterday", "tomorrow", "tonight"})  # `from 4.0000 today`: a time, no noun


@dataclass(frozen=True)
class CountedNouns:
    """The counted noun of a match; `lemma_overrides` fixes lemmas the model gets wrong."""

    lemma_overrides: dict[str, str]

    def of(self, match: Match, text: str, view: DocView) -> str | None:
        """Lemma of the noun a count counts; None when the pipeline has no tags or no noun follows.

        O(1) here: a noun phrase of at most ten steps (finding the token's tagged sentence is
        `view.syntax`'s cost)."""
        if not view.tagged:
            return None
        token = first_word(match.end, text, view)
        if token is None:
            return None
        doc = view.doc
        # `10-game winning streak`: the glued compound names what is counted.
        if token.text in ("-", "\u2010"):
            return self.lemma(view.syntax.token(doc[token.i + 1]), view.syntax, join_compound=False)
        token = view.syntax.token(token)  # from here on, tokens of the tagged sentence
        head = _noun_of(token.i + 1, token.doc) if token.lower_ == "of" else _noun_run(token.i, token.doc)
        return self.lemma(head, view.syntax) if head is not None else None

    def lemma(self, token: Token, syntax: DocSyntax, join_compound: bool = True) -> str:
        """The noun as `counted` stores it: lowercased lemma, proper nouns as written."""
        doc = token.doc
        if token.lower_ in self.lemma_overrides:
            lemma = self.lemma_overrides[token.lower_]
        elif token.pos_ == "PROPN":
            # Proper nouns keep their case; `747s` counts 747s, so the plural s goes.
            lemma = token.text[:-1] if token.tag_ == "NNPS" and token.text.endswith("s") else token.text
        else:
            lemma = syntax.lemma(token).lower()
        # `three-pointers`, `sub-venues`: keep the glued first part.
        if join_compound and token.i >= 2 and doc[token.i - 1].text in ("-", "\u2010") \
                and not doc[token.i - 1].whitespace_ \
                and not doc[token.i - 2].whitespace_ and doc[token.i - 2].is_alpha:
            lemma = f"{doc[token.i - 2].lower_}-{lemma}"
        return lemma


def first_word(end: int, text: str, view: DocView) -> Token | None:
    """The token after a count that its noun phrase would start with, or None where no phrase can
    follow (a gap, a line break, punctuation, the end, a line in capitals): then nothing needs
    tags, and on wire copy that is four counts in ten. A glued hyphen (`10-game`) stands for the
    word after it."""
    token = view.token_after(end)
    if token is None:
        return None
    doc = view.doc
    if token.text in ("-", "\u2010") and token.idx == end:
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        return token if nxt is not None and nxt.idx == token.idx + 1 and nxt.is_alpha else None
    if token.idx - end > 2 or "\n" in text[end:token.idx]:
        return None
    if view.in_capitals_line(end):
        return None  # a line in capitals (a table row, a wire headline): no tagger reads it as words
    return token if any(c.isalnum() for c in token.text) or token.text in _QUOTES else None


_QUOTES = frozenset({'"', "\u201c", "\u2018", "'"})


def _noun_of(i: int, doc: Doc) -> Token | None:
    """`of the 21 innovation indicators`, `of Shanghai's three major funds` -> the last noun."""
    n = len(doc)
    while i < n:
        token = doc[i]
        if token.pos_ == "DET" or token.tag_ in ("PRP$", "WP$", "POS", "CD", "JJR", "RBR", "JJS", "RBS") \
                or token.lower_ in ("more", "than", "over", "nearly", "about", "around", "almost", "some",
                                    "last", "first", "next"):  # `one of the last dates`, `of the most ... classics`
            i += 1
        elif token.pos_ in ("PROPN", "NOUN") and (possessive := _possessive_end(i, doc)) is not None:
            i = possessive + 1  # `of Shanghai's`, `of Latin America's most delinquent debtors`
        else:
            break
    if i < n and doc[i].pos_ == "PRON":
        return None
    return _noun_run(i, doc)


def _noun_run(i: int, doc: Doc) -> Token | None:
    """Walk the noun phrase after a number: modifiers, then nouns; its last noun is the head.

    `three core platforms` -> platforms, `four now publicly listed firms` -> firms,
    `five Class I new drugs` -> drugs, `five corporate venture capital (CVC) funds` -> funds.
    A plural noun ends the phrase (`users hail from`) unless it is glued into a hyphenated
    modifier (`with-profits investors`) or a plural noun follows it (`10,500 firearms offences`,
    `30,000 sports utility vehicles`: the first modifies the last).
    """
    n = len(doc)
    last: Token | None = None
    steps = 0
    while i < n and steps < 10:
        token = doc[i]
        if token.lower_ in _NOT_IN_NOUN_PHRASE:
            break  # `710,000 last year`: a new time phrase starts, the count has no noun
        after_glue = i >= 2 and doc[i - 1].text in ("-", "\u2010") and not doc[i - 1].whitespace_ \
            and not doc[i - 2].whitespace_
        glued_on = not token.whitespace_ and i + 1 < n and doc[i + 1].text in ("-", "\u2010")
        hyphen_after_last = last is not None and token.i == last.i + 1 and token.text in ("-", "\u2010") \
            and not last.whitespace_ and not token.whitespace_
        glued_to_last = last is not None and after_glue and token.i == last.i + 2
        if last is not None and last.tag_ in ("NNS", "NNPS") and not hyphen_after_last and not glued_to_last \
                and not (token.i == last.i + 1 and token.pos_ == "NOUN"
                         and (_glued_compound(last) or (last.pos_ == "NOUN" and _plural_noun_ahead(i, doc)))):
            break
        if token.text in ("-", "\u2010") and not token.whitespace_ and i > 0 and not doc[i - 1].whitespace_:
            pass
        elif (token.pos_ in ("NOUN", "PROPN") and any(c.isalnum() for c in token.text)) \
                or (after_glue and token.is_alpha and last is not None):
            last = token
        elif token.text == "(" and last is not None and (close := _parenthesis_end(i, doc)) is not None \
                and close + 1 < n and doc[close + 1].pos_ in ("NOUN", "PROPN"):
            i, steps = close + 1, steps + 1
            continue
        elif token.text == "<" and last is not None and (close := _parenthesis_end(i, doc, ">")) is not None:
            i, steps = close + 1, steps + 1  # a wire ticker after the maker: `15 Boeing Co <BA> 767-300 planes`
            continue
        elif token.pos_ in ("ADJ", "NUM") or token.tag_ in ("VBN", "VBG", "JJ", "JJS", "JJR") or glued_on \
                or token.text in ('"', "\u201c", "\u2018", "'") or after_glue \
                or (token.text in ("I", "II", "III", "IV", "V") and i > 0 and doc[i - 1].pos_ == "PROPN"):
            if last is not None and token.pos_ == "NUM" and last.pos_ != "PROPN":
                break
        elif token.pos_ == "ADV" and i + 1 < n and (doc[i + 1].pos_ in ("ADJ", "ADV", "VERB")
                                                      or doc[i + 1].text == "-"):
            if last is not None:
                break
        elif last is not None and last.pos_ == "PROPN" and token.pos_ == "VERB" and i + 1 < n \
                and doc[i + 1].tag_ == "NNS":
            pass  # `12 UK hit singles`: a mis-tagged noun modifier after a name
        elif token.pos_ == "CCONJ" and i + 1 < n and i > 0 and (
                (doc[i + 1].pos_ == "ADJ" and doc[i - 1].pos_ == "ADJ")
                or (doc[i + 1].pos_ == "PROPN" and doc[i - 1].pos_ == "PROPN")):
            pass  # `large and medium-sized cities`, `League and Cup games`
        elif token.pos_ == "CCONJ" and _coordinated_modifiers(i, doc):
            pass  # `2,600 production and maintenance workers`
        else:
            break
        if last is not None and token.tag_ in ("VBN", "VBG") and token.pos_ == "VERB" and not after_glue \
                and last.pos_ != "PROPN":
            break
        i += 1
        steps += 1
    return last


def _coordinated_modifiers(i: int, doc: Doc) -> bool:
    """The conjunction at token i joins two modifiers of one plural head (`production and
    maintenance workers`, `office and technical workers`): a singular noun before it, a noun or
    adjective after it, and a plural noun within three tokens."""
    return 0 < i < len(doc) - 1 and doc[i - 1].tag_ == "NN" and doc[i + 1].pos_ in ("NOUN", "ADJ") \
        and doc[i + 1].tag_ != "NNS" and any(t.tag_ == "NNS" for t in doc[i + 2:i + 4])


def _plural_noun_ahead(i: int, doc: Doc) -> bool:
    """Nouns from token i end in a plural one (`offences`, `utility vehicles`): a compound's head."""
    while i < len(doc) and doc[i].pos_ == "NOUN" and doc[i].tag_ == "NN":
        i += 1
    return i < len(doc) and doc[i].pos_ == "NOUN" and doc[i].tag_ == "NNS"


def _glued_compound(token: Token) -> bool:
    """The token ends a hyphenated compound written without spaces (`with-profits`)."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text in ("-", "\u2010") and not doc[token.i - 1].whitespace_ \
        and not doc[token.i - 2].whitespace_


def _parenthesis_end(i: int, doc: Doc, closer: str = ")") -> int | None:
    """The `)` (or `closer`) closing a short parenthesis (`(CVC)`, `<BA>`) opened at token i, if
    within five tokens."""
    for j in range(i + 1, min(i + 6, len(doc))):
        if doc[j].text == closer:
            return j
    return None


def _possessive_end(i: int, doc: Doc) -> int | None:
    """The `'s` ending a name of up to four words that starts at token i (`Latin America's`)."""
    for j in range(i + 1, min(i + 5, len(doc))):
        if doc[j].tag_ == "POS":
            return j
        if doc[j].pos_ != "PROPN":
            return None
    return None


def share_counted(candidates: list[dict[str, Any]], text: str) -> None:
    """`249.9, 199.1, 295.3, and 168.8 points`: listed counts count the same noun, and so do the
    ends of a change (`from 155,000 to 110,000 staff`).

    O(n): one pass from the end, each reading the gap to the next candidate.
    """
    following: dict[str, Any] | None = None
    for candidate in reversed(candidates):
        value = candidate["value"]
        if candidate["label"] == "CARDINAL" and value["kind"] == "count" and value["counted"] is None \
                and following is not None and following["label"] == "CARDINAL" \
                and (_LIST_SEPARATOR.fullmatch(text, candidate["end"], following["start"])
                     or (_TO_GAP.fullmatch(text, candidate["end"], following["start"])
                         and _FROM_BEFORE.search(text, max(0, candidate["start"] - 8), candidate["start"]))):
            value["counted"] = following["value"]["counted"]
        following = candidate


def elliptical_counted(candidates: list[dict[str, Any]], elliptical: list[int], text: str,
                       view: DocView, nouns: CountedNouns) -> None:
    """`109 listed companies, including 44 on the STAR Market`: 44 counts companies too.

    A count with no noun of its own takes the noun of the nearest count before it in the
    same sentence or the one before (`... 200,000 cars from 2007. The rise, from 189,000 last
    year`), or of a measure named nearer (`the total number of recoveries to 374,666`,
    `the death toll climbed to 7,957`). Not after `of` (`a population of 590,000` counts no
    noun) and not `zero`.
    O(n + s) in candidates and sentence boundaries: one pass in text order carries the last
    count with a noun and where the current and the previous sentence start.
    """
    if not elliptical:
        return
    waiting = set(elliptical)
    boundaries = _sentence_boundaries(text, view)
    passed = 0  # boundaries at or before the current candidate
    sentence_start = previous_start = 0
    last: tuple[int, str] | None = None  # start and noun of the last count with a noun
    for index, candidate in enumerate(candidates):
        start, value = candidate["start"], candidate["value"]
        while passed < len(boundaries) and boundaries[passed][0] <= start:
            if text[sentence_start:boundaries[passed][1]].strip():  # not the line break after a `.`
                previous_start, sentence_start = sentence_start, boundaries[passed][1]
            passed += 1
        if index in waiting and value["counted"] is None and value["amount"] != 0 \
                and not _AFTER_OF.search(text[max(0, start - 12):start]):
            measured = _MEASURED.search(text, max(sentence_start, start - 80), start)
            if measured is not None and (last is None or measured.start() > last[0]):
                value["counted"] = _measured_noun(measured, view, nouns)  # the nearer names it
            elif last is not None and (last[0] >= sentence_start or last[0] >= previous_start
                                       and not _DECIMAL.fullmatch(text, start, candidate["end"])):
                value["counted"] = last[1]
        if candidate["label"] == "CARDINAL" and value["kind"] == "count" and value["counted"] is not None:
            last = (start, value["counted"])


# `the total number of recoveries to 374,666`, `the death toll climbed to 7,957`, `the rig count
# fell by 23`, `new loans in November fell to 77,000`: what the number is the number of, named just
# before it in the sentence.
_MEASURED = re.compile(r"\b(?:number|total|tally|count)\s+(?P<of>of)\s[^.;:!?]*$"
                       r"|\b(?P<toll>death|casualty|injury)\s+toll\b[^.;:!?]*$"
                       r"|\b(?P<counted>[a-z]+)\s+count\b[^.;:!?]*$"  # `the rig count for Texas fell by 23`
                       # `New loans in November fell to`
                       rf"|\b(?P<subject>[a-z]+s)\b(?:[ \t]+(?:in|of|for)[ \t]+[A-Za-z]+)?[ \t]+(?:{CHANGE_VERBS})"
                       r"[ \t]+(?:by[ \t]+|to[ \t]+)?(?:about[ \t]+|around[ \t]+|some[ \t]+)?$")


def _measured_noun(found: re.Match[str], view: DocView, nouns: CountedNouns) -> str | None:
    """The lemma of the noun a measure names (`recoveries` -> recovery; `death toll` -> death)."""
    if found.group("toll"):
        return found.group("toll")
    if found.group("subject"):  # the plural noun whose number changed
        token = view.token_after(found.start("subject")) if view.tagged else None
        tagged = view.syntax.token(token) if token is not None and token.text == found.group("subject") else None
        return nouns.lemma(tagged, view.syntax, join_compound=False) if tagged is not None and tagged.tag_ == "NNS" \
            else None
    if found.group("counted"):  # a noun before `count`, not `the final count`
        token = view.token_after(found.start("counted")) if view.tagged else None
        tagged = view.syntax.token(token) if token is not None and token.text == found.group("counted") else None
        return nouns.lemma(tagged, view.syntax, join_compound=False) if tagged is not None and tagged.pos_ == "NOUN" \
            else None
    token = view.token_after(found.end("of")) if view.tagged else None
    if token is None:
        return None
    tagged = view.syntax.token(token)
    for word in tagged.doc[tagged.i:tagged.i + 4]:  # `of (new) recoveries`
        if word.tag_ in ("NN", "NNS"):
            return nouns.lemma(word, view.syntax)  # `number of people` counts person
    return None


def _sentence_boundaries(text: str, view: DocView) -> list[tuple[int, int]]:
    """(from, start) pairs, ordered by `from`: a candidate at or after `from` is in a sentence that
    starts at `start` or later. The doc's sentence starts where set; else a break is a sentence
    end (`. `) or a line break, and what follows it a new sentence."""
    if view.parsed:
        return [(start, start) for start in view.sentence_starts()]
    return [(found.start() + (1 if text[found.start()] == "\n" else 2), found.start() + 1)
            for found in _SENTENCE_BREAK.finditer(text)]
