"""Syntax on request: the model's tagger and parser run on the sentences a rule asks about, not
on the whole article.

Most of an article needs no syntax: organisations, most amounts and most dates come from the text
and the model's entities. Two decisions do: the noun a count counts (`three major industrial
funds` -> fund: tags, POS, a lemma) and the tense that places an open month or weekday (`fell in
August`: the parse). They concern a minority of the sentences of a news article, and the syntax
components cost more than half of the model's CPU time, so `build_pipeline` disables them and the
rule components call them here (benchmarks/RESULTS.md). The lemmatizer is not run over sentences
at all: the rules read a lemma or two per sentence, so those tokens are lemmatized one by one.

A doc that already carries tags and a parse (the whole model ran) is answered from its own tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

# The model components that annotate syntax, in pipeline order; `ner` runs on every document.
SYNTAX_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


class SentenceParser:
    """The model's disabled syntax components, chained."""

    def __init__(self, nlp: Language):
        disabled = [name for name in SYNTAX_COMPONENTS if name in nlp.disabled]
        self.steps = [(name, nlp.get_pipe(name)) for name in disabled if name != "lemmatizer"]
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in disabled else None

    @classmethod
    def of(cls, nlp: Language) -> SentenceParser | None:
        """None when no tagger or parser is disabled: they run on every doc, or the model has none."""
        return cls(nlp) if {"tagger", "parser"} & set(nlp.disabled) else None

    def parse(self, docs: list[Doc], with_parser: bool) -> list[Doc]:
        """Tags and POS; the dependency parse too `with_parser` (a fifth of the cost)."""
        for name, step in self.steps:
            if with_parser or name != "parser":
                docs = list(step.pipe(docs))
        return docs

    def lemma(self, token: Token) -> str:
        """The lemma the lemmatizer component would give (it keeps one the attribute ruler set)."""
        if token.lemma == 0 and self.lemmatizer is not None:
            token.lemma_ = self.lemmatizer.lemmatize(token)[0]
        return token.lemma_


class DocSyntax:
    """One document's sentences, tagged and parsed when a rule first asks about one of them."""

    def __init__(self, doc: Doc, parser: SentenceParser | None):
        annotated = doc.has_annotation("TAG")
        self.doc = doc
        self._parser = None if annotated else parser
        self.tagged = annotated and doc.has_annotation("LEMMA") or self._parser is not None
        self.parsed = doc.has_annotation("DEP") or self._parser is not None
        self._split = doc.has_annotation("SENT_START")
        # (first token of a sentence, with the parse) -> the annotated sentence
        self._sentences: dict[tuple[int, bool], Doc] = {}
        self._starts: list[int] | None = None  # token indices where sentences start

    def token(self, token: Token, parse: bool = False) -> Token:
        """`token` with tags (and the dependency parse if asked), inside its sentence."""
        if self._parser is None:
            return token
        self.prefetch([token], parse)
        start = self._sentence(token).start
        return self._sentences.get((start, True), self._sentences.get((start, False)))[token.i - start]

    def lemma(self, token: Token) -> str:
        """The lemma of a token that `token()` returned."""
        return self._parser.lemma(token) if self._parser is not None else token.lemma_

    def span(self, start_char: int, end_char: int, parse: bool = False) -> Span | None:
        """The tokens covering these characters, annotated; None past a sentence end."""
        span = self.doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None  # an empty range (`today's` at the end of a text): no tokens to annotate
        if self._parser is None:
            return span
        first, last = self.token(span[0], parse), self.token(span[-1], parse)
        return first.doc[first.i:last.i + 1] if first.doc is last.doc else None

    def prefetch(self, tokens: Iterable[Token], parse: bool = False) -> None:
        """Annotate the sentences of these tokens now, together: one batch costs about half as
        much CPU per sentence as one call per sentence."""
        DocSyntax.prefetch_all([(self, tokens)], parse)

    @staticmethod
    def prefetch_all(requests: Iterable[tuple[DocSyntax, Iterable[Token]]], parse: bool = False) -> None:
        """`prefetch` for several documents (of one pipeline) in one call."""
        todo = [(syntax, key, sentence) for syntax, tokens in requests if syntax._parser is not None
                for key, sentence in syntax._missing(tokens, parse).items()]
        if not todo:
            return
        docs = [Doc(sentence.doc.vocab, words=[t.text for t in sentence],
                    spaces=[bool(t.whitespace_) for t in sentence]) for _, _, sentence in todo]
        for (syntax, key, _), parsed in zip(todo, todo[0][0]._parser.parse(docs, parse)):
            syntax._sentences[key] = parsed

    def _missing(self, tokens: Iterable[Token], parse: bool) -> dict[tuple[int, bool], Span]:
        """The sentences of these tokens not yet annotated (with the parse, if asked)."""
        return {(s.start, parse): s for s in map(self._sentence, tokens)
                if (s.start, True) not in self._sentences and (s.start, parse) not in self._sentences}

    def _sentence(self, token: Token) -> Span:
        """The sentence holding `token`, found by bisection: `token.sent` walks the sentence's
        tokens on each call, quadratic in a sentence of thousands of numbers."""
        if not self._split:
            return self.doc[:]
        if self._starts is None:
            flags = self.doc.to_array("SENT_START").tolist()
            self._starts = [i for i, flag in enumerate(flags) if flag == 1 or i == 0]
        at = bisect.bisect_right(self._starts, token.i) - 1
        end = self._starts[at + 1] if at + 1 < len(self._starts) else len(self.doc)
        return self.doc[self._starts[at]:end]
