"""The NER update: its training targets, its round trip to disk, and when it is (not) used."""

import json
import logging

import pytest
import spacy

from pipeline.config import NER_UPDATE_DIR, Settings
from pipeline.ner_update import BASE_FILE, apply_ner_update, base_of, save_ner_update
from pipeline.train_ner import TrainSettings, biluo_example, gold_target, text_key, train


@pytest.fixture(scope="module")
def bare():
    return spacy.load(Settings().model)


@pytest.mark.parametrize("gold_orgs, model_ents, expected", [
    # gold ORG replaces the model's ORG; other labels stay where they touch no gold ORG
    ([(0, 5)], [(0, 5, "GPE"), (10, 15, "PERSON")], [(0, 5, "ORG"), (10, 15, "PERSON")]),
    ([(0, 9)], [(4, 12, "GPE")], [(0, 9, "ORG")]),
    # a model ORG gold does not have is no target: gold left it out on purpose (a brand, an index)
    ([], [(0, 5, "ORG"), (6, 9, "DATE")], [(6, 9, "DATE")]),
    ([(20, 30)], [], [(20, 30, "ORG")]),
])
def test_gold_target(gold_orgs, model_ents, expected):
    assert gold_target(gold_orgs, model_ents) == expected


def test_example_leaves_boilerplate_tokens_without_target(bare):
    text = "Home | News | Reuters\nShares of Acme Corp rose."
    menu_end = text.index("\n")
    example = biluo_example(bare, text, [(text.index("Acme"), text.index(" rose"), "ORG")], [(0, menu_end)])
    tags = example.get_aligned_ner()
    words = [t.text for t in example.reference]
    assert {tags[i] for i, w in enumerate(words) if w in ("Home", "News", "Reuters")} == {None}
    assert [tags[words.index("Acme")], tags[words.index("Corp")]] == ["B-ORG", "L-ORG"]
    assert tags[words.index("Shares")] == "O"


def test_an_entity_cut_by_boilerplate_is_no_target(bare):
    """Half in a missing range, an entity would leave a broken tag sequence (spaCy's E067)."""
    text = "Home | Acme Corp\nShares rose."
    example = biluo_example(bare, text, [(text.index("Acme"), text.index("\n"), "ORG")], [(0, text.index("Corp"))])
    tags = example.get_aligned_ner()
    assert tags[[t.text for t in example.reference].index("Corp")] == "O"


def test_text_key_ignores_whitespace():
    assert text_key("Acme  rose\n\nfast") == text_key("Acme rose fast")


def test_shipped_update_fits_the_default_model_and_is_used(nlp, bare):
    assert json.loads((NER_UPDATE_DIR / BASE_FILE).read_text()) == base_of(bare.meta)
    assert nlp.meta.get("news_ner_update") == NER_UPDATE_DIR.name


def test_update_from_another_model_is_refused_with_a_warning(tmp_path, bare, caplog):
    (tmp_path / BASE_FILE).write_text(json.dumps({"name": "en_core_web_md", "version": "3.8.0"}))
    with caplog.at_level(logging.WARNING):
        assert apply_ner_update(bare, tmp_path) is False
    assert "trained from en_core_web_md" in caplog.text
    assert apply_ner_update(bare, tmp_path / "missing") is False
    assert apply_ner_update(bare, None) is False


def test_trained_update_round_trips(tmp_path):
    gold = tmp_path / "gold" / "dev"
    gold.mkdir(parents=True)
    text = "Shares of Tiscali fell after Scottish Water said it would cut jobs."
    spans = [{"start": text.index(n), "end": text.index(n) + len(n), "label": "ORG", "text": n,
              "value": {"canonical": n}} for n in ("Tiscali", "Scottish Water")]
    (gold / "a.jsonl").write_text(json.dumps({"id": "a", "text": text, "spans": spans}) + "\n")
    trained = train(Settings().model, gold, [], set(), TrainSettings(epochs=3, rehearse_per_epoch=0))
    save_ner_update(trained, base_of(trained.meta), tmp_path / "update")
    loaded = spacy.load(Settings().model)
    before = loaded.get_pipe("ner").to_bytes(exclude=["vocab"])
    assert apply_ner_update(loaded, tmp_path / "update") is True
    after = loaded.get_pipe("ner").to_bytes(exclude=["vocab"])
    assert before != after == trained.get_pipe("ner").to_bytes(exclude=["vocab"])
    probe = "Tiscali and Scottish Water met the Bank of England."
    assert [(e.text, e.label_) for e in loaded(probe).ents] == [(e.text, e.label_) for e in trained(probe).ents]
