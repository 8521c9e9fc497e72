"""Syntax on request: only the sentences asked about are tagged and parsed, as the whole model would."""

import pytest

from pipeline.syntax import DocSyntax, SentenceParser

TEXT = ("Shares rose sharply on Monday.\n\nThe company hired 40 new engineers. "
        "It will open three regional offices in March.")


@pytest.fixture(scope="module")
def whole():
    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    return build_pipeline(Settings().model, model_components=None, syntax_on_request=False)


def _token(doc, text):
    return next(t for t in doc if t.text == text)


def test_the_pipeline_leaves_tags_and_parse_to_requests(nlp):
    doc = nlp(TEXT)
    assert not doc.has_annotation("TAG") and not doc.has_annotation("DEP")
    assert [s.text.strip() for s in doc.sents][:2] == ["Shares rose sharply on Monday.", "The company hired 40 new engineers."]


def test_a_token_asked_about_is_tagged_within_its_sentence_as_by_the_whole_model(nlp, whole):
    doc = nlp(TEXT)
    syntax = DocSyntax(doc, SentenceParser.of(nlp))
    engineers = syntax.token(_token(doc, "engineers"))
    expected = _token(whole(TEXT), "engineers")

    assert engineers.doc.text == "The company hired 40 new engineers. "
    assert (engineers.tag_, engineers.pos_, syntax.lemma(engineers)) == \
        (expected.tag_, expected.pos_, expected.lemma_) == ("NNS", "NOUN", "engineer")
    assert engineers.dep_ == ""  # tags only, unless the parse is asked for


def test_the_parse_is_run_when_asked_for(nlp):
    doc = nlp(TEXT)
    syntax = DocSyntax(doc, SentenceParser.of(nlp))
    tagged = syntax.token(_token(doc, "engineers"))
    parsed = syntax.token(_token(doc, "engineers"), parse=True)

    assert (parsed.dep_, parsed.head.text) == ("dobj", "hired")
    assert syntax.token(_token(doc, "engineers")).doc is parsed.doc is not tagged.doc  # the parsed one is kept


def test_a_sentence_is_parsed_once_and_spans_stay_inside_it(nlp):
    doc = nlp(TEXT)
    syntax = DocSyntax(doc, SentenceParser.of(nlp))
    syntax.prefetch([_token(doc, "40"), _token(doc, "three")])
    first = syntax.token(_token(doc, "40"))

    assert syntax.token(_token(doc, "engineers")).doc is first.doc
    assert [t.text for t in syntax.span(TEXT.index("three"), TEXT.index("March") + 5)] == \
        ["three", "regional", "offices", "in", "March"]
    assert syntax.span(TEXT.index("Monday"), TEXT.index("company")) is None  # two sentences


def test_a_doc_the_whole_model_annotated_answers_from_its_own_tokens(whole):
    doc = whole(TEXT)
    syntax = DocSyntax(doc, None)
    token = _token(doc, "engineers")

    assert syntax.tagged and syntax.parsed
    assert syntax.token(token).doc is doc
    assert syntax.lemma(token) == "engineer"


def test_without_a_parser_nothing_is_tagged(nlp):
    doc = nlp(TEXT)
    syntax = DocSyntax(doc, None)

    assert not syntax.tagged and not syntax.parsed
    assert syntax.token(_token(doc, "engineers")).tag_ == ""


@pytest.mark.parametrize("text, first_words", [
    ("China growth slows\nBEIJING, Nov 9 - The economy grew 4.9 percent.", ["China", "BEIJING"]),
    ("Net 10.6 mln vs 20.6 mln\nRevs 95 mln vs 90 mln", ["Net", "Revs"]),
    ("It rose. It fell.", ["It", "It"]),
])
def test_a_line_break_ends_a_sentence(nlp, text, first_words):
    assert [s[0].text for s in nlp(text).sents] == first_words


def test_tags_alone_start_a_little_before_the_first_token_asked_about(nlp, whole):
    text = ("After a long and difficult year of talks with its many creditors in several countries, "
            "the company said it would close 12 older plants.")
    doc = nlp(text)
    syntax = DocSyntax(doc, SentenceParser.of(nlp))
    plants = syntax.token(_token(doc, "plants"))
    expected = _token(whole(text), "plants")

    assert plants.doc.text.startswith("company said it would close")  # not from `After`
    assert [(t.tag_, t.pos_) for t in plants.doc[plants.i - 2:]] == \
        [(t.tag_, t.pos_) for t in expected.doc[expected.i - 2:]]
    assert syntax.lemma(plants) == expected.lemma_ == "plant"


def test_the_tag_ruler_gives_what_the_attribute_ruler_gives_without_the_parse(nlp):
    from spacy.tokens import Doc

    text = ("Y'all ain't gonna believe it, let's go: I'm gon na see, c'mon. We gotta win; it's nothin' but "
            "doin' well.\n\nThe company's 40 new engineers have been hired and there were 12 older plants.")
    parser = SentenceParser.of(nlp)
    words = nlp.make_doc(text)
    tagged = [Doc(nlp.vocab, words=[t.text for t in words], spaces=[bool(t.whitespace_) for t in words])
              for _ in range(2)]
    for name, step in parser.steps:
        if name != "parser":
            tagged[0] = step(tagged[0])  # the model's own attribute ruler
    tagged[1] = parser.parse([tagged[1]], with_parser=False)[0]

    assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in tagged[1]] == \
        [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in tagged[0]]
    assert {"be", "to", "us", "not"} <= {t.lemma_ for t in tagged[1]}  # `ai`, `na`, `'s`, `n't`: two-token patterns
