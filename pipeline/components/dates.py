"""`news_dates`: DATE spans with TIMEX3 values and calendar intervals, anchored to `doc._.dct`.

The date grammar (`normalize/date_grammar.py`) proposes every expression it can read; this
component checks the ones whose reading depends on context (a bare `2004` may be a count or
part of a name, `a month` is a rate only after an amount, `today` may mean "nowadays"), keeps
the longest non-overlapping ones, and resolves them in text order so that anaphoric expressions
(`the previous year`, `a year earlier`) count from the last time mentioned.

The model's entities are hints in those checks, never spans of their own (the grammar's
boundaries leave leading prepositions out and keep `the first half of`): a bare number the model
calls DATE is a year, one it calls CARDINAL, MONEY or QUANTITY is not; a year or month inside a
model ORG, EVENT, LAW, WORK_OF_ART or PERSON is part of a name. Its tagger and parser give the
tense that places a month or weekday the text leaves open. On a bare `spacy.blank` pipeline the
same checks run on the text alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import minibatch

from pipeline.components.merge import in_ranges
from pipeline.extensions import doc_text, register_extensions
from pipeline.normalize.date_grammar import PATTERNS, DateMatch, load_grammar
from pipeline.normalize.date_points import fiscal_year_in
from pipeline.normalize.dates import Tense, Timex, combine_time_and_day, make_context, resolve_match
from pipeline.syntax import DocSyntax, SentenceParser

SOURCE = "news_dates"  # the component part of every candidate's `source` (docs/sources.md)
ENTS_KEY = ("news_dates", "ents")  # the model's entities, cached in doc.user_data during one call
SYNTAX_KEY = ("news_dates", "syntax")  # the doc's DocSyntax, in doc.user_data during one call
# During one call: what each deictic day's clause says of it, and whether one `today` is the story's day
TODAY_KEY = ("news_dates", "today")
CONTEXT_FILE = PATTERNS / "date_context.json"
AGE_OR_ANNIVERSARY_AFTER = re.compile(r"^(?:[-\s]olds?\b|\s+anniversary\b|(?:th|st|nd|rd)\s+anniversary\b"
                                      r"|\s+(?:and|or)\s+(?:older|over|above|younger|under)\b|\s+of\s+age\b)", re.I)
AGE_BEFORE = re.compile(r"\b(?:aged?|ages)\s+(?:between\s+)?(?:\w+\s+years?,?\s+and\s+)?$", re.I)  # `aged 18 years and 185 days`
PARAGRAPH_BREAK = re.compile(r"\n")
_IN_A_ROW = re.compile(r"\b(?:consecutive|straight|successive)\b", re.I)  # `four consecutive quarters`: periods in a row
_SHIFT_AFTER = re.compile(r"\s+(?:ago|earlier|later|before|previously)\b", re.I)
# An amount of some goods just before a rate's denominator: `60,000 ounces of gold`, `2 mln tonnes of grain`.
_MEASURED_GOODS = re.compile(r"\d[\d,.]*(?:\s+(?:mln|million|bln|billion))?\s+[a-z]+\s+of\s+[a-z]+$")
# The capitalized words right after a year: `2020 ITTF Men's World Cup` (up to `in`).
_CAPITALIZED_RUN = re.compile(r"[ \t]+((?:[A-Z][\w'’.&-]*[ \t]+){0,5}[A-Z][\w'’.&-]*)")
SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s|\n")
# Kinds whose value names a time of its own (not counted from another): they become `ref`.
REFERENCE_KINDS = frozenset({"calendar_day", "day_list", "holiday", "week_of", "month", "year", "quarter", "half",
                             "partial", "months_to", "period_ended", "weeks_ended", "season", "same_period", "range", "weekday"})


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class DateContextWords:
    """The word lists of `patterns/date_context.json`, as sets and compiled regexes."""

    function_words: frozenset[str]
    temporal_prepositions: frozenset[str]
    name_labels: frozenset[str]
    amount_labels: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_lemmas: frozenset[str]
    be_verbs: frozenset[str]
    year_subject_verbs: frozenset[str]  # with `be_verbs` and the future auxiliaries: `2005 may not be the year`
    amount_after: re.Pattern[str]
    amount_before: re.Pattern[str]
    future_markers: re.Pattern[str]
    reporting_verbs: re.Pattern[str]
    comparison_before: re.Pattern[str]
    open_start_before: re.Pattern[str]  # `since mid-November, 1979`: where a stretch starts, not the story's time
    nowadays_before: re.Pattern[str]
    price_before: re.Pattern[str]
    event_heads: frozenset[str]
    holiday_period_nouns: frozenset[str]  # `Christmas sales`: the holiday names the time of the noun
    over_means_more_after: frozenset[str]

    @classmethod
    def load(cls, path: Path = CONTEXT_FILE) -> "DateContextWords":
        raw = json.loads(path.read_text(encoding="utf-8"))
        keys = {"about", "function_words", "temporal_prepositions", "name_labels",
                "amount_labels", "amount_words_after", "amount_signs_before", "future_markers",
                "future_auxiliaries", "future_lemmas", "reporting_verbs", "be_verbs", "comparison_words",
                "nowadays_cues", "price_words", "event_heads", "over_means_more_after", "year_subject_verbs",
                "open_start_words", "holiday_period_nouns"}
        if set(raw) != keys:
            raise ValueError(f"{path.name}: unknown keys {sorted(set(raw) - keys)}, missing {sorted(keys - set(raw))}")
        signs = "|".join((r"\b" if w[0].isalpha() else "") + re.escape(w)
                         for w in sorted(raw["amount_signs_before"], key=len, reverse=True))
        return cls(
            function_words=frozenset(raw["function_words"]),
            temporal_prepositions=frozenset(raw["temporal_prepositions"]),
            name_labels=frozenset(raw["name_labels"]), amount_labels=frozenset(raw["amount_labels"]),
            event_heads=frozenset(raw["event_heads"]),
            holiday_period_nouns=frozenset(raw["holiday_period_nouns"]),
            over_means_more_after=frozenset(raw["over_means_more_after"]),
            future_auxiliaries=frozenset(raw["future_auxiliaries"]),
            future_lemmas=frozenset(raw["future_lemmas"]), be_verbs=frozenset(raw["be_verbs"]),
            year_subject_verbs=frozenset(raw["year_subject_verbs"]),
            amount_after=re.compile(rf"^\s*(?:{_words(raw['amount_words_after'])})(?!\w)", re.I),
            amount_before=re.compile(rf"(?:{signs})\s*$"),
            future_markers=re.compile(rf"(?<!\w)(?:{_words(raw['future_markers'])})(?!\w)", re.I),
            reporting_verbs=re.compile(rf"\b(?:{_words(raw['reporting_verbs'])})\b", re.I),
            comparison_before=re.compile(
                rf"\b(?:{_words(raw['comparison_words'])})"
                r"(?:\s+[$£€]?[0-9][0-9.,]*(?:\s+(?:mln|million|bln|billion|pct|percent|dlrs|stg|yen|bpd|tonnes))?)?"
                r"(?:\s+(?:in|that\s+(?:in|of)|those\s+(?:in|of)))?\s+$",
                re.I),  # `from 9.06 mln a year ago`, `from 16.15 mln in the same period`: an amount may come between
            open_start_before=re.compile(rf"\b(?:{_words(raw['open_start_words'])})\s+$", re.I),
            nowadays_before=re.compile(rf"\b(?:{_words(raw['nowadays_cues'])})\b", re.I),
            price_before=re.compile(rf"(?:\d|\b(?:{_words(raw['price_words'])}))\s+for\s+$", re.I),
        )


@lru_cache(maxsize=1)
def load_context_words() -> DateContextWords:
    return DateContextWords.load()


def _syntax(doc: Doc) -> DocSyntax:
    syntax = doc.user_data.get(SYNTAX_KEY)
    return syntax if syntax is not None else DocSyntax(doc, None)


def _ask(asked: list[DateMatch], m: DateMatch) -> None:
    """The tense of a trial resolution: none, but `m` is noted as one that asks."""
    asked.append(m)


def _edge_tokens(doc: Doc, m: DateMatch) -> list[Token]:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return [span[0], span[-1]] if span is not None and len(span) else []


@lru_cache(maxsize=4)
def _words_of(text: str) -> frozenset[str]:
    """The lower-case words of a text, read once for all its matches (a str keeps its hash)."""
    return frozenset(re.findall(r"[\w-]+", text.lower()))


def _previous_word(text: str, start: int) -> str:
    found = re.search(r"([\w.'’&-]+)\W*$", text[max(0, start - 40):start])
    return found.group(1) if found else ""


def _next_word(text: str, end: int) -> str:
    found = re.match(r"\W{0,3}?([\w'’-]+)", text[end:end + 40])
    return found.group(1) if found else ""


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in SENTENCE_BREAK.finditer(text, max(0, start - 400), start)]
    after = SENTENCE_BREAK.search(text, end, end + 400)
    return (before[-1] if before else max(0, start - 400)), (after.start() if after else min(len(text), end + 400))


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start]
    return start == 0 or not before.strip() and "\n" in text[max(0, start - 2):start] or bool(
        re.search(r"[.!?:\"“]\s*$", text[max(0, start - 4):start]))


def _is_capitalized(word: str) -> bool:
    return bool(word) and word[0].isupper()


def clause_tense(doc: Doc, start: int, end: int, words: DateContextWords | None = None) -> Tense | None:
    """The tense of the verb the date belongs to, used to place a month or weekday the text
    leaves open: `fell in August` past, `would hold a hearing on June 2` and `is expected to be
    signed in May` future, `is payable July 1` neither. With a parser the governing verb decides
    (walking up from the date); without one, only a future marker in the sentence counts."""
    words = words or load_context_words()
    text = doc_text(doc)
    if re.search(r"(?i:\bsince)\s+$", text[max(0, start - 8):start]):
        return "past"  # `its best week since November`: `since` points back, whatever the verb
    syntax = _syntax(doc)
    span = syntax.span(start, end, parse=True) if syntax.parsed else None
    if span is None:
        left, right = _sentence_bounds(text, start, end)
        return "future" if words.future_markers.search(text[left:right]) else None
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX", "ADJ") or token.head is token:
            break
        token = token.head
    if token.pos_ == "ADJ":
        return None  # `payable July 1`, `available in May`: no verb places the date
    if token.pos_ not in ("VERB", "AUX"):
        return None
    preposition = span.root.head.lower_ if span.root.dep_ == "pobj" else ""
    chain = [token, *list(token.ancestors)[:3]]
    finite = token
    for verb in chain:
        finite = verb
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in words.future_auxiliaries for c in verb.children):
            return "future"
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
            return None  # `rain in July could still reverse it`: a modal, not the report's past, places it
        if syntax.lemma(verb) in words.future_lemmas and (verb is not token or preposition in ("for", "until", "till")):
            return "future"  # `expected to be signed in May`, `set for May 15`, `postponed until Saturday`
        if verb.tag_ != "VB" and verb.dep_ != "xcomp":
            break  # only an infinitive (`to be signed`, `agreed to sell`) takes its tense from the verb above
    if finite.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in finite.children):
        return "past"
    if finite.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in finite.children):
        return "past"
    return None


class DateRecognizer:
    """Finds, checks, selects and resolves date expressions; appends DATE candidates."""

    def __init__(self, parser: SentenceParser | None = None):
        register_extensions()
        self.parser = parser  # the model's syntax components, run on the sentences asked about
        self.grammar = load_grammar()
        self.words = load_context_words()
        self.rule_order = {rule.id: i for i, rule in enumerate(self.grammar.rules)}
        units = sorted(self.grammar.lexicon["volume_units"], key=len, reverse=True)
        self._volume = re.compile(rf"(?i:{'|'.join(re.escape(u) for u in units)})(?!\w)")  # no price: `at 900,000 bpd`

    # ------------------------------------------------------------------ context checks
    @staticmethod
    def _entities(doc: Doc) -> list[tuple[int, int, str]]:
        """The model's entities as (start, end, label), read once per doc (`doc.ents` is slow)."""
        cached = doc.user_data.get(ENTS_KEY)
        return cached if cached is not None else [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    def _entity_around(self, doc: Doc, start: int, end: int) -> str | None:
        """Label of a model entity that contains [start, end) and reaches beyond it."""
        for e_start, e_end, label in self._entities(doc):
            if e_start <= start and end <= e_end and (e_start, e_end) != (start, end):
                return label
        return None

    def _model_label_at(self, doc: Doc, start: int, end: int) -> str | None:
        for e_start, e_end, label in self._entities(doc):
            if e_start < end and start < e_end:
                return label
        return None

    def _in_name(self, doc: Doc, m: DateMatch, before_only: bool = False) -> bool:
        """A year or month inside a name: `Digital Shanghai 2035`, `WIPO 2025 Global Innovation
        Index`, `The 2022 Zhangjiang Biomedicine Innovation Index`, `New York May`."""
        text = doc_text(doc)
        prev, nxt = _previous_word(text, m.start), _next_word(text, m.end)
        prev_is_name = (_is_capitalized(prev) and prev.lower().strip(".") not in self.words.function_words
                        and not prev.endswith(("'s", "’s", "'", "’", ">"))  # `Citroen's 1986 profit`, `<BTI.L> 1986 results`
                        and self.grammar.lexicon.month_number(prev) is None
                        and self.grammar.lexicon.weekday_number(prev) is None
                        and not re.search(r"[,;:(]\s*$", text[max(0, m.start - 3):m.start]))
        prev_start = m.start - len(prev) - 1
        prev_label = self._model_label_at(doc, prev_start, m.start - 1)
        if prev_is_name and re.match(r"^[ \t]", text[m.start - 1:m.start] or "x") and prev_label != "NORP" \
                and not ("year" in m.groups and prev_label is None and _sentence_initial(text, prev_start)):
            return True  # but `French 1986 GDP`: a nationality word is no name; nor `Using 1973 as a base`
        next_is_name = (_is_capitalized(nxt) and nxt.lower() not in self.words.function_words
                        and re.match(r"^[ \t]+\S", text[m.end:m.end + 3]) is not None
                        and self.grammar.lexicon.month_number(nxt) is None)
        if next_is_name and prev.lower() in ("the", "a", "an") and not before_only:
            return not self._heads_common_noun(doc, m.end)  # but `a 2004 ICM survey`, `the 1994 Wimbledon champion`
        run = _CAPITALIZED_RUN.match(text, m.end)  # `at 2020 ITTF Men's World Cup`: an edition of an event
        if next_is_name and not before_only and run and run.group(1).split()[-1].lower() in self.words.event_heads:
            return True
        return self._entity_around(doc, m.start, m.end) in self.words.name_labels

    def _heads_common_noun(self, doc: Doc, end: int) -> bool:
        """Whether the capitalized words after a year lead to a lower-case common noun, the head
        of the phrase the year modifies (`the 2001 Labour landslide`), so that they name no thing."""
        text = doc_text(doc)
        run = _CAPITALIZED_RUN.match(text, end)
        if run is None or re.search(r"\.[ \t]", run.group(1)) or run.group(1).split()[-1].lower() in self.words.event_heads:
            return False  # a run across a sentence end; an edition of an event (`the 2000 US Open final`)
        after = re.match(r"[ \t]+([a-z][a-z-]*)\b", text[run.end():run.end() + 30])
        if after is None:
            return False
        span = _syntax(doc).span(run.end() + after.start(1), run.end() + after.end(1))
        return span is not None and any(t.tag_ in ("NN", "NNS") for t in span)

    def _amount_context(self, doc: Doc, m: DateMatch) -> bool:
        text = doc_text(doc)
        if self.words.amount_before.search(text[max(0, m.start - 6):m.start]) or self.words.amount_after.match(text[m.end:m.end + 20]):
            return True
        return self._entity_around(doc, m.start, m.end) in self.words.amount_labels

    def _context_ok(self, doc: Doc, m: DateMatch) -> bool:
        text = doc_text(doc)
        if AGE_OR_ANNIVERSARY_AFTER.match(text[m.end:m.end + 16]) or AGE_BEFORE.search(text[max(0, m.start - 32):m.start]):
            return False  # ages (`children ages 6 months and older`) and anniversaries are no DATE
        if m.kind in ("duration", "set") and "unit" in m.groups:
            unit = self.grammar.lexicon.unit_name(m.groups["unit"])
            num = m.groups.get("num", "").lower()
            if unit == "quarter" and (num in ("a", "an") or re.match(r"\s+of\b", text[m.end:m.end + 4])) \
                    and not _IN_A_ROW.search(m.text):
                return False  # `a quarter of the firms`, `three quarters of them`: fractions; not `four consecutive quarters of`
            if m.groups["unit"][:1].isupper() and _is_capitalized(_next_word(text, m.end)) \
                    and not _sentence_initial(text, m.start):
                return False  # `the 14th Five-Year Plan`
        if (m.kind == "holiday" or "unit_end" in m.groups or m.kind == "vague" and m.text.lower().endswith("term")) \
                and self._qualifies_noun(doc, m, lowercase_only=True) \
                and not (m.kind == "holiday" and _next_word(text, m.end).lower() in self.words.holiday_period_nouns):
            return False  # `Christmas celebrations`, `the year-end results`, `the longer term outlook`: a noun's
            # modifier; but `Christmas sales`, `Easter trading` happen at the holiday
        context = m.context
        if context == "bare_year":
            return self._bare_year_ok(doc, m)
        if context == "numeric_range":
            return not self._amount_context(doc, m) and not self._in_name(doc, m, before_only=True)
        if context == "race_time":
            return not self._amount_context(doc, m)
        if context == "month_alone":
            if "rel" in m.groups or "mod" in m.groups:
                return True
            return not self._in_name(doc, m) and self._model_label_at(doc, m.start, m.end) not in ("PERSON", "ORG", "GPE")
        if context == "bare_period":
            return self._bare_period_ok(doc, m)
        if context == "deictic":
            return self._deictic_ok(doc, m)
        if context == "rate":
            return self._rate_ok(doc, m)
        if context == "set_adverb":
            if m.text[0].isupper() and not _sentence_initial(text, m.start):
                return False  # `China Daily`, `Annual Meeting`: part of a name
            return not self._qualifies_noun(doc, m)
        return True

    def _qualifies_noun(self, doc: Doc, m: DateMatch, lowercase_only: bool = False) -> bool:
        """`annual sales`, `quarterly profits`, `on a daily basis`: a frequency adjective before
        a noun only qualifies it and is no DATE (guidelines); `is held annually`, `updated
        weekly.` stand on their own as SETs. The tagger decides what follows."""
        text = doc_text(doc)
        following = re.match(r"[ \t]*-?[ \t]*([A-Za-z][\w-]*)", text[m.end:m.end + 40])
        if m.text.lower().endswith("ally") or following is None:
            return False
        word = following.group(1)
        if lowercase_only and not word.islower():
            return False  # `Christmas Day`, `Easter Monday`: one name
        start = m.end + following.start(1)
        span = _syntax(doc).span(start, start + len(word))
        if span is None or not span[0].tag_:  # no tagger (a blank pipeline): any content word
            return word.lower() not in self.words.function_words
        return span[0].tag_ in ("NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "VBG", "CD")

    def _predicative_modifier(self, doc: Doc, m: DateMatch) -> bool:
        """`will be late this year`: after a form of `be`, `late` is the predicate, not a
        modifier of the date."""
        return m.groups.get("mod", "").lower() in ("early", "late") and \
            _previous_word(doc_text(doc), m.start).lower() in self.words.be_verbs

    def _over_is_during(self, doc: Doc, m: DateMatch) -> bool:
        """`recover 70,000 ounces over three years`: `over` a length is `during` it, not `more
        than`, unless a length verb or a preposition comes first (`took over three years`, `for
        over a decade`)."""
        return m.groups.get("mod", "").lower() == "over" and \
            _previous_word(doc_text(doc), m.start).lower() not in self.words.over_means_more_after

    def _bare_period_ok(self, doc: Doc, m: DateMatch) -> bool:
        """A half or quarter without a year is a game's half in a sports sentence, or anywhere in
        a match report."""
        if any(k in m.groups for k in ("year", "year_b", "rel", "anaphor", "the_year")):
            return True
        text = doc_text(doc)
        left, right = _sentence_bounds(text, m.start, m.end)
        words = set(re.findall(r"[\w-]+", text[left:right].lower()))
        return not words & set(self.grammar.lexicon["sport_period_cues"]) and not self._match_report(doc)

    def _match_report(self, doc: Doc) -> bool:
        """Two or more words of a match report (`goal`, `striker`, `half-time`) in the document:
        its bare halves are the game's."""
        return len(_words_of(doc_text(doc)) & set(self.grammar.lexicon["match_report_cues"])) >= 2

    def _bare_year_ok(self, doc: Doc, m: DateMatch) -> bool:
        year = int(m.groups["year"])
        prev = _previous_word(doc_text(doc), m.start).lower()
        if year < 1900 and prev not in self.words.temporal_prepositions:
            return False
        if self._amount_context(doc, m) or self._in_name(doc, m):
            return False
        if re.match(r"[-/–]\d|\.\d|:\d", doc_text(doc)[m.end:m.end + 2]):
            return False
        label = self._model_label_at(doc, m.start, m.end)
        verb = _next_word(doc_text(doc), m.end).lower()
        subject = verb in self.words.be_verbs | self.words.future_auxiliaries | self.words.year_subject_verbs
        return label in (None, "DATE", "TIME", "EVENT") or prev in self.words.temporal_prepositions or subject

    def _deictic_ok(self, doc: Doc, m: DateMatch) -> bool:
        """`said today`, `today's meeting` are the dct; `Today, the village...`, `still works
        today`, `today's gamers` mean "nowadays" and get no span (DECISIONS.md). Where nothing
        near a `today` says which, the story decides: one that uses a `today` for its own day
        (`said today`) uses the others so too (`the board meets today`, `at today's highs`)."""
        verdicts, story_today = doc.user_data.get(TODAY_KEY, ({}, False))
        verdict = verdicts[m.start, m.end] if (m.start, m.end) in verdicts else self._deictic_in_clause(doc, m)
        return story_today if verdict is None else verdict

    def _read_deictic_days(self, doc: Doc, found: list[DateMatch]) -> None:
        """Each deictic day's clause read once, and whether one `today` of them is the story's day."""
        days = [m for m in found if m.context == "deictic"]
        verdicts = {(m.start, m.end): self._deictic_in_clause(doc, m) for m in days}
        story_today = any(verdicts[m.start, m.end] is True and m.groups["deictic"].lower() == "today" for m in days)
        doc.user_data[TODAY_KEY] = (verdicts, story_today)

    def _deictic_in_clause(self, doc: Doc, m: DateMatch) -> bool | None:
        """What the words around a deictic day say of it; None when they do not say."""
        text, word = doc_text(doc), m.groups["deictic"].lower()
        possessive = text[m.end:m.end + 2] in ("'s", "’s")
        if not possessive and _previous_word(text, m.start).lower() == "of":
            return False  # `the cities of tomorrow`
        if m.text[0].isupper() and not _sentence_initial(text, m.start):
            return False  # `BBC Radio 4's Today`: a programme's name
        if word != "today" or "mod" in m.groups:
            return True  # `earlier today` is always the day of the story
        left, right = _sentence_bounds(text, m.start, m.end)
        if self.words.nowadays_before.search(text[max(left, m.start - 40):m.start]):
            return False
        if possessive:
            following = _syntax(doc).span(m.end + 2, m.end + 2 + len(_next_word(text, m.end + 2)))
            if following is not None and any(t.tag_ in ("NNP", "NNPS") for t in following):
                return False  # `today's GM`, `today's China`: the present-day one
            if following is not None and any(t.tag_ == "NNS" for t in following):
                return None  # `today's gamers`, but `today's highs` in a market report
        window_start, window_end = max(left, m.start - 60), min(right, m.end + 60)
        if self.words.reporting_verbs.search(text[window_start:window_end]) or self.words.future_markers.search(text[window_start:window_end]):
            return True
        syntax = _syntax(doc)
        token = syntax.span(m.start, m.end, parse=True) if syntax.parsed else None
        if token is None:
            return None
        head = token.root.head  # the verb `today` modifies: `issued today`, not `Today, it serves`
        return True if head.tag_ in ("VBD", "VBN", "VBG") or any(c.tag_ == "MD" for c in head.children) else None

    def _rate_ok(self, doc: Doc, m: DateMatch) -> bool:
        """`a month` after a count of times is a SET (`twice a month`, `five times a week`)."""
        text = doc_text(doc)
        prev_end = len(text[:m.start].rstrip())
        return bool(re.search(r"(?:\btimes|\btwice|\bonce|\bthrice)$", text[max(0, prev_end - 12):prev_end], re.I))

    def _denominator(self, doc: Doc, m: DateMatch) -> bool:
        """`£50 a month`, `1,000 units per day`, `3% per annum`: after an amount, `a month` is
        only the rate's denominator, and neither a SET nor a duration (guidelines)."""
        if m.context != "rate" or self._rate_ok(doc, m):
            return False
        text = doc_text(doc)
        if _SHIFT_AFTER.match(text, m.end):
            return False  # `27.3 billion a year ago`: the start of a shift, no rate
        prev_end = len(text[:m.start].rstrip())
        if re.search(r"(?:\d|[$£€¥%])$", text[max(0, prev_end - 12):prev_end]):
            return True
        if _MEASURED_GOODS.search(text, max(0, prev_end - 60), prev_end):  # `60,000 ounces of gold a year`
            return True
        prev = _previous_word(text, m.start)
        if not prev or prev_end == 0:
            return False
        if self.words.amount_after.match(" " + prev) and re.search(r"\d", text[max(0, prev_end - 40):prev_end - len(prev)]):
            return True  # `50 dlrs a month`, `5 pct a year`: an amount's unit
        if self._model_label_at(doc, prev_end - 1, prev_end) in self.words.amount_labels:
            return True
        span = _syntax(doc).span(prev_end - len(prev), prev_end)
        return span is not None and any(t.tag_ in ("NNS", "CD") for t in span)

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """The docs in batches: the sentences whose tense a batch may ask for are parsed in one
        call of the syntax components (a call per sentence costs about twice as much)."""
        for batch in minibatch(docs, batch_size):
            try:
                for doc in batch:
                    doc.user_data[ENTS_KEY] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
                    doc.user_data[SYNTAX_KEY] = DocSyntax(doc, self.parser)
                found = [self._choose(doc) for doc in batch]
                DocSyntax.prefetch_all([(_syntax(doc), tokens) for doc, (_, _, tokens) in zip(batch, found)],
                                       parse=True)
                for doc, (chosen, name_years, _) in zip(batch, found):
                    doc._.candidates = (doc._.candidates or []) + self._resolve_in_order(doc, chosen, name_years)
            finally:
                for doc in batch:
                    for key in (ENTS_KEY, SYNTAX_KEY, TODAY_KEY):
                        doc.user_data.pop(key, None)
            yield from batch

    def _choose(self, doc: Doc) -> tuple[list[DateMatch], list[DateMatch], list[Token]]:
        """The expressions to resolve, the years inside names, and the tokens of the expressions
        whose resolution asked for a tense when it was tried (their sentences are parsed ahead)."""
        text = doc_text(doc)
        dct = doc._.dct
        asked: list[DateMatch] = []
        matches, name_years = [], []
        found = list(self.grammar.find(text))
        blocked = (doc._.boilerplate or []) + [(m.start, m.end) for m in found if self._denominator(doc, m)]
        self._read_deictic_days(doc, [m for m in found if not in_ranges(m.start, m.end, blocked)])
        for m in found:
            if in_ranges(m.start, m.end, blocked):
                continue  # site menus, datelines of other stories, rate denominators: no span
            for outside, step in ((self._predicative_modifier, "predicative_modifier"),  # `will be late this year`
                                  (self._over_is_during, "over_is_during")):  # `over three years`
                if m is not None and outside(doc, m):
                    pos = re.compile(r"[ -]*").match(text, m.start + len(m.groups["mod"])).end()
                    m = self.grammar.match_at(m.rule, text, pos)
                    m = replace(m, step=step) if m is not None else None
            if m is None:
                continue
            if self._context_ok(doc, m):
                if resolve_match(m, make_context(dct, tense=partial(_ask, asked, m))) is not None:
                    matches.append(m)
            elif m.context == "bare_year" and self._in_name(doc, m):
                name_years.append(m)
        chosen = self._select(matches)
        kept = {id(m) for m in chosen}
        tokens = [token for m in asked if id(m) in kept and not self._trading_month(text, m)
                  for token in _edge_tokens(doc, m)]
        return chosen, name_years, tokens

    def _select(self, matches: list[DateMatch]) -> list[DateMatch]:
        """Longest first, then earlier, then a rule whose context was checked (`a month` after
        an amount is a rate), then rule-file order; never two overlapping."""
        ranked = sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.context is None,
                                                self.rule_order[m.rule]))
        chosen: list[DateMatch] = []
        for m in ranked:
            if not any(m.start < c.end and c.start < m.end for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)

    def _resolve_in_order(self, doc: Doc, chosen: list[DateMatch], name_years: list[DateMatch]) -> list[dict]:
        """Resolve left to right. The reference time of anaphoric expressions (`the previous
        year`, `a year earlier`, `from a year ago`) is the last time of its own named in the same
        paragraph, years inside names included and comparison baselines (`than in 2018`) and the
        starts of open stretches (`since mid-November, 1979`) excluded; without one they count from
        the dct (DECISIONS.md, relational expressions). A story goes on across paragraphs: `N years
        later` opening one counts from the last time the paragraphs before it named."""
        text, dct = doc_text(doc), doc._.dct
        events = sorted([(m.start, 0, m) for m in chosen] + [(m.start, 1, m) for m in name_years],
                        key=lambda e: e[0])
        ref: Timex | None = None
        told: Timex | None = None  # the last reference time of the paragraphs before
        paragraph_end = -1
        resolved: list[tuple[DateMatch, int, Timex, str]] = []
        for _, is_name, m in events:
            if m.start >= paragraph_end:
                found = PARAGRAPH_BREAK.search(text, m.end)
                told = ref or told
                ref, paragraph_end = None, found.start() if found else len(text)
            if is_name:
                ref = Timex("DATE", m.groups["year"])
                continue
            comparison = bool(self.words.comparison_before.search(text[max(0, m.start - 40):m.start])) and not (
                m.kind == "range" and _previous_word(text, m.start).lower() == "from")  # `from May 1 to June 3`
            tense = partial(self._tense, doc, m)
            narrative = ref is None and m.kind == "shift" and (m.groups.get("dir") or "").lower() == "later"
            ctx = make_context(dct, told if narrative else ref, tense, comparison)  # `Two years later,` opening a paragraph
            timex = resolve_match(m, ctx)
            if timex is None:
                continue
            end = self._trim_final_dot(text, m)
            rule = "trim_final_dot" if end != m.end else m.step or f"grammar.{m.rule}"  # the last to decide
            resolved.append((m, end, timex, rule))
            if not comparison and self._names_reference_time(m, timex) \
                    and not self.words.open_start_before.search(text, max(0, m.start - 12), m.start):
                ref = timex
        return [self._candidate(*found) for found in self._combine(text, self._fiscal_years(resolved, dct))]

    @staticmethod
    def _fiscal_years(resolved: list[tuple[DateMatch, int, Timex, str]], dct: str | None
                      ) -> list[tuple[DateMatch, int, Timex, str]]:
        """Once the text says where its fiscal year starts (`fiscal 1987/88 starting April 1`, `the
        year ended January 31`; one start day only), its fiscal years cover that span (`1986/87`,
        `fiscal 1987`, `the current fiscal year`)."""
        starts = {(int(t.start[5:7]), int(t.start[8:10])) for m, _, t, _ in resolved
                  if m.kind == "period_ended" and t.timex_value in ("P1Y", "P12M") and t.start is not None
                  and ("fiscal_end" in m.groups or (m.groups.get("period") or "").lower() == "year")}
        if len(starts) != 1:
            return resolved
        start = starts.pop()
        return [(m, end, fiscal_year_in(t, m.text, start, dct), rule) for m, end, t, rule in resolved]

    def _tense(self, doc: Doc, m: DateMatch) -> Tense | None:
        return "future" if self._trading_month(doc_text(doc), m) else clause_tense(doc, m.start, m.end, self.words)

    def _trading_month(self, text: str, m: DateMatch) -> bool:
        """`March shipment`, `785 dlrs for May`, `June/July at 4,400 dlrs`: a month traded or
        shipped is the next such month (DECISIONS.md), whatever the tense of the report. Other
        months follow the tense of their clause."""
        if m.kind not in ("month", "range") or "month" not in m.groups or "year" in m.groups:
            return False
        if m.kind == "range" and "/" in m.text:
            return True  # `March/April`, `Oct/Dec`: the trade's notation for shipment periods
        cues = self.grammar.lexicon["trading_month_cues"]
        after = text[m.end:m.end + 40]
        words = [w.lower() for w in re.findall(r"[A-Za-z-]+", after)[:3]]
        at_amount = re.match(r"(?:\s+[a-z]+){0,2}\s+at\s+[\d.,]+\d\s*", after)
        if (words and words[0] in cues) or (at_amount and not self._volume.match(after, at_amount.end())):
            return True  # `March shipment`, `June/July going at 1,850 dlrs`; not `output in February at 900,000 bpd`
        return bool(self.words.price_before.search(text[max(0, m.start - 25):m.start]))

    def _names_reference_time(self, m: DateMatch, timex: Timex) -> bool:
        """Times of their own (not counted from another) become the sentence's reference time."""
        if m.kind == "range":
            return True
        if "anaphor" in m.groups:
            return False  # `the previous January` is counted from the paragraph's time: it leaves it
        if m.kind in REFERENCE_KINDS and timex.start is not None:
            return True  # a dated period, `the four weeks ended March 20` (P4W) included
        if not (re.match(r"\d{4}", timex.timex_value) or timex.timex_value.startswith("XXXX")):
            return False
        if m.kind in REFERENCE_KINDS:
            return True
        if m.kind == "relative":
            return not self._anaphoric(m)
        return m.kind == "shift" and m.groups.get("dir", "").lower() in ("ago", "from now", "hence")

    @staticmethod
    def _trim_final_dot(text: str, m: DateMatch) -> int:
        """`Oct/Dec.` at the end of a sentence: the full stop is not part of the span."""
        if m.text.endswith(".") and re.match(r"(?:$|\s*\n|\s+[A-Z\"“(])", text[m.end:m.end + 2]) \
                and not re.search(r"[ap]\.m\.$", m.text, re.I):
            return m.end - 1
        return m.end

    def _anaphoric(self, m: DateMatch) -> bool:
        rel = m.groups.get("rel", "").lower()
        return rel in self.grammar.lexicon["anaphoric_relatives"] or rel in ("before", "after", "") \
            or "unit_end" in m.groups

    def _combine(self, text: str, resolved: list[tuple[DateMatch, int, Timex, str]]
                 ) -> list[tuple[int, int, Timex, str]]:
        """Join a time of day with the day next to it: `midday on February 27`, `Tuesday at 3 pm`.

        Each item carries its rule id (`grammar.<rule id>` or the step that decided it); a joined
        span's is `combine_time_day`."""
        out: list[tuple[int, int, Timex, str]] = []
        i = 0
        while i < len(resolved):
            m, end, timex, rule = resolved[i]
            if i + 1 < len(resolved):
                n, n_end, other, _ = resolved[i + 1]
                gap = text[end:n.start]
                joined = None
                if "\n" in gap:
                    pass  # a line apart: the heading's day and the kick-off time are two
                elif m.kind == "time" and re.fullmatch(r"\s+(?:on\s+)?|,\s*", gap):
                    joined = combine_time_and_day(timex, other)
                elif n.kind == "time" and re.fullmatch(r"\s+(?:at\s+)?|,\s*(?:at\s+)?", gap):
                    joined = combine_time_and_day(other, timex)
                if joined is not None:
                    out.append((m.start, n_end, joined, "combine_time_day"))
                    i += 2
                    continue
            out.append((m.start, end, timex, rule))
            i += 1
        return out

    @staticmethod
    def _candidate(start: int, end: int, timex: Timex, rule: str) -> dict:
        return {"start": start, "end": end, "label": "DATE", "value": timex.as_value(), "source": f"{SOURCE}:{rule}"}


@Language.factory("news_dates")
def make_dates(nlp: Language, name: str) -> DateRecognizer:
    return DateRecognizer(SentenceParser.of(nlp))

