"""`news_dates`: DATE spans with TIMEX3 values and calendar intervals, anchored to `doc._.dct`.

The date grammar (`normalize/date_grammar.py`) proposes every expression it can read; this
component checks the ones whose reading depends on context (a bare `2004` may be a count or
part of a name, `a month` is a rate only after an amount, `today` may mean "nowadays"), keeps
the longest non-overlapping ones, and resolves them in text order so that anaphoric expressions
(`the previous year`, `a year earlier`) count from the last time mentioned. The model's DATE and
TIME entities are used as hints: where the grammar found nothing, a model entity is kept if the
grammar can read it once leading prepositions are dropped.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extensions import register_extensions
from pipeline.normalize.date_grammar import DateMatch, load_grammar
from pipeline.normalize.dates import (
    ResolutionContext, Tense, Timex, combine_time_and_day, make_context, resolve_match,
)

SOURCE = "news_dates"
ENTS_KEY = ("news_dates", "ents")  # the model's entities, cached in doc.user_data during one call
PARSED_KEY = ("news_dates", "parsed")  # whether the doc has a dependency parse
TEXT_KEY = ("news_dates", "text")  # doc.text, which spaCy rebuilds from the tokens on each access
# Words after which a capitalized neighbour does not make a year or month part of a name.
FUNCTION_WORDS = frozenset("""
a an the in on at by of for from to since until till before after during through throughout
and or but as than between into over under within around about early late mid end since
this that these those its his her their our is was were are be been said says year years
""".split())
TEMPORAL_PREPOSITIONS = frozenset(
    "in since by until till before after during through from of to and or between early late mid "
    "around circa end as year fiscal".split())
NAME_LABELS = frozenset({"ORG", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "FAC", "PERSON", "NORP"})
AMOUNT_LABELS = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"})
CURRENCY_BEFORE = re.compile(r"(?:[$£€¥#]|\b(?:US|HK|NZ|A|C|S)\$|\b(?-i:No|Nos)\.|\bnumber|\bRMB|\bRs\.?)\s*$", re.I)
AMOUNT_AFTER = re.compile(
    r"^\s*(?:%|percent|per\s?cent|pct|yuan|dlrs?|dollars?|euros?|pounds?|mln|bln|billion|million|"
    r"tonnes?|tons?|kg|km|metres?|meters?|miles?|units?|people|persons?|shares?|barrels?|"
    r"bags?|cars?|vehicles?|jobs?|employees?|workers?|students?|companies|firms|households?|"
    r"sq|square|hectares?|mu|acres?|feet|ft|calories|points?)\b", re.I)
AGE_OR_ANNIVERSARY_AFTER = re.compile(r"^(?:[-\s]olds?\b|\s+anniversary\b|(?:th|st|nd|rd)\s+anniversary\b)", re.I)
FUTURE_MARKERS = re.compile(
    r"\b(?:will|shall|won't|'ll|going to|(?:is|are) (?:due|scheduled|set|expected|slated) to|"
    r"to be held|upcoming|plans? to)\b", re.I)
FUTURE_AUXILIARIES = frozenset({"will", "would", "shall", "'ll", "wo"})
FUTURE_LEMMAS = frozenset({"expect", "schedule", "plan", "due", "set", "aim", "intend", "hope", "slate"})
REPORTING_VERBS = re.compile(r"\b(?:said|says|announced|told|reported|stated|added|confirmed|declared)\b", re.I)
BE_VERBS = frozenset("be is was were are been being 's".split())
COMPARISON_BEFORE = re.compile(
    r"\b(?:from|than|over|against|compared\s+(?:with|to))(?:\s+(?:in|that\s+(?:in|of)|those\s+(?:in|of)))?\s+$", re.I)
PARAGRAPH_BREAK = re.compile(r"\n")
SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s|\n")
LEADING_PREPOSITIONS = re.compile(
    r"^(?:(?:in|on|at|since|by|during|from|until|till|over|for|through|throughout|within|"
    r"before|after|as of|of|to|around|about)\s+)+", re.I)
# Kinds whose value names a time of its own (not counted from another): they become `ref`.
REFERENCE_KINDS = frozenset({"calendar_day", "holiday", "week_of", "month", "year", "quarter", "half",
                             "partial", "months_to", "season", "same_period"})


def _text(doc: Doc) -> str:
    cached = doc.user_data.get(TEXT_KEY)
    return cached if cached is not None else doc.text


def _parsed(doc: Doc) -> bool:
    cached = doc.user_data.get(PARSED_KEY)
    return cached if cached is not None else doc.has_annotation("DEP")


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


def clause_tense(doc: Doc, start: int, end: int) -> Tense | None:
    """The tense of the verb the date belongs to, used to place a month or weekday the text
    leaves open: `fell in August` past, `would hold a hearing on June 2` and `is expected to be
    signed in May` future, `is payable July 1` neither. With a parser the governing verb decides
    (walking up from the date); without one, only a future marker in the sentence counts."""
    text = _text(doc)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not _parsed(doc):
        left, right = _sentence_bounds(text, start, end)
        return "future" if FUTURE_MARKERS.search(text[left:right]) else None
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    chain = [token, *list(token.ancestors)[:3]]
    for verb in chain:
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUXILIARIES for c in verb.children) \
                or verb.lemma_ in FUTURE_LEMMAS and verb is not token:
            return "future"
        if verb.tag_ != "VB" and verb.dep_ not in ("xcomp", "ccomp", "advcl"):
            break
    if token.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in token.children):
        return "past"
    if token.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("has", "have", "had") for c in token.children):
        return "past"
    return None


class DateRecognizer:
    def __init__(self, use_model_hints: bool = True):
        register_extensions()
        self.grammar = load_grammar()
        self.use_model_hints = use_model_hints
        self.rule_order = {rule.id: i for i, rule in enumerate(self.grammar.rules)}

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
        text = _text(doc)
        prev, nxt = _previous_word(text, m.start), _next_word(text, m.end)
        prev_is_name = (_is_capitalized(prev) and prev.lower().strip(".") not in FUNCTION_WORDS
                        and self.grammar.lexicon.month_number(prev) is None
                        and self.grammar.lexicon.weekday_number(prev) is None
                        and not re.search(r"[,;:(]\s*$", text[max(0, m.start - 3):m.start]))
        if prev_is_name and re.match(r"^[ \t]", text[m.start - 1:m.start] or "x") \
                and self._model_label_at(doc, m.start - len(prev) - 1, m.start - 1) != "NORP":
            return True  # but `French 1986 GDP`: a nationality word is no name
        next_is_name = (_is_capitalized(nxt) and nxt.lower() not in FUNCTION_WORDS
                        and re.match(r"^[ \t]+\S", text[m.end:m.end + 3]) is not None
                        and self.grammar.lexicon.month_number(nxt) is None)
        if next_is_name and prev.lower() in ("the", "a", "an") and not before_only:
            return True
        return self._entity_around(doc, m.start, m.end) in NAME_LABELS

    def _amount_context(self, doc: Doc, m: DateMatch) -> bool:
        text = _text(doc)
        if CURRENCY_BEFORE.search(text[max(0, m.start - 6):m.start]) or AMOUNT_AFTER.match(text[m.end:m.end + 20]):
            return True
        return self._entity_around(doc, m.start, m.end) in AMOUNT_LABELS

    def _context_ok(self, doc: Doc, m: DateMatch) -> bool:
        text = _text(doc)
        if AGE_OR_ANNIVERSARY_AFTER.match(text[m.end:m.end + 16]):
            return False
        if m.kind in ("duration", "set") and "unit" in m.groups:
            unit = self.grammar.lexicon.unit_name(m.groups["unit"])
            num = m.groups.get("num", "").lower()
            if unit == "quarter" and (num in ("a", "an") or re.match(r"\s+of\b", text[m.end:m.end + 4])):
                return False  # `a quarter of the firms`, `three quarters of them`: fractions
            if m.groups["unit"][:1].isupper() and _is_capitalized(_next_word(text, m.end)) \
                    and not _sentence_initial(text, m.start):
                return False  # `the 14th Five-Year Plan`
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
            exclusions = self.grammar.lexicon["set_adverb_exclusions"].get(m.text.lower(), [])
            return _next_word(text, m.end).lower() not in exclusions
        return True

    @staticmethod
    def _predicative_modifier(doc: Doc, m: DateMatch) -> bool:
        """`will be late this year`: after a form of `be`, `late` is the predicate, not a
        modifier of the date."""
        return m.groups.get("mod", "").lower() in ("early", "late") and \
            _previous_word(_text(doc), m.start).lower() in BE_VERBS

    def _bare_period_ok(self, doc: Doc, m: DateMatch) -> bool:
        """A half or quarter without a year is a game's half in a sports sentence."""
        if any(k in m.groups for k in ("year", "year_b", "rel", "anaphor", "the_year")):
            return True
        left, right = _sentence_bounds(_text(doc), m.start, m.end)
        words = set(re.findall(r"[\w-]+", _text(doc)[left:right].lower()))
        return not words & set(self.grammar.lexicon["sport_period_cues"])

    def _bare_year_ok(self, doc: Doc, m: DateMatch) -> bool:
        year = int(m.groups["year"])
        prev = _previous_word(_text(doc), m.start).lower()
        if year < 1900 and prev not in TEMPORAL_PREPOSITIONS:
            return False
        if self._amount_context(doc, m) or self._in_name(doc, m):
            return False
        if re.match(r"[-/–]\d|\.\d|:\d", _text(doc)[m.end:m.end + 2]):
            return False
        label = self._model_label_at(doc, m.start, m.end)
        return label in (None, "DATE", "TIME", "EVENT") or prev in TEMPORAL_PREPOSITIONS

    def _deictic_ok(self, doc: Doc, m: DateMatch) -> bool:
        """`said today`, `today's meeting` are the dct; `Today, the village...`, `still works
        today`, `today's gamers` mean "nowadays" and get no span (DECISIONS.md)."""
        text, word = _text(doc), m.groups["deictic"].lower()
        possessive = text[m.end:m.end + 2] in ("'s", "’s")
        if not possessive and _previous_word(text, m.start).lower() == "of":
            return False  # `the cities of tomorrow`
        if m.text[0].isupper() and not _sentence_initial(text, m.start):
            return False  # `BBC Radio 4's Today`: a programme's name
        if word != "today":
            return True
        left, right = _sentence_bounds(text, m.start, m.end)
        if re.search(r"\b(?:still|even|nowadays)\b", text[max(left, m.start - 40):m.start], re.I):
            return False
        if possessive:
            following = doc.char_span(m.end + 2, m.end + 2 + len(_next_word(text, m.end + 2)), alignment_mode="expand")
            if following is not None and any(t.tag_ == "NNS" for t in following):
                return False
        window_start, window_end = max(left, m.start - 60), min(right, m.end + 60)
        if REPORTING_VERBS.search(text[window_start:window_end]) or FUTURE_MARKERS.search(text[window_start:window_end]):
            return True
        token = doc.char_span(m.start, m.end, alignment_mode="expand")
        if token is None or not _parsed(doc):
            return False
        head = token.root.head  # the verb `today` modifies: `issued today`, not `Today, it serves`
        return head.tag_ in ("VBD", "VBN", "VBG") or any(c.tag_ == "MD" for c in head.children)

    def _rate_ok(self, doc: Doc, m: DateMatch) -> bool:
        """`a month` is a rate after an amount (`£50 a month`, `1,000 units a month`)."""
        if m.groups.get("article", "").lower() == "per":
            return True
        text = _text(doc)
        prev_end = len(text[:m.start].rstrip())
        if re.search(r"(?:\d|[$£€¥%]|\btimes|\btwice|\bonce)$", text[max(0, prev_end - 12):prev_end], re.I):
            return True
        prev = _previous_word(text, m.start)
        if not prev or prev_end == 0:
            return False
        if self._model_label_at(doc, prev_end - 1, prev_end) in AMOUNT_LABELS:
            return True
        span = doc.char_span(prev_end - len(prev), prev_end, alignment_mode="expand")
        return span is not None and any(t.tag_ in ("NNS", "CD") for t in span)

    # ------------------------------------------------------------------ model hints
    def _model_hints(self, doc: Doc, taken: list[tuple[int, int]]) -> list[DateMatch]:
        """Model DATE/TIME entities the grammar missed, kept where the grammar reads them once
        leading prepositions and a possessive are dropped (`in the summer of 2019`)."""
        hints = []
        for e_start, e_end, label in self._entities(doc):
            if label not in ("DATE", "TIME") or any(e_start < e and s < e_end for s, e in taken):
                continue
            raw = _text(doc)[e_start:e_end]
            lead = LEADING_PREPOSITIONS.match(raw)
            start = e_start + (lead.end() if lead else 0)
            end = e_end - len(re.search(r"(?:['’]s?)?\s*$", raw).group(0))
            hints.extend(self.grammar.matches_between(_text(doc), start, end))
        return hints

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[ENTS_KEY] = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        doc.user_data[TEXT_KEY] = doc.text
        doc.user_data[PARSED_KEY] = doc.has_annotation("DEP")
        try:
            return self._annotate(doc)
        finally:
            for key in (ENTS_KEY, TEXT_KEY, PARSED_KEY):
                doc.user_data.pop(key, None)

    def _annotate(self, doc: Doc) -> Doc:
        text = _text(doc)
        dct = doc._.dct
        probe = make_context(dct)
        matches, name_years = [], []
        for m in self.grammar.find(text):
            if self._predicative_modifier(doc, m):  # `will be late this year` -> `this year`
                pos = m.start + len(m.groups["mod"])
                pos += len(text[pos:]) - len(text[pos:].lstrip(" -"))
                m = self.grammar.match_at(m.rule, text, pos)
                if m is None:
                    continue
            if self._context_ok(doc, m):
                if resolve_match(m, probe) is not None:
                    matches.append(m)
            elif m.context == "bare_year" and self._in_name(doc, m):
                name_years.append(m)
        chosen = self._select(matches)
        if self.use_model_hints:
            hints = [h for h in self._model_hints(doc, [(m.start, m.end) for m in chosen])
                     if self._context_ok(doc, h) and resolve_match(h, probe) is not None]
            chosen = sorted(chosen + self._select(hints), key=lambda m: m.start)
        new = self._resolve_in_order(doc, chosen, name_years)
        doc._.candidates = (doc._.candidates or []) + new
        return doc

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
        paragraph, years inside names included and comparison baselines (`than in 2018`)
        excluded; without one they count from the dct (DECISIONS.md, relational expressions)."""
        text, dct = _text(doc), doc._.dct
        events = sorted([(m.start, 0, m) for m in chosen] + [(m.start, 1, m) for m in name_years],
                        key=lambda e: e[0])
        ref: Timex | None = None
        paragraph_end = -1
        resolved: list[tuple[DateMatch, int, Timex]] = []
        for _, is_name, m in events:
            if m.start >= paragraph_end:
                found = PARAGRAPH_BREAK.search(text, m.end)
                ref, paragraph_end = None, found.start() if found else len(text)
            if is_name:
                ref = Timex("DATE", m.groups["year"])
                continue
            comparison = bool(COMPARISON_BEFORE.search(text[max(0, m.start - 30):m.start]))
            tense = "future" if self._trading_month(text, m) else clause_tense(doc, m.start, m.end)
            ctx = make_context(dct, ref, tense, comparison)
            timex = resolve_match(m, ctx)
            if timex is None:
                continue
            resolved.append((m, self._trim_final_dot(text, m), timex))
            if not comparison and self._names_reference_time(m, timex):
                ref = timex
        return [self._candidate(start, end, timex) for start, end, timex in self._combine(text, resolved)]

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
        if (words and words[0] in cues) or re.match(r"(?:\s+[a-z]+){0,2}\s+at\s+[\d.,]+\d", after):
            return True  # `March shipment`, `June/July going at 1,850 dlrs`
        return bool(re.search(r"(?:\d|\b(?:dlrs?|dollars|cents|pct|stg|yen))\s+(?:for|in)\s+$",
                              text[max(0, m.start - 25):m.start], re.I))

    def _names_reference_time(self, m: DateMatch, timex: Timex) -> bool:
        """Times of their own (not counted from another) become the sentence's reference time."""
        if m.kind == "range":
            return True
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

    def _combine(self, text: str, resolved: list[tuple[DateMatch, int, Timex]]) -> list[tuple[int, int, Timex]]:
        """Join a time of day with the day next to it: `midday on February 27`, `Tuesday at 3 pm`."""
        out: list[tuple[int, int, Timex]] = []
        i = 0
        while i < len(resolved):
            m, end, timex = resolved[i]
            if i + 1 < len(resolved):
                n, n_end, other = resolved[i + 1]
                gap = text[end:n.start]
                joined = None
                if m.kind == "time" and re.fullmatch(r"\s+(?:on\s+)?|,\s*", gap):
                    joined = combine_time_and_day(timex, other)
                elif n.kind == "time" and re.fullmatch(r"\s+(?:at\s+)?|,\s*(?:at\s+)?", gap):
                    joined = combine_time_and_day(other, timex)
                if joined is not None:
                    out.append((m.start, n_end, joined))
                    i += 2
                    continue
            out.append((m.start, end, timex))
            i += 1
        return out

    @staticmethod
    def _candidate(start: int, end: int, timex: Timex) -> dict:
        return {"start": start, "end": end, "label": "DATE", "value": timex.as_value(), "source": SOURCE}


@Language.factory("news_dates", default_config={"use_model_hints": True})
def make_dates(nlp: Language, name: str, use_model_hints: bool) -> DateRecognizer:
    return DateRecognizer(use_model_hints)


__all__ = ["DateRecognizer", "ResolutionContext", "clause_tense"]
