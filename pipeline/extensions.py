"""All custom `Doc._` and `Span._` attributes, declared once.

Values are plain data (str, int, list, dict) so docs survive `nlp.pipe(n_process=N)`.
Mutable defaults would be shared between docs, so lists default to None and readers use `or []`.
"""

from spacy.tokens import Doc, Span

DOC_EXTENSIONS = {
    "dct": None,  # document creation time, "YYYY-MM-DD" or None
    "boilerplate": None,  # [[start, end], ...] character ranges that are not article content
    "candidates": None,  # [{"start", "end", "label", "value", "source"}, ...] from rule components
    "mentions": None,  # final [{"start", "end", "label", "text", "value", "source"}, ...]
}


# `doc.spans[SPANS_KEY]`: every mention as a spaCy span, its normalized value on `Span._.value` and
# the rule that produced it on `Span._.source` (`news_amounts:pattern.money-prefix`, `model:ner`:
# docs/sources.md).
SPANS_KEY = "news"
SPAN_EXTENSIONS = {"value": None, "source": None}

TEXT_KEY = ("pipeline", "text")


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once: spaCy rebuilds it from the tokens on every access (about 1 ms for
    a 500-token article, read a dozen times per article by the rule components). A doc's text never
    changes, so the copy in `doc.user_data` cannot go stale."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
