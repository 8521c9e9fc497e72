"""spaCy factory `news_boilerplate`: marks the character ranges that are not article content."""

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.boilerplate import boilerplate_ranges
from pipeline.extensions import doc_text, register_extensions


@Language.component("news_boilerplate")
def mark_boilerplate(doc: Doc) -> Doc:
    register_extensions()
    doc._.boilerplate = [list(r) for r in boilerplate_ranges(doc_text(doc))]
    return doc
