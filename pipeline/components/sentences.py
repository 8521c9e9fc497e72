"""news_sentences: sentence boundaries without the parser, for the rules and for syntax on request.

spaCy's rule-based sentencizer ends a sentence at a full stop, question or exclamation mark; news
text also ends one at a line break (headlines, datelines, table rows carry no full stop). Without
the break, a wire results table is one long "sentence" that the parser would have to read whole.
"""

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc


@Language.factory("news_sentences")
def make_sentences(nlp: Language, name: str) -> "SentenceSplitter":
    return SentenceSplitter()


class SentenceSplitter:
    def __init__(self):
        self.sentencizer = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        self.sentencizer.set_annotations([doc], [self.starts(doc)])
        return doc

    def starts(self, doc: Doc) -> list[bool]:
        """Where this splitter starts sentences, without setting them: the rules read the same
        sentences when the parser has split the doc its own way."""
        flags = [bool(flag) for flag in self.sentencizer.predict([doc])[0]]
        for i in doc.to_array("IS_SPACE")[:-1].nonzero()[0].tolist():
            if "\n" in doc[i].text:
                flags[i] = i == 0  # the break closes the sentence before it
                flags[i + 1] = True
        return flags
