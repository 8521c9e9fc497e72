"""Word tests of Matcher patterns as lexeme flags: the same matches as the predicates."""

import spacy
from spacy.matcher import Matcher

from pipeline.wordflags import WordTests

PATTERN = [{"TEXT": {"REGEX": "^[A-Z]"}, "LOWER": {"NOT_IN": ["the", "said"]}, "OP": "+"},
           {"LOWER": {"IN": ["corp", "inc"]}}]
TEXT = "The Acme Widget Corp said Beta Inc and the corp of Gamma said so."


def _matchers(vocab):
    plain, flagged = Matcher(vocab), Matcher(vocab, validate=False)
    plain.add("name", [PATTERN], greedy="LONGEST")
    flagged.add("name", [WordTests.of(vocab).rewrite(PATTERN)], greedy="LONGEST")
    return plain, flagged


def test_the_flags_match_what_the_predicates_match():
    nlp = spacy.blank("en")
    plain, flagged = _matchers(nlp.vocab)
    doc = nlp(TEXT)
    WordTests.of(nlp.vocab).mark(doc)

    assert flagged(doc) == plain(doc)
    assert [doc[s:e].text for _, s, e in flagged(doc)] == ["Acme Widget Corp", "Beta Inc"]
    assert not any(isinstance(v, dict) for token in WordTests.of(nlp.vocab).rewrite(PATTERN) for v in token.values())


def test_words_made_again_after_a_memory_zone_are_marked_again():
    nlp = spacy.blank("en")
    plain, flagged = _matchers(nlp.vocab)
    for _ in range(2):
        with nlp.memory_zone():
            doc = nlp("Zyxwv Qrst Corp rose.")  # words new to the vocab: forgotten after the zone
            WordTests.of(nlp.vocab).mark(doc)
            assert flagged(doc) == plain(doc) != []
