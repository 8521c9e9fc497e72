"""Abbreviation definitions in running text, after Schwartz & Hearst (2003).

"A simple algorithm for identifying abbreviation definitions in biomedical text" (PSB 2003), as
scispacy's `AbbreviationDetector` implements it: a definition is `long form (SF)` or, when the
parenthesis holds a longer phrase, `SF (long form)`. The short form's characters are matched right
to left against the words before it, the first one at the start of a word; the long form starts
at that word. Pure functions over plain strings and character offsets (no spaCy), so the ORG
component, the records helpers and the tests share them.

Two documented extensions, tried only where the plain algorithm finds nothing:
- a digit may stand for a number word (`P2P` = peer-to-peer, `B2B`, `G2`),
- a digit next to a letter may repeat it (`3M` = Minnesota Mining and Manufacturing, `W3C`).
Wire copy also sets the short form between commas (`Financial Times, FT, newspaper`; `Mobil
Exploration and Producing Services Inc, MEPSI, to`): the same long-form search runs before it.
Short forms must look like acronyms (two capitals, or a capital and a digit: `SSRF`, `MoST`,
`3M`), which keeps names (`(Xinhua)`), years (`(2010-2019)`) and amounts (`($2.78 million)`) out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

OPENERS = "(（"
CLOSERS = ")）"
# A long form never reaches back over these: line breaks, other brackets, clause breaks.
_WINDOW_STOPS = re.compile(r"[\n()（）\[\];:]")
_WORD = re.compile(r"\S+")
_SHORT_FORM_BEFORE = re.compile(r"([A-Za-z0-9][A-Za-z0-9&.\-]*)[\s]*$")
_UNCLOSED_SHORT_FORM = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9&\-]*)")
_FUNCTION_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "&", "de", "du", "des", "la"}
_NUMBER_WORDS = {
    "1": ("one", "first"), "2": ("to", "two", "second"), "3": ("three", "third"),
    "4": ("for", "four", "fourth"), "5": ("five", "fifth"), "6": ("six",), "7": ("seven",),
    "8": ("eight",), "9": ("nine",), "0": ("zero",),
}


@dataclass(frozen=True)
class Abbreviation:
    """One definition: `short` abbreviates `long`; offsets are code points into the text."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def is_short_form(candidate: str) -> bool:
    """Schwartz & Hearst's short-form test, narrowed to acronyms of names.

    2 to 10 characters in at most two words, starting with a letter or digit, holding a letter,
    and shaped like an acronym (two capitals, or a capital and a digit) rather than a word.
    """
    words = candidate.split()
    if not 2 <= len(candidate) <= 10 or len(words) > 2 or not candidate[0].isalnum():
        return False
    if not any(c.isalpha() for c in candidate) or not all(any(c.isupper() for c in w) for w in words):
        return False
    capitals = sum(c.isupper() for c in candidate)
    return capitals >= 2 or (capitals == 1 and any(c.isdigit() for c in candidate))


def is_word_acronym(candidate: str) -> bool:
    """An acronym British copy writes as a word (`Escom`, `Opec`, `Cepes`): one capitalized word
    of three letters or more. Only a bracket next to its long form makes it one (the definition's
    letter matching has to spell it), so it is tried for brackets alone."""
    return len(candidate) >= 3 and candidate.isalpha() and candidate.istitle()


def max_long_form_words(short: str) -> int:
    """S&H's bound on the long form's length: min(|A| + 5, |A| * 2) words, |A| = characters."""
    n = len(short)
    return min(n + 5, n * 2)


def _starts_word(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _number_word_before(long: str, digit: str, end: int) -> int | None:
    """Start of the nearest whole word at or before `end` that spells `digit`, else None."""
    for found in reversed(list(re.finditer(r"[A-Za-z]+", long[: end + 1]))):
        if found.group().lower() in _NUMBER_WORDS.get(digit, ()):
            return found.start()
    return None


def _match_start(short: str, long: str, number_words: bool) -> int | None:
    """Right-to-left character match (S&H `findBestLongForm`): index where the long form starts."""
    s, i = len(short) - 1, len(long) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        j = i
        while j >= 0 and (long[j].lower() != char or (s == 0 and not _starts_word(long, j))):
            j -= 1
        if j < 0 and number_words and char.isdigit():
            j = _number_word_before(long, char, i)
            if j is None or (s == 0 and not _starts_word(long, j)):
                return None
        elif j < 0:
            return None
        i, s = j - 1, s - 1
    return i + 1


def _repeat_expansions(short: str) -> Iterator[str]:
    """`3M` -> `MMM`, `W3C` -> `WWWC`: a single digit repeating the letter beside it."""
    for found in re.finditer(r"(?<!\d)([2-9])([A-Za-z])", short):
        yield short[: found.start()] + found.group(2) * int(found.group(1)) + short[found.end():]
    for found in re.finditer(r"([A-Za-z])([2-9])(?!\d)", short):
        yield short[: found.start()] + found.group(1) * int(found.group(2)) + short[found.end():]


def find_long_form_start(short: str, long: str) -> int | None:
    """Index in `long` where the long form of `short` begins, or None if `short` does not match.

    Plain S&H first; then the digit extensions of the module docstring.
    """
    start = _match_start(short, long, number_words=False)
    if start is None and any(c.isdigit() for c in short):
        start = _match_start(short, long, number_words=True)
        for expanded in _repeat_expansions(short):
            if start is not None:
                break
            start = _match_start(expanded, long, number_words=False)
    if start is not None:
        start = _past_function_word(short, long, start)
    return start


def _past_function_word(short: str, long: str, start: int) -> int:
    """`Organisation of Petroleum Exporting Countries (OPEC)`: S&H stops at the `o` of `of`; a
    long form does not start with a function word when an earlier word has the same initial."""
    first = re.match(r"[A-Za-z]+", long[start:])
    if not first or first.group().lower() not in _FUNCTION_WORDS:
        return start
    initial = next(c for c in short if c.isalnum()).lower()
    earlier = [m.start() for m in re.finditer(r"[A-Za-z0-9]+", long[:start]) if m.group()[0].lower() == initial]
    return earlier[-1] if earlier else start


def parenthetical_groups(text: str) -> list[tuple[int, int]]:
    """(open, close) indexes of bracket groups, innermost pairs, in text order.

    Tolerates mismatches: a stray closer is ignored; an opener never closed on its line yields a
    group over the single word after it (`Facility (SSRF` at a line end), close = its end.
    """
    groups: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, char in enumerate(text):
        if char in OPENERS:
            stack.append(i)
        elif char in CLOSERS and stack:
            groups.append((stack.pop(), i))
        elif char == "\n" and stack:
            groups.extend(_unclosed(text, o) for o in stack)
            stack.clear()
    groups.extend(_unclosed(text, o) for o in stack)
    return sorted(g for g in groups if g[1] > g[0] + 1)


def _unclosed(text: str, opener: int) -> tuple[int, int]:
    found = _UNCLOSED_SHORT_FORM.match(text, opener + 1)
    return (opener, found.end()) if found else (opener, opener)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _long_form_before(text: str, opener: int, short: str) -> tuple[int, int] | None:
    """The S&H long form in the words before a parenthesis, or None."""
    stop = max((m.end() for m in _WINDOW_STOPS.finditer(text, 0, opener)), default=0)
    words = list(_WORD.finditer(text, stop, opener))[-max_long_form_words(short):]
    if not words:
        return None
    window_start = words[0].start()
    window = text[window_start: words[-1].end()]
    found = find_long_form_start(short, window)
    if found is None:
        return None
    start, end = _strip(text, window_start + found, window_start + len(window))
    return _valid_long_form(text, start, end, short)


def _valid_long_form(text: str, start: int, end: int, short: str) -> tuple[int, int] | None:
    # Drop quotes, punctuation and a possessive at the edges (`"Shanghai Light Source"`,
    # `Facility,`, `Saudi Arabian Monetary Agency's (SAMA)`).
    while start < end and not text[start].isalnum():
        start += 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ".&":
        end -= 1
    long = text[start:end]
    if len(long) <= len(short) or short in long.split():
        return None
    if len(long.split()) > max_long_form_words(short):
        return None
    # Refinements against S&H's known false matches: a one-word long form matched inside the
    # word (`Code of Conduct (COC)` -> `Conduct`), and a long run of content words matched by
    # scattered letters (`China urges India to return apprehended soldier ( CGTN )`).
    parts = [p for p in re.split(r"[\s\-/]+", long) if p]
    content = [p for p in parts if p.lower() not in _FUNCTION_WORDS]
    if len(parts) < 2 or len(content) > sum(c.isalnum() for c in short) + 1:
        return None
    return start, end


def _definition(text: str, opener: int, closer: int) -> Abbreviation | None:
    inner_start, inner_end = opener + 1, closer
    cut = re.search(r"[,;(（]", text[inner_start:inner_end])  # S&H cut at , and ;, and a nested group
    if cut:
        inner_end = inner_start + cut.start()
    inner_start, inner_end = _strip(text, inner_start, inner_end)
    inner = text[inner_start:inner_end]
    if not inner:
        return None
    if len(inner.split()) <= 2 and (is_short_form(inner) or is_word_acronym(inner)):
        long = _long_form_before(text, opener, inner)
        if long:
            return Abbreviation(inner, text[long[0]:long[1]], inner_start, inner_end, *long)
        return None
    # SF (long form): the short form is the word right before the parenthesis.
    before = _SHORT_FORM_BEFORE.search(text, max(0, opener - 12), opener)
    if not before:
        return None
    short = before.group(1).rstrip(".-")
    if not (is_short_form(short) or is_word_acronym(short)) or not _starts_word(text, before.start(1)):
        return None
    found = find_long_form_start(short, inner)
    if found is None or inner[:found].strip().lower() not in ("", "the"):
        return None
    long = _valid_long_form(text, inner_start + found, inner_end, short)
    if not long:
        return None
    s_start = before.start(1)
    return Abbreviation(short, text[long[0]:long[1]], s_start, s_start + len(short), *long)


_COMMA_SHORT_FORM = re.compile(r",[ \t]+([A-Z][A-Za-z0-9&]{1,7}),")


def _comma_definition(text: str, found: re.Match) -> Abbreviation | None:
    """`long form, SF,`: a short form set off by commas right after its long form."""
    short = found.group(1)
    if not is_short_form(short):
        return None
    long = _long_form_before(text, found.start(), short)
    if long is None:
        return None
    return Abbreviation(short, text[long[0]:long[1]], found.start(1), found.end(1), *long)


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Every abbreviation definition in `text`, in text order."""
    found = [_definition(text, o, c) for o, c in parenthetical_groups(text)]
    found += [_comma_definition(text, m) for m in _COMMA_SHORT_FORM.finditer(text)]
    return sorted((a for a in found if a is not None), key=lambda a: a.short_start)


def initials_expansions(names: Iterable[str], defined: Iterable[str],
                        legal_forms: frozenset[str] = frozenset()) -> dict[str, str]:
    """Short forms a document uses without defining them, each spelled by the initials of exactly
    one of its longer names (`EU` and `European Union`, `SEPA` and `State Environmental Protection
    Agency`, `IBM` and `International Business Machines Corp`: function words and a final legal
    form skipped, or function words kept as lower-case letters: `MoD`, `Ministry of Defence`).
    Without a definition only whole initials count: `EU` is not `European Council`, though a
    definition's letter matching would allow it."""
    names, defined = set(names), set(defined)

    def initials(long: str) -> set[str]:
        words = long.split()
        spelled = set()
        while True:
            spelled.add("".join(w[0] for w in words if w.lower() not in _FUNCTION_WORDS).upper())
            spelled.add("".join(w[0].lower() if w.lower() in _FUNCTION_WORDS else w[0].upper() for w in words))
            if len(words) <= 2 or words[-1].lower().rstrip(".") not in legal_forms:
                return spelled  # with and without its legal form: `FSLIC`, `IBM`
            words = words[:-1]

    found = {}
    for short in names:
        if short in defined or not is_short_form(short) or not short[0].isupper():
            continue
        spelled = {long for long in names if long != short and len(long.split()) >= 2 and short in initials(long)}
        if len(spelled) == 1:
            found[short] = spelled.pop()
    return found


def expansions(abbreviations: Iterable[Abbreviation]) -> dict[str, Abbreviation]:
    """Short form -> its definition, document-wide; the first definition of a short form wins
    (a later, different one is more often a mismatch than a redefinition, as scispacy assumes)."""
    table: dict[str, Abbreviation] = {}
    for abbreviation in abbreviations:
        table.setdefault(abbreviation.short, abbreviation)
    return table


def short_form_mentions(text: str, short: str) -> list[tuple[int, int]]:
    """Every (start, end) of `short` as a whole word, case-sensitive, before or after its
    definition: `SSRF's` and `SSRF-based` count, `SSRFX` and `XSSRF` do not."""
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(short)}(?![A-Za-z0-9])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def linked_mentions(text: str, abbreviations: Iterable[Abbreviation] | None = None
                    ) -> list[tuple[int, int, Abbreviation]]:
    """Every mention of every defined short form, with the definition it refers to."""
    table = expansions(find_abbreviations(text) if abbreviations is None else abbreviations)
    mentions = [(start, end, definition) for short, definition in table.items()
                for start, end in short_form_mentions(text, short)]
    return sorted(mentions, key=lambda m: (m[0], m[1]))
