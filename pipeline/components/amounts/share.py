"""Share: units, currencies and scales that one amount gives the bare numbers around it.

Wire copy writes a unit once for several numbers: `1,850 and 1,880 dlrs` (a list),
`from 2 to 3 percent` (a change: two spans), `12.5 mln dlrs from 10.2 mln` (a comparison).
Each bare number gets a `value_text` with the shared unit, so the normalizers see a full amount.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.components.amounts.counted import CountedNouns
from pipeline.components.amounts.patterns import _YEAR, CHANGE_VERBS, Match, _amount_head, _coordinated_amounts, \
    fragments, resolve_overlaps
from pipeline.components.amounts.ranges import RangeIndex
from pipeline.components.amounts.view import DocView
from pipeline.normalize.money import find_prefix, find_suffix
from pipeline.normalize.numbers import number_lexicon, parse_number, split_modifier

# Whitespace runs are possessive (`\s++`): a word always follows them, and backtracking into a
# long run of spaces cost O(run^2).
_COMPARISON = re.compile(r"(?:\s++(?:an?|per)\s++[a-z]++)?"  # `427.50 dlrs an ounce, up from 426.20`
                         r"(?:\s*+,\s++|\s++)(?:(?:(?:up|down)\s++)?(?:from|(?<=up )on|(?<=down )on)"
                         r"|(?:[a-z]++\s++){0,2}(?:against|versus|vs\.?|compared\s++(?:with|to)))"
                         r"\s++(?:(?:an?|the)\s++)?(?:[A-Z][A-Za-z.]*+(?:\s++[A-Z][A-Za-z.]*+)?['’]s\s++)?"  # `Tokyo's`
                         r"(?:(?:previous|revised|year-earlier|year-ago|early|late|final|opening|closing)\s++)?"
                         r"(?:(?:[0-9]{4}(?:/[0-9]{2})?\s++)?(?:level|figure|total)\s++of\s++)?")  # `the 1985/86 level of`
_UP_OR_DOWN = re.compile(r"(?:\s*+,\s++|\s++)(?:(?:up|down)\s++)?")
# A figure followed by the one it is compared with, in brackets: `900,000 (600,000)`.
_FIGURE_PAIR_NEXT = re.compile(r"\s*\(\s*(?:[0-9][0-9,.]*|zero|one|same|nil|unchanged)(?:\s+(?:mln|million|billion|bln))?\s*\)")
_FIGURE_PAIR = re.compile(r"[0-9a-z]\s*\(\s*$")
# What may stand between the numbers of a list that share one unit: a bracket (the figure
# before), a comma or `and` with a name and `at` (`, BIL at`), `and an average`; never a bare
# `and` (`$4.25 and 32 is the quantity`).
_PLACE_NAMES = r"[A-Z][\w.'’&/-]*(?:\s+[A-Z][\w.'’&/-]*){0,2}"
_LIST_LINK = re.compile(r"\s*\(\s*|\s*\)?(?:\s*\([a-z]+\))?\s*(?:[,;]\s*(?:and\s+)?|,?\s+and\s+)"
                        r"(?:(?:[A-Z][\w.'’&/-]*\s+){1,3}(?:at\s+|with\s+|of\s+|(?:early|late|final|opening|closing)\s+)?"
                        r"|an?\s+(?:average|estimated|previous)\s+)"
                        # `83 mm in Cordoba, 41 in Santa Fe, 50 in Entre Rios and Misiones`: figure, then place
                        rf"|\s+in\s+{_PLACE_NAMES}(?:\s+and\s+{_PLACE_NAMES})?\s*(?:[,;]\s*(?:and\s+)?|,?\s+and\s+)")
_SCALE_END = re.compile(r"(?i:\s*(?:thousand|million|billion|trillion|mln|bln|bn|mn))$")


_RANGE_VERB = re.compile(r"(?i:\brang(?:e|es|ed|ing)\s+from)\s+$")
# `to 60 pct in 1988 from 40 to 50 pct`: the level is named before `from`, so what follows is a range
_LEVEL_BEFORE = re.compile(r"\bto\s+(?:between\s+)?[0-9](?:(?!\.\s)[^,;]){0,40}?\s+from\s+$")


_CHANGE_VERB = re.compile(rf"\b(?:{CHANGE_VERBS}|up|down|adding)\s+(?:by\s+)?$")  # `closed up $2.80 to $51.15`
_FULL_FIGURE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")  # `121,000`: written out, so sharing no scale
_CHANGE_NOUN_OF = re.compile(r"\b([a-z]+)\s+(?:in\s+(?:[a-z-]+\s+){1,3})?of\s+$")  # `a rise in net reserves of`
_CHANGE_VERB_GAP = re.compile(rf"\b(?:{CHANGE_VERBS})\s+(?:by\s+)?(?:[a-z-]+\s+){{1,3}}$")  # `fell a record`
_SCALE_AFTER = re.compile(r"\s*([A-Za-z]+)\b")
_BY = re.compile(r"\bby\s+$")
_ARTICLE = re.compile(r"(?i:an?)(?=\s)")
_MOVE_LEVEL = re.compile(r"(?:\s++(?:higher|lower|up|down|firmer|easier))?\s++(?:at|to|after)\s++")
_MOVED = re.compile(rf"(?:\b(?:{CHANGE_VERBS}|up|down|was|were|at)|\b[A-Z][\w&.]*+)\s++$")  # `rose 12p`, `Glaxo 8p`
_FIGURE = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_SCALE_WORD = re.compile(r"(?i:[0-9.]\s*(?:thousand|million|billion|trillion|mln|bln|bn|mn)\b)")
_SCALE_LETTER = re.compile(r"(?i:[0-9.]\s*[mk]\b)")  # `£5m`; in a QUANTITY `400m` are metres


def _change_verb_before(text: str, start: int) -> bool:
    """A verb of change right before an amount (`rose`, `fell by`, `closed up`)."""
    return _CHANGE_VERB.search(text, max(0, start - 13), start) is not None


def _change_before(text: str, start: int, change_nouns: frozenset[str]) -> bool:
    """A verb of change (`rose`, `fell by`) or a noun of change and `of` (`a rise in net reserves
    of`) right before an amount: what follows is the size of the change."""
    if _change_verb_before(text, start):
        return True
    noun = _CHANGE_NOUN_OF.search(text, max(0, start - 50), start)
    return noun is not None and noun.group(1).lower() in change_nouns


def _move_and_level(span_text: str, to: re.Match[str], text: str, start: int,
                    change_nouns: frozenset[str]) -> bool:
    """`crude rose $1.64 to $47.10`, `fell by 79 to 4,775`, `users grew by 1.4 million to 44.9
    million`, `fell a record 121,000 to 2.99 mln`, `a rise in net reserves of 200 mln to 82.2
    billion`: after a verb or noun of change, or `by` and a low end with its own scale word, or a
    few words after the verb, a low end written out in full and a high end with a scale word, a
    small amount `to` a much larger one is the move and the level reached, not a range (`rose 10
    to 15 pct`, `risen by 10 to 30 pct` stay one)."""
    by_scaled = _BY.search(text, max(0, start - 4), start) and _SCALE_WORD.search(span_text[:to.start()])
    scaled_level = _CHANGE_VERB_GAP.search(text, max(0, start - 40), start) \
        and _SCALE_WORD.search(span_text[to.end():]) and _FULL_FIGURE.fullmatch(span_text[:to.start()])
    if not (_change_before(text, start, change_nouns) or by_scaled or scaled_level):
        return False
    low, high = _figure(span_text[:to.start()]), _figure(span_text[to.end():])
    return low is not None and high is not None and high >= 3 * low


def _descending(span_text: str, to: re.Match[str], label: str) -> bool:
    """`lead by 39% to 34%`, `from his favoured 400m to 200m`, `holdings fell 2.6 billion to 2.4
    billion`: a pair of amounts whose second figure is the smaller is two values, never a range;
    said of plain figures and of pairs whose ends both carry a scale word (`500 to 1.2 million`
    is no pair). Bare counts only after a verb of change (the caller's test): `by two to one` is a
    ratio."""
    low_text, high_text = span_text[:to.start()], span_text[to.end():]
    if bool(_SCALE_WORD.search(low_text)) != bool(_SCALE_WORD.search(high_text)) \
            or label != "QUANTITY" and _SCALE_LETTER.search(span_text):
        return False
    low, high = _figure(low_text), _figure(high_text)
    return low is not None and high is not None and high < low


def _figure(part: str) -> float | None:
    """The first figure of an amount's text at its scale, in digits or words (`$1.64`, `4.64
    million`, `three`)."""
    found = _FIGURE.search(part)
    if found:
        scale = _SCALE_AFTER.match(part, found.end())
        factor = number_lexicon().scale_value(scale.group(1)) if scale else None
        return float(found.group(0).replace(",", "")) * (factor or 1)
    number = parse_number(part.strip()).value
    return None if number is None else float(number)


def split_from_to(matches: list[Match], text: str, change_nouns: frozenset[str] = frozenset()) -> list[Match]:
    """`from 2 to 3 percent` is a change between two values: two spans, the unit shared; but
    what ranges from 2 to 4 megapixels is one range, as is one after the level it changed to
    (`to 60 pct in 1988 from 40 to 50 pct`). So are a move and the level it reached
    (`rose $1.64 to $47.10`) and a pair that falls (`39% to 34%`). O(n)."""
    result = []
    for match in matches:
        span_text = text[match.start:match.end]
        to = re.search(r"\s+to\s+", span_text)
        if to is not None and _YEAR.fullmatch(span_text[:to.start()]) and _SCALE_WORD.search(span_text[to.end():]):
            # `over fiscal 1987 to 3.2 billion dlrs`: a year before the amount, no range's low end
            result.append(replace(match, start=match.start + to.end(), step="split_from_to"))
            continue
        if to is None or not (re.search(r"(?i:\bfrom)\s+$", text[max(0, match.start - 8):match.start])
                              and not _RANGE_VERB.search(text, max(0, match.start - 24), match.start)
                              and not _LEVEL_BEFORE.search(text, max(0, match.start - 50), match.start)
                              or _move_and_level(span_text, to, text, match.start, change_nouns)
                              or (match.label != "CARDINAL" or _change_verb_before(text, match.start))
                              and _descending(span_text, to, match.label)):
            result.append(match)
            continue
        low_text = span_text[:to.start()]
        high_start = match.start + to.end()
        head = _amount_head().fullmatch(low_text)
        tail = _unit_tail(text[high_start:match.end])
        low_value = low_text if head is None or match.label == "CARDINAL" else low_text + tail
        result.append(Match(match.start, match.start + len(low_text), match.label, match.pattern,
                            match.priority, value_text=low_value, step="split_from_to"))
        result.append(Match(high_start, match.end, match.label, match.pattern, match.priority, step="split_from_to"))
    return result


def _unit_tail(span_text: str) -> str:
    """What follows the amount in a span: its unit or currency word (`3 percent` -> ` percent`)."""
    head = _amount_head().match(span_text)
    return span_text[head.end():] if head else ""


def share_units(matches: list[Match], text: str, blocked: RangeIndex) -> list[Match]:
    """`1,850 and 1,880 dlrs`, `2.27 and 2.28 times`, `five or ten pct`: the bare numbers take the
    shared unit (written numbers only from written numbers).

    O(n log n): a typed amount reads the 160 characters before it, and a bare number whether a
    shared one covers it by bisect.
    """
    added: list[Match] = []
    for match in matches:
        if match.label == "CARDINAL" and match.pattern != "factor":
            continue
        span_text = text[match.start:match.end]
        if match.label == "MONEY" and find_prefix(span_text) is not None:
            continue
        head = _amount_head().match(span_text)
        if head is None or split_modifier(span_text)[0] is not None or span_text.lower().startswith("between"):
            continue  # no bare amount first, or a modifier / `between` leads
        digits = span_text[0].isdigit()
        tail = span_text[head.end():]
        scale = _SCALE_END.search(head.group(0))
        window_start = max(0, match.start - 160)
        chain = _coordinated_amounts().search(text[window_start:match.start])
        if chain is None:
            continue
        chain_start = window_start + chain.start()
        for part in re.finditer(fragments()["AMOUNT"], text[chain_start:match.start]):
            start, end = chain_start + part.start(), chain_start + part.end()
            part_text = part.group(0)
            if part_text[0].isdigit() != digits or _YEAR.fullmatch(part_text) \
                    or match.label == "PERCENT" and _SCALE_END.search(part_text):
                continue  # `1,850 and 1,880 dlrs`, `five or ten pct`; never `one and 2 pct`, `3.02 mln or 10.9 pct`
            value_text = part_text
            if scale and not re.search(r"[A-Za-z]", part_text):
                value_text += scale.group(0)
            if not blocked.overlaps(start, end):
                added.append(Match(start, end, match.label, "shared-" + match.pattern, 2, value_text + tail,
                                   step="share_units"))
    if not added:
        return matches
    shared = RangeIndex((a.start, a.end) for a in added)
    kept = [m for m in matches if m.priority > 2 or not shared.overlaps(m.start, m.end)]
    return resolve_overlaps(kept + added)


def _unit_of(match: Match, text: str) -> tuple[str, str, str] | None:
    """(currency prefix, unit words after the amount, scale word) of a typed amount."""
    span_text = text[match.start:match.end]
    head = _amount_head().match(span_text) or _ARTICLE.match(span_text)  # `a penny`
    prefix, tail = "", ""
    if match.label == "MONEY" and (found := find_prefix(split_modifier_text(span_text))):
        prefix = found[0].surface
        head = _amount_head().match(split_modifier_text(span_text)[found[1]:])
    elif head is not None:
        tail = span_text[head.end():]
    if head is None:
        return None
    scale = _SCALE_END.search(head.group(0))
    return prefix, tail, scale.group(0) if scale else ""


def _with_unit(other: Match, typed: Match, unit: tuple[str, str, str], text: str, step: str) -> Match:
    """`other`, a bare number, as the same kind of amount as `typed` (its scale when it has none);
    `step` names the share step that decided it (its source)."""
    prefix, tail, scale = unit
    value_text = text[other.start:other.end]
    if scale and not re.search(r"[A-Za-z]", value_text):
        value_text += scale
    return replace(other, label=typed.label, pattern="shared-" + typed.pattern, priority=2,
                   value_text=(prefix + value_text) if prefix else value_text + tail, step=step)


def share_comparisons(matches: list[Match], text: str, view: DocView, nouns: CountedNouns,
                      amount_nouns: frozenset[str] = frozenset()) -> list[Match]:
    """`12.5 mln dlrs from 10.2 mln`, `5.93 mln against 5.81`, `34 pct down on 5.70 mln`: the
    compared number is the same kind.

    A bare number right after a typed amount and `from`, `against`, `vs`, `compared with`,
    `down on` takes its unit, and its scale when it has none (wire style leaves both out); a
    bare number with a scale before such a connector takes the unit of the amount after it.
    O(n): the compared number is found by its start, in a dict.
    """
    by_start = {m.start: i for i, m in enumerate(matches)}
    result = list(matches)
    for position, match in enumerate(matches):
        if match.label == "CARDINAL" and match.pattern != "count":
            continue
        connector = _COMPARISON.match(text, match.end)
        typed_after = matches[by_start[connector.end()]] if connector and connector.end() in by_start else None
        if match.pattern == "count" and not match.value_text and typed_after is not None \
                and typed_after.label in ("MONEY", "QUANTITY") and _SCALE_END.search(text[match.start:match.end]) \
                and (unit := _unit_of(typed_after, text)) is not None \
                and not (view.tagged and nouns.of(match, text, view) is not None):
            # `fell to 2.454 billion from 2.655 billion dlrs`
            result[position] = _with_unit(match, typed_after, unit, text, "share_comparisons")
            continue
        if connector is None or connector.end() not in by_start:
            continue
        index = by_start[connector.end()]
        other = matches[index]
        other_text = text[other.start:other.end]
        if other.pattern != "count" or other.value_text or _YEAR.fullmatch(other_text) \
                or not (re.match(r"[0-9]", other_text) or match.label == "PERCENT"):
            continue  # a word number only after a percentage: `cut the rate to 2.5 pct from three`
        if match.label == "PERCENT" and not re.search(r"\b(?:to|at|of|was|were|is|are|stood|reached|from)\s+$",
                                                      text[max(0, match.start - 10):match.start]):
            # `602.26 billion kilowatt hours, up 2.2 pct from 589.51 billion`, `3.76 mln tonnes,
            # 34 pct down on 5.70 mln`: the compared number is the base of the change, the
            # amount before the percentage.
            before = matches[position - 1] if position > 0 else None
            if before is None or before.label == "PERCENT" or before.pattern not in (
                    "money-prefix", "money-suffix", "quantity", "count") \
                    or not _UP_OR_DOWN.fullmatch(text, before.end, match.start):
                continue
            match = before
        unit = _unit_of(match, text)
        if unit is None or (match.label != "CARDINAL" and view.tagged
                            and nouns.of(other, text, view) not in (None, *amount_nouns)):
            continue  # `5 mln dlrs in loans from 3 banks`: 3 counts banks; `vs a 226 mln loss` is money
        if match.label == "CARDINAL":
            if not unit[2] or (view.tagged and nouns.of(other, text, view) is not None):
                continue
            counted = nouns.of(match, text, view) or match.counted
            value_text = other_text + ("" if re.search(r"[A-Za-z]", other_text) else unit[2])
            result[index] = replace(other, pattern="shared-count", value_text=value_text, counted=counted,
                                    step="share_comparisons")
            continue
        result[index] = _with_unit(other, match, unit, text, "share_comparisons")
    return result


def share_move_levels(matches: list[Match], text: str) -> list[Match]:
    """`Glaxo 8p at 1,480`, `Jaguar rose 12p to 587`, `was a penny higher at 488`, `at 242p after
    241`: a price's move and the level it reached (or started from), the level written bare, is
    in the move's unit (guidelines: a bare amount whose currency the text makes clear). The move
    follows a verb of change or the name whose price moved. O(n)."""
    by_start = {m.start: i for i, m in enumerate(matches)}
    result = list(matches)
    for match in matches:
        connector = _MOVE_LEVEL.match(text, match.end) if match.label == "MONEY" else None
        if connector is None or connector.end() not in by_start \
                or not _MOVED.search(text, max(0, match.start - 20), match.start):
            continue
        index = by_start[connector.end()]
        other = matches[index]
        other_text = text[other.start:other.end]
        if other.pattern == "count" and not other.value_text and other_text[:1].isdigit() \
                and not _YEAR.fullmatch(other_text) and (unit := _unit_of(match, text)) is not None:
            result[index] = _with_unit(other, match, unit, text, "share_move_levels")
    return result


_BID_SLASH = re.compile(r"(?:\s++of\s++[a-z]++)?\s++bid\s*+/\s*+")  # `120 pct bid/`, `135 pct of tariff bid/`
_OFFER_FIGURE = re.compile(r"([0-9][0-9,]*+(?:\.[0-9]++)?(?:-[0-9]/[0-9]{1,2})?)\s++offered\b")


def share_quotes(matches: list[Match], text: str) -> list[Match]:
    """`120 pct bid/127-1/2 offered`, `135 pct of tariff bid/140 offered`: a dealer's offer written
    bare after the bid and its slash (which no amount pattern starts after) is in the bid's unit
    (guidelines: a bare amount whose unit the text makes clear). O(n)."""
    taken = {m.start for m in matches}
    added = []
    for match in matches:
        link = _BID_SLASH.match(text, match.end) if match.label in ("MONEY", "PERCENT") else None
        offer = _OFFER_FIGURE.match(text, link.end()) if link else None
        if offer is None or offer.start(1) in taken or (unit := _unit_of(match, text)) is None:
            continue
        bare = Match(offer.start(1), offer.end(1), "CARDINAL", "count", 1, step="share_quotes")
        added.append(_with_unit(bare, match, unit, text, "share_quotes"))
    return sorted(matches + added, key=lambda m: m.start) if added else matches


def share_lists(matches: list[Match], text: str, view: DocView, nouns: CountedNouns,
                amount_nouns: frozenset[str] = frozenset()) -> list[Match]:
    """`Belgium 500,000 tonnes (one mln), Netherlands 500,000 (600,000)`, `NZI at 2.18 N.Z. Dlrs,
    BIL at 4.08 and Renouf at 6.15`, `83 mm in Cordoba, 41 in Santa Fe`: bare numbers that continue a list after a typed amount, in
    the same sentence, are the same kind of amount (guidelines: a bare amount whose currency the
    text makes clear). A number that counts a noun of its own (`500 workers`) ends the list.
    One pass over the matches: O(n)."""
    result = list(matches)
    typed: Match | None = None
    unit: tuple[str, str, str] | None = None
    last_end = 0
    for index, match in enumerate(result):
        if match.label in ("MONEY", "QUANTITY") and not match.pattern.startswith("shared-"):
            typed, unit, last_end = match, _unit_of(match, text), match.end
            continue
        if typed is None or unit is None:
            continue
        if match.pattern.startswith("shared-") and match.label == typed.label:
            last_end = match.end  # a comparison already shared: the list goes on after it
            continue
        bare = text[match.start:match.end]
        if _LIST_LINK.fullmatch(text, last_end, match.start) and match.pattern == "count" \
                and not match.value_text and not _YEAR.fullmatch(bare) \
                and not (view.tagged and nouns.of(match, text, view) not in (None, *amount_nouns)):
            result[index] = _with_unit(match, typed, unit, text, "share_lists")  # `New York's 1.8260/70 close`
            last_end = match.end
        else:
            typed = None
    return result


def share_paragraph_units(matches: list[Match], text: str, view: DocView, nouns: CountedNouns,
                          amount_nouns: frozenset[str] = frozenset(),
                          change_nouns: frozenset[str] = frozenset()) -> list[Match]:
    """Units a paragraph names once (guidelines: a bare amount whose currency the text makes clear).

    - `250 mln dlrs ... cut to 400 mln from 1.20 billion`, `1.42 mln tonnes ... an average 1.76
      mln`: a bare number with a scale word that counts no noun (and is no `population of 3.5
      million`), after a typed amount in the same paragraph, is the same kind of amount;
    - `Main destinations were Netherlands 900,000 (600,000), Belgium 800,000 (one mln)` after
      `3.76 mln tonnes`: a figure with the figure before in brackets is the same measure as the
      paragraph's last typed amount;
    - `62.1 mln stg after a 71.6 mln profit`: a scaled number before an amount noun is an amount;
      so is one that sizes a change (`after a 1.4 billion rise`, `after a rise of 1.75 billion`);
    - `a 19 pct rise in profits to 1.39 billion` in a paragraph that names no unit: a bare number
      with a scale word in a clause about money (`amount_nouns`: profits, sales, a contract) is
      money in the story's last currency; so is a figure without one right after such a noun and
      `of` (`net income of 177,243`).
    One pass over the matches: O(n)."""
    result = list(matches)
    typed: Match | None = None
    money: Match | None = None  # the story's last typed money amount, whatever the paragraph
    # before the story's first one, its first if a later sentence names it (`profits to 1.39
    # billion pre-tax. ... 1.40 billion stg`), not a conversion beside it (`1.6 billion ($2.54 billion)`)
    first = next((m for m in matches if m.label == "MONEY" and not m.pattern.startswith("shared-")
                  and _in_major_units(m, text)), None)
    for index, match in enumerate(result):
        if typed is not None and "\n" in text[typed.end:match.start]:
            typed = None  # a new paragraph: the unit is named again
        if match.label in ("MONEY", "QUANTITY", "PERCENT") and not match.pattern.startswith("shared-"):
            major = match.label != "MONEY" or _in_major_units(match, text)
            if match.label != "PERCENT" and major:  # a percentage says how the amounts changed: they
                typed = match                        # stay the unit; `524p` is no unit for `1.39 billion`
            if match.label == "MONEY" and major:
                money = match
            continue
        later = None  # the currency a later sentence names, for this amount only
        if typed is None and _about_money(match, text, amount_nouns):
            typed = money
            if money is None and first is not None and _SENTENCE_END.search(text, match.end, first.start):
                later = first
        source = typed or later
        if source is None or match.pattern not in ("count", "shared-count") \
                or _counts_its_noun(match, text, view, nouns, amount_nouns | change_nouns):
            continue
        bare = text[match.start:match.end]
        paired = _FIGURE_PAIR.search(text, max(0, match.start - 4), match.start) is not None \
            or _FIGURE_PAIR_NEXT.match(text, match.end) is not None
        of = re.search(r"(?i:\b([a-z]+)\s+of)\s+(?:(?:only|just|about|some)\s+)?$", text[max(0, match.start - 30):match.start])
        scaled = _SCALE_END.search(bare) and (  # `a population of 3.5 million` is no money; `a surplus of 13.54 billion` is
            of is None or of.group(1).lower() in change_nouns or _about_money(match, text, amount_nouns))
        if source.label == "MONEY" and _counts_its_subject(match, text, amount_nouns):
            continue
        amount_of = not (paired or scaled) and _amount_of(match, bare, text, amount_nouns)
        if (paired or scaled or amount_of) and not _YEAR.fullmatch(bare) and (unit := _unit_of(source, text)) is not None:
            if amount_of:
                unit = (*unit[:2], "")  # `net income of 177,243` is written out in full
            result[index] = _with_unit(match, source, unit, text, "share_paragraph_units")
    return result


# The determiner of a noun phrase the amount opens: `a 71.6 mln profit`, `December's 6.48 billion deficit`.
_DETERMINER_BEFORE = re.compile(r"(?:\b(?:[Aa]n?|[Tt]he|its|their)|['’]s)[ \t]+$")


def _counts_its_noun(match: Match, text: str, view: DocView, nouns: CountedNouns,
                     amount_nouns: frozenset[str]) -> bool:
    """`3.5 mln people` counts its noun; `a 71.6 mln profit`, an amount noun after a determiner,
    is an amount of it, not a count."""
    if not view.tagged or (noun := nouns.of(match, text, view)) is None:
        return False
    return not (noun in amount_nouns and _DETERMINER_BEFORE.search(text, max(0, match.start - 8), match.start))


_SUBJECT_MOVED = re.compile(rf"\b([A-Za-z][a-z]*s)(?:\s+(?:of|from|in|for)\s+[^.;,]*?)?\s+(?:{CHANGE_VERBS}|numbered|totalled|totaled|reached)"
                            r"\s+(?:by\s+\S+(?:\s+\S+)?\s+to\s+|by\s+|to\s+)?(?:(?:some|about|around|nearly|almost|over)\s+)?$")


def _counts_its_subject(match: Match, text: str, amount_nouns: frozenset[str]) -> bool:
    """`mobile phone users grew by 1.4 million to 44.9 million`: a bare amount right after a plural
    subject (the head before its `of` or `from`) and its verb of change, the level after the move
    too, counts that subject, unless the subject is an amount (`sales rose to 1.4 million`,
    `receipts from foreign loans rose to 7.87 billion`)."""
    found = _SUBJECT_MOVED.search(text, max(0, match.start - 60), match.start)
    subject = found.group(1).lower() if found else ""
    return found is not None and not {subject, subject[:-1]} & amount_nouns  # `loans`


_NOUN_OF = re.compile(r"\b([a-z-]+)\s+of\s+$")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{4,}")


def _amount_of(match: Match, bare: str, text: str, amount_nouns: frozenset[str]) -> bool:
    """`net income of 177,243`: a figure of thousands in digits is the amount the noun before `of`
    names (a small one is more often a count, or part of a number the text splits)."""
    if not _THOUSANDS.fullmatch(bare):
        return False
    found = _NOUN_OF.search(text, max(0, match.start - 24), match.start)
    return found is not None and found.group(1) in amount_nouns


def _in_major_units(match: Match, text: str) -> bool:
    """Whether a money amount is written in its currency's main unit (`2.3 mln stg`), not a
    minor one (`537p`, `22 cts`), so that a bare `282 mln` may take it."""
    found = find_suffix(text[match.start:match.end])
    return found is None or found[0].minor == 1


_SENTENCE_END = re.compile(r"[.!?]\s")
_CLAUSE_START = re.compile(r"[.;:!?\n]\s")
_CLAUSE_END = re.compile(r"[.;:!?,\n](?:\s|$)")


def _about_money(match: Match, text: str, amount_nouns: frozenset[str]) -> bool:
    """Whether the clause before a bare number names money (`profits to`, `premiums rose 32 pct
    to`) or the rest of its clause does (`a 115 mln contract`, `cut 1.6 billion from the farm
    budget`)."""
    start = max(0, match.start - 80)
    clause = text[start:match.start]
    if (stop := list(_CLAUSE_START.finditer(clause))):
        clause = clause[stop[-1].end():]
    after = text[match.end:match.end + 40]
    if (stop := _CLAUSE_END.search(after)) is not None:
        after = after[:stop.start()]
    return any(word in amount_nouns for word in re.findall(r"[a-z-]+", clause.lower() + " " + after))


def split_modifier_text(text: str) -> str:
    """The span text after its modifier (`about $5 million` -> `$5 million`)."""
    return split_modifier(text)[1]
