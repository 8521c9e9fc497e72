"""news_amounts: MONEY, PERCENT, QUANTITY and CARDINAL spans found by rules, with their values.

How it works, in the order of `AmountRecognizer.__call__`:
1. Span patterns (`pipeline/patterns/amounts.jsonl`, regex templates over the raw text whose
   `{PLACEHOLDERS}` are built from the same tables the normalizers read) give typed matches:
   currency before or after an amount, percent words, units, factors, fractions, scores, counts.
2. Context rules (`pipeline/patterns/amount_context.json`) drop numbers that are no count:
   years, days of a month, clock times, durations (DATE owns them), ages, identifiers, phone
   numbers, numbers inside names (after a proper noun, inside the model's name entities).
3. Overlaps resolve by priority (typed before factor before count), then length, then position.
4. Shared units are copied to bare numbers: `1,850 and 1,880 dlrs` is two MONEY spans, and
   `from 2 to 3 percent` is a change, not a range, so it is split into two PERCENT spans.
5. Values come from the pure normalizers; a bare `dlrs` or `$` takes the currency a qualified
   form earlier in the story gave its family (`N.Z. Dlrs` ... `1,709 dlrs` -> NZD). A CARDINAL's
   `counted` is the lemma of the noun it counts, read from the model's tags and lemmas
   (`Two of Shanghai's three major industrial mother funds` -> `fund` twice).

Span boundaries follow docs/annotation-guidelines.md: modifier inside (`nearly 20 million yuan`),
a parenthetical its own span, per-unit words outside (`22 dlrs` in `22 dlrs a share`), and a
CARDINAL covers the numeral and its modifier only. Candidates go to `doc._.candidates`.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import minibatch

from pipeline.anchored import anchor_windows, finditer_in
from pipeline.components.merge import in_ranges
from pipeline.extensions import doc_text, register_extensions
from pipeline.normalize.cardinal import cardinal_value
from pipeline.normalize.money import currency_regex, currency_table, find_prefix, money_value
from pipeline.normalize.numbers import PATTERNS_DIR, TableError, number_lexicon, split_modifier
from pipeline.normalize.percent import percent_value, percent_words
from pipeline.normalize.quantity import quantity_value, unit_lexicon
from pipeline.syntax import DocSyntax, SentenceParser

LABELS = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
ROLES = ("amount", "score")
PATTERN_KEYS = {"id", "label", "priority", "pattern", "comment", "role"}
CONTEXT_KEYS = {"_comment", "time_units", "months", "identifier_words", "one_pronoun_before", "name_labels",
                "lemma_overrides", "identifier_patterns", "fraction_not_after", "name_word_exceptions",
                "rank_words_before", "age_phrases_before", "money_line_heads", "count_line_heads",
                "lexicalized_compounds"}
_YEAR = re.compile(r"(?<![0-9,.])(?:1[89][0-9]{2}|20[0-9]{2}|2100)(?![0-9,.])")
_BARE_NUMBER = re.compile(r"[0-9][0-9,.]*")
_COMPARISON = re.compile(r"\s*,?\s+(?:(?:up|down)\s+)?(?:from|against|versus|vs\.?|compared\s+(?:with|to))\s+")
_NOT_IN_NOUN_PHRASE = frozenset({"last", "next", "previous", "past", "coming", "following", "same", "this", "that",
                                  "each", "every", "per", "earlier", "later", "ago"})
_YEAR_PREPOSITIONS = ("in", "since", "by", "from", "until", "of", "before", "after", "during", "through", "till")


# ---------------------------------------------------------------------------------------------
# Patterns: templates + fragments built from the normalizers' tables
# ---------------------------------------------------------------------------------------------

def _alternation(phrases: Iterable[str]) -> str:
    """Case-insensitive alternation, longest phrase first, words joined by any whitespace.

    A lookahead for the phrases' first letters goes first: `re` would otherwise try every phrase
    at every word of the text (a fifth of the time the patterns take)."""
    phrases = sorted(set(phrases), key=len, reverse=True)
    parts = [r"\s+".join(re.escape(word) for word in phrase.split(" ")) for phrase in phrases]
    first = "".join(sorted({re.escape(c) for p in phrases for c in (p[:1].lower(), p[:1].upper())}))
    return f"(?=[{first}])(?i:{'|'.join(parts)})"


@lru_cache(maxsize=1)
def fragments() -> dict[str, str]:
    """The `{NAME}` placeholders of amounts.jsonl, each a non-capturing regex."""
    lex = number_lexicon()
    word_atoms = [w for w, (_, kind) in lex.words.items()]
    word_scales = [w for w, (_, style) in lex.scales.items() if style == "word"]
    abbrev_scales = [w for w, (_, style) in lex.scales.items() if style == "abbrev"]
    attached_scales = [w for w, (_, style) in lex.scales.items() if style == "attached"]
    currency_scales = [w for w, (_, style) in lex.scales.items() if style == "currency"]
    big_scales = _alternation(word_scales)
    atom = _alternation(word_atoms + word_scales)
    small_atom = _alternation([w for w, (_, kind) in lex.words.items() if kind in ("unit", "teen", "tens")])
    after_and = "|".join(f"(?i:(?<={re.escape(w)}))" for w in ["hundred", *word_scales])
    words = (rf"\b(?:(?i:an?)\s+(?=(?i:hundred|dozen|{'|'.join(map(re.escape, word_scales))})\b))?"
             rf"{atom}(?:[\s\-\u2010\u2011]+{atom}|(?:{after_and})\s+(?i:and)\s+{atom})*\b")
    digits = (r"(?:[0-9]{1,3}[- ][0-9]{1,2}/(?:2|4|8|16|32|64)(?![0-9/])"
              r"|[0-9]{1,2}/(?:2|3|4|8|16|32|64)(?![0-9/])"
              r"|(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9]|[.,][0-9])"
              r"|\.[0-9]+(?![0-9]))")
    half_a = rf"(?i:half\s+an?)(?=\s+{big_scales}\b)"
    and_a_half = rf"(?:{words}|[0-9]+)\s+(?i:and\s+a\s+half)(?=\s+{big_scales}\b)"
    num = f"(?:{and_a_half}|{half_a}|{digits}|{words})"
    scale = (rf"(?:\s*{_alternation(word_scales + abbrev_scales)}\b"
             rf"|(?<=[0-9])(?:{'|'.join(map(re.escape, attached_scales))})\b)")
    cscale = (rf"(?:{scale}|(?<=[0-9])(?:{'|'.join(map(re.escape, currency_scales))})\b)")
    amount = f"(?:{num}{scale}*)"
    amount_c = f"(?:{num}{cscale}*)"
    range_ = (rf"(?:(?i:between)\s+{amount}\s+(?i:and)\s+{amount}"
              rf"|{amount}(?:\s*[-\u2013\u2014~]\s*{amount}|\s+(?i:to)\s+{amount})?)")
    prefixes = [c for c in currency_table() if c.is_prefix]
    suffixes = [c for c in currency_table() if c.is_suffix]
    cur_pre = "(?:" + "|".join(
        ("(?<![A-Za-z])" if c.surface[0].isalpha() else "") + currency_regex(c) for c in prefixes) + ")"
    cur_suf = "(?:" + "|".join(
        (r"(?<=[0-9])" if len(c.surface) == 1 and c.surface.isalpha() else r"(?:\s*[-\u2010]\s*|\s+|)")
        + currency_regex(c)
        for c in suffixes) + r")(?![A-Za-z])"
    pct_parts = {"percent": [], "percentage_point": []}
    for surface, unit, attached in percent_words().rows:
        body = r"[\s\-]+".join(re.escape(w) for w in surface.split(" "))
        if attached:
            body = f"(?<=[0-9]){body}"
        elif surface[0].isalpha():
            body = f"(?i:{body})"
        pct_parts[unit].append((len(surface), body))
    pct_alt = {unit: "|".join(b for _, b in sorted(parts, key=lambda p: -p[0])) for unit, parts in pct_parts.items()}
    gap = r"(?:\s*[-\u2010\u2011]\s*|\s+|)"
    fraction_words = _alternation(lex.fractions)
    return {
        "B": r"(?<![\w.,/:$£€¥])(?<![A-Za-z0-9][-\u2010\u2011])",
        "END": r"(?![A-Za-z0-9])",
        "MOD": rf"(?:{_alternation(p for p, _ in lex.modifiers)}\s+)?",
        "SIGN": r"(?:(?<![\w)\]])[-\u2212](?=[0-9$£€¥])|(?i:minus)\s+)?",
        "NUM": num,
        "AMOUNT": amount,
        "AMOUNT_C": amount_c,
        "RANGE": range_,
        "CUR_PRE": cur_pre,
        "CUR_SUF": cur_suf,
        "PCT": rf"{gap}(?:{pct_alt['percent']})(?![A-Za-z])",
        "PP": rf"{gap}(?:{pct_alt['percentage_point']})(?![A-Za-z])",
        "UNIT": rf"{gap}(?:{unit_lexicon().pattern()})(?![A-Za-z0-9])",
        "TIMES": r"(?:\s*[-\u2010]\s*|\s+)(?i:times)\b|\s*[-\u2010]?\s*(?i:fold)\b",
        "WORDFOLD": rf"\b(?:{small_atom}|(?i:hundred|thousand))(?:-?{small_atom})*-?(?i:fold)\b",
        "FRACTION": rf"\b(?:(?:(?i:an?)|{small_atom})[\s\-\u2010]+{fraction_words}|(?i:half))\b",
    }


@dataclass(frozen=True)
class AmountPattern:
    id: str
    label: str
    priority: int
    role: str
    regex: re.Pattern[str]


_PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")


@lru_cache(maxsize=1)
def amount_patterns() -> tuple[AmountPattern, ...]:
    """amounts.jsonl, placeholders filled; unknown keys, labels, roles or placeholders fail loudly."""
    parts = fragments()
    patterns = []
    path = PATTERNS_DIR / "amounts.jsonl"
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        entry = json.loads(line)
        if set(entry) - PATTERN_KEYS or not {"id", "label", "priority", "pattern"} <= set(entry):
            raise TableError(f"amounts.jsonl:{lineno}: keys {sorted(entry)}, allowed {sorted(PATTERN_KEYS)}")
        if entry["label"] not in LABELS or entry.get("role", "amount") not in ROLES:
            raise TableError(f"amounts.jsonl:{lineno}: bad label or role")
        unknown = set(_PLACEHOLDER.findall(entry["pattern"])) - set(parts)
        if unknown:
            raise TableError(f"amounts.jsonl:{lineno}: unknown placeholders {sorted(unknown)}")
        source = _PLACEHOLDER.sub(lambda m: parts[m.group(1)], entry["pattern"])
        patterns.append(AmountPattern(entry["id"], entry["label"], int(entry["priority"]),
                                      entry.get("role", "amount"), re.compile(source)))
    return tuple(patterns)


@lru_cache(maxsize=1)
def _amount_head() -> re.Pattern[str]:
    """Modifier, sign and amount (or range) at the start of a span: what is left is its unit."""
    parts = fragments()
    return re.compile(f"{parts['MOD']}{parts['SIGN']}{parts['RANGE']}")


@lru_cache(maxsize=1)
def _coordinated_amounts() -> re.Pattern[str]:
    """Bare amounts listed before a typed one: `1,870, 1,875 and` (1,880 dlrs)."""
    amount = fragments()["AMOUNT"]
    return re.compile(rf"(?:(?<![\w.,/:$£€¥-]){amount}(?:\s*,\s*|\s*,?\s+(?:and|or)\s+))+$")


@dataclass(frozen=True)
class AmountContext:
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
    money_line: re.Pattern[str]
    count_line: re.Pattern[str]
    count_line_nouns: dict[str, str]
    lexicalized_compounds: frozenset[str]


@lru_cache(maxsize=1)
def amount_context() -> AmountContext:
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
        re.compile(r"\b(?:" + "|".join(map(re.escape, data["age_phrases_before"])) + r")\s+$", re.IGNORECASE),
        _line_heads(data["money_line_heads"]),
        _line_heads(list(data["count_line_heads"])),
        dict(data["count_line_heads"]),
        frozenset(w.lower() for w in data["lexicalized_compounds"]),
    )


def _line_heads(heads: list[str]) -> re.Pattern[str]:
    """Start of a results-table line (`Net 10.6 mln vs 20.6 mln`): head words, then amounts."""
    alternation = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
    return re.compile(rf"(?m)^[ \t]*({alternation})\b(?=[^\n]*[0-9])")


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str
    pattern: str
    priority: int
    value_text: str | None = None  # what to normalize when the span's own text lacks its unit
    counted: str | None = None  # the counted noun when the context, not the next word, says it

    @property
    def length(self) -> int:
        return self.end - self.start


# How far before its first number a span may start (`more than US$`, `between`) and how far after
# its last number it may reach (units, currency words).
NUMBER_REACH = 60


@lru_cache(maxsize=1)
def _number_anchor() -> re.Pattern[str]:
    """Where a number may start: a digit, or a number, scale or fraction word (`half`, `twofold`)."""
    lex = number_lexicon()
    words = [*lex.words, *(w for w, (_, style) in lex.scales.items() if style == "word"), *lex.fractions, "half"]
    return re.compile(rf"[0-9]|\b{_alternation(words)}")


def find_matches(text: str) -> list[Match]:
    """Every pattern's matches (they overlap; `resolve_overlaps` chooses). Every amount holds a
    number, so the patterns are only tried near one."""
    windows = anchor_windows(_number_anchor(), text, NUMBER_REACH, NUMBER_REACH)
    matches = []
    for pattern in amount_patterns():
        for found in finditer_in(pattern.regex, text, windows):
            if found.end() <= found.start():
                continue
            if pattern.role == "score":
                matches.extend(_score_parts(text, found.start(), found.end(), pattern))
            else:
                matches.append(Match(found.start(), found.end(), pattern.label, pattern.id, pattern.priority))
    return matches


_SCORE_NUMBER = re.compile(r"[0-9]+")


def _score_parts(text: str, start: int, end: int, pattern: AmountPattern) -> list[Match]:
    """`117-82` -> two counts; a rising pair before a plural noun is a range and left to `count`."""
    numbers = list(_SCORE_NUMBER.finditer(text, start, end))
    if len(numbers) != 2:
        return []
    first, second = (int(n.group(0)) for n in numbers)
    following = re.match(r"\s+([A-Za-z]+)", text[end:end + 40])
    if first < second and following and following.group(1).endswith("s"):
        return []
    return [Match(n.start(), n.end(), pattern.label, pattern.id, pattern.priority) for n in numbers]


def resolve_overlaps(matches: list[Match]) -> list[Match]:
    """Greedy: higher priority, then longer, then earlier; never two overlapping spans."""
    starts: list[int] = []  # chosen spans, sorted by start; they never overlap each other
    chosen: list[Match] = []
    for match in sorted(matches, key=lambda m: (-m.priority, -m.length, m.start)):
        at = bisect.bisect_left(starts, match.start)
        if at > 0 and chosen[at - 1].end > match.start:
            continue
        if at < len(chosen) and chosen[at].start < match.end:
            continue
        starts.insert(at, match.start)
        chosen.insert(at, match)
    return chosen


# ---------------------------------------------------------------------------------------------
# The component
# ---------------------------------------------------------------------------------------------

@Language.factory("news_amounts", default_config={"use_model_hints": True})
def make_amounts(nlp: Language, name: str, use_model_hints: bool) -> "AmountRecognizer":
    return AmountRecognizer(name, use_model_hints, SentenceParser.of(nlp))


@dataclass
class _DocView:
    """Token lookups by character offset; tags and lemmas (`syntax`) only where the model has them."""

    doc: Doc
    syntax: DocSyntax
    starts: list[int] = field(default_factory=list)
    parsed: bool = False  # sentence boundaries are set
    _sentence_starts: list[int] | None = None
    _names: list[tuple[int, int]] | None = None

    @classmethod
    def of(cls, doc: Doc, parser: SentenceParser | None) -> "_DocView":
        return cls(doc, DocSyntax(doc, parser), doc.to_array("IDX").tolist(), doc.has_annotation("SENT_START"))

    @property
    def tagged(self) -> bool:
        return self.syntax.tagged

    def name_entities(self, labels: frozenset[str]) -> list[tuple[int, int]]:
        if self._names is None:
            self._names = [(e.start_char, e.end_char) for e in self.doc.ents if e.label_ in labels]
        return self._names

    def sentence_starts(self) -> list[int]:
        if self._sentence_starts is None:
            self._sentence_starts = [t.idx for t in self.doc if t.is_sent_start]
        return self._sentence_starts

    def token_after(self, char: int) -> Token | None:
        i = bisect.bisect_left(self.starts, char)
        return self.doc[i] if i < len(self.doc) else None

    def token_before(self, char: int) -> Token | None:
        i = bisect.bisect_left(self.starts, char) - 1
        while i >= 0 and self.doc[i].idx + len(self.doc[i].text) > char:
            i -= 1
        return self.doc[i] if i >= 0 else None


class AmountRecognizer:
    def __init__(self, name: str = "news_amounts", use_model_hints: bool = True,
                 parser: SentenceParser | None = None):
        register_extensions()
        self.name = name
        self.use_model_hints = use_model_hints
        self.parser = parser
        self.context = amount_context()
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
                matches = self._share_comparisons(matches, text, view)
                doc._.candidates = (doc._.candidates or []) + self._values(matches, text, view)
                yield doc

    def _matches(self, doc: Doc) -> tuple[_DocView, list[Match]]:
        text = doc_text(doc)
        view = _DocView.of(doc, self.parser)
        # site menus and other boilerplate never give a span, so they need no further checks
        blocked = self._identifier_ranges(text) + [(start, end) for start, end in doc._.boilerplate or []]
        matches = [self._trim_year(m, text) for m in find_matches(text)]
        matches = self._results_table(matches, text)
        matches = [m for m in matches if self._keep(m, text, view, blocked)]
        matches = resolve_overlaps(matches)
        matches = self._split_from_to(matches, text)
        return view, self._share_units(matches, text, blocked)

    @staticmethod
    def _count_tokens(view: _DocView, matches: list[Match]) -> list[Token]:
        """The words after the counts: the sentences whose counted nouns the next steps read."""
        return [token for m in matches if m.label == "CARDINAL" and m.counted is None
                and (token := view.token_after(m.end)) is not None]

    # -- context rules ----------------------------------------------------------------------

    def _identifier_ranges(self, text: str) -> list[tuple[int, int]]:
        return [found.span() for pattern in self.context.identifier_patterns for found in pattern.finditer(text)]

    def _results_table(self, matches: list[Match], text: str) -> list[Match]:
        """Wire results tables (`Net 10.6 mln vs 20.6 mln`, `Avg shrs 5,000,000 vs ...`).

        On a `vs` line headed by a money item the bare amounts are money in the story's dollar
        (or the line's own currency word); on a share-count line they count shares.
        """
        result = []
        lines: dict[int, tuple[str, str | None]] = {}
        for kind, pattern in (("MONEY", self.context.money_line), ("CARDINAL", self.context.count_line)):
            for found in pattern.finditer(text):
                end = text.find("\n", found.start())
                line = text[found.start():end if end >= 0 else len(text)]
                if re.search(r"\bvs\.?\s", line):
                    noun = self.context.count_line_nouns.get(found.group(1)) if kind == "CARDINAL" else None
                    lines[found.start()] = (kind, noun)
        if not lines:
            return matches
        starts = sorted(lines)
        for match in matches:
            at = bisect.bisect_right(starts, match.start) - 1
            line_start = starts[at] if at >= 0 else -1
            if match.pattern != "count" or line_start < 0 or "\n" in text[line_start:match.start] \
                    or _YEAR.fullmatch(text[match.start:match.end]):
                result.append(match)
                continue
            kind, noun = lines[line_start]
            span_text = text[match.start:match.end]
            if kind == "MONEY":
                line = text[line_start:text.find("\n", line_start) % (len(text) + 1)]
                word = next((c.surface for c in currency_table() if c.is_suffix and c.minor == 1
                             and len(c.surface) > 1 and re.search(rf"[0-9]\s+{re.escape(c.surface)}\b", line)), "dlrs")
                result.append(replace(match, label="MONEY", pattern="results-line", priority=3,
                                      value_text=f"{span_text} {word}"))
            else:
                result.append(replace(match, pattern="results-line", counted=noun))
        return result

    @staticmethod
    def _trim_year(match: Match, text: str) -> Match:
        """`in 2015 to 9,328 yuan`: a year before `to` is a date, not the low end of a range."""
        if match.label == "CARDINAL":
            return match
        span_text = text[match.start:match.end]
        found = re.match(r"((?:1[89][0-9]{2}|20[0-9]{2}))(\s*[-\u2013]\s*|\s+to\s+)(?=[0-9])", span_text)
        before = re.search(r"([A-Za-z]+)\s+$", text[max(0, match.start - 12):match.start])
        if found and before and before.group(1).lower() in _YEAR_PREPOSITIONS:
            return replace(match, start=match.start + found.end())
        return match

    def _keep(self, match: Match, text: str, view: _DocView, blocked: list[tuple[int, int]]) -> bool:
        if in_ranges(match.start, match.end, blocked):
            return False  # URLs, phone and licence numbers, dates in digits, clock times, boilerplate
        if match.label in ("MONEY", "PERCENT") or match.pattern == "results-line":
            return True
        span_text = text[match.start:match.end]
        single_letter_unit = match.label == "QUANTITY" and re.search(r"[0-9][A-Za-z]$", span_text) is not None
        if match.label == "QUANTITY" and not single_letter_unit:
            return True
        if self._in_name(match, text, view):
            return False
        if match.label == "QUANTITY" or match.pattern in ("factor", "factor-word"):
            return True
        return not self._not_a_count(match, span_text, text, view)

    def _in_name(self, match: Match, text: str, view: _DocView) -> bool:
        """Numbers inside names: `Digital Shanghai 2035`, `Innovation 25`, the model's name entities."""
        if self.use_model_hints:
            for start, end in view.name_entities(self.context.name_labels):
                if start <= match.start and match.end <= end and (start, end) != (match.start, match.end):
                    return True
        if match.pattern == "score":
            return False
        before = view.token_before(match.start)
        if before is None or text[before.idx + len(before.text):match.start] != " ":
            return False
        if before.text in self.context.identifier_words or before.text.rstrip(".") in self.context.identifier_words:
            return True
        return self._name_word(before, text, view)

    def _name_word(self, token: Token, text: str, view: _DocView) -> bool:
        """A capitalised word inside a sentence that a number follows: `Digital Shanghai 2035`."""
        word = token.text
        if not word[:1].isupper() or word in self.context.name_word_exceptions or word in self.context.months \
                or not any(c.isalpha() for c in word):
            return False
        if view.parsed and token.is_sent_start:
            return False
        previous = text[max(0, token.idx - 3):token.idx]
        if token.idx == 0 or re.search(r"(?:[.!?:;\"“”\n]\s*|^\s*)$", previous):
            return False
        return True

    def _not_a_count(self, match: Match, span_text: str, text: str, view: _DocView) -> bool:
        """Years, days of a month, clock times, durations, ages and compounds are not counts."""
        head = _amount_head().match(span_text)
        modifier = split_modifier(span_text)[0] is not None
        numbers = _BARE_NUMBER.findall(span_text)
        if numbers and all(_YEAR.fullmatch(n) for n in numbers) and not modifier:
            return True
        if "/" in span_text and match.pattern == "count":
            return True
        if re.fullmatch(r"(?:1[89]|20)[0-9]{2}\s*[-\u2013/]\s*[0-9]{2}", span_text) \
                or re.fullmatch(r"(?:between\s+)?1?[0-9]{3}\s*(?:[-\u2013]|to|and)\s*[12]?[0-9]{3}", span_text) \
                and all(1000 <= int(n) <= 2100 for n in re.findall(r"[0-9]{4}", span_text)) \
                and len(re.findall(r"[0-9]{4}", span_text)) == 2:
            return True  # `2019-20`, `1986/87`, `(1368-1644)`: seasons, crop years, periods
        if re.match(r"/[0-9]", text[match.end:match.end + 2]) or re.search(r"[0-9]/$", text[max(0, match.start - 2):match.start]):
            return True  # `6.5/6.6 tonnes`, `154.65/dlr`: part of a slash expression
        after = text[match.end:match.end + 24]
        before = text[max(0, match.start - 24):match.start]
        prev_word = re.search(r"([A-Za-z]+)\.?\s*$", before)
        if self.context.age_before.search(before):
            return True  # `at the age of 87`, `aged 25`: an age
        if match.pattern == "fraction":
            return bool(prev_word and prev_word.group(1).lower() in self.context.fraction_not_after)
        if match.pattern == "proportion":
            parts = [n for n in re.split(r"\s+(?:out\s+of\s+(?:every\s+)?|in\s+every\s+|in\s+)", span_text, flags=re.I)]
            whole = _YEAR.search(parts[-1]) if len(parts) == 2 else None
            return whole is not None
        next_word = re.match(r"\s*[-\u2010]?\s*([A-Za-z][A-Za-z.']*)", after)
        if next_word:
            word = next_word.group(1)
            if word.lower().rstrip(".") in self.context.time_units or word.lower() in self.context.time_units \
                    or word.rstrip(".,") in self.context.months:
                return True
        # `three-pointers`, `three-dimensional`: a written number in a lexicalized compound
        # (`five-team`, `four-man` stay counts, like `10-game`).
        compound = re.match(r"[-\u2010]([A-Za-z]+)", after)
        if compound and re.search(r"[A-Za-z]$", span_text) \
                and compound.group(1).lower() in self.context.lexicalized_compounds:
            return True
        if prev_word and prev_word.group(1) in self.context.months and not re.search(r",\s*$", before):
            return True
        if re.match(r"\s*[:h][0-9]{2}", after) or re.match(r"\s*(?i:a\.?m\b|p\.?m\b)", after):
            return True
        # Race times: `winning leisurely in 30.26` (minutes.seconds), never a count.
        if re.fullmatch(r"[0-9]{1,2}\.[0-9]{2}", span_text) and prev_word and prev_word.group(1) == "in" \
                and not re.match(r"\s*[A-Za-z]", after):
            return True
        return head is None

    # -- structure ------------------------------------------------------------------------

    def _split_from_to(self, matches: list[Match], text: str) -> list[Match]:
        """`from 2 to 3 percent` is a change between two values: two spans, the unit shared."""
        result = []
        for match in matches:
            span_text = text[match.start:match.end]
            to = re.search(r"\s+to\s+", span_text)
            if to is None or not re.search(r"(?i:\bfrom)\s+$", text[max(0, match.start - 8):match.start]):
                result.append(match)
                continue
            low_text = span_text[:to.start()]
            high_start = match.start + to.end()
            head = _amount_head().fullmatch(low_text)
            tail = self._unit_tail(text[high_start:match.end])
            low_value = low_text if head is None or match.label == "CARDINAL" else low_text + tail
            result.append(Match(match.start, match.start + len(low_text), match.label, match.pattern,
                                match.priority, value_text=low_value))
            result.append(Match(high_start, match.end, match.label, match.pattern, match.priority))
        return result

    @staticmethod
    def _unit_tail(span_text: str) -> str:
        head = _amount_head().match(span_text)
        return span_text[head.end():] if head else ""

    def _share_units(self, matches: list[Match], text: str, blocked: list[tuple[int, int]]) -> list[Match]:
        """`1,850 and 1,880 dlrs`, `2.27 and 2.28 times`: the bare numbers take the shared unit."""
        added: list[Match] = []
        for match in matches:
            if match.label == "CARDINAL" and match.pattern != "factor":
                continue
            span_text = text[match.start:match.end]
            if match.label == "MONEY" and find_prefix(span_text) is not None:
                continue
            head = _amount_head().match(span_text)
            if head is None or not re.match(r"[0-9]", span_text):
                continue  # no bare amount first, or a modifier / `between` leads
            tail = span_text[head.end():]
            scale = re.search(r"(?i:\s*(?:thousand|million|billion|trillion|mln|bln|bn|mn))$", head.group(0))
            window_start = max(0, match.start - 160)
            chain = _coordinated_amounts().search(text[window_start:match.start])
            if chain is None:
                continue
            chain_start = window_start + chain.start()
            for part in re.finditer(fragments()["AMOUNT"], text[chain_start:match.start]):
                start, end = chain_start + part.start(), chain_start + part.end()
                part_text = part.group(0)
                if not re.match(r"[0-9]", part_text) or _YEAR.fullmatch(part_text):
                    continue
                value_text = part_text
                if scale and not re.search(r"[A-Za-z]", part_text):
                    value_text += scale.group(0)
                if not in_ranges(start, end, blocked):
                    added.append(Match(start, end, match.label, "shared-" + match.pattern, 2, value_text + tail))
        if not added:
            return matches
        kept = [m for m in matches if m.priority > 2 or not any(m.start < a.end and a.start < m.end for a in added)]
        return resolve_overlaps(kept + added)

    def _share_comparisons(self, matches: list[Match], text: str, view: _DocView) -> list[Match]:
        """`12.5 mln dlrs from 10.2 mln`, `5.93 mln against 5.81`: the compared number is the same kind.

        A bare number right after a typed amount and `from`, `against`, `vs`, `compared with`
        takes its unit, and its scale when it has none (wire style leaves both out).
        """
        by_start = {m.start: i for i, m in enumerate(matches)}
        result = list(matches)
        for position, match in enumerate(matches):
            if match.label == "CARDINAL" and match.pattern != "count":
                continue
            connector = _COMPARISON.match(text, match.end)
            if connector is None or connector.end() not in by_start:
                continue
            index = by_start[connector.end()]
            other = matches[index]
            other_text = text[other.start:other.end]
            if other.pattern != "count" or other.value_text or _YEAR.fullmatch(other_text) \
                    or not re.match(r"[0-9]", other_text):
                continue
            if match.label == "PERCENT" and not re.search(r"\b(?:to|at|of|was|were|is|are|stood|reached|from)\s+$",
                                                          text[max(0, match.start - 10):match.start]):
                # `602.26 billion kilowatt hours, up 2.2 pct from 589.51 billion`: the compared
                # number is the base of the change, the amount before `up`.
                before = matches[position - 1] if position > 0 else None
                if before is None or before.label == "PERCENT" or before.pattern not in (
                        "money-prefix", "money-suffix", "quantity", "count") \
                        or not re.fullmatch(r"\s*,?\s+(?:up|down)\s+", text[before.end:match.start]):
                    continue
                match = before
            elif match.label == "PERCENT" and re.search(r"[A-Za-z]", other_text):
                continue
            span_text = text[match.start:match.end]
            head = _amount_head().match(span_text)
            prefix = ""
            if match.label == "MONEY" and (found := find_prefix(split_modifier_text(span_text))):
                prefix, tail = found[0].surface, ""
                head = _amount_head().match(split_modifier_text(span_text)[found[1]:])
            elif head is not None:
                tail = span_text[head.end():]
            else:
                continue
            scale = re.search(r"(?i:\s*(?:thousand|million|billion|trillion|mln|bln|bn|mn))$", head.group(0)) \
                if head else None
            value_text = other_text
            if scale and not re.search(r"[A-Za-z]", other_text):
                value_text += scale.group(0)
            if match.label == "CARDINAL":
                if scale is None or (view.tagged and self._counted(other, text, view) is not None):
                    continue
                counted = self._counted(match, text, view) or match.counted
                result[index] = replace(other, pattern="shared-count", value_text=value_text, counted=counted)
                continue
            result[index] = replace(other, label=match.label, pattern="shared-" + match.pattern, priority=2,
                                    value_text=(prefix + value_text) if prefix else value_text + tail)
        return result

    # -- values -----------------------------------------------------------------------------

    def _values(self, matches: list[Match], text: str, view: _DocView) -> list[dict[str, Any]]:
        candidates: list[dict[str, Any]] = []
        elliptical: list[int] = []  # counts that may have left their noun out
        currencies: dict[str, str] = {}
        for match in matches:
            span_text = text[match.start:match.end]
            value_text = match.value_text or span_text
            label = match.label
            value: Any = None
            if label == "MONEY" and self._pounds_of_weight(match, span_text, text):
                label = "QUANTITY"
                value = quantity_value(value_text)
            elif label == "MONEY":
                value = money_value(value_text, currencies)
                if value is not None:
                    self._remember_currency(value_text, currencies)
            elif label == "PERCENT":
                value = percent_value(value_text)
            elif label == "QUANTITY":
                if self._metre_is_million(match, span_text, view):
                    label = "CARDINAL"
                    value = cardinal_value(value_text, self._counted(match, text, view))
                else:
                    value = quantity_value(value_text)
            else:
                counted = match.counted
                if counted is None and match.pattern in ("count", "fraction", "proportion", "shared-count"):
                    counted = self._counted(match, text, view)
                if not self._keep_count(match, span_text, counted, view):
                    continue
                value = cardinal_value(value_text, counted)
            if value is None:
                continue
            if label == "CARDINAL" and match.pattern in ("count", "shared-count") and value.counted is None:
                elliptical.append(len(candidates))
            candidates.append({"start": match.start, "end": match.end, "label": label,
                               "value": plain_numbers(value.model_dump()), "source": self.name})
        self._share_counted(candidates, text)
        self._elliptical_counted(candidates, elliptical, text, view)
        return candidates

    def _elliptical_counted(self, candidates: list[dict[str, Any]], elliptical: list[int], text: str,
                            view: _DocView) -> None:
        """`109 listed companies, including 44 on the STAR Market`: 44 counts companies too.

        A count with no noun of its own takes the noun of the nearest count before it in the
        same sentence. Not after `of` (`a population of 590,000` counts no noun) and not `zero`.
        """
        for index in elliptical:
            candidate = candidates[index]
            value = candidate["value"]
            if value["counted"] is not None or value["amount"] == 0:
                continue
            if re.search(r"(?i:\bof)\s+(?:(?i:only|just)\s+)?$", text[max(0, candidate["start"] - 12):candidate["start"]]):
                continue
            for previous in reversed(candidates[:index]):
                if not self._same_sentence(previous["start"], candidate["start"], text, view):
                    break
                if previous["label"] == "CARDINAL" and previous["value"]["kind"] == "count" \
                        and previous["value"]["counted"] is not None:
                    value["counted"] = previous["value"]["counted"]
                    break

    @staticmethod
    def _same_sentence(start: int, later: int, text: str, view: _DocView) -> bool:
        if view.parsed:
            starts = view.sentence_starts()
            return bisect.bisect_right(starts, start) == bisect.bisect_right(starts, later)
        return re.search(r"[.!?]\s|\n", text[start:later]) is None

    @staticmethod
    def _share_counted(candidates: list[dict[str, Any]], text: str) -> None:
        """`249.9, 199.1, 295.3, and 168.8 points`: listed counts count the same noun."""
        following: dict[str, Any] | None = None
        for candidate in reversed(candidates):
            value = candidate["value"]
            if candidate["label"] == "CARDINAL" and value["kind"] == "count" and value["counted"] is None \
                    and following is not None and following["label"] == "CARDINAL" \
                    and re.fullmatch(r"\s*,\s*(?:(?:and|or)\s+)?|\s*,?\s+(?:and|or)\s+",
                                     text[candidate["end"]:following["start"]]):
                value["counted"] = following["value"]["counted"]
            following = candidate

    @staticmethod
    def _remember_currency(value_text: str, currencies: dict[str, str]) -> None:
        for currency in currency_table():
            at = value_text.find(currency.surface) if currency.exact_case \
                else value_text.lower().find(currency.surface.lower())
            if at >= 0 and currency.qualified and currency.family:
                currencies[currency.family] = currency.code
                return

    @staticmethod
    def _pounds_of_weight(match: Match, span_text: str, text: str) -> bool:
        """`weighs 200 pounds`, `700 pounds (320kg)`: the pound is a weight there, not sterling."""
        if not re.search(r"(?i:\bpounds?)$", span_text):
            return False
        after = text[match.end:match.end + 30]
        before = text[max(0, match.start - 12):match.start]
        return bool(re.match(r"\s*\(\s*(?:about\s+|around\s+)?[0-9][0-9.,]*\s*(?:kg|kilos?|kilograms?|tonnes?|g)\b", after)
                    or re.search(r"(?i:\bweigh(?:s|ed|ing)?)\s+$", before))

    def _metre_is_million(self, match: Match, span_text: str, view: _DocView) -> bool:
        """`5m people` counts people in millions; `the 10,500m course` measures metres."""
        if not re.search(r"[0-9]m$", span_text):
            return False
        token = view.token_after(match.end)
        if token is None:
            return False
        if token.lower_ == "of":
            return True
        return view.syntax.token(token).tag_ == "NNS" if view.tagged else token.text.endswith("s")

    def _keep_count(self, match: Match, span_text: str, counted: str | None, view: _DocView) -> bool:
        """`one` is a pronoun unless it counts a noun; a count of years or days is a DATE.

        Also no count: a rank (`the top five was`), a name (`50 Cent`, `737 MAX`: the number
        runs into a singular proper noun), a capitalised number word inside a sentence
        (`Ocean's Twelve`, `Double Eleven`).
        """
        text = doc_text(view.doc)
        partitive = re.match(r"\s+of\b", text[match.end:match.end + 4]) is not None
        if counted is not None and counted.lower() in self.context.time_units and not partitive:
            return False
        before = view.token_before(match.start)
        after = view.token_after(match.end)
        if counted is None and before is not None and before.text in self.context.rank_words_before:
            return False
        if view.tagged and after is not None and counted == after.text and after.idx - match.end <= 1 \
                and after.ent_type_ not in ("GPE", "NORP", "ORG", "LOC", "FAC", "EVENT") \
                and view.syntax.token(after).tag_ == "NNP":
            return False  # `50 Cent`, `737 MAX`: the number starts a name
        if match.pattern == "count" and span_text[:1].isupper() and span_text[:1].isalpha() and before is not None \
                and not re.search(r"(?:[.!?:;\"“”\n(]|--)\s*$", text[max(0, match.start - 4):match.start]) \
                and not (view.parsed and view.token_after(match.start).is_sent_start):
            return False
        if span_text.lower() != "one":
            return True
        if after is not None and after.lower_ in ("of", "another", "-"):
            return False
        if before is not None and before.lower_ in self.context.one_pronoun_before:
            return False
        return counted is not None

    # -- the counted noun ---------------------------------------------------------------------

    def _counted(self, match: Match, text: str, view: _DocView) -> str | None:
        """Lemma of the noun a count counts; None when the pipeline has no tags or no noun follows."""
        if not view.tagged:
            return None
        token = view.token_after(match.end)
        if token is None:
            return None
        doc = view.doc
        # `10-game winning streak`: the glued compound names what is counted.
        if token.text in ("-", "\u2010") and token.idx == match.end and token.i + 1 < len(doc):
            nxt = doc[token.i + 1]
            if nxt.idx == token.idx + 1 and nxt.is_alpha:
                return self._lemma(view.syntax.token(nxt), view.syntax, join_compound=False)
            return None
        if token.idx - match.end > 2 or "\n" in text[match.end:token.idx]:
            return None
        token = view.syntax.token(token)  # from here on, tokens of the tagged sentence
        head = self._noun_of(token.i + 1, token.doc) if token.lower_ == "of" else self._noun_run(token.i, token.doc)
        return self._lemma(head, view.syntax) if head is not None else None

    def _noun_of(self, i: int, doc: Doc) -> Token | None:
        """`of the 21 innovation indicators`, `of Shanghai's three major funds` -> the last noun."""
        n = len(doc)
        while i < n:
            token = doc[i]
            if token.pos_ == "DET" or token.tag_ in ("PRP$", "WP$", "POS", "CD", "JJR", "RBR") \
                    or token.lower_ in ("more", "than", "over", "nearly", "about", "around", "almost", "some"):
                i += 1
            elif token.pos_ in ("PROPN", "NOUN") and i + 1 < n and doc[i + 1].tag_ == "POS":
                i += 2
            else:
                break
        if i < n and doc[i].pos_ == "PRON":
            return None
        return self._noun_run(i, doc)

    def _noun_run(self, i: int, doc: Doc) -> Token | None:
        """Walk the noun phrase after a number: modifiers, then nouns; its last noun is the head.

        `three core platforms` -> platforms, `four now publicly listed firms` -> firms,
        `five Class I new drugs` -> drugs, `five corporate venture capital (CVC) funds` -> funds.
        A plural noun ends the phrase (`users hail from`) unless it is glued into a hyphenated
        modifier (`with-profits investors`).
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
                    and not (token.i == last.i + 1 and self._glued_compound(last) and token.pos_ == "NOUN"):
                break
            if token.text in ("-", "\u2010") and not token.whitespace_ and i > 0 and not doc[i - 1].whitespace_:
                pass
            elif (token.pos_ in ("NOUN", "PROPN") and any(c.isalnum() for c in token.text)) \
                    or (after_glue and token.is_alpha and last is not None):
                last = token
            elif token.text == "(" and last is not None and (close := self._parenthesis_end(i, doc)) is not None \
                    and close + 1 < n and doc[close + 1].pos_ in ("NOUN", "PROPN"):
                i, steps = close + 1, steps + 1
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
            else:
                break
            if last is not None and token.tag_ in ("VBN", "VBG") and token.pos_ == "VERB" and not after_glue \
                    and last.pos_ != "PROPN":
                break
            i += 1
            steps += 1
        return last

    @staticmethod
    def _glued_compound(token: Token) -> bool:
        doc = token.doc
        return token.i >= 2 and doc[token.i - 1].text in ("-", "\u2010") and not doc[token.i - 1].whitespace_ \
            and not doc[token.i - 2].whitespace_

    @staticmethod
    def _parenthesis_end(i: int, doc: Doc) -> int | None:
        for j in range(i + 1, min(i + 6, len(doc))):
            if doc[j].text == ")":
                return j
        return None

    def _lemma(self, token: Token, syntax: DocSyntax, join_compound: bool = True) -> str:
        doc = token.doc
        if token.lower_ in self.context.lemma_overrides:
            lemma = self.context.lemma_overrides[token.lower_]
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


def split_modifier_text(text: str) -> str:
    """The span text after its modifier (`about $5 million` -> `$5 million`)."""
    return split_modifier(text)[1]


def plain_numbers(value: dict[str, Any]) -> dict[str, Any]:
    """Whole floats as ints, as the guidelines' JSON numbers (`167300000000`, not `1.673e11`)."""
    return {k: int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 63 else v
            for k, v in value.items()}
