"""Web pages in: main text, title and date of saved news pages (../shared/html), spans on it."""

import json
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.read import read_inputs
from pipeline.schema import Article
from pipeline.web import PageOptions, page_article

PAGES = ROOT / "tests" / "data" / "html"  # a copy of ../shared/html, with its README (source, licence)
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def article(name: str) -> Article:
    (result,) = read_inputs([PAGES / name])
    assert isinstance(result, Article), result
    return result


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_every_page_gives_its_main_text_title_and_date(name):
    page = article(name)
    assert len(page.text) > 100 and "<" not in page.text[:200]  # text, not markup
    assert page.meta["input_format"] == "html" and page.meta["title"]
    assert page.meta["dct"] and len(page.meta["dct"]) == 10  # from the page (htmldate)


# Pages whose expectations no general setting meets, and why. strict: a page that starts passing is news.
UNREACHABLE = {
    "scmp.com.playbook.html": "the story is only in the page's JSON-LD articleBody (and a client-side state "
                              "blob): its HTML body holds a caption. The articleBody also holds two `without` "
                              "snippets as story text ('Lam staying on as chief executive, despite her record "
                              "low popularity ratings...', a sentence of the story, and the inline link 'Tsai "
                              "says Beijing must face...'), so no text of the story leaves them out",
    "salon.com.emissions.html": "'This post originally appeared on Grist' sits in a section before the <article>, "
                                "beside the byline and date; no trafilatura setting (favor_recall, fast, "
                                "comments, images, links, txt/markdown/xml output) or its baseline keeps it",
}


@pytest.mark.parametrize("page", [
    pytest.param(page, id=page["file"],
                 marks=[pytest.mark.xfail(strict=True, reason=UNREACHABLE[page["file"]])]
                 if page["file"] in UNREACHABLE else [])
    for page in EXPECTED if page["with"] or page["without"]])
def test_main_text_keeps_the_story_and_drops_the_furniture(page):
    """trafilatura's own expectations (expected.json): every story snippet kept, no furniture snippet."""
    text = article(page["file"]).text
    assert [s for s in page["with"] if s not in text] == []
    assert [s for s in page["without"] if s in text] == []


def test_ten_pages_have_expectations():
    assert len([p for p in EXPECTED if p["with"] or p["without"]]) == 10


def test_html_jsonl_line_and_options(tmp_path):
    html = (PAGES / "dw.com.uncork.html").read_text(encoding="utf-8", errors="replace")
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "dw", "html": html, "meta": {"dct": "2019-08-02"}}) + "\n", encoding="utf-8")
    (result,) = read_inputs([path])
    assert result.id == "dw" and result.meta["dct"] == "2019-08-02"  # the input's dct wins
    bare = page_article("dw", html, {}, "dw", PageOptions(tables=False))
    assert isinstance(bare, Article) and len(bare.text) <= len(result.text)


def test_page_without_main_text_is_an_error_record(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body></body></html>", encoding="utf-8")
    (result,) = read_inputs([path])
    assert not isinstance(result, Article) and "main text" in result.reason


def test_no_span_in_page_furniture(nlp):
    """Spans index the extracted text each record carries, and none falls in page furniture: the
    boilerplate ranges of that text, or a furniture snippet of expected.json that a page keeps."""
    from pipeline.annotate import annotate
    from pipeline.boilerplate import boilerplate_ranges

    records = {r["id"]: r for r in annotate(nlp, read_inputs(sorted(PAGES.glob("*.html"))))}
    assert len(records) == 12 and sum(bool(r["spans"]) for r in records.values()) >= 10
    for page in EXPECTED:
        record = records[Path(page["file"]).stem]
        text, spans = record["text"], record["spans"]
        assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
        furniture = boilerplate_ranges(text) + [(at, at + len(snippet)) for snippet in page["without"]
                                                for at in _occurrences(text, snippet)]
        assert [s for s in spans if any(s["start"] < end and start < s["end"] for start, end in furniture)] == []


def test_furniture_lines_leave_the_text():
    """A line the boilerplate rules cover whole is no main text; a line they cover in part stays."""
    from pipeline.web import without_furniture_lines

    text = "Story one.\nRead more: Another story\n(Credit: A. Person / Grist)\nStory two (Photo/Xinhua) ends."
    assert without_furniture_lines(text) == "Story one.\nStory two (Photo/Xinhua) ends."


def test_json_ld_article_body_stands_in_for_a_caption():
    from pipeline.web import json_ld_article_body

    body = "Story " * 100
    page = ('<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            f'"articleBody": "{body}"}}]}}</script></head><body><p>A caption of the photo, only.</p></body></html>')
    assert json_ld_article_body(page) == body.strip()
    result = page_article("p", page, {}, "p")
    assert isinstance(result, Article) and result.text == body.strip()


def _occurrences(text: str, snippet: str) -> list[int]:
    found, at = [], text.find(snippet)
    while at != -1:
        found.append(at)
        at = text.find(snippet, at + 1)
    return found
