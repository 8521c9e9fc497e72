"""Find: typed amount matches in the raw text, from the regex templates of `amounts.jsonl`.

The `{PLACEHOLDERS}` of the templates are built from the tables the normalizers read, so a
currency, unit or number word the normalizers know is one the patterns find. Matches overlap;
`resolve_overlaps` keeps one per stretch of text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pipeline.anchored import anchor_windows, finditer_in
from pipeline.normalize.money import currency_regex, currency_table
from pipeline.normalize.numbers import PATTERNS_DIR, TableError, number_lexicon
from pipeline.normalize.percent import percent_words
from pipeline.normalize.quantity import unit_lexicon

LABELS = ("MONEY", "PERCENT", "QUANTITY", "CARDINAL")
ROLES = ("amount", "score", "odds")
PATTERN_KEYS = {"id", "label", "priority", "pattern", "comment", "role", "requires"}
# A year on its own: a DATE, never the bare amount of a count, range or shared unit.
_YEAR = re.compile(r"(?<![0-9,.])(?:1[89][0-9]{2}|20[0-9]{2}|2100)(?![0-9,.])")
# After a currency word that also names a level (`mark`), a noun it qualifies (`a 1,000 mark bond`),
# not a word that ends the level's phrase (`broke the 100 million mark for the first time`).
_BEFORE_ITS_NOUN = (r"(?=[ \t]+(?!(?:for|in|on|at|by|and|or|to|the|a|an|this|that|last|since|of|was|is|has|had"
                    r"|will|with|from|after|before|there)\b)[a-z])")
# Verbs of a change in an amount, whose object is the move (`rose $1.64 to $47.10`, `gained 3-1/4`).
CHANGE_VERBS = (r"rose|fell|gained|lost|climbed|dropped|added|slipped|jumped|eased|shed|declined|advanced|rallied"
                r"|tumbled|plunged|slid|dipped|firmed|increased|decreased|grew")


def _alternation(phrases: Iterable[str]) -> str:
    """Case-insensitive alternation, longest phrase first, words joined by any whitespace.

    A lookahead for the phrases' first letters goes first: `re` would otherwise try every phrase
    at every word of the text (a fifth of the time the patterns take)."""
    phrases = sorted(set(phrases), key=lambda p: (-len(p), p))  # a fixed order, whatever the hash seed
    parts = [r"\s+".join(re.escape(word) for word in phrase.split(" ")) for phrase in phrases]
    first = "".join(sorted({re.escape(c) for p in phrases for c in (p[:1].lower(), p[:1].upper())}))
    return f"(?=[{first}])(?i:{'|'.join(parts)})"


def _first_character(forms: list[str]) -> str:
    """A lookahead for the first characters of these forms (regexes of a word or symbol,
    `(?i:`-wrapped when in any case, after zero-width lookbehinds).

    `re` tries an alternation's forms one by one at each position; the lookahead rejects most
    positions at once. Fails on a form that starts with a space or a hyphen: the callers write
    the gap before a number's unit once, before all forms."""
    exact, folded = set(), set()
    for form in forms:
        body = re.sub(r"^(?:\(\?<[=!][^()]*\))*", "", form)  # `(?<=[0-9])p`: the p
        if body.startswith("(?i:"):
            folded.add(_escaped_first(body[4:]))
        else:
            exact.add(_escaped_first(body))
    if any(first[-1] in " -\u2010\u2011" or first == "\\s" for first in exact | folded):
        raise TableError("a currency or unit form starts with a space or a hyphen")
    classes = [f"[{''.join(sorted(exact))}]"] if exact else []
    classes += [f"(?i:[{''.join(sorted(folded))}])"] if folded else []
    return f"(?={'|'.join(classes)})"


def _escaped_first(body: str) -> str:
    """The first character of a regex of escaped literals, escaped (`\\$`, `N`)."""
    found = re.match(r"\\.|[^\\()\[\]|?*+{}]", body)
    if found is None:
        raise TableError(f"cannot read the first character of {body!r}")
    return found.group(0)


def _joined_forms(forms: list[str]) -> str:
    """The forms as one alternation, runs of `(?i:...)`-wrapped ones under one wrapper and, where
    they are plain words, as a trie (`Jamaica(?:n)?\\s+d(?:ollars?|lrs?)`): the same alternatives
    tried in the same order (a longer form before its prefix), and far less for `re` to compile
    and to try at each position."""
    parts: list[str] = []
    folded: list[str] = []
    for form in forms + [""]:
        if form.startswith("(?i:") and _group_end(form, 0) == len(form):
            folded.append(form[4:-1])
            continue
        if folded:
            plain = all(_PLAIN_FORM.fullmatch(body) for body in folded)
            parts.append(f"(?i:{trie_alternation(folded) if plain else '|'.join(folded)})")
            folded = []
        if form:
            parts.append(form)
    return "(?:" + "|".join(parts) + ")"


# A form of escaped literal characters and gaps (`\s+`, `[\s\-]+`); a token is one of them.
_PLAIN_FORM = re.compile(r"(?:\\s\+|\[[^\[\]]*\]\+|\\.|[^\\()\[\]|?*+{}.^$])+")
_TOKEN = re.compile(r"\\s\+|\[[^\[\]]*\]\+|\\.|.")


def trie_alternation(bodies: list[str]) -> str:
    """Plain forms, compared in lower case (they sit in a `(?i:` group), as one regex that shares
    their common beginnings; an optional continuation is greedy, so a longer form is tried before
    its prefix, as in the longest-first alternation it replaces."""
    root: dict[str, dict] = {}
    for body in bodies:
        node = root
        for token in _TOKEN.findall(body.lower()):
            node = node.setdefault(token, {})
        node[""] = {}
    return _trie_regex(root)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [token + _trie_regex(child) for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    single = len(branches) == 1 and _TOKEN.fullmatch(body) and not body.endswith("+")
    return f"{body}?" if single else f"(?:{body})?"


def _group_end(regex: str, start: int) -> int:
    """Where the group opening at `start` ends (past its `)`)."""
    depth = 0
    for i, char in _plain_characters(regex, start):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i + 1
    raise TableError(f"unbalanced group in {regex!r}")


def _plain_characters(regex: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """The characters of a regex from `start`, with their positions, but escaped ones and those
    inside a character class."""
    i = start
    while i < len(regex):
        if regex[i] == "\\":
            i += 2
        elif regex[i] == "[":
            i = _class_end(regex, i)
        else:
            yield i, regex[i]
            i += 1


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
    # the word alternation is written twice (first word, next words): compiling the patterns is a
    # third of the pipeline's load, and it grows with every copy
    words = (rf"\b(?:(?i:an?)\s+(?=(?i:hundred|dozen|{'|'.join(map(re.escape, word_scales))})\b))?"
             rf"{atom}(?:(?:[\s\-\u2010\u2011]+|(?:{after_and})\s+(?i:and)\s+){atom})*\b")
    # `145.15/20 yen`, `1.8205/15 marks`: a dealer's bid and offer, the second number giving the
    # last digits of the other end (before the plain decimal, which would stop at the slash).
    digits = (r"(?:[0-9]{1,4}\.[0-9]{2,4}/[0-9]{1,4}(?![0-9/]|[.,][0-9])"
              r"|[0-9]{1,3}[- ][0-9]{1,2}/(?:2|4|8|16|32|64)(?![0-9/])"
              r"|[0-9]{1,2}/(?:2|3|4|8|16|32|64)(?![0-9/])"
              r"|(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9]|[.,][0-9])"
              r"|\.[0-9]+(?![0-9]))")
    half_a = rf"(?i:half\s+an?|(?:an?\s+)?(?:half|quarter|three[\s-]quarters?))(?=\s+{big_scales}\b)"
    and_a_half = rf"\s+(?i:and\s+a\s+half)(?=\s+{big_scales}\b)"  # `two and a half million`
    num = f"(?:[0-9]+{and_a_half}|{half_a}|{digits}|{words}(?:{and_a_half})?)"
    scale = (rf"(?:\s*{_alternation(word_scales + abbrev_scales)}\b"
             rf"|(?<=[0-9])(?:{'|'.join(map(re.escape, attached_scales))})\b)")
    cscale = (rf"(?:{scale}|(?<=[0-9])(?:{'|'.join(map(re.escape, currency_scales))})\b)")
    amount = f"(?:{num}{scale}*)"
    amount_c = f"(?:{num}{cscale}*)"
    range_ = (rf"(?:(?i:between)\s+{amount}\s+(?i:and)\s+{amount}"
              rf"|{amount}(?:(?:\s*[-\u2013\u2014~]\s*|\s+(?i:to)\s+){amount})?)")
    prefixes = [c for c in currency_table() if c.is_prefix]
    suffixes = [c for c in currency_table() if c.is_suffix]
    prefix_forms = [("(?<![A-Za-z'’])" if c.surface[0].isalpha() else "") + currency_regex(c) for c in prefixes]
    cur_pre = _first_character(prefix_forms) + _joined_forms(prefix_forms)
    # The gap is written once, not once per form (a third of the time of the money patterns):
    # no form starts with a space or a hyphen, so one way of the gap at most fits and the forms
    # keep their order of preference. One-letter forms (`50p`) only glued to the digits: after
    # a gap their lookbehind fails.
    suffix_forms = [(r"(?<=[0-9])" if len(c.surface) == 1 and c.surface.isalpha() else "") + currency_regex(c)
                    + (_BEFORE_ITS_NOUN if c.position == "attributive" else "") for c in suffixes]
    cur_suf = (r"(?:\s*[-\u2010]\s*|\s+|)" + _first_character(suffix_forms)
               + _joined_forms(suffix_forms) + r"(?![A-Za-z]|(?<=[^\w\s])[0-9])")  # `1 $10`: `$10`
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
    unit_forms = unit_lexicon().forms()
    fraction_words = _alternation(lex.fractions)
    return {
        "B": r"(?<![\w.,/:$£€¥])(?<![A-Za-z0-9][-\u2010\u2011])",
        "END": r"(?![A-Za-z0-9])",
        # a negated modifier (`no more than`) is on no list of the guidelines: the span starts at the number
        "MOD": rf"(?:(?<!\bno )(?<!\bnot ){_alternation(p for p, _ in lex.modifiers)}\s+)?",
        "SIGN": r"(?:(?<![\w)\]])[-\u2212](?=[0-9$£€¥])|(?i:minus|negative)\s+)?",
        "NUM": num,
        "AMOUNT": amount,
        "AMOUNT_C": amount_c,
        "RANGE": range_,
        "CUR_PRE": cur_pre,
        "CUR_SUF": cur_suf,
        "PCT": rf"{gap}(?:{pct_alt['percent']})(?![A-Za-z])",
        "PP": rf"{gap}(?:{pct_alt['percentage_point']})(?![A-Za-z])",
        "UNIT": rf"{gap}{_first_character(unit_forms)}{_joined_forms(unit_forms)}(?![A-Za-z0-9])",
        "TIMES": r"(?:(?:\s*[-\u2010]\s*|\s+)(?i:times)\b|\s*[-\u2010]?\s*(?i:fold)\b)",
        "WORDFOLD": rf"\b(?:{small_atom}|(?i:hundred|thousand))(?:-?{small_atom})*-?(?i:fold)\b",
        "FRACTION": rf"\b(?:(?:(?i:an?)|{small_atom})[\s\-\u2010]+{fraction_words}|(?i:half))\b",
        "MULTIPLIER": rf"\b(?i:{_alternation(lex.multipliers)})\b",
    }


@dataclass(frozen=True)
class AmountPattern:
    id: str
    label: str
    priority: int
    role: str
    regex: re.Pattern[str]
    cues: frozenset[str] = frozenset()  # words (lower case) one of which each match holds; empty: none known
    requires: re.Pattern[str] | None = None  # tried only on a text where this matches (its topic)


_PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")


@lru_cache(maxsize=1)
def _placeholder_cues() -> dict[str, frozenset[str]]:
    """Words one of which (in lower case) the text of each of these placeholders holds: the last
    word of every percent form, `times` or `fold` (TIMES and WORDFOLD of `fragments`)."""
    last_words: dict[str, set[str]] = {"percent": set(), "percentage_point": set()}
    for surface, unit, _ in percent_words().rows:
        last_words[unit].add(surface.split(" ")[-1].lower())
    return {"PCT": frozenset(last_words["percent"]), "PP": frozenset(last_words["percentage_point"]),
            "TIMES": frozenset({"times", "fold"}), "WORDFOLD": frozenset({"fold"})}


def _needed_placeholders(template: str) -> list[str]:
    """The placeholders every match of a template holds: outside any group and quantifier, in a
    template with no alternation outside groups."""
    needed, depth = [], 0
    for i, char in _plain_characters(template):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return []
        elif char == "{" and depth == 0 and (found := _PLACEHOLDER.match(template, i)) \
                and not re.match(r"[?*]|\{0*[,}]|\{,", template[found.end():]):
            needed.append(found.group(1))
    return needed


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
        cues = next((_placeholder_cues()[name] for name in _needed_placeholders(entry["pattern"])
                     if name in _placeholder_cues()), frozenset())
        patterns.append(AmountPattern(entry["id"], entry["label"], int(entry["priority"]),
                                      entry.get("role", "amount"), re.compile(source), cues,
                                      re.compile(entry["requires"]) if "requires" in entry else None))
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
class Match:
    start: int
    end: int
    label: str
    pattern: str
    priority: int
    value_text: str | None = None  # what to normalize when the span's own text lacks its unit
    counted: str | None = None  # the counted noun when the context, not the next word, says it
    step: str | None = None  # the later step that decided its boundaries or label (docs/sources.md)

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def rule(self) -> str:
        """The rule part of the span's `source`: the step that last decided it, else its pattern id."""
        return self.step or f"pattern.{self.pattern}"


# How far before its first number a span may start (`more than US$`, `between`) and how far after
# its last number it may reach (units, currency words).
NUMBER_REACH = 60


@lru_cache(maxsize=1)
def _number_anchor() -> re.Pattern[str]:
    """Where a number may start: a digit, or a number, scale, fraction or multiplier word (`half`,
    `twofold`, `twice`), the quantifier of a vague sum (`a few pounds`, `several dollars`, `a
    multi-million pound`), or the article of one minor unit (`a penny`)."""
    lex = number_lexicon()
    words = [*lex.words, *(w for w, (_, style) in lex.scales.items() if style == "word"), *lex.fractions, "half",
             *lex.multipliers, "few", "several", "multi", "a penny", "a cent"]
    return re.compile(rf"[0-9]|\b{_alternation(words)}")


def find_matches(text: str) -> list[Match]:
    """Every pattern's matches (they overlap; `resolve_overlaps` chooses). Every amount holds a
    number, so the patterns are only tried near one: O(patterns x text within reach of a number)."""
    windows = anchor_windows(_number_anchor(), text, NUMBER_REACH, NUMBER_REACH)
    cues = [_cues_in(text[start:end]) for start, end in windows]
    matches = []
    for pattern in amount_patterns():
        if pattern.requires is not None and not pattern.requires.search(text):
            continue
        # a window with none of the words a pattern's matches hold has none of its matches
        usable = [window for window, found in zip(windows, cues) if found is None or found & pattern.cues] \
            if pattern.cues else windows
        for found in finditer_in(pattern.regex, text, usable):
            if found.end() <= found.start():
                continue
            if pattern.role == "score":
                matches.extend(_score_parts(text, found.start(), found.end(), pattern))
            elif pattern.role == "odds":
                matches.extend(_odds(found, pattern))
            else:
                matches.append(Match(found.start(), found.end(), pattern.label, pattern.id, pattern.priority))
    return matches


def _class_end(template: str, start: int) -> int:
    """Where the character class opening at `start` ends (past its `]`)."""
    i = start + 1
    if template[i:i + 1] == "^":
        i += 1
    if template[i:i + 1] == "]":
        i += 1  # a `]` first in a class is one of its characters
    while template[i] != "]":
        i += 2 if template[i] == "\\" else 1
    return i + 1


def _cues_in(window: str) -> frozenset[str] | None:
    """The cue words of the patterns in a stretch of text; None when it is not ASCII (a case
    folded match there may not fold back to the cue)."""
    if not window.isascii():
        return None
    lower = window.lower()
    return frozenset(cue for cues in _placeholder_cues().values() for cue in cues if cue in lower)


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


def _odds(found: re.Match, pattern: AmountPattern) -> list[Match]:
    """`odds of 6-9`: one ratio, its value a factor (6/9); odds against nothing are no odds."""
    first, second = (int(n) for n in _SCORE_NUMBER.findall(found.group(0)))
    if second == 0:
        return []
    return [Match(found.start(), found.end(), pattern.label, pattern.id, pattern.priority,
                  value_text=f"{first / second!r} times")]


def resolve_overlaps(matches: list[Match]) -> list[Match]:
    """Greedy: higher priority, then longer, then earlier; never two overlapping spans.

    O(n log n) for the sorts, then O(total match length): a match reads and marks its own
    characters (matches are never empty) instead of an insert into a sorted list, O(n) each.
    """
    taken = bytearray(max((m.end for m in matches), default=0))
    chosen: list[Match] = []
    for match in sorted(matches, key=lambda m: (-m.priority, -m.length, m.start)):
        if taken.find(1, match.start, match.end) < 0:
            taken[match.start:match.end] = b"\x01" * match.length
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)
