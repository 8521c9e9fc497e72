"""The date grammar: rules from `patterns/dates.jsonl`, word tables from `date_lexicon.json`.

A rule is a regex template whose `{MACRO}`s expand to alternations built from the lexicon
(HeidelTime keeps extraction patterns and normalization tables apart the same way). The same
compiled rules serve both directions: `find` searches running text for every candidate
expression, `fullmatch` recognizes one given expression. Rules with a `context` need a look at
the surrounding text before they are trusted (a bare `2004`, `a month`, `today`); that check is
the caller's, since it may use the spaCy model.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

from pipeline.anchored import anchor_windows, finditer_in
from pipeline.config import PATTERNS_DIR as PATTERNS

RuleKind = Literal[
    "calendar_day", "holiday", "holiday_period", "event_period", "week_of", "month", "year", "decade", "century", "quarter", "half",
    "partial", "months_to", "weeks_ended", "period_ended", "relative", "season", "weekday", "week_to_weekday", "deictic", "shift", "same_period",
    "duration", "duration_anchored", "clock_duration", "clock_range", "range", "set", "vague", "time",
    "day_list", "season_length",
]
RuleContext = Literal["bare_year", "month_alone", "season_year", "deictic", "numeric_range",
                      "rate", "set_adverb", "bare_period", "race_time"]
RULE_KEYS = {"id", "kind", "pattern", "context", "anchor"}
# A rule runs only this far around the hits of its anchor (longer than any date expression).
ANCHOR_REACH = 100
LEXICON_KEYS = {
    "months", "weekdays", "units", "unit_codes", "set_adverbs", "number_words", "vague_counts",
    "ordinals", "seasons", "season_months", "parts_of_day", "holidays", "relatives",
    "anaphoric_relatives", "vague_references", "range_suffixes", "period_modifiers",
    "duration_modifiers", "am_pm", "time_zones", "month_abbreviations_not_alone",
    "sport_period_cues", "match_report_cues", "trading_month_cues", "volume_units", "event_periods", "holiday_periods", "day_words",
}
UNIT_CODE_KEYS = {"timex", "time_part", "multiplier"}

# Text around a match that makes it part of a larger token: `2,020`, `mid-2020` seen from `2020`.
_BEFORE = r"(?<![\w])(?<![\w]-)(?<!\d[.,])"
_AFTER = r"(?![\w])(?!-\w)(?![.,]\d)"


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _within_paragraph(pattern: re.Pattern[str], found: re.Match[str]) -> re.Match[str] | None:
    """The match, or what the rule matches before a blank line inside it: a date never runs into
    the next paragraph (`Tuesday, 1 March` + `2000 GMT`, a kick-off time, in a match report)."""
    blank = _BLANK_LINE.search(found.group(0))
    if blank is None:
        return found
    shorter = pattern.match(found.string, found.start(), found.start() + blank.start())
    return shorter if shorter is not None and shorter.end() > shorter.start() else None


_LISTED_DAY = re.compile(r"\d{1,2}")


def _listed_days(rule: DateRule, found: re.Match[str]) -> list[DateMatch]:
    """`Nov. 3, 4, 5 and 8`: one calendar day per listed number, each in the month named before
    the list (the first with the month in its span, the others the number alone)."""
    days = [(found.start("days") + day.start(), found.start("days") + day.end())
            for day in _LISTED_DAY.finditer(found.group("days"))]
    text = found.string
    return [DateMatch(found.start() if i == 0 else start, end, text[found.start() if i == 0 else start:end],
                      rule.id, rule.kind, rule.context, {"month": found.group("month"), "day": text[start:end]})
            for i, (start, end) in enumerate(days)]


@dataclass(frozen=True)
class DateRule:
    id: str
    kind: RuleKind
    pattern: str
    context: RuleContext | None = None
    anchor: str | None = None  # a regex every match contains; the rule is tried near its hits only


@dataclass(frozen=True)
class DateMatch:
    """One candidate expression: offsets into the searched text and the rule's named groups."""

    start: int
    end: int
    text: str
    rule: str
    kind: RuleKind
    context: RuleContext | None
    groups: dict[str, str] = field(default_factory=dict)
    step: str | None = None  # a later step that decided its boundaries (the caller's, e.g. news_dates)


def _alternation(words, case_sensitive: bool = False, dot: frozenset[str] = frozenset()) -> str:
    """The words, longest first. In any case, behind a lookahead for their first letters: `re`
    would otherwise try every word at every position it reaches (a third of the time of the
    rules); in one case, `re` already skips to the first letters of an alternation it starts with."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
        parts.append(escaped + (r"\.?" if word in dot else ""))
    body = "|".join(parts)
    if case_sensitive:
        return f"(?-i:{body})"
    return f"{_first_letters(words)}(?:{body})"


def _first_letters(words) -> str:
    """A lookahead for the first characters of these words (`'` stands for `’` too)."""
    firsts = {c for w in words for c in (("'", "\u2019") if w[:1] == "'" else (w[:1],))}
    return f"(?=[{''.join(map(re.escape, sorted(firsts)))}])"


def _check_keys(name: str, obj: dict, allowed: set[str], required: set[str] = frozenset()) -> None:
    unknown, missing = set(obj) - allowed, set(required) - set(obj)
    if unknown or missing:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")


@dataclass(frozen=True)
class DateLexicon:
    """Word tables of the grammar; `load` validates them so a typo fails at start-up."""

    data: dict[str, Any]

    @classmethod
    def load(cls, path: Path = PATTERNS / "date_lexicon.json") -> "DateLexicon":
        data = json.loads(path.read_text(encoding="utf-8"))
        _check_keys(path.name, data, LEXICON_KEYS, LEXICON_KEYS)
        units = set(data["units"].values())
        if units - set(data["unit_codes"]):
            raise ValueError(f"{path.name}: units without a code: {sorted(units - set(data['unit_codes']))}")
        for unit, code in data["unit_codes"].items():
            _check_keys(f"{path.name} unit_codes.{unit}", code, UNIT_CODE_KEYS, UNIT_CODE_KEYS)
        return cls(data)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def month_number(self, word: str) -> int | None:
        key = word.rstrip(".").strip()
        for name, number in self["months"].items():
            if name.lower() == key.lower():
                return number
        return None

    def weekday_number(self, word: str) -> int | None:
        return next((n for w, n in self["weekdays"].items() if w.lower() == word.lower()), None)

    def unit_name(self, word: str) -> str | None:
        return self["units"].get(word.lower().replace("-", ""))

    def macros(self) -> dict[str, str]:
        months = self["months"]
        full_months = {max((w for w, n in months.items() if n == num), key=len) for num in set(months.values())}
        abbreviations = frozenset(set(months) - full_months)
        month_forms = set(months) | {w.upper() for w in months}
        alone = set(months) - set(self["month_abbreviations_not_alone"])
        weekdays = self["weekdays"]
        full_weekdays = {max((w for w, n in weekdays.items() if n == num), key=len) for num in set(weekdays.values())}
        number_words = self["number_words"]
        digits = r"\d{1,3}-\d/\d|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"  # `3-1/2 year` too
        tens = _alternation([w for w, n in number_words.items() if n in range(20, 100, 10)])
        ones = _alternation([w for w, n in number_words.items() if n in range(1, 10) and w not in ("a", "an")])
        # `twenty-five`, `three hundred`, or one word (`a`, `eighteen`, `a couple of`)
        word_number = rf"(?:{tens}(?:[-\s]+{ones})?|(?:{ones}\s+)?hundred|{_alternation(number_words)})"
        plain_words = [w for w in number_words if " " not in w and w not in ("a", "an")]
        ordinals = self["ordinals"]
        quarter_ordinals = [w for w, n in ordinals.items() if 1 <= n <= 4] + ["final"]
        return {
            "YEAR": r"(?:1\d{3}|20\d{2}|2100)",
            "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?",
            "DAY_WORD": _alternation(self["day_words"]),
            "MONTH": _alternation(month_forms, True, abbreviations | {w.upper() for w in abbreviations}),
            "MONTH_LOWER": _alternation({w.lower() for w in full_months}, True),  # all-lower-case copy
            "MONTH_ALONE": _alternation(alone | {w.upper() for w in full_months}, True,
                                        abbreviations & alone),
            "WEEKDAY": _alternation(full_weekdays | {w.upper() for w in full_weekdays}, True),
            "UNIT": _alternation(self["units"]),
            "UNIT_SINGULAR": _alternation([w for w, u in self["units"].items() if w == u]),
            "NUM": rf"(?:{digits}|{word_number})(?:\s+and\s+a\s+half|-and-a-half)?",
            "NUM_HYPHEN": rf"(?:\d+-\d/\d|\d+(?:\.\d+)?|{tens}-{ones}|{_alternation(plain_words)})",
            "NUM_HOUR": _alternation([w for w, n in number_words.items() if isinstance(n, int) and 1 <= n <= 12 and " " not in w and w not in ("a", "an")]),
            "VAGUE": _alternation(self["vague_counts"]),
            "DMOD": _alternation(self["duration_modifiers"]),
            "PMOD": _alternation(self["period_modifiers"]),
            "QUARTER_ORD": _alternation(quarter_ordinals),
            "CENTURY_ORD": _alternation([w for w, n in ordinals.items() if n >= 10 and not w[0].isdigit()]),
            "SEASON": _alternation(self["seasons"]),
            "HOLIDAY": _alternation(self["holidays"], True),
            "SET_ADVERB": _alternation(set(self["set_adverbs"]) | {w.capitalize() for w in self["set_adverbs"]}, True),
            "VAGUE_REF": _alternation(self["vague_references"]),
            "RANGE_SUFFIX": _alternation(self["range_suffixes"]),
            "AMPM": _alternation(self["am_pm"]) + r"(?!\w)",
            "ZONE": _alternation(self["time_zones"], True) + r"(?!\w)",
        }


def load_rules(path: Path = PATTERNS / "dates.jsonl") -> list[DateRule]:
    rules, kinds, contexts = [], set(get_args(RuleKind)), set(get_args(RuleContext))
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        _check_keys(f"{path.name}:{lineno}", raw, RULE_KEYS, {"id", "kind", "pattern"})
        if raw["kind"] not in kinds or raw.get("context", None) not in contexts | {None}:
            raise ValueError(f"{path.name}:{lineno}: unknown kind or context in {raw}")
        rules.append(DateRule(**raw))
    if len({r.id for r in rules}) != len(rules):
        raise ValueError(f"{path.name}: duplicate rule ids")
    return rules


class DateGrammar:
    """Compiled date rules; `find` for running text, `fullmatch` for one expression."""

    def __init__(self, lexicon: DateLexicon, rules: list[DateRule]):
        self.lexicon = lexicon
        self.rules = rules
        macros = lexicon.macros()

        def expand(rule: DateRule) -> str:
            def sub(found: re.Match[str]) -> str:
                if found.group(1) not in macros:
                    raise ValueError(f"rule {rule.id}: unknown macro {{{found.group(1)}}}")
                return macros[found.group(1)]
            return re.sub(r"\{([A-Z_]+)\}", sub, rule.pattern)

        self._compiled = [(rule, re.compile(_BEFORE + "(?:" + expand(rule) + ")" + _AFTER, re.IGNORECASE))
                          for rule in rules]
        anchors = sorted({rule.anchor for rule in rules if rule.anchor})
        # A plain list of three words or more (`today|yesterday|tomorrow`) gets the lookahead
        # of `_alternation` too (for one or two words it costs more than it saves).
        self._anchors = {a: re.compile((_first_letters(a.split("|")) if re.fullmatch(r"[a-z]+(?:\|[a-z]+){2,}", a) else "")
                                       + f"(?:{expand(DateRule('anchor', 'year', a))})", re.IGNORECASE)
                         for a in anchors}

    def _match(self, rule: DateRule, found: re.Match[str], offset: int = 0) -> DateMatch:
        groups = {k: v for k, v in found.groupdict().items() if v is not None}
        return DateMatch(found.start() + offset, found.end() + offset, found.group(0), rule.id,
                         rule.kind, rule.context, groups)

    def find(self, text: str) -> list[DateMatch]:
        """Every match of every rule (rules overlap each other; the caller chooses). A rule with
        an anchor is only tried near the anchor's hits: the same matches, found faster."""
        windows = {None: [(0, len(text))], **{anchor: anchor_windows(regex, text, ANCHOR_REACH, ANCHOR_REACH)
                                               for anchor, regex in self._anchors.items()}}
        return [match for rule, pattern in self._compiled
                for found in finditer_in(pattern, text, windows[rule.anchor])
                for match in self.matches_of(rule, pattern, found)]

    def matches_of(self, rule: DateRule, pattern: re.Pattern[str], found: re.Match[str]) -> list[DateMatch]:
        """A rule's regex match as candidate expressions: none where nothing of it stays before a
        blank line, else one, or one per listed day."""
        kept = _within_paragraph(pattern, found)
        if kept is None:
            return []
        return _listed_days(rule, kept) if rule.kind == "day_list" else [self._match(rule, kept)]

    def match_at(self, rule_id: str, text: str, pos: int) -> DateMatch | None:
        """The rule's match starting exactly at `pos` (to retry without a leading word)."""
        for rule, pattern in self._compiled:
            if rule.id == rule_id:
                found = pattern.match(text, pos)
                return self._match(rule, found) if found else None
        return None

    def matches_between(self, text: str, start: int, end: int) -> list[DateMatch]:
        """Rules that read exactly text[start:end], seeing the text around it (boundaries)."""
        out = []
        for rule, pattern in self._compiled:
            found = pattern.match(text, start)
            if found and found.end() == end:
                out.append(self._match(rule, found))
        return out

    def fullmatch(self, expression: str) -> list[DateMatch]:
        """The rules that read the whole expression, in rule-file order."""
        out = []
        for rule, pattern in self._compiled:
            found = pattern.fullmatch(expression)
            if found:
                out.append(self._match(rule, found))
        return out


@lru_cache(maxsize=1)
def load_grammar() -> DateGrammar:
    return DateGrammar(DateLexicon.load(), load_rules())
