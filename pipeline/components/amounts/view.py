"""One document as the amount rules read it: tokens by character offset, syntax on request."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from operator import itemgetter

from spacy.tokens import Doc, Token

from pipeline.components.sentences import SentenceSplitter
from pipeline.extensions import doc_text
from pipeline.syntax import DocSyntax, SentenceParser


@dataclass
class DocView:
    """Token lookups by character offset; tags and lemmas (`syntax`) only where the model has them."""

    doc: Doc
    syntax: DocSyntax
    starts: list[int] = field(default_factory=list)
    parsed: bool = False  # sentence boundaries are set
    _sentence_starts: list[int] | None = None
    _names: list[tuple[int, int]] | None = None
    _person_ends: frozenset[int] | None = None
    _surnames: frozenset[str] | None = None
    _capital_lines: list[tuple[int, bool]] | None = None  # (line start, no lower-case letter in it)

    @classmethod
    def of(cls, doc: Doc, parser: SentenceParser | None) -> "DocView":
        return cls(doc, DocSyntax(doc, parser), doc.to_array("IDX").tolist(), doc.has_annotation("SENT_START"))

    @property
    def tagged(self) -> bool:
        return self.syntax.tagged

    def inside_name(self, start: int, end: int, labels: frozenset[str]) -> bool:
        """Whether start..end lies inside a name entity (one of `labels`) and is not all of it.

        O(log n): entities never overlap, so only the last one starting at or before `start` can
        hold the span.
        """
        if self._names is None:
            self._names = [(e.start_char, e.end_char) for e in self.doc.ents if e.label_ in labels]
        at = bisect.bisect_right(self._names, start, key=itemgetter(0)) - 1
        if at < 0:
            return False
        name_start, name_end = self._names[at]
        return end <= name_end and (name_start, name_end) != (start, end)

    def in_capitals_line(self, char: int) -> bool:
        """Whether the line holding `char` has no lower-case letter (a table row, a wire headline).
        O(log n) after one pass over the text."""
        if self._capital_lines is None:
            text, at, self._capital_lines = doc_text(self.doc), 0, []
            for line in text.split("\n"):
                self._capital_lines.append((at, not any(c.islower() for c in line)))
                at += len(line) + 1
        return self._capital_lines[bisect.bisect_right(self._capital_lines, char, key=itemgetter(0)) - 1][1]

    def person_ends(self) -> frozenset[int]:
        """Where the model's PERSON entities end: an age follows a name (`Mr Tanzi, 66,`)."""
        if self._person_ends is None:
            self._person_ends = frozenset(e.end_char for e in self.doc.ents if e.label_ == "PERSON")
        return self._person_ends

    def surnames(self) -> frozenset[str]:
        """Last words of the model's PERSON names of two words or more: a later `Doherty, 25,`
        is that person and an age."""
        if self._surnames is None:
            self._surnames = frozenset(e[-1].text for e in self.doc.ents if e.label_ == "PERSON" and len(e) > 1)
        return self._surnames

    def sentence_starts(self) -> list[int]:
        """news_sentences' starts, also where the parser split the doc its own way."""
        if self._sentence_starts is None:
            parsed = self.doc.has_annotation("DEP")
            flags = SentenceSplitter().starts(self.doc) if parsed else [t.is_sent_start for t in self.doc]
            self._sentence_starts = [t.idx for t, start in zip(self.doc, flags) if start]
        return self._sentence_starts

    def token_after(self, char: int) -> Token | None:
        i = bisect.bisect_left(self.starts, char)
        return self.doc[i] if i < len(self.doc) else None

    def token_before(self, char: int) -> Token | None:
        i = bisect.bisect_left(self.starts, char) - 1
        while i >= 0 and self.doc[i].idx + len(self.doc[i].text) > char:
            i -= 1
        return self.doc[i] if i >= 0 else None
