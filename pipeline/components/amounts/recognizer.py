"""The `news_amounts` component: the steps of the package in order, then the values.

Value: the pure normalizers read each span (or the `value_text` a shared unit gave it); a bare
`dlrs` or `$` takes the currency a qualified form earlier in the story gave its family, and a
bare `francs` or `dinars` the currency of the country the story is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import minibatch

from pipeline.components.amounts.context import amount_context
from pipeline.components.amounts.counted import CountedNouns, elliptical_counted, first_word, share_counted
from pipeline.components.amounts.filter import AmountFilter, trim_year
from pipeline.components.amounts.patterns import Match, amount_patterns, find_matches, resolve_overlaps
from pipeline.components.amounts.ranges import RangeIndex
from pipeline.components.amounts.share import share_comparisons, share_lists, share_move_levels, share_paragraph_units, \
    share_quotes, share_units, split_from_to
from pipeline.components.amounts.view import DocView
from pipeline.extensions import doc_text, register_extensions
from pipeline.normalize.cardinal import cardinal_value
from pipeline.normalize.money import Currency, country_currencies, currency_table, money_value
from pipeline.normalize.percent import percent_value
from pipeline.normalize.quantity import quantity_value
from pipeline.syntax import DocSyntax, SentenceParser


@Language.factory("news_amounts", default_config={"use_model_hints": True})
def make_amounts(nlp: Language, name: str, use_model_hints: bool) -> "AmountRecognizer":
    return AmountRecognizer(name, use_model_hints, SentenceParser.of(nlp))


# A bracket right after another currency's amount (`A$458.4m ($357.6m; £191m)`, `1.33bn Australian
# dollars ($1bn; £550m)`) converts it, and its bare `$` is the US dollar whatever dollar the story is about.
_CONVERSION_BEFORE = re.compile(r"(?:(?:[A-Z]{1,3}\$|[€£¥])[0-9][0-9.,]*\s*(?:m|bn|million|billion)?"
                                r"|[0-9][0-9.,]*\s*(?:m|bn|mln|million|billion)?\s+[A-Z][a-z]+\s+dollars?)\s*\(\s*$")


class AmountRecognizer:
    """Find, filter, share, value, counted noun; candidates go to `doc._.candidates`."""

    def __init__(self, name: str = "news_amounts", use_model_hints: bool = True,
                 parser: SentenceParser | None = None):
        register_extensions()
        self.name = name
        self.parser = parser
        context = amount_context()
        self.filter = AmountFilter(context, use_model_hints)
        self.nouns = CountedNouns(context.lemma_overrides)
        amount_patterns()  # compile now: a bad pattern file fails at pipeline build

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """The docs in batches: the sentences whose counted nouns a batch reads are tagged in one
        call of the syntax components (a call per document costs a third more)."""
        for batch in minibatch(docs, batch_size):
            found = [self._matches(doc) for doc in batch]
            DocSyntax.prefetch_all([(view.syntax, self._count_tokens(view, matches)) for view, matches in found])
            for doc, (view, matches) in zip(batch, found):
                text = doc_text(doc)
                matches = share_comparisons(matches, text, view, self.nouns, self.filter.context.amount_nouns)
                matches = share_move_levels(matches, text)
                matches = share_quotes(matches, text)
                matches = share_lists(matches, text, view, self.nouns, self.filter.context.amount_nouns)
                matches = share_paragraph_units(matches, text, view, self.nouns, self.filter.context.amount_nouns,
                                                self.filter.context.change_nouns)
                doc._.candidates = (doc._.candidates or []) + self._values(matches, text, view)
                yield doc

    def _matches(self, doc: Doc) -> tuple[DocView, list[Match]]:
        """Find, filter, resolve overlaps, share units: everything before the syntax is needed."""
        text = doc_text(doc)
        view = DocView.of(doc, self.parser)
        # site menus and other boilerplate never give a span, so they need no further checks
        blocked = RangeIndex([*self.filter.identifier_ranges(text), *map(tuple, doc._.boilerplate or [])])
        matches = [trim_year(m, text) for m in find_matches(text)]
        matches = self.filter.stock_quotes(self.filter.price_tables(self.filter.results_table(matches, text), text), text)
        matches = self.filter.unit_tables(matches, text)
        matches = self.filter.repetitions(matches, text)
        matches = [m for m in matches if self.filter.keep(m, text, view, blocked)]
        matches = resolve_overlaps(matches)
        matches = split_from_to(matches, text, self.filter.context.change_nouns)
        return view, share_units(matches, text, blocked)

    @staticmethod
    def _count_tokens(view: DocView, matches: list[Match]) -> list[Token]:
        """The words after the counts: the sentences whose counted nouns the next steps read."""
        text = doc_text(view.doc)
        return [token for m in matches if m.label == "CARDINAL" and m.counted is None
                and (token := first_word(m.end, text, view)) is not None]

    def _values(self, matches: list[Match], text: str, view: DocView) -> list[dict[str, Any]]:
        """Each match normalized, in text order (a currency named earlier carries on), as plain data.

        O(n): a match's own text, a few words around it and its noun phrase."""
        candidates: list[dict[str, Any]] = []
        elliptical: list[int] = []  # counts that may have left their noun out
        currencies = country_currencies(text)
        for match in matches:
            span_text = text[match.start:match.end]
            value_text = match.value_text or span_text
            label, rule = match.label, match.rule
            value: Any = None
            if label == "MONEY" and _pounds_of_weight(match, span_text, text):
                label, rule = "QUANTITY", "pounds_of_weight"
                value = quantity_value(value_text)
            elif label == "MONEY":
                conversion = _CONVERSION_BEFORE.search(text, max(0, match.start - 40), match.start)
                value = money_value(value_text, {} if conversion else currencies)
                if value is not None and not conversion:
                    _remember_currency(value_text, currencies)
            elif label == "PERCENT":
                value = percent_value(value_text)
            elif label == "QUANTITY":
                if _metre_is_million(match, span_text, view, self.filter.context.race_nouns):
                    label, rule = "CARDINAL", "metre_is_million"
                    value = cardinal_value(value_text, self.nouns.of(match, text, view))
                else:
                    value = quantity_value(value_text)
            else:
                counted = match.counted
                if counted is None and match.pattern in ("count", "fraction", "proportion", "shared-count"):
                    counted = self.nouns.of(match, text, view)
                if match.pattern in ("fraction", "proportion"):
                    counted = None  # `over half of the firms`: a factor of a group counts nothing (guidelines)
                if not self.filter.keep_count(match, span_text, counted, view):
                    continue
                value = cardinal_value(value_text, counted)
            if value is None:
                continue
            if label == "CARDINAL" and match.pattern in ("count", "shared-count") and value.counted is None:
                elliptical.append(len(candidates))
            candidates.append({"start": match.start, "end": match.end, "label": label,
                               "value": plain_numbers(value.model_dump()), "source": f"{self.name}:{rule}"})
        share_counted(candidates, text)
        elliptical_counted(candidates, elliptical, text, view, self.nouns)
        return candidates


def _remember_currency(value_text: str, currencies: dict[str, str]) -> None:
    """`N.Z. Dlrs` sets the dollar family to NZD for the bare `dlrs` later in the story; a
    qualified sign (`HK$6.31bn`) does not: copy that writes `HK$` writes a bare `$` for the US dollar."""
    folded = value_text.lower()
    for currency in _qualified_with_family():
        if currency.surface in value_text if currency.exact_case else currency.surface.lower() in folded:
            if not currency.surface.endswith("$"):
                currencies[currency.family] = currency.code
            return


@lru_cache(maxsize=1)
def _qualified_with_family() -> tuple[Currency, ...]:
    """The forms that say which currency of a family is meant (`N.Z. Dlrs`), in table order."""
    return tuple(c for c in currency_table() if c.qualified and c.family)


def _pounds_of_weight(match: Match, span_text: str, text: str) -> bool:
    """`weighs 200 pounds`, `a take-off weight of 870,000 pounds`, `700 pounds (320kg)`: the pound
    is a weight there, not sterling."""
    if not re.search(r"(?i:\bpounds?)$", span_text):
        return False
    after = text[match.end:match.end + 30]
    before = text[max(0, match.start - 16):match.start]
    return bool(re.match(r"\s*\(\s*(?:about\s+|around\s+)?[0-9][0-9.,]*\s*(?:kg|kilos?|kilograms?|tonnes?|g)\b", after)
                or re.search(r"(?i:\bweigh(?:s|ed|ing)?|\bweight\s+(?:of|is|was))\s+$", before))


def _metre_is_million(match: Match, span_text: str, view: DocView, race_nouns: frozenset[str]) -> bool:
    """`5m people` counts people in millions; `the 10,500m course` measures metres, and so does a
    race's distance (`the 60m hurdles`, `the world's top three 800m runners`)."""
    if not re.search(r"[0-9]m$", span_text):
        return False
    token = view.token_after(match.end)
    if token is None:
        return False
    if token.lower_ in race_nouns:
        return False
    if token.lower_ == "of":
        return True
    return view.syntax.token(token).tag_ == "NNS" if view.tagged else token.text.endswith("s")


def plain_numbers(value: dict[str, Any]) -> dict[str, Any]:
    """Whole floats as ints, as the guidelines' JSON numbers (`167300000000`, not `1.673e11`)."""
    return {k: int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 63 else v
            for k, v in value.items()}
