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

Tags alone are run from a little before the first token asked about to the sentence's end: the
tagger of a window CNN reads a few tokens each side (`SentenceParser.reach`), so the tokens the
rules read are tagged as in the whole sentence, and the words before them (a quarter of what
was tagged on request in Reuters stories) are not tagged at all.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.tag_ruler import TagRuler

# The model components that annotate syntax, in pipeline order; `ner` runs on every document.
SYNTAX_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# How far before a token asked about the rules read tags (`_noun_run` of counted.py looks two back).
READ_BEHIND = 2


class SentenceParser:
    """The model's disabled syntax components, chained."""

    def __init__(self, nlp: Language):
        disabled = [name for name in SYNTAX_COMPONENTS if name in nlp.disabled]
        self.steps = [(name, nlp.get_pipe(name)) for name in disabled if name != "lemmatizer"]
        self.tag_steps = [(name, TagRuler(step) if name == "attribute_ruler" else step)
                          for name, step in self.steps if name != "parser"]
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in disabled else None
        self.reach = _tag_reach(nlp)

    @classmethod
    def of(cls, nlp: Language) -> SentenceParser | None:
        """None when no tagger or parser is disabled: they run on every doc, or the model has none."""
        return cls(nlp) if {"tagger", "parser"} & set(nlp.disabled) else None

    def parse(self, docs: list[Doc], with_parser: bool) -> list[Doc]:
        """Tags and POS; the dependency parse too `with_parser` (a fifth of the cost)."""
        for _, step in self.steps if with_parser else self.tag_steps:
            docs = list(step.pipe(docs))
        return docs

    def lemma(self, token: Token) -> str:
        """The lemma the lemmatizer component would give (it keeps one the attribute ruler set)."""
        if token.lemma == 0 and self.lemmatizer is not None:
            token.lemma_ = self.lemmatizer.lemmatize(token)[0]
        return token.lemma_


def _tag_reach(nlp: Language) -> int | None:
    """How many tokens each side of a token its tag, POS and lemma depend on: the depth times the
    window of the tagger's CNN, and the neighbours the attribute ruler's longest pattern reads.
    None when the tagger reads further (another architecture): then whole sentences are tagged."""
    config = nlp.config.interpolate()["components"]
    tagger = config.get("tagger", {}).get("model", {})
    listener = tagger.get("tok2vec", {})
    if not (tagger.get("@architectures", "").startswith("spacy.Tagger.")
            and listener.get("@architectures", "").startswith("spacy.Tok2VecListener.")):
        return None
    upstream = listener.get("upstream")
    encode = config.get("tok2vec" if upstream == "*" else upstream, {}).get("model", {}).get("encode", {})
    if not encode.get("@architectures", "").startswith(("spacy.MaxoutWindowEncoder.", "spacy.MishWindowEncoder.")):
        return None
    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.component_names else None
    longest = max((len(p) for entry in ruler.patterns for p in entry["patterns"]), default=1) if ruler else 1
    return encode["window_size"] * encode["depth"] + longest - 1


class DocSyntax:
    """One document's sentences, tagged and parsed when a rule first asks about one of them."""

    def __init__(self, doc: Doc, parser: SentenceParser | None):
        annotated = doc.has_annotation("TAG")
        self.doc = doc
        self._parser = None if annotated else parser
        self.tagged = annotated and doc.has_annotation("LEMMA") or self._parser is not None
        self.parsed = doc.has_annotation("DEP") or self._parser is not None
        self._split = doc.has_annotation("SENT_START")
        # (first token of a sentence, with the parse) -> where the annotated part starts, and it
        self._sentences: dict[tuple[int, bool], tuple[int, Doc]] = {}
        self._starts: list[int] | None = None  # token indices where sentences start

    def token(self, token: Token, parse: bool = False) -> Token:
        """`token` with tags (and the dependency parse if asked), inside its sentence."""
        if self._parser is None:
            return token
        self.prefetch([token], parse)
        start = self._sentence(token).start
        first, annotated = self._sentences.get((start, True)) or self._sentences[(start, False)]
        return annotated[token.i - first]

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
        todo = [(syntax, key, part) for syntax, tokens in requests if syntax._parser is not None
                for key, part in syntax._missing(tokens, parse).items()]
        if not todo:
            return
        docs = [Doc(part.doc.vocab, words=[t.text for t in part],
                    spaces=[bool(t.whitespace_) for t in part]) for _, _, part in todo]
        for (syntax, key, part), parsed in zip(todo, todo[0][0]._parser.parse(docs, parse)):
            syntax._sentences[key] = (part.start, parsed)

    def _missing(self, tokens: Iterable[Token], parse: bool) -> dict[tuple[int, bool], Span]:
        """The parts of sentences these tokens need that are not yet annotated (with the parse, if
        asked): the whole sentence with the parse, else from `READ_BEHIND` tokens and the
        tagger's reach before the first of them (when the reach is known) to the sentence end."""
        firsts: dict[tuple[int, bool], tuple[int, Span]] = {}
        for token in tokens:
            sentence = self._sentence(token)
            reach = self._parser.reach
            first = sentence.start if parse or reach is None else max(sentence.start, token.i - READ_BEHIND - reach)
            done = self._sentences.get((sentence.start, True)) or self._sentences.get((sentence.start, parse))
            if done is None or done[0] > first:
                key = (sentence.start, parse)
                firsts[key] = (min(first, firsts[key][0]) if key in firsts else first, sentence)
        return {key: self.doc[first:sentence.end] for key, (first, sentence) in firsts.items()}

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
