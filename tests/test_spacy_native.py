"""Our output as spaCy sees it: registered factories, `doc.spans["news"]` with values, `doc.ents`,
DocBin, the Scorer, and a saved pipeline that `spacy.load` reads back in a fresh process."""

import json
import subprocess
import sys

from spacy.scorer import Scorer
from spacy.tokens import DocBin
from spacy.training import Example

TEXT = "Apple Inc said on Monday that sales rose 5% to $3 billion, Tim Cook said in California."


def test_factories_load_in_a_fresh_process_without_our_import(tmp_path):
    code = ("import spacy; nlp = spacy.blank('en')\n"
            "for name in ('news_boilerplate', 'news_orgs', 'news_dates', 'news_amounts', 'news_merge'):\n"
            "    nlp.add_pipe(name)\n"
            "doc = nlp('It cost $5 million.')\n"
            "print([(s.text, s.label_, s._.value['currency']) for s in doc.spans['news']])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[('$5 million', 'MONEY', 'USD')]"


def test_spans_values_and_ents(nlp):
    doc = nlp(TEXT)
    spans = [(s.text, s.label_) for s in doc.spans["news"]]
    assert spans == [(m["text"], m["label"]) for m in doc._.mentions]
    assert {s.text: s._.value for s in doc.spans["news"]}["$3 billion"]["amount"] == 3000000000
    ents = {(e.text, e.label_) for e in doc.ents}
    assert set(spans) <= ents and ("Tim Cook", "PERSON") in ents  # the model's other entities stay


def test_docbin_keeps_spans_and_values(nlp):
    doc = nlp(TEXT)
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    (back,) = DocBin().from_bytes(data).get_docs(nlp.vocab)
    assert [(s.text, s.label_, s._.value) for s in back.spans["news"]] == \
        [(s.text, s.label_, s._.value) for s in doc.spans["news"]]


def test_spacy_scorer_reads_our_spans(nlp):
    predicted = nlp(TEXT)
    reference = nlp.make_doc(TEXT)
    reference.spans["news"] = [reference.char_span(m["start"], m["end"], label=m["label"])
                               for m in predicted._.mentions]
    scores = Scorer.score_spans([Example(predicted, reference)], "spans", getter=lambda d, k: d.spans["news"])
    assert scores["spans_f"] == 1.0


def test_saved_pipeline_loads_with_spacy_load_and_gives_the_same_spans(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    code = ("import json, spacy; nlp = spacy.load(%r)\n"
            "doc = nlp(%r)\n"
            "print(json.dumps([[s.start_char, s.end_char, s.label_, s._.value] for s in doc.spans['news']]))"
            % (str(tmp_path / "pipe"), TEXT))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    doc = nlp(TEXT)
    expected = [[s.start_char, s.end_char, s.label_, s._.value] for s in doc.spans["news"]]
    assert json.loads(result.stdout) == expected
