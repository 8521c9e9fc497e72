"""All custom `Doc._` attributes, declared once.

Values are plain data (str, int, list, dict) so docs survive `nlp.pipe(n_process=N)`.
Mutable defaults would be shared between docs, so lists default to None and readers use `or []`.
"""

from spacy.tokens import Doc

DOC_EXTENSIONS = {
    "dct": None,  # document creation time, "YYYY-MM-DD" or None
    "boilerplate": None,  # [[start, end], ...] character ranges that are not article content
    "candidates": None,  # [{"start", "end", "label", "value", "source"}, ...] from rule components
    "mentions": None,  # final [{"start", "end", "label", "text", "value"}, ...]
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
