"""news_amounts: MONEY, PERCENT, QUANTITY and CARDINAL spans found by rules, with their values.

How it works, in the order of `AmountRecognizer.__call__` (`recognizer.py`), one module a step:
1. Find (`patterns.py`): span patterns (`pipeline/patterns/amounts.jsonl`, regex templates over
   the raw text whose `{PLACEHOLDERS}` are built from the same tables the normalizers read) give
   typed matches: currency before or after an amount, percent words, units, factors, fractions,
   scores, counts.
2. Filter (`filter.py`, with the words of `context.py`: `pipeline/patterns/amount_context.json`)
   drops numbers that are no count: years, days of a month, clock times, durations (DATE owns
   them), ages, identifiers, phone numbers, numbers inside names (after a proper noun, inside the
   model's name entities).
3. Overlaps resolve by priority (typed before factor before count), then length, then position
   (`patterns.resolve_overlaps`).
4. Share (`share.py`): shared units are copied to bare numbers: `1,850 and 1,880 dlrs` is two
   MONEY spans, and `from 2 to 3 percent` is a change, not a range, so it is split into two
   PERCENT spans.
5. Value (`recognizer.py`): values come from the pure normalizers; a bare `dlrs` or `$` takes the
   currency a qualified form earlier in the story gave its family (`N.Z. Dlrs` ... `1,709 dlrs`
   -> NZD).
6. Counted noun (`counted.py`): a CARDINAL's `counted` is the lemma of the noun it counts, read
   from the model's tags and lemmas (`Two of Shanghai's three major industrial mother funds` ->
   `fund` twice).
`view.py` gives every step the document's tokens by character offset, `ranges.py` whether a span
touches a blocked range. Each step is O(n) or O(n log n) in the matches; its docstring says which.

Span boundaries follow docs/annotation-guidelines.md: modifier inside (`nearly 20 million yuan`),
a parenthetical its own span, per-unit words outside (`22 dlrs` in `22 dlrs a share`), and a
CARDINAL covers the numeral and its modifier only. Candidates go to `doc._.candidates`, each with
its `source`: `news_amounts:pattern.<id of amounts.jsonl>`, or the step that decided its boundaries
or label (`trim_year`, `results_table`, `split_from_to`, the share steps, `pounds_of_weight`,
`metre_is_million`: docs/sources.md).
"""

from pipeline.components.amounts.context import AmountContext, amount_context
from pipeline.components.amounts.patterns import (NUMBER_REACH, Match, _number_anchor, amount_patterns,
                                                  find_matches, fragments, resolve_overlaps)
from pipeline.components.amounts.recognizer import AmountRecognizer, make_amounts, plain_numbers

__all__ = ["NUMBER_REACH", "AmountContext", "AmountRecognizer", "Match", "_number_anchor", "amount_context",
           "amount_patterns", "find_matches", "fragments", "make_amounts", "plain_numbers", "resolve_overlaps"]
