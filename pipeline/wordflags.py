"""Word tests of Matcher patterns as lexeme flags.

spaCy's Matcher checks a token's attributes in compiled code, but calls back into Python for
every REGEX, IN and NOT_IN predicate of every token a pattern reaches: most of the time of the
`news_orgs` Matcher, a third of the attribute ruler's. Those that read the word alone (TEXT,
ORTH or LOWER) say the same of every token of a word, so each token's tests become one lexeme
flag, set once per word (`WordTests.mark`), and the pattern asks for the flag instead.
"""

from __future__ import annotations

import json
import re

from spacy.attrs import IDS, ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

# The lexeme flags spaCy leaves free (`FLAG19` to `FLAG63`).
_FREE_FLAGS = [f"FLAG{n}" for n in range(19, 64)]
_WORD_ATTRS = {"TEXT": 0, "ORTH": 0, "LOWER": 1}  # which of (text, lower case) a test reads


class WordTests:
    """The tests of Matcher patterns that read the word alone, as lexeme flags; one per vocab
    (`of`), as the flags are the vocab's.

    Each distinct test (a word list or a regex on the text or its lower case) has a bit of its
    own: a word's bits come from one dict lookup per list and one search per regex, and a flag
    is set when the bits of its tests are (those of NOT_IN lists unset)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.flags: dict[str, str] = {}  # a token's tests (JSON) -> its flag
        self.tests: dict[tuple[int, str, str], int] = {}  # (text or lower, op, JSON value) -> bit
        self.listed: tuple[dict[str, int], dict[str, int]] = ({}, {})  # a word -> bits of its lists
        self.regexes: list[tuple[int, re.Pattern[str], int]] = []  # text or lower, regex, bit
        self.wanted: list[tuple[int, int, int]] = []  # flag bit, test bits set, test bits unset
        self.taken = 0  # free flags taken
        self.marker: int | None = None  # the flag a word's flags are set by; None: none yet

    @classmethod
    def of(cls, vocab: Vocab) -> WordTests:
        if id(vocab) not in _BY_VOCAB:
            _BY_VOCAB[id(vocab)] = (vocab, cls(vocab))  # the vocab kept, so its id is not reused
        return _BY_VOCAB[id(vocab)][1]

    def rewrite(self, pattern: list[dict]) -> list[dict]:
        """The pattern with each token's word tests replaced by their flag (while flags last)."""
        out = []
        for spec in pattern:
            tests = {attr: test for attr, test in spec.items() if attr in _WORD_ATTRS
                     and isinstance(test, dict) and set(test) <= {"REGEX", "IN", "NOT_IN"}}
            key = json.dumps(tests, sort_keys=True)
            if tests and key not in self.flags and self.taken + 1 < len(_FREE_FLAGS):  # one left for a marker
                self.flags[key] = self._take()
                self._add_flag(IDS[self.flags[key]], tests)
            if not tests or key not in self.flags:
                out.append(spec)
                continue
            out.append({**{a: v for a, v in spec.items() if a not in tests}, self.flags[key]: True})
        return out

    def _add_flag(self, flag: int, tests: dict[str, dict]) -> None:
        wanted_set = wanted_unset = 0
        for attr, test in tests.items():
            for op, value in test.items():
                read = _WORD_ATTRS[attr]
                key = (read, "REGEX" if op == "REGEX" else "IN", json.dumps(value, sort_keys=True))
                if key not in self.tests:
                    self.tests[key] = bit = 1 << len(self.tests)
                    if op == "REGEX":
                        self.regexes.append((read, re.compile(value), bit))
                    else:
                        for word in value:
                            self.listed[read][word] = self.listed[read].get(word, 0) | bit
                if op == "NOT_IN":
                    wanted_unset |= self.tests[key]
                else:
                    wanted_set |= self.tests[key]
        self.wanted.append((1 << flag, wanted_set, wanted_unset))
        self.marker = None  # words marked before lack the new flag: a new marker marks them again

    def _take(self) -> str:
        self.taken += 1
        return _FREE_FLAGS[self.taken - 1]

    def mark(self, doc: Doc) -> None:
        """Set the flags of the doc's words not marked yet: before the Matcher runs on it. A word
        carries its own marker (not a set of the words seen), so a word spaCy forgot and made
        again (`nlp.memory_zone`) is marked again."""
        if not self.wanted:
            return
        if self.marker is None:
            if self.taken == len(_FREE_FLAGS):
                raise RuntimeError("no lexeme flag left to mark words by")
            self.marker = IDS[self._take()]
        ours = sum(flag for flag, _, _ in self.wanted) | 1 << self.marker
        orths, marked = doc.to_array([ORTH, self.marker]).T
        for orth in set(orths[marked == 0].tolist()):
            lexeme = self.vocab[orth]
            word = (lexeme.orth_, lexeme.lower_)
            bits = self.listed[0].get(word[0], 0) | self.listed[1].get(word[1], 0)
            for read, regex, bit in self.regexes:
                if regex.search(word[read]):
                    bits |= bit
            flags = 1 << self.marker
            for flag, wanted_set, wanted_unset in self.wanted:
                if bits & wanted_set == wanted_set and not bits & wanted_unset:
                    flags |= flag
            lexeme.flags = lexeme.flags & ~ours | flags


_BY_VOCAB: dict[int, tuple[Vocab, WordTests]] = {}
