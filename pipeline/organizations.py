"""Organization names over plain text and offsets: boundaries, rejection, canonical names, groups.

Pure functions, no spaCy, shared by the `news_orgs` component and the records helpers. They
follow the ORG section of docs/annotation-guidelines.md:
- `trim_org` / `split_org`: no leading `the`, no trailing possessive, a parenthetical is its own
  span, a name joined to its parent by a comma (or by `of the`, or a possessive) is two spans;
- `org_name_problem`: why a capitalized name is not an organization (places, events, plans,
  indexes, products, generic mentions), or None;
- `resolve_canonicals`: each name's canonical, the organization's longest name in the document
  (an acronym's expansion; a company's full legal name for its shorter word-prefixes);
- `group_organizations`: one document's ORG spans grouped by canonical, for records.
Word lists live in `patterns/org_lexicons.json`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache, cached_property
from importlib import resources
from typing import ClassVar

from pipeline.gazetteer import place_names

Range = tuple[int, int]


@dataclass(frozen=True)
class OrgLexicons:
    """The word lists of `org_lexicons.json` (lower case but for those in `AS_WRITTEN`); see each
    list's `why` there."""

    # Lists compared case-sensitively with the text, so kept as written.
    AS_WRITTEN: ClassVar[frozenset[str]] = frozenset({"comma_suffixes"})

    institution_heads: frozenset[str]
    designators: frozenset[str]
    non_org_heads: frozenset[str]
    descriptors: frozenset[str]
    list_nouns: frozenset[str]
    generic_names: frozenset[str]
    leading_words: frozenset[str]
    name_breakers: frozenset[str]
    role_prepositions: frozenset[str]
    lowercase_heads: frozenset[str]
    regional_units: frozenset[str]
    person_titles: frozenset[str]
    possessive_name_words: frozenset[str]
    product_nouns: frozenset[str]
    brand_nouns: frozenset[str]
    product_descriptors: frozenset[str]
    market_indexes: frozenset[str]
    political_parties: frozenset[str]
    role_nouns: frozenset[str]
    government_levels: frozenset[str]
    unit_nouns: frozenset[str]
    leading_descriptors: frozenset[str]
    thing_nouns: frozenset[str]
    legislatures: frozenset[str]
    chambers: frozenset[str]
    facility_nouns: frozenset[str]
    competition_heads: frozenset[str]
    acting_words: frozenset[str]
    thing_list_nouns: frozenset[str]
    product_names: frozenset[str]
    award_names: frozenset[str]
    commodity_grades: frozenset[str]
    sports_cues: frozenset[str]
    club_words: frozenset[str]
    club_suffixes: frozenset[str]
    member_nouns: frozenset[str]
    country_acronyms: frozenset[str]
    office_titles: frozenset[str]
    business_nouns: frozenset[str]
    generic_after_country: frozenset[str]
    portfolio_words: frozenset[str]
    legal_suffixes: frozenset[str]
    sentence_end_suffixes: frozenset[str]
    comma_suffixes: frozenset[str]
    publication_heads: frozenset[str]
    publication_names: frozenset[str]
    work_nouns: frozenset[str]
    person_roles: frozenset[str]
    channel_heads: frozenset[str]
    sports_club_suffixes: frozenset[str]
    home_nations: frozenset[str]
    short_form_skips: frozenset[str]
    debt_issuers: frozenset[str]
    security_nouns: frozenset[str]
    person_trades: frozenset[str]
    party_members: frozenset[str]
    name_inner_words: frozenset[str]
    locative_prepositions: frozenset[str]
    holding_nouns: frozenset[str]
    work_credits: frozenset[str]
    firm_possessions: frozenset[str]
    firm_verbs: frozenset[str]
    arm_words: frozenset[str]
    administration_leaders: frozenset[str]
    rate_names: frozenset[str]

    @cached_property
    def legal_forms(self) -> frozenset[str]:
        """Designators that end a firm's whole name (`Corp`, `Ltd`), not a line of business
        (`Industries`, `Holdings`), which other names may follow."""
        return self.designators - self.business_nouns

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping]) -> "OrgLexicons":
        """Fails on a missing or unknown list, or an entry without exactly `why` and `words`."""
        names = {f.name for f in fields(cls)}
        if set(data) != names:
            raise ValueError(f"org lexicons: missing {sorted(names - set(data))}, "
                             f"unknown {sorted(set(data) - names)}")
        for name, entry in data.items():
            if set(entry) != {"why", "words"} or not all(isinstance(w, str) for w in entry["words"]):
                raise ValueError(f"org lexicon {name!r}: needs exactly 'why' and a list of 'words'")
        return cls(**{name: frozenset(w if name in cls.AS_WRITTEN else w.lower() for w in data[name]["words"])
                      for name in names})


@cache
def default_lexicons() -> OrgLexicons:
    text = resources.files("pipeline.patterns").joinpath("org_lexicons.json").read_text(encoding="utf-8")
    return OrgLexicons.from_dict(json.loads(text))


# --------------------------------------------------------------------------- words of a name

_WORD = re.compile(r"\S+")
_EDGE_OPEN = "\"“”‘’'`<([{*•·-–—,;:!?"
_EDGE_CLOSE = "\"“”‘’'`>)]}*•·-–—,;:!?"
_YEAR = re.compile(r"^(?:1[89]|20)\d\d(?:[-–/]\d{2,4})?$")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_MONTH_PAIR = re.compile(rf"(?i:{_MONTH}/{_MONTH})")  # `Aug/Sept`: shipment months
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_NUMERAL = re.compile(r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                      r"twelve|twenty|thirty|forty|fifty|hundred)$", re.IGNORECASE)
_CREDIT_RATING = re.compile(r"^(?:AAA|AA|A|BBB|BB|B|CCC|CC|C|D)[+-]?$")
_PRODUCT_CODE = re.compile(r"^[A-Za-z'’]+-\d+[A-Za-z]?$")  # COVID-19, Tianwen-1, Chang'e-5
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")  # MPs, NGOs, SMEs: a class of things
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&.\-]*[A-Z0-9][A-Za-z0-9&.\-]*$")
_TRAILING_CONNECTORS = {"and", "&", "of", "for", "the", "in", "on", "-", ""}
_LIST_WORD_BEFORE = re.compile(r"\b([a-z-]+)[ \t]+$")
_FIRM_LIST = re.compile(r"^[A-Z][\w'.-]*(?:, [A-Z][\w'.-]*)+,? (?:and|&) [A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}$")


_POSSESSIVE = re.compile(r"['’]s?$")


def _bare(word: str) -> str:
    """A word without edge punctuation and possessive, lower case: `Airlines'` -> `airlines`."""
    return _POSSESSIVE.sub("", word).strip("\"“”‘’'()[]<>,;:!?").lower()


def name_words(name: str) -> list[str]:
    return [bare for bare in map(_bare, name.split()) if bare]


def head_word(name: str, lexicons: OrgLexicons) -> str:
    """The name's head noun: the last word before its first preposition (`Institute` of
    `Institute of Acoustics`, `Center` of `Synthetic Biology Innovation Center`)."""
    words = name_words(name)
    for i, word in enumerate(words[1:], start=1):
        if word in lexicons.role_prepositions:
            return words[i - 1]
    return words[-1] if words else ""


def is_acronym(name: str) -> bool:
    return " " not in name and bool(_ACRONYM.match(name)) and sum(c.isupper() for c in name) >= 2


_DOTCOM = re.compile(r"[A-Z][\w-]*\.com")


def is_company(name: str, lexicons: OrgLexicons) -> bool:
    """Ends in a legal or trade designator (`Corp`, `Ltd`, `Industrie`, `Airways`), or is a
    dot-com name (`OptInRealBig.com`)."""
    words = name_words(name)
    return len(words) >= 2 and words[-1] in lexicons.designators or bool(_DOTCOM.fullmatch(name))


def is_org_like(name: str, lexicons: OrgLexicons) -> bool:
    """Carries its own evidence of being an organization: an institution head, a company
    designator, or an acronym shape."""
    return (head_word(name, lexicons) in lexicons.institution_heads
            or is_company(name, lexicons) or is_acronym(name))


def org_name_problem(name: str, lexicons: OrgLexicons) -> str | None:
    """Why `name` cannot be an organization's name, or None (guidelines: Not ORG)."""
    words = name.split()
    bare = name_words(name)
    if not bare or not any(c.isupper() for c in name):
        return "no capital letter: a generic mention"
    if len(words) > 12:
        return "too long for a name"
    if len(name) < 2 or _CREDIT_RATING.match(name):
        return "a single letter or a credit rating (`BBB`)"
    if bare[0] in lexicons.person_titles and not name.endswith(("'s", "’s")):
        return "a person's title starts it"  # but a firm named for one: `Dr Reddy's`
    if "@" in name or re.search(r"\d/|/\d|\s/|/\s|^/|/$", name) or _MONTH_PAIR.fullmatch(name):
        return "slash: a date pair, a credit or an address"  # but `In-Stat/MDR`, `CIT Group/Business Credit Inc`
    if re.search(r"\d", name) and any(unicodedata.category(c) == "Sc" for c in name):
        return "a currency sign and digits: an amount (`MX$15`)"
    if len(bare) == 1 and bare[0] not in lexicons.legislatures | lexicons.chambers | lexicons.publication_names and (
            bare[0] in lexicons.generic_names or bare[0] in lexicons.institution_heads or bare[0] in lexicons.leading_words):
        return "a generic word"
    if all(w in lexicons.designators for w in bare):
        return "designators only (`Co Ltd`)"
    head = head_word(name, lexicons)
    if len(words) > 1 and name.isupper() and not is_org_like(name, lexicons):
        return "an upper-case heading, not a name"
    if head in lexicons.non_org_heads:
        return f"head {head!r}: a place, event, plan, index, programme, law or product"
    if any(_YEAR.match(w) for w in words):
        return "holds a year: an edition, plan or event"
    if _ORDINAL.match(words[0]):
        return "starts with an ordinal: an event's edition"
    if _NUMERAL.match(bare[-1]) and head not in lexicons.institution_heads \
            and not (len(bare) > 1 and bare[-2] in lexicons.channel_heads):  # `Channel 4`, `BBC Radio 4`
        return "ends with a numeral: a plan, product or festival"
    if len(words) == 1 and _PRODUCT_CODE.match(name):
        return "product or disease code"
    if _PLURAL_ACRONYM.match(name):
        return "plural of an acronym: a class of things (`MPs`)"
    if len(words) == 2 and COUNTRY_WORD.fullmatch(words[0]) and words[1].lower() in lexicons.generic_after_country:
        return "a country and a common noun the wire capitalized (`U.S. Trade`)"
    return None


# `U.S.`, `U.K.`, `EC`, or a nationality adjective (`Moroccan`, `Japanese`, `British`, `French`).
COUNTRY_WORD = re.compile(r"U\.S\.|U\.K\.|US|UK|EC|EEC|E\.C\.|[A-Z][a-z]+(?:an|ese|ish|ian|ch|i)")


# --------------------------------------------------------------------------- boundaries

def _strip_space(text: str, start: int, end: int) -> Range:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trailing_period_ends_sentence(text: str, start: int, end: int) -> bool:
    """`Pesch and Co.` + new sentence: the period is the sentence's; `L.P.` and `Apple Inc. said`
    keep theirs."""
    last = text[start:end].split()[-1]
    if last.count(".") >= 2:
        return False
    following = text[end:end + 3].lstrip(" ")
    return not following or not (following[0].islower() or following[0].isdigit() or following[0] in ",;")


def trim_org(text: str, start: int, end: int, lexicons: OrgLexicons, keep_leading: bool = False
             ) -> Range | None:
    """Drop edge punctuation and quotes, a trailing possessive, a sentence's final period, a
    dangling connector (`and`, `of`), and leading words that never start a name (`the`,
    `According`, a descriptor like `Automaker` in a headline, with its country: `U.S. Carmaker`), years
    (`2020-21`) included. With `keep_leading` (a name given as such, like
    Reuters' `<All Nippon Airways>`) only a leading `the` goes."""
    while True:
        before = (start, end)
        start, end = _strip_space(text, start, end)
        if text[start:start + 3] in ("'s ", "’s "):
            start += 3
        while start < end and text[start] in _EDGE_OPEN:
            start += 1
        while end > start and text[end - 1] in _EDGE_CLOSE:
            end -= 1
        if end - start > 2 and text[end - 2:end] in ("'s", "’s"):
            end -= 2
        elif end - start > 1 and text[end - 1] in "'’":
            end -= 1
        if end > start and text[end - 1] == "." and _trailing_period_ends_sentence(text, start, end):
            end -= 1
        last = list(_WORD.finditer(text, start, end))[-1:]
        if last and last[0].start() > start and _bare(last[0].group()) in _TRAILING_CONNECTORS:
            end = last[0].start()
        first = _WORD.search(text, start, end)
        if first and first.end() < end:
            word = first.group()
            leading = _bare(word) == "the" if keep_leading else (
                _bare(word) in lexicons.leading_words or _bare(word) in lexicons.leading_descriptors)  # `Automaker GM`
            second = _WORD.search(text, first.end(), end)
            if not keep_leading and COUNTRY_WORD.fullmatch(word) and second and second.end() < end \
                    and _bare(second.group()) in lexicons.leading_descriptors:
                start = second.end()  # `U.S. Carmaker General Motors`
            elif _bare(word) == "all" and second and second.group()[:1].isupper() and is_org_like(text[start:end], lexicons):
                pass  # `All China Journalists Association`, `All Nippon Airways`: the name's own word
            elif leading or _YEAR.match(word.rstrip(",")):
                start = first.end()
        if (start, end) == before:
            break
    return (start, end) if start < end else None


def _pieces(text: str, start: int, end: int, cuts: Iterable[Range]) -> list[Range]:
    """The parts of [start, end) left when the given (cut_start, cut_end) ranges are removed."""
    out, at = [], start
    for cut_start, cut_end in sorted(cuts):
        out.append((at, cut_start))
        at = cut_end
    out.append((at, end))
    return [(s, e) for s, e in out if s < e]


def _split_lines(text: str, start: int, end: int, lexicons: OrgLexicons,
                 places: frozenset[str]) -> list[Range]:
    """A name never runs over a line break (`Pesch and Co.\n\nAlpha`)."""
    return _pieces(text, start, end, [(start + m.start(), start + m.end())
                                      for m in re.finditer(r"\n+", text[start:end])])


def _split_dashes(text: str, start: int, end: int, lexicons: OrgLexicons,
                  places: frozenset[str]) -> list[Range]:
    """A spaced dash or a bar separates, never joins, names (`Nanjing Museum - People's Daily`)."""
    return _pieces(text, start, end, [(start + m.start(), start + m.end())
                                      for m in re.finditer(r"\s[-–—|]+\s|\|", text[start:end])])


def _split_parentheses(text: str, start: int, end: int, lexicons: OrgLexicons,
                       places: frozenset[str]) -> list[Range]:
    """`Shanghai Synchrotron Radiation Facility (SSRF` -> the name and the acronym; but a place
    before the legal designator is inside the name (`BOT International (HK) Ltd`)."""
    name = text[start:end]
    inner = [m.span() for m in re.finditer(r"\([^()]{1,20}\)\s+(\S+)$", name)
             if _bare(m.group(1)) in lexicons.designators]
    cuts = [(start + m.start(), start + m.end()) for m in re.finditer(r"[()（）]", name)
            if not any(s <= m.start() < e for s, e in inner)]
    return _pieces(text, start, end, cuts)


def _split_commas(text: str, start: int, end: int, lexicons: OrgLexicons,
                  places: frozenset[str]) -> list[Range]:
    """`Institute of Acoustics, Chinese Academy of Sciences` -> two names; but `Zexi Commodity
    Co., Ltd` and the partnerships `Donaldson, Lufkin and Jenrette`, `Kidder, Peabody and Co Inc`
    stay whole."""
    name = text[start:end]
    firm_list = _FIRM_LIST.match(name) is not None
    before = _LIST_WORD_BEFORE.search(text, max(0, start - 30), start)
    listed = firm_list and before is not None and before.group(1).lower() in lexicons.list_nouns
    if "," not in name or firm_list and not listed:
        return [(start, end)]
    cuts = []  # `technology companies Dell, Samsung and Matsushita`: after a list noun, three names
    for found in re.finditer(r",?\s+(?:and|&)\s+|,\s*" if listed else r",\s*", name):
        rest = name[found.end():].split()
        if rest and _bare(rest[0]) in lexicons.designators and len(rest) == 1:
            continue
        cuts.append((start + found.start(), start + found.end()))
    return _pieces(text, start, end, cuts)


def _split_of_the(text: str, start: int, end: int, lexicons: OrgLexicons,
                  places: frozenset[str]) -> list[Range]:
    """`Institute of X of the Y Institute for Z` -> two institutions when both sides have an
    institution head (gold/decisions/seeds.md)."""
    name = text[start:end]
    for found in re.finditer(r"\s+of the\s+", name):
        left, right = name[:found.start()], name[found.end():]
        if (head_word(left, lexicons) in lexicons.institution_heads
                and is_org_like(right, lexicons) and re.match(r"[A-Z]|\d+(?:st|nd|rd|th)\s", right)):  # `the 13th NPC`
            return [(start, start + found.start()), (start + found.end(), end)]
    return [(start, end)]


def _split_possessive(text: str, start: int, end: int, lexicons: OrgLexicons,
                      places: frozenset[str]) -> list[Range]:
    """`State Department's Office of ...` -> two names; `China's Cyberspace Administration` and
    `Gencorp's General Tire Inc` -> the second name (a place is not ORG; a bare company name is
    found on its own elsewhere); `People's Liberation Army` stays whole."""
    name = text[start:end]
    for found in re.finditer(r"['’]s\s+", name):
        left, right = name[:found.start()], name[found.end():]
        if not right[:1].isupper():
            continue
        left_words = name_words(left)
        if left in places or not any(c.isupper() for c in left) or left.lower().startswith("the "):
            return [(start + found.end(), end)]
        seen = occurrences(text, left)
        if " " not in left and len(seen) > 1 and all(text[e:e + 2] in ("'s", "’s") for _, e in seen):
            continue  # `Moody's Investors Service` ... `Moody's said`: a name never written without its `'s`
        if (left_words and left_words[-1] in lexicons.possessive_name_words) or not is_org_like(right, lexicons):
            continue
        if is_org_like(left, lexicons):
            return [(start, start + found.start()), (start + found.end(), end)]
        if len(name_words(right)) >= 2:
            return [(start + found.end(), end)]
    return [(start, end)]


def _split_coordination(text: str, start: int, end: int, lexicons: OrgLexicons,
                        places: frozenset[str]) -> list[Range]:
    """`University of Hong Kong and Tsinghua University`, `Gencorp Inc and Continental AG` -> two
    names, when both sides are organizations on their own (`Ministry of Science and Technology`
    and `Shell Transport and Trading Plc` are one); `Tories and Lib Dems`, `Labour and the
    Conservatives`: a one-word party on either side is one too."""
    name = text[start:end]
    for found in re.finditer(r"\s+and\s+", name):
        left, right = name[:found.start()], name[found.end():]
        left_words = left.split()
        nameless = COUNTRY_WORD.fullmatch(left_words[0]) and all(_bare(w) in lexicons.designators for w in left_words[1:])
        if right[:1].isupper() and not nameless and (  # `U.S. Securities and Exchange Commission` is one
                (is_org_like(right, lexicons) and is_org_like(left, lexicons) and len(name_words(right)) >= 2)
                or _one_word_party(left, lexicons) or (_one_word_party(right, lexicons) and is_org_like(left, lexicons))):
            return [(start, start + found.start()), (start + found.end(), end)]
    return [(start, end)]


def _one_word_party(name: str, lexicons: OrgLexicons) -> bool:
    words = name_words(name)
    return len(words) == 1 and words[0] in lexicons.political_parties


def _split_office_title(text: str, start: int, end: int, lexicons: OrgLexicons,
                        places: frozenset[str]) -> list[Range]:
    """`Department of Agriculture Undersecretary Daniel Amstutz` -> the department: a title of
    office followed by a person's name ends the organization's name."""
    name = text[start:end]
    for found in re.finditer(r"(?<=\s)([A-Z][\w-]*)\s+(?=[A-Z][a-z])", name):
        if found.group(1).lower() in lexicons.office_titles:
            return [(start, start + len(name[:found.start()].rstrip()))]
    return [(start, end)]


def _split_place_after(text: str, start: int, end: int, lexicons: OrgLexicons,
                       places: frozenset[str]) -> list[Range]:
    """`Samsung of South Korea`, `Strategy Analytics of Boston` -> the company: a place after `of`
    says where a firm is, unless the name before it is an institution's or a legal one (`Bank of
    Japan`, `Morgan Guaranty Trust Co of New York`)."""
    name = text[start:end]
    found = re.search(r"\s+of\s+", name)
    if found is None:
        return [(start, end)]
    left, right = name[:found.start()], name[found.end():]
    words = name_words(left)
    if (right in places or right in place_names()) and words and left[:1].isupper() \
            and words[-1] not in lexicons.institution_heads and words[-1] not in lexicons.designators:
        return [(start, start + found.start())]
    return [(start, end)]


_SPLITTERS = (_split_lines, _split_dashes, _split_parentheses, _split_commas, _split_of_the, _split_possessive,
              _split_coordination, _split_office_title, _split_place_after)


def split_org(text: str, start: int, end: int, lexicons: OrgLexicons,
              places: frozenset[str] = frozenset(), keep_leading: bool = False) -> list[Range]:
    """A candidate ORG range as the trimmed names it holds (guidelines: span rules and ORG).

    `places` are the document's place names (the model's GPE/LOC), dropped before a possessive;
    `keep_leading` as for `trim_org`.
    """
    pieces = [r for r in [trim_org(text, start, end, lexicons, keep_leading)] if r]
    for splitter in _SPLITTERS:
        # a piece a splitter leaves whole is trimmed already (`trim_org` stops where it changes nothing)
        pieces = [t for s, e in pieces for ps, pe in splitter(text, s, e, lexicons, places)
                  if (t := (ps, pe) if (ps, pe) == (s, e) else trim_org(text, ps, pe, lexicons, keep_leading))]
    return pieces


# --------------------------------------------------------------------------- canonical names

def name_key(name: str) -> str:
    """Spelling-insensitive key: `TimeWarner` ~ `Time Warner`, `Co.` ~ `Co`."""
    return re.sub(r"[\s.\-'’]", "", name).lower()


def normalize_name(name: str) -> str:
    return " ".join(name.split())


def occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Where `name` stands as a whole word: no letter, digit, `_` or `&` glued to either end.

    A loop over `str.find`, not a regex per name: compiling one for each name of each article
    (hundreds per article) overflows `re`'s cache and cost more than the search."""
    found: list[tuple[int, int]] = []
    at = text.find(name) if name else -1
    while at >= 0:
        end = at + len(name)
        if not _glued(text[at - 1:at]) and not _glued(text[end:end + 1]):
            found.append((at, end))
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return found


def written_in_lower_case(text: str, name: str) -> bool:
    """Whether the text also writes a one-word name in lower case as a word of its own (`apple`
    beside `Apple`): not glued to a letter, digit, `_`, `.` or `-` before, nor to a letter, digit,
    `_`, `-` or `.` and a letter after. A loop over `str.find`, as `occurrences`."""
    word = name.lower()
    at = text.find(word)
    while at >= 0:
        before, end = text[at - 1:at], at + len(word)
        after, then = text[end:end + 1], text[end + 1:end + 2]
        if not (before and (_word_char(before) or before in ".-")) \
                and not (after and (_word_char(after) or after == "-")) \
                and not (after == "." and then and _word_char(then)):
            return True
        at = text.find(word, at + 1)
    return False


def _word_char(char: str) -> bool:
    """`re`'s `\\w` for one character."""
    return char.isalnum() or char == "_"


def _glued(char: str) -> bool:
    return char.isalnum() or char in ("_", "&")


def is_word_prefix(short: str, long: str) -> bool:
    s, l = short.split(), long.split()
    return len(s) < len(l) and l[:len(s)] == s


_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")


def company_prefixes(name: str, lexicons: OrgLexicons) -> list[str]:
    """The shorter forms a company's name is cut to in later mentions (`Airbus` for `Airbus
    Industrie`, `Brierley Investments` and `Brierley` for `Brierley Investments Ltd`): its
    word-prefixes, not ending in a connector nor starting with a generic word; after a founder's
    initials, also without them (`Penney` for `J.C. Penney Co Inc`, `Hutton` for `E.F. Hutton
    Group`); a dot-com name without its `.com`."""
    if not is_company(name, lexicons):
        return []
    if _DOTCOM.fullmatch(name):
        return [name[:-len(".com")]]  # `OptInRealBig` of `OptInRealBig.com`
    words = name.split()
    starts = [0, 1] if len(words) > 2 and _INITIALS.fullmatch(words[0]) else [0]
    prefixes = []
    for first_word in starts:
        for k in range(first_word + 1, len(words)):
            prefix = " ".join(words[first_word:k]).rstrip(",")
            last, first = _bare(words[k - 1]), _bare(words[first_word])
            if last in ("and", "&", "of", "for", "the") or (k == first_word + 1 and first in lexicons.generic_names) \
                    or not prefix[:1].isupper() or _INITIALS.fullmatch(prefix):
                continue
            prefixes.append(prefix)
    return prefixes


def short_forms(name: str, lexicons: OrgLexicons) -> list[str]:
    """Shortenings of a name that are not its word-prefixes: the initials of two words joined by
    `and` (`paired_initials`), a club's last word (`United` for `Manchester United`, `Rovers`
    for `Blackburn Rovers`), and the name without a first word its short form leaves out
    (`Carbide` for `Union Carbide Corp`, `Supreme Court` for `U.S. Supreme Court`)."""
    words = name.split()
    club = [words[-1]] if len(words) >= 2 and words[-1].lower() in lexicons.club_suffixes else []
    rest = words[1:] if len(words) >= 2 and words[0].lower() in lexicons.short_form_skips else []
    while len(rest) > 1 and _bare(rest[-1]) in lexicons.designators:
        rest = rest[:-1]
    skipped = [" ".join(rest)] if rest and rest[0][:1].isupper() else []
    return paired_initials(name, lexicons) + club + skipped


def paired_initials(name: str, lexicons: OrgLexicons) -> list[str]:
    """The initials a name of two words joined by `and` is cut to (`S and P`, `S&P` for `Standard
    and Poor's Corp`; `M&S` for `Marks and Spencer`), its designators left out."""
    words = name.split()
    while len(words) > 3 and _bare(words[-1]) in lexicons.designators:
        words = words[:-1]
    if len(words) != 3 or words[1].lower() not in ("and", "&") \
            or not all(w[:1].isupper() and len(w) > 1 for w in (words[0], words[2])):
        return []
    first, second = words[0][0], words[2][0]
    return [f"{first}&{second}", f"{first} & {second}", f"{first} and {second}"]


def company_for_prefix(name: str, names: Iterable[str], lexicons: OrgLexicons) -> str | None:
    """The one company name in `names` that `name` is one of the `company_prefixes` of (the
    longest of a nested chain like `NZI Corp` < `NZI Corp Ltd`); of several, the one that is
    `name` and legal forms only (`Aca Joe Inc`, not its units `Aca Joe Intercon Ltd` and `Aca Joe
    Eastern Ltd`); None when none, or several and none such."""
    found = {n for n in names if is_company(n, lexicons) and name in company_prefixes(n, lexicons)}
    same_firm = {n for n in found if is_word_prefix(name, n)
                 and all(w in lexicons.legal_forms for w in name_words(n[len(name):]))}
    return _one_longest(name, found) or _one_longest(name, same_firm)


def longer_name_for(name: str, names: Iterable[str], lexicons: OrgLexicons,
                    places: frozenset[str] = frozenset()) -> str | None:
    """The one longer name in `names` that `name` shortens (`Axa` for `Axa Sun Life`, `Airbus`
    for `Airbus Industrie`, `Kaufman and Board` for `Kaufman and Board Inc`): `name` is its
    word-prefix, and either only designators follow or `name` is not a named body of its own
    (it does not end in an institution head: `State Council` is not `State Council Information
    Office`), the rest is not a place (`AOL Europe` is a unit of `AOL`) nor a body of its own
    (`BRICS` is not `BRICS Vaccine Research and Development Center`; `Deutsche` is `Deutsche Bank`),
    nor a finance arm the story names after it (`General Motors Acceptance Corp`). A one-word
    legislature takes the one qualified name of it instead (`Senate` for `U.S. Senate`). The name
    with only a legal form added comes first (`Manhattan National Corp` for `Manhattan National`,
    though `Manhattan National Life Insurance Co` is longer). Of several companies, the one the story
    names first (`BASF` of `BASF AG` and `BASF Corp`); None when there is none, or several of another kind."""
    words = name_words(name)
    if not words or words[-1] in ("and", "&", "of", "for", "the") \
            or (len(words) == 1 and words[0] in lexicons.generic_names):
        return None
    if len(words) == 1 and words[0] in lexicons.legislatures | lexicons.chambers:  # `Senate` of `U.S. Senate`, `Lords`
        qualified = {n for n in names if n.endswith(" " + name) and len(name_words(n)) <= 3}
        return qualified.pop() if len(qualified) == 1 else None

    def shortens(rest: str) -> bool:
        added = name_words(rest)
        if all(w in lexicons.designators for w in added):
            return True
        return (words[-1] not in lexicons.institution_heads and rest not in places
                and rest.lower() not in lexicons.regional_units
                and not (len(added) > 1 and added[-1] in lexicons.institution_heads))  # a body of its own

    rests = {n: normalize_name(n[len(name):]) for n in names if is_word_prefix(name, n)}
    same_firm = {n for n, rest in rests.items()  # `Manhattan National Corp`, before `... Life Insurance Co`
                 if all(w in lexicons.legal_forms for w in name_words(rest))}
    order = list(names)

    def later_arm(longer: str) -> bool:
        """`General Motors Acceptance Corp` named after `General Motors`: the firm's finance arm."""
        return any(w in lexicons.arm_words for w in name_words(rests[longer])) \
            and name in order and order.index(name) < order.index(longer)

    shortened = {n for n, rest in rests.items() if shortens(rest) and not later_arm(n)}
    return (_one_longest(name, same_firm) or _one_longest(name, shortened)
            or _one_elision(name, names, lexicons) or _one_short_form(name, names, lexicons)
            or _one_inner_acronym(name, names, lexicons) or _first_company(same_firm or shortened, names, lexicons))


def _first_company(candidates: set[str], names: Iterable[str], lexicons: OrgLexicons) -> str | None:
    """Of several companies a short name could shorten (`BASF` of `BASF AG` and `BASF Corp`), the
    one the story names first, its subject; None when that one is not a company."""
    if len(candidates) < 2:
        return None
    first = next(n for n in names if n in candidates)
    return first if is_company(first, lexicons) else None


def is_word_elision(short: str, long: str) -> bool:
    """`short` is `long` with inner words left out, first word kept (`Bond International` of
    `Bond Corp International Ltd`)."""
    s, l = short.split(), long.split()
    if len(s) < 2 or len(s) >= len(l) or s[0] != l[0]:
        return False
    rest = iter(l[1:])
    return all(word in rest for word in s[1:])


def _one_elision(name: str, names: Iterable[str], lexicons: OrgLexicons) -> str | None:
    """The one company name that `name` elides inner words of, or None when none or several; a
    name ending in an institution head or a legal form is whole and is left alone."""
    last = name_words(name)[-1]
    if last in lexicons.institution_heads or last in lexicons.legal_forms:
        return None  # a body of its own, or a firm's whole name (`Boeing Co`)
    found = {n for n in names if is_company(n, lexicons) and is_word_elision(name, n)}
    return found.pop() if len(found) == 1 else None


def _one_short_form(name: str, names: Iterable[str], lexicons: OrgLexicons) -> str | None:
    """The one company `name` is a short form of without being its word-prefix: its founder's
    initials left out (`Penney` of `J.C. Penney Co Inc`), or its `.com` (`OptInRealBig`)."""
    found = {n for n in names if not is_word_prefix(name, n) and name in company_prefixes(n, lexicons)}
    return found.pop() if len(found) == 1 else None


def is_clipping(short: str, long: str, lexicons: OrgLexicons) -> bool:
    """`short` clips the words of `long` and runs them together or keeps them apart: the start of
    its first word alone (`Fed` of `Federal Reserve`, three to five letters), or the starts of two
    or more of its words in order (`Lib Dems` of `Liberal Democrats`, `Conrail` of `Consolidated
    Rail Corp`, its designators left out), each of at least two letters, the first of three. Not
    its first words whole (`Boston University` of `Boston University School of Management`, which
    `longer_name_for` decides), nor ending in a designator (`Boeing Co`)."""
    if not short[:1].isupper() or not short.replace(" ", "").isalpha() or " " not in long \
            or is_word_prefix(short, long) or _bare(short.split()[-1]) in lexicons.designators:
        return False
    words = [w.lower() for w in long.split()]
    while len(words) > 2 and _bare(words[-1]) in lexicons.designators:
        words.pop()
    if " " not in short and 3 <= len(short) <= 5 and words[0] != short.lower() and words[0].startswith(short.lower()):
        return True  # `Fed`
    letters = short.replace(" ", "").lower()
    if letters.endswith("s") and words[-1].endswith("s"):
        letters = letters[:-1]  # `Dems` of `Democrats`
    return short != long and _clips(letters, words, 0, first=True)


def _clips(letters: str, words: list[str], i: int, first: bool = False) -> bool:
    """`letters` are the starts of words[i], words[i + 1], ..., at least two of them."""
    if not letters:
        return i >= 2
    if i == len(words):
        return False
    shortest = 3 if first else 2
    return any(words[i].startswith(letters[:k]) and _clips(letters[k:], words, i + 1)
               for k in range(min(len(letters), len(words[i])), shortest - 1, -1))


def _one_inner_acronym(name: str, names: Iterable[str], lexicons: OrgLexicons) -> str | None:
    """The one company whose name holds the acronym `name` as an inner word (`H.R.S.` of
    `International H.R.S. Industries Inc`): the words around it are what the short form drops."""
    if not is_acronym(name):
        return None
    found = {n for n in names if is_company(n, lexicons) and name in n.split()[1:-1]}
    return found.pop() if len(found) == 1 else None


def _one_longest(name: str, longer: set[str]) -> str | None:
    ordered = sorted(longer, key=lambda n: (len(n), n))  # a fixed order, whatever the hash seed
    if not ordered or not all(is_word_prefix(n, ordered[-1]) or n == ordered[-1] for n in ordered):
        return None
    return ordered[-1]


def units_of_parents(text: str, names: Iterable[str], lexicons: OrgLexicons) -> frozenset[tuple[str, str]]:
    """(parent, unit) pairs of names where the unit's name starts with the parent's and the text
    calls it a unit of it (`Toyota Tsusho Corp, a unit of Toyota`, `Toyota's trading arm Toyota
    Tsusho`, `Toyota-owned Toyota Tsusho`, `Ford Motor Co of Canada Ltd, 90 pct owned by Ford Motor
    Co`): the parent's bare name is then not a short form of
    the unit's (Toyota is not Toyota Tsusho)."""
    units = "|".join(re.escape(w) for w in sorted(lexicons.unit_nouns, key=len, reverse=True))
    names = {normalize_name(n) for n in names}
    pairs = set()
    for unit in names:
        for parent in names:
            if parent == unit or not is_word_prefix(parent, unit):
                continue
            p, u = re.escape(parent), re.escape(unit)
            # what every form below holds, found first: the full pattern costs a compile per pair
            if not re.search(rf"\b(?:of|by)\s+(?:the\s+)?{p}(?![\w&])|(?<![\w&]){p}(?:['’]s\s|-(?:owned|controlled)\s)", text):
                continue
            if re.search(rf"{u}[^.;]{{0,60}}?\b(?:{units})\s+of\s+(?:the\s+)?{p}(?![\w&])"
                         rf"|{u},?\s+(?:[0-9.]+\s*(?:pct|%|per\s*cent|percent)\s+|wholly\s+|majority\s+)?"
                         rf"(?:owned|controlled)\s+by\s+(?:the\s+)?{p}(?![\w&])"
                         rf"|(?<![\w&]){p}['’]s\s+(?:[a-z-]+\s+)?(?:{units})\s*,?\s+{u}"
                         rf"|(?<![\w&]){p}-(?:owned|controlled)\s+{u}", text):
                pairs.add((parent, unit))
    return frozenset(pairs)


def resolve_canonicals(names: Sequence[str], expansions: Mapping[str, str],
                       lexicons: OrgLexicons, places: frozenset[str] = frozenset(),
                       units: frozenset[tuple[str, str]] = frozenset()) -> dict[str, str]:
    """Each distinct name's canonical in one document (guidelines, ORG `value`).

    An acronym's canonical is its expansion's canonical; a shortened name takes the one longer
    name it is a word-prefix of (`longer_name_for`), leaving out the longer names the text calls
    units of it (`units`, from `units_of_parents`); otherwise the longest spelling-equivalent name (`Time Warner`
    for `TimeWarner`). Names are compared after whitespace normalization; `places` are the
    document's place names.
    """
    distinct = list(dict.fromkeys(normalize_name(n) for n in names))
    spellings: dict[str, list[str]] = {}
    for name in distinct:
        spellings.setdefault(name_key(name), []).append(name)

    def resolve(name: str, seen: frozenset[str] = frozenset()) -> str:
        if name in expansions and name not in seen:
            return resolve(normalize_name(expansions[name]), seen | {name})
        same = spellings.get(name_key(name), [name])
        seen = seen | set(same) | {name}
        results = []
        for spelling in same:
            longer = longer_name_for(spelling, [n for n in distinct if (spelling, n) not in units], lexicons, places)
            results.append(resolve(longer, seen) if longer and longer not in seen else spelling)
        return max(results, key=len)

    return {name: resolve(name) for name in distinct}


# --------------------------------------------------------------------------- records

def group_organizations(spans: Iterable[Mapping]) -> list[dict]:
    """One document's ORG spans grouped by canonical (case-insensitive), so records can count
    organizations rather than strings: `[{"canonical", "mentions": [(start, end), ...]}]`, in
    order of first mention. A span without a value counts under its own text."""
    groups: dict[str, dict] = {}
    for span in sorted((s for s in spans if s["label"] == "ORG"), key=lambda s: (s["start"], s["end"])):
        canonical = (span.get("value") or {}).get("canonical") or span["text"]
        group = groups.setdefault(canonical.lower(), {"canonical": canonical, "mentions": []})
        group["mentions"].append((span["start"], span["end"]))
    return list(groups.values())
