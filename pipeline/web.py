"""Web pages in: a saved news page becomes the article its main text is.

The page's menus, scripts, comments and footers are no article content; trafilatura (the
reference main-text extractor) keeps the story, its title and its date, and htmldate (through
trafilatura's metadata) gives the publication date when the input's meta has none. The
article's text is the extracted main text: span offsets index it, so the record carries it
(`text`) for every page.

Three general settings on top of trafilatura's defaults, each checked against trafilatura's own
expectations for the saved pages in tests/data/html (expected.json):
- `fast=True`: no fallback extractors (readability, jusText). On those pages the fallbacks only
  ever added furniture (a blog's next-post teasers), never a line of a story.
- The schema.org `articleBody` (JSON-LD) is the text when it is more than twice as long as what
  the extractor found: a page that renders its story in the browser leaves only a caption in
  the HTML, while its JSON-LD carries the whole story.
- A line of the extracted text that the boilerplate rules (patterns/boilerplate.jsonl) cover
  whole is dropped (`Read more: ...`, `Our Standards: ...`, a credit line): a main-text
  extractor keeps such lines when they sit inside the article element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import unescape

from pipeline.schema import Article, ReadError, ReadResult

HTML_SUFFIXES = (".html", ".htm")
# The JSON-LD articleBody replaces the extracted text when it is this many times longer.
ARTICLE_BODY_RATIO = 2.0


@dataclass(frozen=True)
class PageOptions:
    """What of a page besides the story's paragraphs is kept: reader comments, tables."""

    comments: bool = False
    tables: bool = True


def _json_ld_bodies(node, found: list[str]) -> None:
    """Every schema.org `articleBody` string of a parsed JSON-LD block (lists and `@graph` too)."""
    if isinstance(node, list):
        for item in node:
            _json_ld_bodies(item, found)
    elif isinstance(node, dict):
        if isinstance(node.get("articleBody"), str):
            found.append(node["articleBody"])
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            _json_ld_bodies(node.get(key), found)


def json_ld_article_body(page: str | bytes) -> str:
    """The longest schema.org `articleBody` of the page's JSON-LD scripts, as plain text; "" if none."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(page)
    except (ValueError, TypeError, SyntaxError):  # lxml's ParserError is a ValueError
        return ""
    found: list[str] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            _json_ld_bodies(json.loads(script.text or "", strict=False), found)
        except ValueError:
            continue
    body = max(found, key=len, default="")
    if "<" in body:  # a body given as HTML
        body = lxml_html.fromstring(f"<div>{body}</div>").text_content()
    return unescape(body).strip()


def without_furniture_lines(text: str) -> str:
    """`text` without the lines that boilerplate ranges cover whole."""
    from pipeline.boilerplate import boilerplate_ranges

    ranges = boilerplate_ranges(text)
    if not ranges:
        return text
    kept, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        stripped_start = start + len(line) - len(line.lstrip())
        stripped_end = start + len(line.rstrip())
        whole = stripped_start < stripped_end and any(r_start <= stripped_start and stripped_end <= r_end
                                                      for r_start, r_end in ranges)
        if not whole:
            kept.append(line)
        start = end + 1
    return "\n".join(kept).strip()


def page_article(doc_id: str, page: str | bytes, meta: dict, source: str,
                 options: PageOptions = PageOptions()) -> ReadResult:
    """The article of one saved page, or why there is none (no main text found)."""
    import trafilatura

    found = trafilatura.bare_extraction(page, include_comments=options.comments, include_tables=options.tables,
                                        with_metadata=True, deduplicate=False, fast=True)
    extracted = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    text = (extracted.get("text") or "").strip()
    body = json_ld_article_body(page)
    if len(body) > ARTICLE_BODY_RATIO * len(text):
        text = body
    text = without_furniture_lines(text)
    if not text:
        return ReadError(doc_id, source, "web page without main text (trafilatura found none)")
    page_meta = {"input_format": "html", **meta}
    if extracted.get("title") and not page_meta.get("title"):
        page_meta["title"] = extracted["title"]
    if extracted.get("date") and not page_meta.get("dct"):
        page_meta["dct"] = extracted["date"][:10]
    return Article(doc_id, text, page_meta)
