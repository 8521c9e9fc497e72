"""Every span says which rule produced it (`source`, docs/sources.md): on the records, on
`Span._.source`, and with ids that name a pattern of a data file or a documented step."""

import json
import re

import pytest
from conftest import ROOT
from spacy.tokens import DocBin

from pipeline.extensions import SPANS_KEY

PATTERN_FILES = {
    "news_amounts:pattern": "amounts.jsonl",
    "news_dates:grammar": "dates.jsonl",
    "news_orgs:pattern": "org_patterns.jsonl",
}
SOURCE = re.compile(r"(?P<component>[a-z_]+):(?P<rule>[A-Za-z0-9_.-]+)")


def pattern_ids(file_name: str) -> set[str]:
    lines = (ROOT / "pipeline" / "patterns" / file_name).read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines if line.strip()}


def documented_steps() -> set[str]:
    """The step ids (no dot) of the table in docs/sources.md."""
    table = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+:[a-z_]+)` \|", table, re.M))


def source_problem(source: str | None) -> str | None:
    """Why `source` is no id of docs/sources.md; None when it is one."""
    found = SOURCE.fullmatch(source or "")
    if found is None:
        return "not COMPONENT:RULE"
    family, dot, rule_id = source.rpartition(".") if "." in found["rule"] else ("", "", "")
    if dot:
        if family not in PATTERN_FILES:
            return f"no pattern file for {family!r}"
        return None if rule_id in pattern_ids(PATTERN_FILES[family]) else f"{rule_id!r} is no id of {PATTERN_FILES[family]}"
    return None if source in documented_steps() else "a step docs/sources.md does not list"


def test_every_span_of_the_corpus_has_a_documented_source(corpus_records):
    spans = [span for record in corpus_records for span in record["spans"]]
    assert len(spans) > 1000
    assert all(span.get("source") for span in spans)
    problems = {span["source"]: source_problem(span["source"]) for span in spans}
    assert {source: why for source, why in problems.items() if why} == {}
    # the main families are all at work on the corpus
    assert {s.split(":")[0] for s in problems} == {"model", "news_orgs", "news_dates", "news_amounts"}


@pytest.mark.parametrize(("source", "ok"), [
    ("news_amounts:pattern.money-prefix", True),
    ("news_dates:grammar.month_day_year", True),
    ("news_orgs:pattern.head-of-name", True),
    ("news_orgs:acronym", True),
    ("model:ner", True),
    ("news_amounts:pattern.no-such-pattern", False),
    ("news_amounts:no_such_step", False),
    ("news_amounts", False),
    (None, False),
])
def test_source_problem_tells_documented_ids_from_others(source, ok):
    assert (source_problem(source) is None) is ok


# (text, span text, its source): each id made by the rule or step it names
CASES = [
    ("Sales rose 5 percent to $3 billion in 2020.", "5 percent", "news_amounts:pattern.percent"),
    ("Sales rose 5 percent to $3 billion in 2020.", "$3 billion", "news_amounts:pattern.money-prefix"),
    ("Sales rose 5 percent to $3 billion in 2020.", "2020", "news_dates:grammar.year"),
    ("Cocoa went at 1,850 and 1,880 dlrs.", "1,850", "news_amounts:share_units"),
    ("Contributions had increased from £5.5bn to £8.2bn a year.", "£5.5bn", "news_amounts:split_from_to"),
    ("Incomes increased from 1,499 yuan in 2015 to 9,328 yuan in 2019.", "9,328 yuan", "news_amounts:trim_year"),
    ("Exports totalled 3.76 mln tonnes, 34 pct down on 5.70 mln, officials said.", "5.70 mln",
     "news_amounts:share_comparisons"),
    ("The parcel weighs 200 pounds.", "200 pounds", "news_amounts:pounds_of_weight"),
    ("About 5m people voted in the election.", "About 5m", "news_amounts:metre_is_million"),
    ("The dry period means the harvest will be late this year.", "this year", "news_dates:predicative_modifier"),
    ("The carnival ends midday on February 27.", "midday on February 27", "news_dates:combine_time_day"),
    ("Holmes said <Scovill Inc> of the U.S. sold its holding.", "Scovill Inc", "news_orgs:bracket"),
    ("CHANGSHA, Nov. 17 (Xinhua) -- A dialogue was held.", "Xinhua", "news_orgs:dateline"),
    ("Multinational R&D centers (including Pfizer and Roche) opened.", "Pfizer", "news_orgs:list_examples"),
    ("He joined the Institute of Acoustics, Chinese Academy of Sciences, in May.", "Chinese Academy of Sciences",
     "news_orgs:pattern.head-of-name"),
    ("The National Facility for Protein Science in Shanghai (NFPS) opened. NFPS said it was ready.",
     "National Facility for Protein Science in Shanghai", "news_orgs:acronym_long_form"),
    ("The National Facility for Protein Science in Shanghai (NFPS) opened. NFPS said it was ready.",
     "NFPS", "news_orgs:acronym"),
    ("The match between Liaoning Flying Leopards and Guangzhou Loong Lions ended.", "Guangzhou Loong Lions",
     "news_orgs:model_join"),
    ("The match between Liaoning Flying Leopards and Guangzhou Loong Lions ended.", "Liaoning Flying Leopards",
     "model:ner"),
]


@pytest.fixture(scope="module")
def own_ner_nlp():
    """The pipeline on the model's own NER. The NER update (pipeline.ner_update) tags some of the
    names below itself (`Pfizer`, `NFPS`), and then `model:ner` made them, not the rule: the cases
    show each rule where the model leaves it work to do."""
    from pipeline.config import Settings
    from pipeline.nlp import build_pipeline

    return build_pipeline(Settings().model, ner_update=None)


@pytest.mark.parametrize(("text", "span_text", "source"), CASES)
def test_a_span_names_the_rule_that_made_it(own_ner_nlp, text, span_text, source):
    doc = own_ner_nlp(text)
    found = [(m["text"], m["source"]) for m in doc._.mentions]
    assert (span_text, source) in found
    assert {(s.text, s._.source) for s in doc.spans[SPANS_KEY]} >= {(span_text, source)}


def test_spacy_spans_keep_their_source_through_docbin(nlp):
    doc = nlp("Sales rose 5 percent to $3 billion in 2020.")
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    assert [s._.source for s in restored.spans[SPANS_KEY]] == [s._.source for s in doc.spans[SPANS_KEY]]
    assert all(s._.source for s in restored.spans[SPANS_KEY])
