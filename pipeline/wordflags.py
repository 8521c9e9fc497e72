"""Word tests of Matcher patterns as lexeme flags.

spaCy's Matcher checks a token's attributes in compiled code, but calls back into Python for
every REGEX, IN and NOT_IN predicate of every token a pattern reaches: three quarters of the
time of the `news_orgs` rules and of the attribute ruler. Those that read the word alone (TEXT,
ORTH or LOWER) say the same of every token of a word, so each token's tests become one lexeme
flag, set once per word (`WordTests.mark`), and the pattern asks for the flag instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from spacy.attrs import IDS, ORTH
from spacy.lexeme import Lexeme
from spacy.tokens import Doc
from spacy.vocab import Vocab

# The lexeme flags spaCy leaves free (`FLAG19` to `FLAG63`).
_FREE_FLAGS = [f"FLAG{n}" for n in range(19, 64)]
_WORD_ATTRS = {"TEXT": "orth_", "ORTH": "orth_", "LOWER": "lower_"}


class WordTests:
    """The tests of Matcher patterns that read the word alone, as lexeme flags; one per vocab
    (`of`), as the flags are the vocab's."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.flags: dict[str, tuple[str, Callable[[Lexeme], bool]]] = {}  # tests (JSON) -> flag, test
        self.seen: set[int] = set()  # the orth ids whose flags are set

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
            if tests and key not in self.flags and len(self.flags) < len(_FREE_FLAGS):
                self.flags[key] = (_FREE_FLAGS[len(self.flags)], _word_test(tests))
                self.seen.clear()  # words marked before lack the new flag
            if not tests or key not in self.flags:
                out.append(spec)
                continue
            out.append({**{a: v for a, v in spec.items() if a not in tests}, self.flags[key][0]: True})
        return out

    def mark(self, doc: Doc) -> None:
        """Set the flags of the doc's words not seen before: before the Matcher runs on it."""
        new = set(doc.to_array(ORTH).tolist()) - self.seen
        for orth in new:
            lexeme = self.vocab[orth]
            for flag, test in self.flags.values():
                lexeme.set_flag(IDS[flag], test(lexeme))
        self.seen |= new


def _word_test(tests: dict[str, dict]) -> Callable[[Lexeme], bool]:
    """What the Matcher's REGEX, IN and NOT_IN predicates of these attributes say of a word."""
    checks = []
    for attr, test in tests.items():
        for op, value in test.items():
            if op == "REGEX":
                checks.append((_WORD_ATTRS[attr], re.compile(value).search, True))
            else:
                checks.append((_WORD_ATTRS[attr], frozenset(value).__contains__, op == "IN"))
    return lambda lexeme: all(bool(check(getattr(lexeme, attr))) == wanted for attr, check, wanted in checks)


_BY_VOCAB: dict[int, tuple[Vocab, WordTests]] = {}
