"""spaCy factory `news_orgs`: ORG mentions with guideline boundaries and a canonical name.

Candidates come from the model's ORG entities, from rules as data (Matcher patterns in
`patterns/org_patterns.jsonl` over the word lists of `patterns/org_lexicons.json`), from Reuters'
`<Name Corp>` brackets, from the dateline's agency (`(Xinhua) --`) and from examples after
`companies such as`. Each is cut into the names it holds and filtered by
`pipeline.organizations`; overlaps keep the strongest source, then the longer name. Then
document-wide links: an acronym defined in the text (Schwartz & Hearst, `pipeline.acronyms`) is
ORG at every mention when its long form is one, with the long form's canonical; a company's
shorter word-prefixes (`Airbus` for `Airbus Industrie`) and repeated names become mentions too.
Last, names the text presents as products, brands, indexes or rates are dropped (`pipeline.products`).

Each candidate carries its rule id, which becomes the span's `source` (docs/sources.md): the
pattern id of `org_patterns.jsonl` (`news_orgs:pattern.head-of-name`), `model:ner` for a model
entity kept as it is, or the step that decided the name's boundaries (`news_orgs:acronym`,
`news_orgs:split_org`, `news_orgs:name_repeat`...).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.acronyms import Abbreviation, expansions, find_abbreviations, initials_expansions, short_form_mentions
from pipeline.components.merge import MODEL_SOURCE, in_ranges
from pipeline.gazetteer import nation_names, place_names
from pipeline.products import THE_BEFORE, is_competition, product_mentions
from pipeline.sports import SportsCopy
from pipeline.wordflags import WordTests
from pipeline.extensions import doc_text, register_extensions
from pipeline.organizations import (
    COUNTRY_WORD,
    OrgLexicons,
    company_for_prefix,
    company_prefixes,
    default_lexicons,
    head_word,
    is_clipping,
    is_company,
    is_org_like,
    normalize_name,
    occurrences,
    short_forms,
    org_name_problem,
    resolve_canonicals,
    split_org,
    trim_org,
    units_of_parents,
    written_in_lower_case,
)

COMPONENT = "news_orgs"

Take = Literal["all", "after_first", "leading_name"]
Verdict = Literal["org", "unknown", "not"]
# Where a candidate comes from: `<Name Corp>`, a dateline's agency, an acronym definition, an
# institution pattern, the model, a descriptor or list context, a repeated or shortened name.
Source = Literal["bracket", "dateline", "definition", "club", "rule", "model", "descriptor", "context", "link"]
_RULE_KEYS = {"id", "take", "why", "pattern", "source"}
# Sources in order of trust when candidates overlap (lower wins), then the longer name wins.
SOURCE_RANK: dict[Source, int] = {"bracket": 0, "dateline": 0, "definition": 1, "club": 1, "rule": 1, "model": 2,
                                  "descriptor": 3, "context": 3, "link": 4}
# Sources that may name what the model mostly calls a place (`<Republic Health Corp>` is given,
# and so is `BT, the UK's biggest internet supplier,`, and `Manchester United`).
_OVERRIDE_PLACES = {"bracket", "dateline", "definition", "descriptor", "club"}
_NON_ORG_LABELS = {"GPE", "LOC", "NORP", "EVENT", "LAW", "FAC", "PRODUCT", "WORK_OF_ART", "LANGUAGE"}
_WORD = re.compile(r"[ \t]+([\w-]+)")
_TITLE_OF = re.compile(r"\b([\w-]+)[ \t]+of[ \t]+(?:the[ \t]+)?$")  # `minister of` + `Works and Transport`
_SPEECH = re.compile(r"[ \t]+(?:also[ \t]+)?(?:said|says|announced|added|agreed|pleaded)\b")
_AND = re.compile(r"[ \t]+(?:and|&)[ \t]+")
_PARTNERS_TAIL = re.compile(r"[A-Z][\w'.-]* (?:and|&) [A-Z]")  # `Peabody and Co Inc`
_PARTNERS_BEFORE = re.compile(r"(?<![\w'.-])((?:[A-Z][\w'.-]*, )+)$")  # `Kidder, `
_TICKER_AFTER = re.compile(r"[ \t]*<([A-Z]{2,5})(?:\.[A-Z]{1,2})?>")  # `Supermarkets General Corp` + ` <SGL>`
_LIST_SEPARATOR = re.compile(r",[ \t]+|,?[ \t]+(?:and|&)[ \t]+")  # between the names of a list
_AFTER_POSSESSIVE = re.compile(r"[ \t]*([A-Za-z][\w-]*|\S|$)")
# What may follow `X's` that leaves it no possessed noun: `Macy's and`, `McDonald's are listed`,
# `Marshall Field's,`; not a number or a quote (`Unison's 800,000 workers`, `Labour's "unfair" taxes`).
_NO_NOUN_AFTER = frozenset({"and", "or", "is", "are", "was", "were", "has", "have", "had", "said", "says", "will",
                            "would", "to", "in", "at", "for", "of", "on", "with", "from", "by",
                            ",", ".", ";", ":", ")", "-", "–", ""})
_BRACKET_NAME = re.compile(r"<([^<>\n]{2,80})>")
_TICKER = re.compile(r"^[A-Z0-9&\-]{1,6}(?:\.[A-Z]{0,3})?$")  # BAN, PGLO.AS, EAF. (a full stop kept)
# The agency of a dateline: `ZHUJI, China, Nov. 9 (Xinhua) --`, `NEW YORK (AP) —`.
_DATELINE_AGENCY = re.compile(r"(?:\b\d{1,2}|\b[A-Z]{2,})\s*\(\s*([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,2})\s*\)\s*(?:--|—|–)")
_NAME_TOKEN = re.compile(r"^(?:[A-Z]|[0-9]+[A-Za-z])")
_ACRONYM = re.compile(r"[A-Z]{2,4}")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# The place of a dateline: `ZHUJI, China, Nov. 9 (Xinhua) --`, `NEW YORK, March 3 -`, and in a wire
# digest, capitals before a spaced dash at a line's start or after a routing code.
_DATELINE_PLACE = re.compile(rf"\b[A-Z][A-Z.'\- ]*[A-Z](?=,(?: [A-Z][\w.]*)*,? {_MONTH} \d{{1,2}}\b)"
                             r"|(?:^|(?<=\n)|(?<=\) ))[A-Z]{2}[A-Z.' ]*[A-Z](?= - )")  # `(NRBK 0622) LUXEMBOURG - `


@dataclass(frozen=True)
class OrgRule:
    """One Matcher pattern; `take` says which part of a match is the name, `source` how much
    the rule is trusted against the model (`rule` for whole names, `descriptor` when the text
    says what the name is, `context` otherwise)."""

    id: str
    take: Take
    pattern: list[dict]
    source: Source


def _resolve_refs(value, lexicons: OrgLexicons, rule_id: str):
    """Replace `"@list_name"` by that lexicon's words, so patterns and lists share one source."""
    if isinstance(value, str) and value.startswith("@"):
        words = getattr(lexicons, value[1:], None)
        if words is None:
            raise ValueError(f"org rule {rule_id!r}: unknown lexicon {value!r}")
        return sorted(words)
    if isinstance(value, dict):
        return {k: _resolve_refs(v, lexicons, rule_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_refs(v, lexicons, rule_id) for v in value]
    return value


def parse_rule(entry: dict, lexicons: OrgLexicons) -> OrgRule:
    unknown = set(entry) - _RULE_KEYS
    if unknown or entry.get("take") not in get_args(Take) or not entry.get("pattern"):
        raise ValueError(f"bad org rule {entry.get('id')!r}: unknown keys {sorted(unknown)}, "
                         f"take {entry.get('take')!r} or empty pattern")
    source = entry.get("source", "rule" if entry["take"] == "all" else "context")
    if source not in ("rule", "descriptor", "context"):
        raise ValueError(f"bad org rule {entry.get('id')!r}: source {source!r}")
    return OrgRule(entry["id"], entry["take"], _resolve_refs(entry["pattern"], lexicons, entry["id"]), source)


def load_rules(text: str, lexicons: OrgLexicons) -> list[OrgRule]:
    return [parse_rule(json.loads(line), lexicons) for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    source: Source  # how much it is trusted
    rule: str  # what proposed it: the span's `source` (docs/sources.md)

    @property
    def rank(self) -> tuple[int, int, int]:
        return (SOURCE_RANK[self.source], self.start - self.end, self.start)


@dataclass(frozen=True)
class PlaceNames:
    """What the model calls a place (GPE, LOC, NORP) in one document, by strength of evidence:
    `mostly` more than half the times the name stands alone (so some mislabelled `Alibaba`s do
    not make a company a place); `voted` more often than it calls it ORG (`Wales` the team, but
    not `Nokia` once taken for a GPE); `any` at least once."""

    mostly: frozenset[str]
    voted: frozenset[str]
    any: frozenset[str]
    groups: frozenset[str]  # only ever NORP: a rule or a descriptor may say it is an organization


_COMPASS = re.compile(r"\s+(?:(?:North|South)(?:[ -]?(?:East|West))?|East|West|Central)$")


def _part_of_place(name: str) -> bool:
    """A known place and a compass point or `Central` after it names a part of that place."""
    found = _COMPASS.search(name)
    return found is not None and name[:found.start()] in place_names()


_LOCATIVE_BEFORE = re.compile(r"(?:\b(?P<word>[A-Za-z]+)\s+)?\b(?P<preposition>[A-Za-z]+)\s+"
                              r"(?:parts\s+of\s+)?(?:(?:northern|southern|eastern|western|central)\s+)?$")
_LEADER_ADMINISTRATION = re.compile(r"[A-Z][a-z]+ [Aa]dministration")
_CREDIT_AFTER = re.compile(r"[\"'’”]?[ \t]*(?:[-,–(][ \t]*)?([A-Za-z-]+(?:[ \t]+(?:by|stars))?)\b")
_ON_SUNDAY = re.compile(r" on Sunday\b")
_MINISTERS = frozenset({"minister", "ministers", "secretary", "secretaries", "ministry", "department"})


_LAST_WORD = re.compile(r"([A-Za-z]+)\s+$")


_CLUB_PAIR = re.compile(r"([A-Z][\w'’-]+)[ \t]+(?:and|v|vs)[ \t]+([A-Z][\w'’-]+)")


def _club_pairs(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """In sports copy, a model name of two one-word names joined by `and` or `v` (`a game between
    Arsenal and Chelsea`) is the two clubs, each then tested as a town or player on its own."""
    out = []
    for c in chosen:
        pair = _CLUB_PAIR.fullmatch(text, c.start, c.end) if c.source == "model" else None
        if pair is None:
            out.append(c)
        else:
            out += [Candidate(pair.start(k), pair.end(k), c.source, c.rule) for k in (1, 2)]
    return out


_SHORT_FORM_AFTER = re.compile(r"[ \t]*\(([A-Z][A-Za-z&]{1,9})\)")


def _spells_second_only(text: str, start: int, end: int) -> bool:
    """Whether the bracketed short form after a name spells the initials of `text[start:end]`,
    the part after its `and`: then the short form names that part alone."""
    short = _SHORT_FORM_AFTER.match(text, end)
    initials = "".join(word[0] for word in text[start:end].split() if word[0].isupper())
    return short is not None and len(initials) >= 2 and initials.upper() == short.group(1).upper()


def _overlaps(start: int, end: int, chosen: list[Candidate]) -> bool:
    return any(start < c.end and c.start < end for c in chosen)


def _ticker_names(text: str, chosen: list[Candidate]) -> dict[str, str]:
    """`Supermarkets General Corp <SGL>` and then `SGL said`: wire copy names a company by the
    ticker it gave after the name; the ticker stands for that name (as an acronym its long form)."""
    names = {text[c.start:c.end] for c in chosen}
    out = {}
    for c in chosen:
        ticker = _TICKER_AFTER.match(text, c.end)
        if ticker and ticker.group(1) in names and ticker.group(1) != text[c.start:c.end]:
            out[ticker.group(1)] = normalize_name(text[c.start:c.end])
    return out


def _clipped_names(text: str, chosen: list[Candidate], lexicons: OrgLexicons) -> dict[str, str]:
    """`the Fed` after `the Federal Reserve`, `Lib Dems` after `Liberal Democrats`, `Conrail` after
    `Consolidated Rail Corp`: a name that clips exactly one longer name of the text
    (`is_clipping`) stands for it."""
    names = {normalize_name(text[c.start:c.end]) for c in chosen}
    longer = [n for n in names if " " in n]
    out = {}
    for name in names:
        clipped = [n for n in longer if is_clipping(name, n, lexicons)]
        if len(clipped) == 1:
            out[name] = clipped[0]
    return out


def _among_persons(ents: list[Span], index: int, text: str) -> bool:
    """The entity is an item of a list (commas, `and`) whose other items the model calls persons,
    two or more, and none an organization: a person the model mistyped."""
    labels = []
    for step in (-1, 1):
        k = index
        while 0 <= k + step < len(ents):
            first, second = sorted((k, k + step))
            if not _LIST_SEPARATOR.fullmatch(text, ents[first].end_char, ents[second].start_char):
                break
            k += step
            labels.append(ents[k].label_)
    return labels.count("PERSON") >= 2 and "ORG" not in labels


def choose(candidates: list[Candidate]) -> list[Candidate]:
    """Greedy non-overlapping choice: trusted source first, then longer, then earlier (then the
    rule id, so that the same name from two rules keeps the same one on every run)."""
    chosen: list[Candidate] = []
    for cand in sorted(set(candidates), key=lambda c: (c.rank, c.source, c.rule)):
        if not _overlaps(cand.start, cand.end, chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def _isolated(text: str, start: int, end: int, lexicons: OrgLexicons,
              name_ends: frozenset[int] = frozenset()) -> bool:
    """A repeated name stands alone: not glued to a neighbouring capitalized word (`Airbus`
    but not the `American` of `American Express`) nor to a slash. A capitalized word before it
    that ends another name (`told Reuters Sandoz`) or a hyphenated adjective (`N.Y.-based
    Norstar`) is no part of it."""
    if "/" in (text[start - 1:start], text[end:end + 1]):
        return False  # part of a credit or a path: `(People's Daily Online/Wang Jianfeng)`
    after = re.match(r"[ \t]+(\S+)", text[end:end + 40])
    if after and _NAME_TOKEN.match(after.group(1)) and after.group(1).lower() not in lexicons.name_breakers:
        return False
    before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40):start])
    if before and max(0, start - 40) + before.end(1) not in name_ends:
        word = before.group(1)
        if (_NAME_TOKEN.match(word) and word[-1] not in ".!?:;,\"”'’)"
                and not ("-" in word and word.rsplit("-", 1)[1].islower())
                and word.lower() not in lexicons.leading_words):
            return False
    return True


@Language.factory("news_orgs", default_config={"patterns_path": None, "lexicons_path": None})
def make_orgs(nlp: Language, name: str, patterns_path: str | None, lexicons_path: str | None) -> "NewsOrgs":
    lexicons = (OrgLexicons.from_dict(json.loads(Path(lexicons_path).read_text(encoding="utf-8")))
                if lexicons_path else default_lexicons())
    rules_text = (Path(patterns_path).read_text(encoding="utf-8") if patterns_path else
                  resources.files("pipeline.patterns").joinpath("org_patterns.jsonl").read_text(encoding="utf-8"))
    return NewsOrgs(nlp, lexicons, load_rules(rules_text, lexicons))


class NewsOrgs:
    def __init__(self, nlp: Language, lexicons: OrgLexicons, rules: list[OrgRule]):
        register_extensions()
        self.lexicons = lexicons
        self.rules = {rule.id: rule for rule in rules}
        self.list_noun_ids = frozenset(map(get_string_id, lexicons.list_nouns))  # hashes of token.lower
        titles = "|".join(re.escape(t.rstrip(".")).capitalize() for t in sorted(lexicons.person_titles))
        self.titled_surname = re.compile(rf"\b(?:{titles})\.?[ \t]+([A-Z][a-z]+)\b")  # `Dr Nielsen`, `Mr Blair`
        roles = "|".join(re.escape(r) for r in sorted(lexicons.person_roles))
        # `spokesman Glyn Davies`, `boss Bernie Ebbers`: the last word of the name after a person's role
        self.role_surname = re.compile(rf"\b(?:{roles}),?[ \t]+(?:[A-Z][\w'’-]*[ \t]+){{1,2}}([A-Z][\w'’-]+)\b(?![ \t]+[A-Z])")
        suffixes = "|".join(re.escape(s) for s in sorted(lexicons.comma_suffixes, key=lambda s: (-len(s), s)))
        self.comma_suffix = re.compile(rf",[ \t]*((?:{suffixes})\.?)(?![\w-])")  # `Petroleos de Venezuela, S.A.`
        self.firm_possessions = "|".join(map(re.escape, sorted(self.lexicons.firm_possessions)))  # `X's profits`
        self.firm_verbs = "|".join(map(re.escape, sorted(self.lexicons.firm_verbs)))  # `X, which floated`
        self.sports = SportsCopy(lexicons)
        self.word_tests = WordTests.of(nlp.vocab)
        Matcher(nlp.vocab, validate=True).add("check", [rule.pattern for rule in rules])  # before the flags
        self.matcher = Matcher(nlp.vocab, validate=False)  # its schema knows no flags
        for rule in rules:
            self.matcher.add(rule.id, [self.word_tests.rewrite(rule.pattern)], greedy="LONGEST")

    # ------------------------------------------------------------------ candidates
    def _model_candidates(self, doc: Doc, sports: bool) -> list[Candidate]:
        """The model's ORG entities (`model:ner`); an ORG right after a GPE or ORG (`the
        Guangzhou` + `Loong Lions`: `model_join`) or an acronym (`PC` + `Pro Magazine`:
        `model_acronym`) is one name, and a trailing lower-case institution head joins it (`...
        Research center`: `model_head`), as does a legal suffix after a comma (`..., S.A.`). A
        place or person the model found that is a club's name is one too (`club_name`), and so is
        a person the text treats as a firm (`person_firm`)."""
        out: list[Candidate] = []
        previous = None
        text = doc_text(doc)
        ents = list(doc.ents)
        firms = self._person_firms(text, ents)
        for index, ent in enumerate(ents):
            start, end = ent.start_char, ent.end_char
            if ent.label_ == "ORG" and _among_persons(ents, index, text):
                previous = ent
                continue  # `the voices of Ewan McGregor, Halle Berry, Robin Williams`: one of the people
            if ent.label_ == "ORG":
                rule = MODEL_SOURCE
                if (previous is not None and previous.label_ in ("ORG", "GPE")
                        and text[previous.end_char:start] == " "):
                    start, rule = previous.start_char, f"{COMPONENT}:model_join"
                    out = [c for c in out if c.start != start]
                elif ent.start > 0 and _ACRONYM.fullmatch(doc[ent.start - 1].text) and not doc[ent.start - 1].ent_type_ \
                        and doc[ent.start - 1].whitespace_ == " ":
                    # `PC` + `Pro Magazine`: an acronym the model left out
                    start, rule = doc[ent.start - 1].idx, f"{COMPONENT}:model_acronym"
                following = doc[ent.end] if ent.end < len(doc) else None
                if (following is not None and following.lower_ in self.lexicons.lowercase_heads
                        and following.is_lower and not ent.text.endswith(("'s", "’s"))
                        and not is_org_like(ent.text, self.lexicons)):
                    end, rule = following.idx + len(following), f"{COMPONENT}:model_head"
                elif suffix := self.comma_suffix.match(text, end):
                    end, rule = suffix.end(1), f"{COMPONENT}:model_suffix"
                elif _ON_SUNDAY.match(text, end) and head_word(ent.text, self.lexicons) in self.lexicons.publication_heads:
                    end, rule = _ON_SUNDAY.match(text, end).end(), f"{COMPONENT}:model_sunday_title"  # `the Mail on Sunday`
                out.append(Candidate(start, end, "model", rule))
            elif ent.label_ in ("GPE", "LOC", "PERSON") and self._club_name(ent.text, sports):
                out.append(Candidate(start, end, "club", f"{COMPONENT}:club_name"))
            elif ent.label_ == "PERSON" and ent.text in firms:
                out.append(Candidate(start, end, "model", f"{COMPONENT}:person_firm"))
            previous = ent
        return out

    def _person_firms(self, text: str, ents: list[Span]) -> set[str]:
        """Names the model took for persons that the text treats as firms somewhere: `shares in
        Wimpey`, `Wimpey's profits`, `Laura Ashley, which floated in 1985`."""
        firms = set()
        for name in {e.text for e in ents if e.label_ == "PERSON"}:
            n = re.escape(name)
            if re.search(rf"\bshares\s+(?:in|of)\s+{n}\b|\b{n}['’]s\s+(?:{self.firm_possessions})\b"
                         rf"|\b{n},\s+which\s+(?:{self.firm_verbs})\b", text):
                firms.add(name)
        return firms

    def _club_name(self, name: str, sports: bool) -> bool:
        """`Manchester United`, `Bolton Wanderers`: a town and a club's last word name the club,
        whatever the model took them for; in sports copy `Manchester City` too, when the whole
        name is no place (`Mexico City`)."""
        *town, last = name.split()
        club = last.lower() in self.lexicons.club_suffixes or (
            sports and last.lower() in self.lexicons.sports_club_suffixes and name not in place_names())
        return bool(town) and club and " ".join(town) in place_names()

    def _rule_candidates(self, doc: Doc) -> list[Candidate]:
        self.word_tests.mark(doc)
        matches = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        out = []
        for span in filter_spans(matches):
            rule = self.rules[span.label_]
            if rule.take == "all":
                bounds = self._whole_name(doc, span.start, span.end, join_left=rule.id != "political-party")
                if bounds is None:
                    continue
                span = doc[bounds[0]:bounds[1]]
            tokens = list(span)
            if rule.take == "after_first":
                tokens = tokens[1:]
            elif rule.take == "leading_name":
                run = []
                for token in tokens:
                    if not _NAME_TOKEN.match(token.text) and token.text not in ("-", "&", "'s", "’s"):
                        break
                    run.append(token)
                tokens = run
            if tokens:
                out.append(Candidate(tokens[0].idx, tokens[-1].idx + len(tokens[-1]), rule.source,
                                     f"{COMPONENT}:pattern.{rule.id}"))
        return out

    def _is_name_token(self, token) -> bool:
        return bool(_NAME_TOKEN.match(token.text)) and token.lower_ not in self.lexicons.name_breakers

    def _whole_name(self, doc: Doc, start: int, end: int, join_left: bool = True) -> tuple[int, int] | None:
        """The token bounds of the whole name a rule matched part of: None when the name goes on
        to the right (`Zhangjiang Pharma` of `Zhangjiang Pharma Valley`, not a company), and a
        name coordinated inside (`Shell Transport and` + `Trading Plc`, `China Aerospace Science
        and` + `Industry Corp`) taken in on the left, unless `join_left` is off (a one-word party:
        `John Smith and` + `Labour`); never across `and the` (`the Observer and the Sunday Times`)."""
        gap = doc[end - 1].whitespace_
        if end < len(doc) and gap and "\n" not in gap and self._is_name_token(doc[end]) \
                and doc[end - 1].lower_ not in self.lexicons.sentence_end_suffixes:  # `... Co Ltd. They`
            return None
        if end + 1 < len(doc) and not gap and doc[end].text == "-" and not doc[end].whitespace_ \
                and self._is_name_token(doc[end + 1]):
            return None  # `the Guardian` of `Guardian-Morton`
        if join_left and start >= 2 and doc[start - 1].lower_ in ("and", "&") and self._is_name_token(doc[start - 2]) \
                and doc[start].lower_ != "the" \
                and doc[start - 2].lower_.rstrip(".") not in self.lexicons.legal_suffixes \
                and doc[start - 2].lower_ != doc[end - 1].lower_:  # `(HK) Ltd and`; `Radical Democrats and`
            left = start - 2
            while left > 0 and self._is_name_token(doc[left - 1]) and "\n" not in doc[left - 1].whitespace_:
                left -= 1
            lines_of_business = all(t.lower_ in self.lexicons.business_nouns or t.lower_.rstrip(".") in self.lexicons.designators
                                    for t in doc[start:end])  # `Yasuda Trust and` + `Banking Co Ltd`
            if lines_of_business or not is_org_like(doc[left:start - 1].text, self.lexicons):  # `Gencorp Inc and` is a name
                start = left
        return start, end

    def _list_candidates(self, doc: Doc) -> list[Candidate]:
        """`companies such as Chanel and Dior`, `centers (including Pfizer and Roche)`, `its
        customers include Boots and Burberry`, `retailers - including HMV, Monsoon`: the examples of
        a plural organization noun are organizations."""
        out = []
        for i, lower in enumerate(doc.to_array("LOWER").tolist()):
            if lower not in self.list_noun_ids:
                continue
            j = i + 1
            if j < len(doc) and doc[j].text in ("(", ",", "-", "–", "—"):
                j += 1  # `centers (including`, `other retailers - including`
            if j < len(doc) and doc[j].lower_ in ("like", "including", "include", "includes", "included"):
                j += 1
            elif j + 1 < len(doc) and doc[j].lower_ == "such" and doc[j + 1].lower_ == "as":
                j += 2
            else:
                continue
            while j < len(doc):
                if doc[j].lower_ == "the" and j + 1 < len(doc) and _NAME_TOKEN.match(doc[j + 1].text):
                    j += 1  # `..., the World Development Movement, and War on Want`
                run_start = j
                while j < len(doc):
                    if (_NAME_TOKEN.match(doc[j].text) or (j > run_start and doc[j].text in ("-", "&", "."))) \
                            and doc[j].lower_ not in self.lexicons.name_breakers:
                        j += 1
                    elif j > run_start and (inner := self._inner_words(doc, j)):
                        j += inner  # `Friends of the Earth`, `War on Want`
                    else:
                        break
                if j == run_start:
                    break
                out.append(Candidate(doc[run_start].idx, doc[j - 1].idx + len(doc[j - 1]), "context",
                                     f"{COMPONENT}:list_examples"))
                if j < len(doc) and doc[j].text == ",":
                    j += 1
                if j < len(doc) and doc[j].lower_ in ("and", "or", "&"):
                    j += 1
                elif j > 0 and doc[j - 1].text != ",":
                    break
        return out

    def _inner_words(self, doc: Doc, j: int) -> int:
        """How many lower-case words at `j` join two capitalized parts of one name (`of the`,
        `on`, `for the`): 0 when no capitalized word follows them."""
        k = j
        while k < len(doc) and k - j < 2 and doc[k].lower_ in self.lexicons.name_inner_words:
            k += 1
        return k - j if k > j and k < len(doc) and _NAME_TOKEN.match(doc[k].text) \
            and doc[k].lower_ not in self.lexicons.name_breakers else 0

    @staticmethod
    def _blocked_ranges(doc: Doc) -> list[tuple[int, int]]:
        """Never ORG: boilerplate (so it cannot lend a canonical either), tickers in brackets
        (`<BAN>`, identifiers) and a dateline's place."""
        text = doc_text(doc)
        tickers = [(m.start(), m.end()) for m in _BRACKET_NAME.finditer(text) if _TICKER.match(m.group(1).strip())]
        return ([tuple(r) for r in doc._.boilerplate or []] + tickers
                + [(m.start(), m.end()) for m in _DATELINE_PLACE.finditer(text)])

    @staticmethod
    def _text_candidates(text: str) -> list[Candidate]:
        """Reuters' `<Renouf Corp Ltd>` (tickers like `<BAN>` are identifiers, not names) and the
        news agency of a dateline (`Nov. 9 (Xinhua) --`)."""
        out = []
        for found in _BRACKET_NAME.finditer(text):
            inner = found.group(1).strip()
            if not _TICKER.match(inner):
                out.append(Candidate(found.start(1), found.end(1), "bracket", f"{COMPONENT}:bracket"))
        for found in _DATELINE_AGENCY.finditer(text):
            out.append(Candidate(found.start(1), found.end(1), "dateline", f"{COMPONENT}:dateline"))
        return out

    def _accept(self, text: str, candidates: list[Candidate], places: PlaceNames, persons: set[str],
                person_words: set[str], surnames: set[str], blocked: list[tuple[int, int]]) -> list[Candidate]:
        """The names candidates hold, less those that cannot be organizations: a model entity
        the model calls a place more often than not, a word or the trailing words of a person's
        name (`person_words`) or a common word capitalized at a sentence start; from other
        sources, names mostly called places; a person the model names (`persons`) after a trade
        that persons and firms share (`producer`, `broker`).

        A name cut out of a longer candidate (`split_org`: at a comma, a dash, before a
        possessive) gets the rule id `split_org`; trimming alone (a leading `the`, outer
        punctuation) keeps the candidate's."""
        kept = []
        candidate_names = {normalize_name(text[c.start:c.end]) for c in candidates}
        located = self._located_places(text, candidates, candidate_names)
        works = {normalize_name(text[c.start:c.end]) for c in candidates if self._credited_work(text, c.end)}
        for cand in candidates:
            keep_leading = cand.source == "bracket"
            pieces = split_org(text, cand.start, cand.end, self.lexicons, places.mostly, keep_leading=keep_leading)
            whole = trim_org(text, cand.start, cand.end, self.lexicons, keep_leading)
            for start, end in pieces:
                name = normalize_name(text[start:end])
                if (cand.source != "club" and org_name_problem(name, self.lexicons)) or in_ranges(start, end, blocked):
                    continue  # a town and a club's word name a club (`Manchester City`), not a place
                if "/" in (text[start - 1:start], text[end:end + 1]):
                    continue  # part of a credit or a path: `(People's Daily Online/Wang Jianfeng)`
                if (name in places.mostly or (cand.source == "model" and name in places.voted)) \
                        and cand.source not in _OVERRIDE_PLACES \
                        and not (cand.source == "rule" and name in places.groups):
                    continue  # but `the Tories` (a party rule) is an organization the model calls a group
                if cand.source == "model" and (_part_of_place(name) or located & set(_LIST_SEPARATOR.split(name))):
                    continue  # `Bristol West`, `Leeds North West`: a region; `a workshop in Kaili`: a place
                if cand.source == "model" and self._nation(name, candidate_names):
                    continue  # `Armenia and Azerbaijan`, `Ugandan President`, `the majority of Britons`
                if cand.source == "model" and " " not in name and (
                        name in person_words or written_in_lower_case(text, name)):
                    continue  # a word of a person's name, or a common word capitalized at a sentence start
                if cand.source == "model" and 2 <= len(name.split()) <= 3 and name.split()[-1] in surnames:
                    continue  # `Jakob Nielsen`, whom the text also calls `Dr Nielsen`: a person
                if cand.source == "model" and " " in name and name in person_words:
                    continue  # `Le May Doan` after `Catriona Le May Doan`: the model's own person
                if cand.source == "descriptor" and name in persons and self._person_trade_before(text, start):
                    continue  # `the producer Quincy Jones`, whom the model calls a person
                if " " not in name and name.endswith("ly") and text[end:end + 1] == ",":
                    continue  # `Initially, the Italian company, Fiat,`: a sentence adverb
                if self._portfolio(text, start, end, name):
                    continue  # `Finance Minister`, `Trade and Industry Secretary`, `minister of Works`
                if name in works:
                    continue  # `The Libertine starring Johnny Depp`: a film's title, wherever it stands
                if _LEADER_ADMINISTRATION.fullmatch(name) and name.split()[0].lower() in self.lexicons.administration_leaders:
                    continue  # `the Reagan Administration`: a period of government, not a body
                rule = cand.rule if (start, end) == whole else f"{COMPONENT}:split_org"
                kept.append(Candidate(start, end, cand.source, rule))
        return kept

    def _located_places(self, text: str, candidates: list[Candidate], candidate_names: set[str]) -> set[str]:
        """Places the model calls organizations, told by a locative preposition before one of
        their mentions (`in Kaili`, `in southern Buenos Aires`, `in Cordoba, Santa Fe and Chaco`):
        the name, or one of the names it lists, is a known place, and no firm of the text is named
        after it. A holding word before `in` makes it the firm (`a stake in Dome`). All the
        names of such a mention are places throughout the text."""
        located: set[str] = set()
        for cand in candidates:
            if cand.source != "model":
                continue
            parts = _LIST_SEPARATOR.split(normalize_name(text[cand.start:cand.end]))
            if not any(part in place_names() for part in parts) \
                    or any(other.startswith(part + " ") and not _LIST_SEPARATOR.match(other, len(part))
                           for part in parts for other in candidate_names):
                continue
            before = _LOCATIVE_BEFORE.search(text, max(0, cand.start - 60), cand.start)
            if before is not None and before.group("preposition").lower() in self.lexicons.locative_prepositions \
                    and (before.group("word") or "").lower() not in self.lexicons.holding_nouns:
                located.update(parts)
        return located

    def _credited_work(self, text: str, end: int) -> bool:
        """The name is followed by a film's or a show's credits (`starring`, `directed by`)."""
        after = _CREDIT_AFTER.match(text, end)
        return after is not None and after.group(1).lower() in self.lexicons.work_credits

    def _person_trade_before(self, text: str, start: int) -> bool:
        """The word before the name is a singular trade that names persons as often as firms."""
        before = _LAST_WORD.search(text, max(0, start - 30), start)
        return before is not None and before.group(1).lower() in self.lexicons.person_trades

    def _nation(self, name: str, candidate_names: set[str]) -> bool:
        """A nation or its people, unless it is the short form of a name the text also holds
        (`American` after `American Airlines`)."""
        return (name in nation_names() or name.lower() in self.lexicons.home_nations) \
            and not any(other.startswith(name + " ") for other in candidate_names)

    def _place_names(self, doc: Doc) -> PlaceNames:
        text = doc_text(doc)
        places: dict[str, int] = {}
        orgs: dict[str, int] = {}
        geographic: set[str] = set()
        for ent in doc.ents:
            name = normalize_name(ent.text)
            if ent.label_ in ("GPE", "LOC", "NORP"):
                places[name] = places.get(name, 0) + 1
                if ent.label_ != "NORP":
                    geographic.add(name)
            elif ent.label_ == "ORG":
                orgs[name] = orgs.get(name, 0) + 1
        alone = {name: sum(_isolated(text, s, e, self.lexicons) for s, e in occurrences(text, name))
                 for name in places}
        return PlaceNames(frozenset(name for name, n in places.items() if 2 * n > alone[name]),
                          frozenset(name for name, n in places.items() if n > orgs.get(name, 0)),
                          frozenset(places), frozenset(places.keys() - geographic))

    # ------------------------------------------------------------------ document-wide links
    def _long_form(self, text: str, ents: list[Span], definition: Abbreviation, chosen: list[Candidate]
                   ) -> tuple[Verdict, str, list[Candidate]]:
        """Whether an acronym's long form is an organization, its name, and the chosen
        candidates after deciding it: the long form's own span kept, extended to the
        definition's end (`National Facility for Protein Science` + ` in Shanghai`), added, or
        dropped (`Marketing Authorization Holder (MAH) system` names a system)."""
        long_start, long_end = definition.long_start, definition.long_end
        inside = [c for c in chosen if c.start < long_end and long_start < c.end]
        closer = max(definition.short_end, long_end)
        after = re.match(r"\s*[)）]?\s*([a-z]+)", text[closer:closer + 30])
        if is_competition(definition.long, _WORD.match(text, closer), self.lexicons):
            return "not", definition.long, [c for c in chosen if c not in inside]  # `Chinese Super League (CSL)`
        if after and after.group(1) in self.lexicons.non_org_heads \
                and head_word(definition.long, self.lexicons) not in self.lexicons.institution_heads:
            return "not", definition.long, [c for c in chosen if c not in inside]  # but `Institute for
            # Supply Management (ISM) index`: an institution's index
        for cand in inside:
            if cand.end == long_end and cand.start <= long_start + 4:
                return "org", normalize_name(text[cand.start:cand.end]), chosen
        trimmed = trim_org(text, long_start, long_end, self.lexicons)
        if not trimmed:
            return "not", definition.long, chosen
        name = normalize_name(text[trimmed[0]:trimmed[1]])
        if len(inside) == 1 and abs(inside[0].start - trimmed[0]) <= 4 and inside[0].end < trimmed[1]:
            extended = normalize_name(text[inside[0].start:trimmed[1]])
            if not org_name_problem(extended, self.lexicons):
                grown = Candidate(inside[0].start, trimmed[1], inside[0].source, f"{COMPONENT}:acronym_long_form")
                return "org", extended, choose([c for c in chosen if c != inside[0]] + [grown])
        if org_name_problem(name, self.lexicons) or not name[:1].isupper():
            return "not", name, chosen
        # a short form the model calls ORG again and again stays a firm when places make up its
        # long form (`Scottish and Newcastle (S&N)`), unless one place or thing spans the whole
        model_org = sum(e.label_ == "ORG" and e.text == definition.short for e in ents) >= 2
        if any(e.label_ in _NON_ORG_LABELS and e.start_char < long_end <= e.end_char
               and not (model_org and e.start_char > trimmed[0]) for e in ents):
            return "not", name, chosen
        if not is_org_like(name, self.lexicons):
            return "unknown", name, chosen
        if inside:
            return "unknown", name, chosen
        return "org", name, choose(chosen + [Candidate(trimmed[0], trimmed[1], "definition",
                                                       f"{COMPONENT}:acronym_long_form")])

    def _link_acronyms(self, text: str, ents: list[Span], chosen: list[Candidate]
                       ) -> tuple[list[Candidate], dict[str, str], set[str]]:
        """Schwartz & Hearst definitions: an organization's acronym is ORG at every mention,
        before or after its definition; an acronym of anything else is never ORG. Also returns
        every short form the text defines, expanded or not."""
        long_names: dict[str, str] = {}
        defined = expansions(find_abbreviations(text))
        for short, definition in defined.items():
            verdict, name, chosen = self._long_form(text, ents, definition, chosen)
            if verdict == "not":
                chosen = [c for c in chosen if text[c.start:c.end] != short]
                continue
            if not name.split()[-1][:1].islower():  # `the Transport Workers union (TWU)`: a
                long_names[short] = name              # description, not a name to expand to
            if verdict == "org":
                mentions = [Candidate(s, e, "definition", f"{COMPONENT}:acronym")
                            for s, e in short_form_mentions(text, short)]
                chosen = choose(chosen + [m for m in mentions if not _overlaps(m.start, m.end, chosen)])
        return chosen, long_names, set(defined)

    def _link_names(self, text: str, chosen: list[Candidate], places: frozenset[str]) -> list[Candidate]:
        """Later (and earlier) mentions of a chosen name (`name_repeat`), and of a company's
        word-prefixes (`company_prefix`); such a mention of several words replaces the model's
        pieces of it (`Bell` and `Howell` in a later `Bell and Howell`)."""
        names = {normalize_name(text[c.start:c.end]) for c in chosen}
        wanted = set(names)
        for name in names:
            for prefix in company_prefixes(name, self.lexicons):
                if (prefix not in places or self._firm_not_place(text, prefix, name)) \
                        and company_for_prefix(prefix, names, self.lexicons):
                    wanted.add(prefix)
            wanted.update(form for form in short_forms(name, self.lexicons)  # `S and P`, `United`; not
                          if form not in nation_names())  # `Indonesia` of `Bank Indonesia`
        added = []
        name_ends = frozenset(c.end for c in chosen)
        for name in sorted(wanted, key=lambda n: (-len(n), n)):  # ties in a fixed order, not set order
            for start, end in occurrences(text, name):
                if not _isolated(text, start, end, self.lexicons, name_ends):
                    continue
                inside = [c for c in chosen if start < c.end and c.start < end]
                if inside and " " in name and all(c.source == "model" and start <= c.start and c.end <= end
                                                 and (c.start, c.end) != (start, end) for c in inside):
                    chosen = [c for c in chosen if c not in inside]  # `Bell` + `Howell` of `Bell and Howell`
                if not _overlaps(start, end, chosen + added):
                    rule = "name_repeat" if name in names else "company_prefix"
                    added.append(Candidate(start, end, "link", f"{COMPONENT}:{rule}"))
        return choose(chosen + added)

    def _head_mentions(self, text: str, chosen: list[Candidate]) -> tuple[list[Candidate], dict[str, str]]:
        """`the Library` after `the British Library`, `the Bank` after `the Bank of England`, `a
        Ministry spokesman`: an institution's capitalized head after a lower-case article stands
        for the one name of the text that it heads (the gold's way with `the Council`, `the
        Ministry`, `the Bank`); it is that body, from its first naming on. The second value maps
        each such head to its name, for the canonical."""
        names: dict[str, set[str]] = {}
        first_at: dict[str, int] = {}
        for c in chosen:
            name = normalize_name(text[c.start:c.end])
            words = name.split()
            head = next((w for w in (words[-1], words[0]) if w.lower() == head_word(name, self.lexicons)), "")
            if len(words) > 1 and head[:1].isupper() and head.lower() in self.lexicons.institution_heads:
                # `Inter-American Development Bank`, `Bank of England`; not `Second Chamber of Parliament`
                names.setdefault(head, set()).add(name)
                first_at[head] = min(first_at.get(head, c.start), c.start)
        heads = {head: full.pop() for head, full in names.items() if len(full) == 1}
        added = []
        for head, full in heads.items():
            for found in re.finditer(rf"(?<=[a-z,;])\s+(?:the|a) ({re.escape(head)})\b"
                                     r"(?![ \t]+(?:of\b|[A-Z]))", text):
                if found.start(1) > first_at[head] and not _overlaps(found.start(1), found.end(1), chosen + added):
                    added.append(Candidate(found.start(1), found.end(1), "link", f"{COMPONENT}:head_repeat"))
        return choose(chosen + added), heads

    @staticmethod
    def _firm_not_place(text: str, prefix: str, name: str) -> bool:
        """A short name the model took for a place but no gazetteer knows, of a dot-com name
        (`OptInRealBig` of `OptInRealBig.com`) or that the text has speak (`Sigma said`,
        `Paradyne also said`): the company, not a town."""
        return prefix not in place_names() and not COUNTRY_WORD.fullmatch(prefix) and (
            name.endswith(".com") or any(_SPEECH.match(text, end) for _start, end in occurrences(text, prefix)))

    def _split_coordinations(self, text: str, chosen: list[Candidate]) -> list[Candidate]:
        """`Alliant and Convex Computer Corp` after `Alliant Computer Systems Inc`: a name joined
        by `and` whose first part the text already names as a company (or its short form), or
        whose bracketed short form spells the second part alone (`Fiat and General Motors (GM)`),
        is two companies; `Hambrecht and Quist`, unknown apart, stays one firm."""
        forms_of = {n: {n, *company_prefixes(n, self.lexicons)} for c in chosen
                       if is_company(n := normalize_name(text[c.start:c.end]), self.lexicons)}
        out = []
        for cand in chosen:
            joined = _AND.search(text, cand.start, cand.end)
            whole = normalize_name(text[cand.start:cand.end])
            left = normalize_name(text[cand.start:joined.start()]) if joined else ""
            if joined and text[joined.end():cand.end][:1].isupper() and (any(
                    left in forms for other, forms in forms_of.items() if not other.startswith(whole))
                    or _spells_second_only(text, joined.end(), cand.end)):
                rule = f"{COMPONENT}:split_org"
                out += [Candidate(cand.start, joined.start(), cand.source, rule),
                        Candidate(joined.end(), cand.end, cand.source, rule)]
            else:
                out.append(cand)
        return out

    def _partnerships(self, text: str, chosen: list[Candidate]) -> list[Candidate]:
        """`Kidder, Peabody and Co Inc`, `Ealing, Southall and Middlesex AC`, `Coffee, Sugar and
        Cocoa Exchange`: a firm, a club or an exchange named by a list of surnames or places; the
        model's name often starts after the last comma. The list's words are no other name but
        towns."""
        out = list(chosen)
        for cand in chosen:
            name = text[cand.start:cand.end]
            before = _PARTNERS_BEFORE.search(text, max(0, cand.start - 80), cand.start) \
                if _PARTNERS_TAIL.match(name) else None
            if before is None or not (is_org_like(name, self.lexicons)
                                      or name.split()[-1].lower() in self.lexicons.club_words):
                continue
            inside = [c for c in out if before.start(1) <= c.start and c.end <= cand.start]
            if all(text[c.start:c.end] in place_names() for c in inside):  # a club's towns, not a list of firms
                out = [c for c in out if c is not cand and c not in inside]
                out.append(Candidate(before.start(1), cand.end, cand.source, f"{COMPONENT}:partnership"))
        return sorted(out, key=lambda c: c.start)

    def _party_members(self, text: str, start: int, end: int) -> bool:
        """`Democrats controlling Congress`, `other Republicans`: a party's plural name without
        `the` names its members, not the party (`the Democrats said`)."""
        return text[start:end].lower() in self.lexicons.party_members and not THE_BEFORE.search(text, max(0, start - 5), start)

    def _portfolio(self, text: str, start: int, end: int, name: str) -> bool:
        """A ministry's portfolio in a title of office: before the title (`Moroccan Finance
        Minister`) or after `minister of` (`Director of Industry`)."""
        words = name.split()
        if COUNTRY_WORD.fullmatch(words[0]) and len(words) > 1:
            words = words[1:]
        if not all(w.lower() in self.lexicons.portfolio_words for w in words):
            return False
        after = _WORD.match(text, end)
        before = _TITLE_OF.search(text, max(0, start - 30), start)
        if name.lower() in self.lexicons.political_parties and not (after and after.group(1).lower() in _MINISTERS):
            return False  # `Labour leader`, `Labour MEP`: the party's; `Labour Minister` is the portfolio's
        return bool(after and after.group(1).lower() in self.lexicons.office_titles
                    or before and before.group(1).lower() in self.lexicons.office_titles)

    def _own_possessive(self, text: str, start: int, end: int) -> bool:
        """`stores like Macy's, Bloomingdale's and Marshall Field's`, `McDonald's are listed`: an
        `'s` that no noun follows, on a name the text never writes without it, is the name's own;
        not on an institution's or a party's name (`the Committee's`, `Labour's`)."""
        if text[end:end + 2] not in ("'s", "’s"):
            return False
        after = _AFTER_POSSESSIVE.match(text, end + 2)
        if after and after.group(1) not in _NO_NOUN_AFTER:
            return False  # `Wimpey's profit figures`, `Unison's 800,000 workers`
        name = text[start:end]
        if head_word(name, self.lexicons) in self.lexicons.institution_heads or name.lower() in self.lexicons.political_parties:
            return False
        return all(text[e:e + 2] in ("'s", "’s") for _, e in occurrences(text, name))

    # ------------------------------------------------------------------ component
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        places = self._place_names(doc)
        person_names = [e.text.split() for e in doc.ents if e.label_ == "PERSON" and len(e.text.split()) > 1]
        person_words = {w for words in person_names for w in words}
        person_tails = {" ".join(words[k:]) for words in person_names for k in range(1, len(words) - 1)}
        surnames = set(self.titled_surname.findall(text)) | set(self.role_surname.findall(text))  # after a title or role
        person_words |= surnames
        sports = self.sports.is_sports(text)
        raw = (self._text_candidates(text) + self._rule_candidates(doc)
               + self._model_candidates(doc, sports) + self._list_candidates(doc))
        blocked = self._blocked_ranges(doc)
        persons = {" ".join(words) for words in person_names}
        chosen = choose(self._accept(text, raw, places, persons, person_words | person_tails, surnames, blocked))
        if sports:
            chosen = [c for c in _club_pairs(text, chosen)
                      if c.source != "model" or not self.sports.town_or_player(text, c.start, c.end)]
        chosen = self._split_coordinations(text, self._partnerships(text, chosen))
        chosen, long_names, defined = self._link_acronyms(text, list(doc.ents), chosen)
        chosen = self._link_names(text, chosen, places.any)
        chosen, head_names = self._head_mentions(text, chosen)
        long_names |= head_names | _ticker_names(text, chosen) | _clipped_names(text, chosen, self.lexicons)
        chosen = [c for c in chosen if not any(c.start < e and s < c.end for s, e in blocked)
                  and not self._party_members(text, c.start, c.end)]
        products = product_mentions(text, [(c.start, c.end) for c in chosen], self.lexicons)
        chosen = [c for c in chosen if (c.start, c.end) not in products]
        chosen = [Candidate(c.start, c.end + 2, c.source, c.rule) if self._own_possessive(text, c.start, c.end) else c
                  for c in chosen]
        names = [normalize_name(text[c.start:c.end]) for c in chosen]
        long_names |= initials_expansions(names, defined, self.lexicons.legal_forms)  # `EU` of `European Union`, undefined
        long_names = {form: name for name in names for form in short_forms(name, self.lexicons)} | long_names
        canonicals = resolve_canonicals(names, long_names, self.lexicons, places.any,
                                        units_of_parents(text, set(names), self.lexicons))
        new = [{"start": c.start, "end": c.end, "label": "ORG",
                "value": {"canonical": canonicals[name]}, "source": c.rule}
               for c, name in zip(chosen, names)]
        doc._.candidates = (doc._.candidates or []) + new
        return doc
