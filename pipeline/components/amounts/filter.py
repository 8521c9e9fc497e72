"""Filter: drop the numbers that are no amount or count, before and after overlaps resolve.

Years, days of a month, clock times and durations belong to DATE; ages, ranks, identifiers,
phone numbers and numbers inside names (`Digital Shanghai 2035`, `50 Cent`) count nothing.
The words that tell them apart are data (`amount_context.json`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from spacy.tokens import Token

from pipeline.components.amounts.context import AmountContext, amount_context
from pipeline.components.amounts.patterns import _YEAR, CHANGE_VERBS, Match, _amount_head, amount_patterns
from pipeline.components.amounts.ranges import RangeIndex
from pipeline.components.amounts.view import DocView
from pipeline.extensions import doc_text
from pipeline.normalize.money import currency_table
from pipeline.normalize.numbers import BID_OFFER, split_modifier
from pipeline.normalize.quantity import quantity_value
from pipeline.products import VERSION_END

_BARE_NUMBER = re.compile(r"[0-9][0-9,.]*")
_YEAR_PREPOSITIONS = ("in", "since", "by", "from", "until", "of", "before", "after", "during", "through", "till")


@lru_cache(maxsize=1)
def _odds_patterns() -> frozenset[str]:
    return frozenset(p.id for p in amount_patterns() if p.role == "odds")


_FORM_LETTER = re.compile(r"-[A-Z](?![A-Za-z])")  # `10-K`, `13-D`: a form's or a model's designation


@dataclass(frozen=True)
class _ResultsLine:
    """A results-table line: MONEY or CARDINAL, where it ends, its currency word or counted noun."""

    kind: Literal["MONEY", "CARDINAL"]
    end: int  # its line break, or the end of the text
    word: str | None


_PERSON = frozenset({"PERSON"})
_SUBSTITUTE = re.compile(r"\([A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*)?[ \t]$")  # `(Vaz Te ` + `77)`
_REPEATED = re.compile(r"((?:[0-9]+|[A-Za-z]+))\s+times")  # a whole number: `four times`, not `2.3 times`
# An age noun, then words of its clause, then the preposition or verb the age number follows; the
# number may be the second of a pair (`from 60 to` + `65`, `of 10 or` + `11`).
_AGE = r"(?:[1-9][0-9]?|1[01][0-9])"
_AGE_CLAUSE = re.compile(r"\bages?\b[^.;:!?]{0,40}?\b(?:from|to|of|at|be|is|was)\s+"
                         r"(?:[0-9]{1,3}\s+(?:or|and|to)\s+)?$", re.IGNORECASE)
# A wire table's caption naming its unit: `as follows in mln tonnes --`, `SOUTH AFRICA CORN, in mln tonnes --`.
_UNIT_TABLE_CAPTION = re.compile(r"(?:,|\bas follows\b[^\n]*?)[ \t]+in[ \t]+"
                                 r"(?:(?P<scale>mln|million|billion|thousand)[ \t]+)?(?P<unit>(?:short |long |metric )?[a-z]+)"
                                 r"(?:,[ \t]+[a-z]+(?:[ \t]+[a-z]+)?)?[ \t]*(?:--|$)", re.MULTILINE)
# An empty cell of a supply table: `ARGENTINA        nil          39,130` (zero of the caption's unit).
_NIL_CELL = re.compile(r"(?<=[ \t])(?:nil|NIL|Nil)(?=[ \t]|$)", re.MULTILINE)
# A paragraph of prose ends a table: two lower-case words in a row (`the department said`); a
# table's rows are capitalized labels and numbers (`Domestic Use  14.54`).
_PROSE_PARAGRAPH = re.compile(r"(?:^|\n\n)[^\n]*?\b[a-z]{3,}[ \t]+[a-z]{3,}\b")
# A share price's move in wire copy, quoted in fractions of a dollar: `gained 3-1/4 to 75-1/2`,
# `was off 3/8 to 3-1/2`, `closed at 27-1/2 today, off 2-1/2`.
_QUOTE = r"[0-9]+(?:-[0-9]{1,2}/[0-9]{1,2})?|[0-9]{1,2}/[0-9]{1,2}|one|two|three"
# `gained 3-1/4 to 75-1/2`, `gain one to 42-1/8`; after a ticker, `<IMO.A>, up 1/2 to 49-1/8`, `<XON> one to 83-1/8`
_STOCK_MOVE = re.compile(rf"(?:\b(?:{CHANGE_VERBS}|gain|gains|lose|loses|(?:was|were|closed)[ \t]+(?:up|down|off))"
                         rf"[ \t]+(?P<by>{_QUOTE})(?:[ \t]+to[ \t]+(?P<to>{_QUOTE}))?"
                         rf"|(?<=>),?[ \t]+(?:(?:up|down)[ \t]+)?(?P<by2>{_QUOTE})[ \t]+to[ \t]+(?P<to2>{_QUOTE})"
                         rf"|\b(?:at[ \t]+|(?=around[ \t]))(?P<at>(?:around[ \t]+)?{_QUOTE})(?:[ \t]+(?:today|yesterday))?,?"
                         rf"[ \t]+(?:up|down|off)[ \t]+(?P<by3>{_QUOTE}))"
                         rf"(?![\w/%-]|\.[0-9])")
_PAIR_FIRST = re.compile(r"(?<![0-9.,])[0-9]{1,3}[ \t]*[-\u2013][ \t]*$")  # the first number of a pair the match ends
# `one of a lessening`, `after one of 2.4 billion`: one thing, not one of a group (`one of a number
# of guitars`, `one of 30 such projects`)
_OF_ONE_THING = re.compile(r"\s+of\s+(?:an?\s+(?!(?:number|handful|host|series|group|couple|dozen|few|range|variety"
                           r"|string|pair|total|set|list|team|family|clutch|raft|slew|batch)\b)"
                           r"|[$£€]?[0-9][0-9.,]*\s*(?:mln|million|billion|bln|bn|trillion|pct|percent|%))")
_LEADER_CELL = re.compile(r"\.\.[ \t]*([0-9]+(?:\.[0-9]+)?)(?=\.\.|\s|$)")  # `TOPPING.....15.63......16.10`


def _currency_word(line: str, default: str) -> str:
    """The line's first major-unit currency word after a number and its scale word (`3.14 billion
    stg`), else `default`: the table's currency so far, as wire copy names it once."""
    return next((c.surface for c in currency_table() if c.is_suffix and c.minor == 1 and len(c.surface) > 1
                 and c.surface in line and re.search(rf"[0-9](?:\s+[a-z]+)?\s+{re.escape(c.surface)}\b", line)),
                default)


_TIMES_AFTER = re.compile(r"\s+times\b")


def trim_year(match: Match, text: str) -> Match:
    """`in 2015 to 9,328 yuan`, `in 1986 to two trillion cubic feet`: a year before `to` is a date,
    not the low end of a range, also in a count (`fell from 102 in 2003 to 81`); so is a day
    after its month (`the four weeks ended March 20 to 16.16 mln barrels`)."""
    span_text = text[match.start:match.end]
    found = re.match(r"((?:1[89][0-9]{2}|20[0-9]{2}))(\s*[-\u2013]\s*(?=[0-9])|\s+to\s+(?=\w))", span_text)
    before = re.search(r"([A-Za-z]+)\s+$", text[max(0, match.start - 12):match.start])
    if found and before and before.group(1).lower() in _YEAR_PREPOSITIONS:
        return replace(match, start=match.start + found.end(), step="trim_year")
    day = re.match(r"(?:[1-9]|[12][0-9]|3[01])\s+to\s+(?=[0-9])", span_text)
    if day and before and before.group(1) in amount_context().months:
        return replace(match, start=match.start + day.end(), step="trim_year")
    return match


@dataclass(frozen=True)
class AmountFilter:
    """The context checks; `use_model_hints` lets the model's name entities veto a count."""

    context: AmountContext
    use_model_hints: bool = True

    def identifier_ranges(self, text: str) -> list[tuple[int, int]]:
        """Where no amount may be: URLs, phone and licence numbers, dates in digits, clock times."""
        return [found.span() for pattern in self.context.identifier_patterns for found in pattern.finditer(text)]

    def results_table(self, matches: list[Match], text: str) -> list[Match]:
        """Wire results tables (`Net 10.6 mln vs 20.6 mln`, `Avg shrs 5,000,000 vs ...`).

        On a `vs` line headed by a money item the bare amounts are money in the line's own
        currency word, else the one an earlier line named (else the story's dollar); on a
        share-count line they count shares.
        O(text + n log n): each line is read once, a match finds its line by bisect.
        """
        lines: dict[int, _ResultsLine] = {}
        currency = "dlrs"  # the story's dollar until a line names another currency
        found_lines = sorted(((found.start(), kind, found) for kind, pattern in
                              (("MONEY", self.context.money_line), ("CARDINAL", self.context.count_line))
                              for found in pattern.finditer(text)), key=lambda line: line[0])
        for start, kind, found in found_lines:
            end = text.find("\n", start)
            end = end if end >= 0 else len(text)
            line = text[start:end]
            if re.search(r"\bvs\.?\s", line):
                if kind == "MONEY":
                    currency = word = _currency_word(line, currency)
                else:
                    word = self.context.count_line_nouns.get(found.group(1))
                lines[start] = _ResultsLine(kind, end, word)
        if not lines:
            return matches
        starts = sorted(lines)
        result = []
        for match in matches:
            at = bisect.bisect_right(starts, match.start) - 1
            line = lines[starts[at]] if at >= 0 else None
            if match.pattern != "count" or line is None or line.end < match.start \
                    or _YEAR.fullmatch(text[match.start:match.end]):
                result.append(match)
            elif line.kind == "MONEY":
                result.append(replace(match, label="MONEY", pattern="results-line", priority=3,
                                      value_text=f"{text[match.start:match.end]} {line.word}", step="results_table"))
            else:
                result.append(replace(match, pattern="results-line", counted=line.word, step="results_table"))
        return result

    def price_tables(self, matches: list[Match], text: str) -> list[Match]:
        """Wire price tables (`shown below in dlrs a barrel. TOPPING.....15.63......16.10`): up to
        the paragraph's end, a number after a dot leader is a price in the caption's currency.
        The number patterns never start after a full stop, so the cells are found here."""
        cells = []
        for caption in self.context.price_table_caption.finditer(text):
            word = caption.group(1).rstrip(".")
            if not any(c.surface == word and c.is_suffix and c.minor == 1 for c in currency_table()):
                continue
            end = text.find("\n\n", caption.end())
            for cell in _LEADER_CELL.finditer(text, caption.end(), end if end >= 0 else len(text)):
                cells.append(Match(cell.start(1), cell.end(1), "MONEY", "price-table", 3,
                                   value_text=f"{cell.group(1)} {word}", step="price_table"))
        return matches + cells

    def unit_tables(self, matches: list[Match], text: str) -> list[Match]:
        """Wire supply tables (`by country, as follows in mln tonnes --`, `ARGENTINA CORN, in mln
        tonnes --`, `were as follows, with quota allocations ... in short tons, raw value --`): up to
        the first paragraph of prose, a bare number in the table's rows is an
        amount of the caption's unit at its scale (not a count), and a `nil` cell is zero of it."""
        tables = []
        for caption in _UNIT_TABLE_CAPTION.finditer(text):
            unit = f"{caption.group('scale') or ''} {caption.group('unit')}".strip()
            if quantity_value(f"1 {unit}") is None:
                continue
            prose = _PROSE_PARAGRAPH.search(text, caption.end())
            tables.append((caption.end(), prose.start() if prose else len(text), unit))
        if not tables:
            return matches
        result = []
        for match in matches:
            table = next((t for t in tables if t[0] <= match.start < t[1]), None)
            cell = text[match.start:match.end]
            if table is None or match.pattern != "count" or _YEAR.fullmatch(cell):
                result.append(match)
            else:
                result.append(replace(match, label="QUANTITY", pattern="unit-table", priority=3,
                                      value_text=f"{cell} {table[2]}", step="unit_table"))
        nil_cells = [Match(found.start(), found.end(), "QUANTITY", "unit-table", 3, value_text=f"0 {unit}",
                           step="unit_table")
                     for start, end, unit in tables for found in _NIL_CELL.finditer(text, start, end)]
        return result + nil_cells

    def stock_quotes(self, matches: list[Match], text: str) -> list[Match]:
        """`Marion's stock gained 3-1/4 to 75-1/2`, `fell 1-1/2 to 19`, `at 59-1/2, up 1/8`: a move
        quoted in fractions is a share price in dollars, and so is the price it moved to or stands
        at (wire copy of a dollar story)."""
        if "dlr" not in text:
            return matches
        quotes = []
        for found in _STOCK_MOVE.finditer(text):
            if "/" not in found.group(0):
                continue
            for group in ("by", "to", "by2", "to2", "at", "by3"):
                if found.group(group):
                    quotes.append(Match(found.start(group), found.end(group), "MONEY", "stock-quote", 3,
                                        value_text=f"{found.group(group)} dlrs", step="stock_quote"))
        return matches + quotes

    def repetitions(self, matches: list[Match], text: str) -> list[Match]:
        """`lost three times to Roddick`, `won the Cup four times`: a whole number of times that
        nothing compares is a count of occasions (the numeral, counted `time`), not a factor
        (`three times as many`, `2.3 times the size`, `rose 2.3 times`)."""
        result = []
        for match in matches:
            found = _REPEATED.fullmatch(text, match.start, match.end) if match.pattern == "factor" else None
            if found and not self._compared(text, match.end):
                match = replace(match, end=found.end(1), pattern="count", counted="time", step="repetition")
            result.append(match)
        return result

    def _compared(self, text: str, end: int) -> bool:
        """Whether a comparison follows `times` (`as many`, `the size`; but `as a player` compares nothing)."""
        after = re.match(r"[\s()]*([A-Za-z]+)?(\s+an?\s)?", text[end:end + 30])
        word = (after.group(1) or "").lower()
        return word in self.context.factor_words_after and not (word == "as" and after.group(2))

    def keep(self, match: Match, text: str, view: DocView, blocked: RangeIndex) -> bool:
        """Whether a match may be an amount: O(log n) a match, its own text and a few words around."""
        if blocked.overlaps(match.start, match.end):
            return False  # URLs, phone and licence numbers, dates in digits, clock times, boilerplate
        if match.label in ("MONEY", "PERCENT") or match.pattern in ("results-line", "price-table"):
            return True
        span_text = text[match.start:match.end]
        single_letter_unit = match.label == "QUANTITY" and re.search(r"[0-9][A-Za-z]$", span_text) is not None
        if match.label == "QUANTITY" and not single_letter_unit or match.pattern in _odds_patterns():
            return True  # a price follows the horse or film it is for (`The Aviator 4/9`)
        if text[match.end:match.end + 1] == ")" and _SUBSTITUTE.search(text, max(0, match.start - 30), match.start):
            return True  # a line-up's substitution minute (`Stone (Cisse 76)`), not a number in a name
        if self._in_name(match, text, view):
            return False
        if match.label == "QUANTITY" or match.pattern in ("factor", "factor-word", "factor-multiplier"):
            return True
        return not self._not_a_count(match, span_text, text, view)

    def _in_name(self, match: Match, text: str, view: DocView) -> bool:
        """Numbers inside names: `Digital Shanghai 2035`, `Innovation 25`, the model's name entities
        (but not a score the model ran into a player's name: `Li Na 6-3 7-6`)."""
        if match.pattern == "score" and view.inside_name(match.start, match.end, _PERSON):
            return False
        if self.use_model_hints and view.inside_name(match.start, match.end, self.context.name_labels):
            return True
        if match.pattern == "score":
            return False
        before = view.token_before(match.start)
        if before is None or text[before.idx + len(before.text):match.start] != " ":
            return False
        if (before.text in self.context.identifier_words or before.text.rstrip(".") in self.context.identifier_words) \
                and not _TIMES_AFTER.match(text, match.end):
            return True  # `Section 3`, `version 7.60`, `band two`; not `the fifth round four times`
        if re.fullmatch(r"[0-9]{1,2}\.[0-9]{1,2}", text[match.start:match.end]) and VERSION_END.match(text, match.end):
            return self._name_word(before, text, view)  # `Firefox 1.0,`: a release number
        if re.match(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+\.[0-9]", text[match.start:match.end]):
            return False  # names hold short numbers (`Innovation 25`), not `Netherlands 500,000`
        return self._name_word(before, text, view)

    def _name_word(self, token: Token, text: str, view: DocView) -> bool:
        """A capitalised word inside a sentence that a number follows: `Digital Shanghai 2035`."""
        word = token.text
        if not word[:1].isupper() or word in self.context.name_word_exceptions or word in self.context.months \
                or not any(c.isalpha() for c in word):
            return False
        previous = text[max(0, token.idx - 3):token.idx]
        if token.idx == 0 or re.search(r"(?:[.!?:;\"“”\n]\s*|^\s*)$", previous):
            return False
        return True

    def _not_a_count(self, match: Match, span_text: str, text: str, view: DocView) -> bool:
        """Years, days of a month, clock times, durations, ages and compounds are not counts."""
        head = _amount_head().match(span_text)
        modifier = split_modifier(span_text)[0] is not None
        numbers = _BARE_NUMBER.findall(span_text)
        if numbers and all(_YEAR.fullmatch(n) for n in numbers) and (
                not modifier or _YEAR.search(text, max(0, match.start - 8), match.start)
                or text[match.end:match.end + 2] in ("'s", "’s")):
            return True  # a year; `1986 over 1985` compares two of them; `above 2004's average`
        if "/" in span_text and match.pattern == "count" and not BID_OFFER.fullmatch(span_text):
            return True  # a dealer's quote (`from an early 1.8230/40`) may yet take a currency (share)
        if re.fullmatch(r"(?:1[89]|20)[0-9]{2}\s*[-\u2013/]\s*[0-9]{2}", span_text) \
                or re.fullmatch(r"(?:between\s+)?1?[0-9]{3}\s*(?:[-\u2013]|to|and)\s*[12]?[0-9]{3}", span_text) \
                and all(1000 <= int(n) <= 2100 for n in re.findall(r"[0-9]{4}", span_text)) \
                and len(re.findall(r"[0-9]{4}", span_text)) == 2:
            return True  # `2019-20`, `1986/87`, `(1368-1644)`: seasons, crop years, periods
        if re.match(r"/[0-9]", text[match.end:match.end + 2]) or re.search(r"[0-9]/$", text[max(0, match.start - 2):match.start]):
            return True  # `6.5/6.6 tonnes`, `154.65/dlr`: part of a slash expression
        after = text[match.end:match.end + 24]
        pair = _PAIR_FIRST.search(text, max(0, match.start - 8), match.start)  # `30-` of `aged 30-39`
        context_start = pair.start() if pair else match.start
        before = text[max(0, context_start - 24):context_start]
        prev_word = re.search(r"([A-Za-z]+)\.?\s*$", before)
        if self.context.age_before.search(before):
            return True  # `at the age of 87`, `aged 25`: an age
        if self.context.rank_before.search(before):
            return True  # `dropped one place to five`, `at number 11 and 12`: a rank
        if re.fullmatch(rf"{_AGE}(?:\s*(?:-|to|or|and)\s*{_AGE})?", span_text) \
                and _AGE_CLAUSE.search(text, max(0, match.start - 60), match.start):
            return True  # `the pension age for council workers from 60 to 65`, `the age of 10 or 11`
        if re.fullmatch(r"[1-9][0-9]?|1[01][0-9]", span_text) and re.match(r"\s*[,.;)]", text[match.end:match.end + 2]) \
                and (re.search(r"\b(?:(?i:who|he|she)\s+(?:is|was|turned|will\s+be)|I\s+(?:am|was|turned|will\s+be)|I['’]m)"
                               r"\s+(?:just\s+|only\s+)?$|\b(?:Mr|Mrs|Ms|Miss|Dr|Sir)\.?\s+[A-Z][\w'’-]+,\s+$", before)
                     or (before.endswith(", ") and match.start - 2 in view.person_ends())
                     or ((name := re.search(r"([A-Z][\w'’-]+),\s+$", before)) and name.group(1) in view.surnames())):
            return True  # `Mr Tanzi, 66, said`, `He was 84,`, `Doherty, 25,`, `I will be 35 so`: an age
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
        # `three-pointers`, `three-dimensional`, `one-time`: a written number in a lexicalized
        # compound (`five-team`, `four-man`, `two-time` stay counts, like `10-game`).
        compound = re.match(r"[-\u2010]([A-Za-z]+)", after)
        if compound and re.search(r"[A-Za-z]$", span_text) and {
                compound.group(1).lower(), f"{span_text.lower()}-{compound.group(1).lower()}"} \
                & self.context.lexicalized_compounds:
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

    def keep_count(self, match: Match, span_text: str, counted: str | None, view: DocView) -> bool:
        """`one` is a pronoun unless it counts a noun (`one of them` counts none, `one of the
        carriers` does); a count of years or days is a DATE.

        Also no count: a rank (`the top five was`), a name (`50 Cent`, `737 MAX`: the number
        runs into a singular proper noun; `10-K`: a hyphen and a capital letter), a capitalised
        number word inside a sentence (`Ocean's Twelve`, `Double Eleven`).
        """
        text = doc_text(view.doc)
        if BID_OFFER.fullmatch(span_text):
            return False  # a dealer's quote that no amount gave a currency is no count either
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
        if _FORM_LETTER.match(text, match.end):
            return False  # `form 10-K`, `a 13-D filing`: a designation, a number and a capital letter
        if match.pattern == "count" and span_text[:1].isupper() and span_text[:1].isalpha() and before is not None \
                and not re.search(r"(?:[.!?:;\"“”\n(]|--)\s*$", text[max(0, match.start - 4):match.start]) \
                and not (view.parsed and view.token_after(match.start).is_sent_start):
            return False
        if span_text.lower() != "one":
            return True
        if after is not None and after.lower_ in ("another", "-"):
            return False  # `one another`; `one of the three carriers` counts carriers (guidelines)
        if before is not None and before.lower_ in ("including", "and", "with") and after is not None \
                and after.lower_ in ("that", "each", "who", "which"):
            return True  # `including one that was`, `and one each in`: a count whose noun is elided
        partitive = after is not None and after.lower_ == "of"  # `one of which`: a count (guidelines)
        if partitive and _OF_ONE_THING.match(text, match.end):
            return False  # a pronoun for a thing
        if before is not None and before.lower_ in self.context.one_pronoun_before \
                and not (partitive and before.lower_ in ("that", "which")):  # `confirmed that one of its soldiers`
            return False
        return partitive or counted is not None
