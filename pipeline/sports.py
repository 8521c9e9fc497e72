"""Sports copy: the model's ORG names there are mostly towns and players, not organizations.

A match report names clubs by their towns (`Burnley have injury concerns`), which the guidelines
leave unannotated (gold/DECISIONS.md, places standing for teams), and lists players the NER update
often calls ORG (`Marion Bartoli`, a line-up `Taylor, Stone (Cisse 76), Faye,`). The word lists
(`sports_cues`, `club_words`) are in `patterns/org_lexicons.json`; the towns come from GeoNames
(`pipeline.gazetteer`).
"""

from __future__ import annotations

import re

from pipeline.gazetteer import place_names
from pipeline.organizations import OrgLexicons, normalize_name

SPORTS_CUES_NEEDED = 3  # distinct `sports_cues` words that make a text sports copy
_LINE_UP = re.compile(r"[,;:][ \t]$|[,;:][ \t][A-Z][ \t]$")  # a name between commas in a team's line-up (`, K Maggs,`)
_LINE_UP_END = re.compile(r"[ \t]*(?:[,.;]|\((?:capt|c)\)|\([A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*)?[ \t]\d{1,3}\))")
_PLAYER_NAME = re.compile(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,2}")  # `Marion Bartoli`, not `ATP Tour`


class SportsCopy:
    def __init__(self, lexicons: OrgLexicons):
        self.lexicons = lexicons
        cues = "|".join(re.escape(w) for w in sorted(lexicons.sports_cues, key=len, reverse=True))
        self.cue = re.compile(rf"\b(?:{cues})\b", re.IGNORECASE)

    def is_sports(self, text: str) -> bool:
        return len({cue.lower() for cue in self.cue.findall(text)}) >= SPORTS_CUES_NEEDED

    def town_or_player(self, text: str, start: int, end: int) -> bool:
        """A town standing for its club, a player in a line-up, a player named by two or three
        capitalized words none of which is a club word, a designator or a town (`American
        Davenport`; but `Aston Villa`, `Perth Glory`), or by a surname the text also puts after a
        first name (`Shearer` beside `Alan Shearer`)."""
        name, towns = normalize_name(text[start:end]), place_names()
        if name in towns or _LINE_UP.match(text[max(0, start - 2):start]) and _LINE_UP_END.match(text, end):
            return True
        if " " not in name:  # `Shearer's low shot` where the text also has `Alan Shearer`
            return any(not self._clubbish(first.group(1), towns)
                       for first in re.finditer(rf"\b([A-Z][a-z]+)[ \t]+{re.escape(name)}\b", text))
        return bool(_PLAYER_NAME.fullmatch(name)) and not any(self._clubbish(word, towns) for word in name.split())

    def _clubbish(self, word: str, towns: frozenset[str]) -> bool:
        lx = self.lexicons
        return (word in towns or word.lower() in lx.club_words or word.lower() in lx.designators
                or word.lower() in lx.institution_heads or word.lower() in lx.leading_words)
