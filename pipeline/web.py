"""Web pages in: a saved news page becomes the article its main text is.

The page's menus, scripts, comments and footers are no article content; trafilatura (the
reference main-text extractor) keeps the story, its title and its date, and htmldate (through
trafilatura's metadata) gives the publication date when the input's meta has none. The
article's text is the extracted main text: span offsets index it, so the record carries it
(`text`) for every page, and the plain-text boilerplate rules, written for pages saved as text,
find little left to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.schema import Article, ReadError, ReadResult

HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class PageOptions:
    """What of a page besides the story's paragraphs is kept: reader comments, tables."""

    comments: bool = False
    tables: bool = True


def page_article(doc_id: str, page: str | bytes, meta: dict, source: str,
                 options: PageOptions = PageOptions()) -> ReadResult:
    """The article of one saved page, or why there is none (no main text found)."""
    import trafilatura

    found = trafilatura.bare_extraction(page, include_comments=options.comments, include_tables=options.tables,
                                        with_metadata=True, deduplicate=False)
    extracted = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    text = (extracted.get("text") or "").strip()
    if not text:
        return ReadError(doc_id, source, "web page without main text (trafilatura found none)")
    page_meta = {"input_format": "html", **meta}
    if extracted.get("title") and not page_meta.get("title"):
        page_meta["title"] = extracted["title"]
    if extracted.get("date") and not page_meta.get("dct"):
        page_meta["dct"] = extracted["date"][:10]
    return Article(doc_id, text, page_meta)
