"""Names the text presents as products, brands, platforms, indexes or rates: not ORG.

The guidelines take a name as ORG only where the text presents it as a company or institution.
The model says ORG for `Boeing` in `Boeing 737s`, `iPod` in `the iPod line` and `Dow Jones` in
`the Dow Jones fell`; these context tests undo that:
- a model designator right after the name (`Boeing 737s`, `Airbus A320`, `Galaxy S8`) makes
  that one mention a product, and a release number (`Firefox 1.0`) the name in the whole
  document; a name right after a maker and a model number (`Boeing 737 MAX`) is the model's in
  the whole document;
- a product noun right after a mention makes that mention a product (`Boeing models` leaves
  Boeing a company elsewhere; `the iPod line`, a name in lower-case camel style, everywhere);
- a brand noun after any occurrence (`the Porsche brand`), a product or work descriptor right
  before it or in its apposition (`sports car brand Porsche`, `Tmall, Alibaba's e-commerce
  platform,`, `horror film The Grudge`), `a network called X`, or an article that counts it
  (`bought an iPod.`) makes the name a product in the whole document, and so does `the` with the
  name and a work noun (`the Painkiller game`, `the Cell processor`) when no mention of the name
  acts as a body (`Cell said`, `Cell officials`, `Cell Inc`);
- a name from the market-index lexicon (`FTSE 100`, `Libor`), or one followed by `index`, is
  an index or rate, and one from the award lexicon (`the Oscars`, `a Bafta`) a thing won;
- a debt issuer's name before a security noun or a coupon (`Treasury bills`, `the Treasury 10
  pct due 1991`) is the instrument.
A company designator after the name (`Dow Jones & Co`, `Porsche AG`) always keeps it ORG.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.normalize.money import currency_table
from pipeline.organizations import OrgLexicons, head_word, occurrences

Range = tuple[int, int]

# 737, 747s, 737-800, A320, A380s, S8, MD-11, RAV4: letters at most three, then digits.
_MODEL = re.compile(r"[ \t]+(?:[A-Z]{0,3}-?\d{2,4}[A-Za-z]?s?|[A-Z]{1,2}\d)(?:-\d{1,4})?\b(?![.,]\d|[ \t]*(?:%|pct|per\b|percent\b))")
_MODEL_LAST = re.compile(r"[ \t](?:[A-Z]{1,3}-?\d{2,4}[A-Za-z]?s?|\d{3}s?)$")  # `First Airbus A380`
_COUPON_AFTER = re.compile(r"[ \t]+[0-9][0-9./-]*[ \t]+(?:pct|percent|%)")  # `Treasury 10 pct due 1991`
_YEAR_AFTER = re.compile(r"[ \t]+(?:1[89]|20)\d\d\b")
# `Firefox 1.0,`, `DOS 3.3 in`: a release number after a name, where a phrase or clause goes on
# (not `Hong Kong 6.4 billion`, `Revs 237.2 mln`, a table's `Domestic Use 14.54  14.54`).
VERSION_END = re.compile(r"(?![0-9.,][0-9])(?=[ \t]*(?:[,;)]|[ \t][-\u2013][ \t]|\n|$)|[ \t]+(?:in|is|was|has|had|and|or|which|that|will|on|for|with|from|by)\b)")
_VERSION_AFTER = re.compile(rf"[ \t]+(?:[Vv]ersion[ \t]+)?[0-9]{{1,2}}\.[0-9]{{1,2}}{VERSION_END.pattern}")
# `Boeing 737` + `MAX`: a maker's name and a model number before a name make it the model's own.
_MAKER_MODEL_BEFORE = re.compile(r"\b[A-Z][a-z]+[ \t]+(?![12][089]\d\d\b)(?:[A-Z]{1,3}-?\d{2,4}|\d{3,4})[A-Za-z]?[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z&][A-Za-z&-]*)")
_WORD_BEFORE = re.compile(r"([a-z-]+)[ \t]+(?:The[ \t]+)?$")  # `film The Chorus`: a title's own `The`
_CALLED = re.compile(r"([a-z-]+)[ \t]+(?:called|named|dubbed|known[ \t]+as)[ \t]+$")
_ARTICLE_BEFORE = re.compile(r"(?<![\w-])(?:a|an)[ \t]+$")
_SPEECH = frozenset({"said", "says", "announced", "added", "told"})  # a body speaks; a game `has been described`
_NUMBER_BEFORE = re.compile(r"\d[ \t]+$")
THE_BEFORE = re.compile(r"(?<![\w-])[Tt]he[ \t]+$")  # also the orgs component's
_PHRASE_END = re.compile(r"[ \t]*(?:[.,;:!?)\"”]|$)")
# A name among the examples of a plural noun: `sites such as Google, Amazon, eBay and` + `Yahoo`.
_LISTED_AFTER = re.compile(r"\b([a-z]+),?[ \t]+\(?(?:such[ \t]+as|like|including)[ \t]+"
                           r"(?:(?:[A-Z]|[a-z][A-Z])[\w.&'’-]*(?:[ \t]+[A-Z][\w.&'’-]*)*[ \t]*(?:,[ \t]*)?(?:(?:and|or)[ \t]+)?)*$")
_APPOSITION = re.compile(r",[ \t]+((?:[\w'’&.-]+[ \t]+){0,5}?)([a-z-]+)[ \t]*[,;.)]")


def _designator_after(text: str, end: int, lexicons: OrgLexicons) -> bool:
    after = _WORD_AFTER.match(text, end)
    return bool(after) and (after.group(1).lower() in lexicons.designators or after.group(1) == "&")


def is_competition(name: str, after: re.Match | None, lexicons: OrgLexicons) -> bool:
    """`the UEFA Nations League group match`: a league's name is its competition, an event,
    unless the name acts (`a National Football League spokesman`, `the Premier League said`);
    `after` is the word after the name."""
    last = name.split()[-1].lower()
    if last == "group" and after and re.fullmatch(r"[A-H]", after.group(1)) or re.fullmatch(r"Group [A-H]", name):
        return True  # `UEFA Champions League Group G match`, `top spot in Group A`
    if last not in lexicons.competition_heads:
        return False
    return not (after and (after.group(1).lower() in lexicons.role_nouns or after.group(1).lower() in lexicons.acting_words))


def _presented_as_product(text: str, start: int, end: int, lexicons: OrgLexicons) -> bool:
    after = _WORD_AFTER.match(text, end)
    if after and (after.group(1) in lexicons.brand_nouns  # lower case as written: `the Porsche brand`
                  or (after.group(1) in lexicons.product_nouns and text[start:start + 1].islower())):
        return True  # `the iPod line`: a name in lower-case camel style is the product's own
    if _VERSION_AFTER.match(text, end):
        return True  # `Firefox 1.0`: a release of a program, a product's model
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if before and before.group(1) in lexicons.product_descriptors:
        return True
    if end - start <= 4 and _MAKER_MODEL_BEFORE.search(text, max(0, start - 30), start):
        return True  # `the Boeing 737 MAX`: the short rest of a model's designation
    called = _CALLED.search(text, max(0, start - 40), start)
    if called and called.group(1) in lexicons.thing_nouns:  # `a network called LokiTorrent`
        return True
    apposition = _APPOSITION.match(text, end)
    if apposition and apposition.group(2) in lexicons.product_descriptors:
        return True
    listed = _LISTED_AFTER.search(text, max(0, start - 120), start)
    if listed and listed.group(1) in lexicons.thing_list_nouns and text[end:end + 2] not in ("'s", "’s"):
        return True  # `sites such as Google, Amazon and eBay`; not the maker in `like Apple's Safari`
    # `had purchased an iPod.`: a name counted with an article and heading its noun phrase is a thing
    return bool(_ARTICLE_BEFORE.search(text, max(0, start - 4), start) and _PHRASE_END.match(text, end))


@cache
def _currency_codes() -> frozenset[str]:
    return frozenset(c.code for c in currency_table())


@cache
def _currency_words() -> frozenset[str]:
    """The plain currency words, capitalized (`Cent`, `Dollar`)."""
    return frozenset(c.surface.capitalize() for c in currency_table() if c.surface.isalpha() and c.surface.islower())


@cache
def _currency_family_after() -> re.Pattern[str]:
    """`Swiss` + ` franc notes`, `Hong Kong` + ` dollar`: a place's word that names a currency."""
    families = sorted({c.family for c in currency_table() if c.family}, key=lambda f: (-len(f), f))
    return re.compile(rf"[ \t]+(?:{'|'.join(map(re.escape, families))})s?\b")


def _named_as_work(text: str, spans: list[Range], lexicons: OrgLexicons) -> bool:
    """`the Painkiller game`, `the Cell processor` at one occurrence, and no occurrence acting as a
    body (`Painkiller said`, `Cell officials`, `Cell Inc`, `broadcaster ESPN`); but a broadcaster's show is its own
    (`the Channel 4 show`, `the BBC series`)."""
    if spans and any(word.lower() in lexicons.channel_heads for word in text[spans[0][0]:spans[0][1]].split()):
        return False
    def word_after(end: int) -> str:
        after = _WORD_AFTER.match(text, end)
        return after.group(1) if after else ""
    if not any(word_after(e) in lexicons.work_nouns and THE_BEFORE.search(text, max(0, s - 5), s) for s, e in spans):
        return False
    return not any(word_after(e) in _SPEECH or word_after(e) in lexicons.role_nouns
                   or _designator_after(text, e, lexicons) or _described_before(text, s, lexicons) for s, e in spans)


def _described_before(text: str, start: int, lexicons: OrgLexicons) -> bool:
    """`Sports broadcaster ESPN`, `games firm Sega`: a descriptor of a company right before the name."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    return before is not None and before.group(1).lower() in lexicons.descriptors


def _a_body(name: str, lexicons: OrgLexicons) -> bool:
    """A party or an institution by its name (`the Conservatives 44 and the Centre Party 37`,
    seats won): a number after it is no model designator."""
    return name.lower() in lexicons.political_parties or head_word(name, lexicons) in lexicons.institution_heads


def product_mentions(text: str, mentions: list[Range], lexicons: OrgLexicons) -> set[Range]:
    """The mentions, among candidate ORG `mentions`, that name a product, brand, index, rate, facility,
    competition, award (`the Oscars`) or currency (`$199 (USD)`, `Swiss franc`)."""
    names = {text[s:e] for s, e in mentions}
    spans = {name: occurrences(text, name) for name in names}
    product_names = {name for name, found in spans.items()
                     if any(_presented_as_product(text, s, e, lexicons) for s, e in found)
                     or _named_as_work(text, found, lexicons)}
    out = set()
    for start, end in mentions:
        name = text[start:end]
        after = _WORD_AFTER.match(text, end)
        debt = name.split()[-1].lower() in lexicons.debt_issuers \
            and (after and after.group(1) in lexicons.security_nouns or _COUPON_AFTER.match(text, end))
        if _designator_after(text, end, lexicons) and not debt:
            continue  # `Nomura Securities`, but `Treasury securities` are the debt
        if (name in product_names or name.lower() in lexicons.market_indexes or name.lower() in lexicons.award_names
                or name.lower() in lexicons.commodity_grades or name in _currency_codes()
                or (name in _currency_words() and _NUMBER_BEFORE.search(text, max(0, start - 8), start))  # `50 Cent`
                or _currency_family_after().match(text, end)
                or any(word.lower() in lexicons.product_names for word in name.split())
                or (after and after.group(1).lower() in lexicons.product_names)  # `Sony PlayStation 2`
                or is_competition(name, after, lexicons)
                or (name.split()[-1] in ("Men", "Women") and text[end:end + 2] in ("'s", "’s"))  # `ITTF Men's World Cup`
                or _MODEL_LAST.search(name)
                or (after and f"{name.split()[-1]} {after.group(1)}".lower() in lexicons.rate_names)  # `Fed funds`
                or debt  # `Treasury bonds`, `the Treasury 10 pct`
                or (after and (after.group(1).lower() in ("index", "indices", "average")
                               or after.group(1) in lexicons.product_nouns  # `the iPod line`: this mention
                               or after.group(1) in lexicons.facility_nouns))  # `the Musita-Lumino road`
                or (_MODEL.match(text, end) and not _YEAR_AFTER.match(text, end) and not _a_body(name, lexicons))):
            out.add((start, end))
    return out
