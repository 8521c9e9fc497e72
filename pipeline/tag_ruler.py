"""The model's attribute ruler for sentences tagged without the parse, as table lookups.

The attribute ruler gives each token its POS, morphology and some lemmas from its tag and word
(179 patterns of `en_core_web_sm`). spaCy's Matcher tries every pattern at every token: 8 µs a
token, a fifth of the syntax on request. Nearly all patterns read one token's TAG, LOWER and
IS_SPACE only, so which of them match depends on those three values alone: `TagRuler` looks the
matching patterns up once per distinct (tag, word, space), among those that may match the tag,
and applies their attributes in the ruler's order (a later pattern wins), as the ruler does. The few other patterns (two tokens,
other attributes) run in a Matcher of their own; the patterns that read a dependency label are
left out, as they match nothing without the parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.attrs import IS_SPACE, LOWER, TAG
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from pipeline.wordflags import WordTests

_KEYS = {"TAG": 0, "LOWER": 1, "IS_SPACE": 2}  # what a one-token pattern may read: (tag, lower, space)


class TagRuler:
    """`ruler` for docs with tags and no dependency labels: the same attributes on every token."""

    def __init__(self, ruler: AttributeRuler):
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs  # normalized, one per entry: what `set_token_attrs` takes
        self.indices = ruler.indices
        self.lookups: list[tuple[int, list[dict]]] = []  # entry, its one-token patterns
        self.by_tag: dict[str | None, list[tuple[int, list[dict]]]] = {}  # the tag they need (None: any)
        self.matcher = Matcher(self.vocab, validate=False)  # the other entries (its schema knows no flags)
        self.in_matcher = False
        self.found: dict[tuple[int, int, bool], tuple[int, ...]] = {}  # (tag, lower, space) -> entries
        self.word_tests = tests = WordTests.of(self.vocab)
        for entry, raw in enumerate(ruler.patterns):
            patterns = raw["patterns"]
            if any(key.upper() == "DEP" for pattern in patterns for token in pattern for key in token):
                continue
            if ruler.indices[entry] in (0, -1) and all(len(pattern) == 1 and _looked_up(pattern[0])
                                                       for pattern in patterns):
                self.lookups.append((entry, [pattern[0] for pattern in patterns]))
                for tag in _tags(pattern[0] for pattern in patterns):
                    self.by_tag.setdefault(tag, []).append(self.lookups[-1])
            else:
                self.matcher.add(str(entry), [tests.rewrite(pattern) for pattern in patterns])
                self.in_matcher = True

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[int]] = {}  # token -> entries of the Matcher's patterns
        if self.in_matcher:
            self.word_tests.mark(doc)
            for key, start, end in self.matcher(doc, allow_missing=True):
                entry = int(self.vocab.strings[key])
                index = self.indices[entry]
                target = (start if index >= 0 else end) + index
                if not start <= target < end:
                    raise ValueError(f"attribute ruler pattern {entry}: index {index} outside its match")
                extra.setdefault(target, []).append(entry)
        for i, (tag, lower, space) in enumerate(doc.to_array([TAG, LOWER, IS_SPACE]).tolist()):
            key = (tag, lower, bool(space))
            entries = self.found.get(key)
            if entries is None:
                entries = self.found[key] = self._entries(key)
            if i in extra:
                entries = sorted(entries + tuple(extra[i]))
            if entries:
                token = doc[i]
                for entry in entries:
                    set_token_attrs(token, self.attrs[entry])
        return doc

    def _entries(self, key: tuple[int, int, bool]) -> tuple[int, ...]:
        """The one-token entries one of whose patterns matches a token with these values."""
        values = (self.vocab.strings[key[0]], self.vocab.strings[key[1]], key[2])
        candidates = sorted(self.by_tag.get(values[0], []) + self.by_tag.get(None, []), key=lambda item: item[0])
        return tuple(entry for entry, patterns in candidates
                     if any(all(_test(values[_KEYS[attr]], wanted) for attr, wanted in pattern.items())
                            for pattern in patterns))


def _tags(patterns: Iterable[dict]) -> set[str | None]:
    """The tags one of these one-token patterns may match (None: any tag)."""
    tags: set[str | None] = set()
    for pattern in patterns:
        wanted = pattern.get("TAG")
        if isinstance(wanted, str):
            tags.add(wanted)
        elif isinstance(wanted, dict) and set(wanted) == {"IN"}:
            tags |= set(wanted["IN"])
        else:
            tags.add(None)
    return tags


def _looked_up(token: dict) -> bool:
    """Whether a one-token pattern reads only what the lookups know, with tests they know."""
    return set(token) <= set(_KEYS) and all(set(wanted) <= {"IN", "NOT_IN", "REGEX"}
                                            for wanted in token.values() if isinstance(wanted, dict))


def _test(value: str | bool, wanted) -> bool:
    """What the Matcher says of a token attribute against a pattern's value for it."""
    if isinstance(wanted, dict):
        return all(_predicate(value, op, argument) for op, argument in wanted.items())
    return value == wanted


def _predicate(value: str | bool, op: str, argument) -> bool:
    if op == "REGEX":
        return re.search(argument, value) is not None
    return (value in argument) == (op == "IN")
