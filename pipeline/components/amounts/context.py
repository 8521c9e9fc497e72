"""The context words of `amount_context.json`: what a number next to them is not.

Loaded once, checked at load: a missing or unknown key fails the pipeline build rather than
silently matching nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.normalize.numbers import PATTERNS_DIR, TableError

CONTEXT_KEYS = {"_comment", "time_units", "months", "identifier_words", "one_pronoun_before", "name_labels",
                "lemma_overrides", "identifier_patterns", "fraction_not_after", "name_word_exceptions",
                "rank_words_before", "age_phrases_before", "rank_phrases_before", "race_nouns",
                "money_line_heads", "count_line_heads",
                "lexicalized_compounds", "amount_nouns", "change_nouns", "price_table_captions", "factor_words_after"}


@dataclass(frozen=True)
class AmountContext:
    """The file's word lists as sets, its phrase lists as compiled regexes."""

    time_units: frozenset[str]
    months: frozenset[str]
    identifier_words: frozenset[str]
    one_pronoun_before: frozenset[str]
    name_labels: frozenset[str]
    lemma_overrides: dict[str, str]
    identifier_patterns: tuple[re.Pattern[str], ...]
    fraction_not_after: frozenset[str]
    name_word_exceptions: frozenset[str]
    rank_words_before: frozenset[str]
    age_before: re.Pattern[str]
    rank_before: re.Pattern[str]  # `dropped one place to` + `five`, `number 11 and` + `12`
    race_nouns: frozenset[str]  # after a distance glued to `m`, metres: `the 60m hurdles`, `800m runners`
    money_line: re.Pattern[str]
    count_line: re.Pattern[str]
    count_line_nouns: dict[str, str]
    lexicalized_compounds: frozenset[str]
    amount_nouns: frozenset[str]  # `a 226 mln loss`: the number is an amount of the noun, not a count of it
    change_nouns: frozenset[str]  # `a 1.4 billion rise`, `a rise of 1.75 billion`: the size of a change in what rose
    price_table_caption: re.Pattern[str]  # `as shown below in dlrs a barrel`: group 1 the table's currency word
    factor_words_after: frozenset[str]  # `three times as many`, `2.3 times the size`: what makes `times` a factor


@lru_cache(maxsize=1)
def amount_context() -> AmountContext:
    """`amount_context.json`, every key required, no other key allowed."""
    data = json.loads((PATTERNS_DIR / "amount_context.json").read_text(encoding="utf-8"))
    if set(data) - CONTEXT_KEYS or not CONTEXT_KEYS - {"_comment"} <= set(data):
        raise TableError(f"amount_context.json: keys {sorted(data)}, expected {sorted(CONTEXT_KEYS)}")
    return AmountContext(
        frozenset(w.lower() for w in data["time_units"]),
        frozenset(data["months"]),
        frozenset(data["identifier_words"]),
        frozenset(data["one_pronoun_before"]),
        frozenset(data["name_labels"]),
        dict(data["lemma_overrides"]),
        tuple(re.compile(p) for p in data["identifier_patterns"]),
        frozenset(data["fraction_not_after"]),
        frozenset(data["name_word_exceptions"]),
        frozenset(data["rank_words_before"]),
        re.compile(r"\b(?:" + "|".join(map(re.escape, data["age_phrases_before"])) + r")\s+(?:just\s+|only\s+)?$",
                   re.IGNORECASE),  # `at the age of just 28`
        re.compile(r"\b(?:" + "|".join(map(re.escape, data["rank_phrases_before"])) + r")\s+(?:[0-9]+\s+(?:and|or)\s+)?$",
                   re.IGNORECASE),
        frozenset(data["race_nouns"]),
        _line_heads(data["money_line_heads"]),
        _line_heads(list(data["count_line_heads"])),
        dict(data["count_line_heads"]),
        frozenset(w.lower() for w in data["lexicalized_compounds"]),
        frozenset(w.lower() for w in data["amount_nouns"]),
        frozenset(w.lower() for w in data["change_nouns"]),
        re.compile(r"\b(?:" + "|".join(map(re.escape, data["price_table_captions"])) + r")\s+([A-Za-z.$]+)",
                   re.IGNORECASE),
        frozenset(data["factor_words_after"]),
    )


def _line_heads(heads: list[str]) -> re.Pattern[str]:
    """Start of a results-table line (`Net 10.6 mln vs 20.6 mln`): head words, then amounts."""
    alternation = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
    return re.compile(rf"(?m)^[ \t]*({alternation})\b(?=[^\n]*[0-9])")

