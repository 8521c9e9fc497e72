import pytest

from conftest import CORPUS
from pipeline.boilerplate import boilerplate_ranges, parse_rule

# Boilerplate of the five seed articles: none of it may produce a span.
SEED_BOILERPLATE = [
    ("000_7345bfd35fc42aa5", "[Photo/WeChat ID: pdnews]"),
    ("001_0305f33765458e76", "Home > Latest"),
    ("001_0305f33765458e76", "Updated: 2021-10-13"),
    ("001_0305f33765458e76", "[Photo provided to]"),
    ("002_33c59f71550fdd5c", "爱上海论坛"),
    ("002_33c59f71550fdd5c", "新上海龙凤419会所"),
    ("002_33c59f71550fdd5c", "上海夜网论坛"),
    ("003_323c6548c23ea6a5", "Special Reports"),
    ("004_e05405c5eab26e81", "/VCG"),
    ("004_e05405c5eab26e81", "CHOOSE YOUR LANGUAGE"),
    ("004_e05405c5eab26e81", "互联网新闻信息许可证10120180008"),
    ("004_e05405c5eab26e81", "Disinformation report hotline: 010-85061466"),
]


def covered(ranges, start, end):
    return any(s <= start and end <= e for s, e in ranges)


@pytest.mark.parametrize(("doc_id", "snippet"), SEED_BOILERPLATE)
def test_seed_boilerplate_is_marked(doc_id, snippet):
    text = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
    start = text.index(snippet)
    assert covered(boilerplate_ranges(text), start, start + len(snippet))


@pytest.mark.parametrize(("doc_id", "snippet"), SEED_BOILERPLATE)
def test_no_predicted_span_in_seed_boilerplate(corpus_records, doc_id, snippet):
    record = next(r for r in corpus_records if r["id"] == doc_id)
    text = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
    start = text.index(snippet)
    end = start + len(snippet)
    assert not [s for s in record["spans"] if s["start"] < end and start < s["end"]]


MUST_MARK = [
    "Tmall gala opens. (Photo/Xinhua) Despite the gloom",
    "Farmers pick oranges. (Xinhua/Zhou Mi) Later",
    "A street in Beijing. (People's Daily Online/Wang Jianfeng)",
    "(Web editor: Wen Ying, Liang Jun)",
    "By Kou Jie ( People's Daily Online ) 10:28, November 12, 2020",
    "Hotline: 010-85061466",
]
MUST_NOT_MARK = [
    "Zhangjiang reported 167.3 billion yuan in industrial output.",
    "The Photo Video Award went to Acme.",
    "the trading partner (US) accounted for 65 percent",
    "growth rate in a decade\uff0d0.8 percent\uff0dto reach 372,532",
    "He said: Top executives met in Beijing on Monday.",
    "Sales rose (year/year) by 5 percent in the EU/US markets.",
]


@pytest.mark.parametrize("text", MUST_MARK)
def test_must_mark(text):
    assert boilerplate_ranges(text)


@pytest.mark.parametrize("text", MUST_NOT_MARK)
def test_must_not_mark(text):
    assert boilerplate_ranges(text) == []


def test_people_daily_page_keeps_only_the_story():
    page = ("Title - People's Daily Online Monday, Nov 16, 2020 Home Opinions English &gt;&gt; "
            "Headline here ( Xinhua ) 09:38, November 16, 2020 BEIJING, Nov. 16 (Xinhua) -- Body "
            "text with 5 percent. (For the latest China news, Please follow People's Daily) Most Read 1 X")
    ranges = boilerplate_ranges(page)
    assert ranges[0][0] == 0 and page[ranges[0][1]:].startswith("Headline here")
    assert covered(ranges, page.index("( Xinhua )"), page.index("BEIJING") - 1)
    assert not covered(ranges, page.index("5 percent"), page.index("5 percent") + 9)
    assert ranges[-1] == (page.index("(For the latest"), len(page))


def test_rule_with_unknown_key_fails_at_load():
    with pytest.raises(ValueError, match="unknown keys"):
        parse_rule({"id": "x", "kind": "span", "pattern": "a", "patern": "b"})


# A lone publication-date line under the headline is metadata (guidelines, "The document").
@pytest.mark.parametrize(("text", "is_boilerplate"), [
    ("Apple unveils iPod nano\nSeptember 7, 2005\nApple today unveiled ...", True),
    ("GM cuts jobs\nMonday, 15 March 2004\nGeneral Motors said ...", True),
    ("Headline\n2021-10-13 09:56\nBody text.", True),
    ("Headline\nSales rose on September 7, 2005 after the launch.\n", False),
    ("Headline\n" + "Body text goes on. " * 40 + "\nSeptember 7, 2005\n", False),  # far from the top
])
def test_lone_date_line_under_the_headline(text, is_boilerplate):
    start = text.index("\n") + 1
    end = text.index("\n", start)
    assert covered(boilerplate_ranges(text), start, end) is is_boilerplate
