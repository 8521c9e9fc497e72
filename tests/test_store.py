"""The incremental output store: keys, versions, transactions, ordered atomic export."""

import json
import shutil
from pathlib import Path

import pytest

import pipeline
from pipeline.store import (ERRORS_FILE, DocKey, OutputStore, RunEntry, doc_key, input_hash, run_version,
                            source_fingerprint)
from pipeline.schema import Article

BASE = Article("a", "Acme Corp rose 5 percent.", {"dct": "2020-01-02", "title": "T"})


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (Article("b", BASE.text, BASE.meta), True),  # the id is part of the key, not of the hash
        (Article("a", BASE.text, {"title": "T", "dct": "2020-01-02"}), True),  # key order is irrelevant
        (Article("a", BASE.text + " ", BASE.meta), False),
        (Article("a", BASE.text, {**BASE.meta, "dct": "2021-01-02"}), False),  # dct anchors dates
        (Article("a", BASE.text, {}), False),
    ],
)
def test_input_hash_covers_text_and_meta(other, same):
    assert (input_hash(other) == input_hash(BASE)) is same


def record(doc_id: str, n: int = 0) -> dict:
    return {"id": doc_id, "meta": {"n": n}, "spans": []}


def error(doc_id: str) -> dict:
    return {"id": doc_id, "meta": {"source": doc_id}, "spans": [], "errors": [{"id": doc_id, "reason": "bad"}]}


def test_commit_then_export_in_input_order_with_errors(tmp_path):
    k1, k2 = DocKey("one", "h1"), DocKey("two", "h2")
    with OutputStore(tmp_path, "v1") as store:
        # committed out of order: the export follows `seq`, i.e. the input order
        store.commit([RunEntry(2, k2), RunEntry(1, None, error("bad"))], [(k2, record("two"))])
        store.commit([RunEntry(0, k1)], [(k1, record("one"))])
        out = tmp_path / "out" / "o.jsonl"
        assert store.export(out) == 3
        store.write_errors()
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["one", "bad", "two"]
    assert [json.loads(line) for line in (tmp_path / ERRORS_FILE).read_text().splitlines()] == \
        [{"id": "bad", "reason": "bad"}]
    assert not [p for p in out.parent.iterdir() if p.name != "o.jsonl"]  # no temporary file left


def test_records_are_kept_per_version(tmp_path):
    key = DocKey("one", "h1")
    with OutputStore(tmp_path, "v1") as store:
        store.commit([RunEntry(0, key)], [(key, record("one"))])
        assert store.has(key) and not store.has(DocKey("one", "other-hash"))
    with OutputStore(tmp_path, "v2") as store:
        assert not store.has(key)
    with OutputStore(tmp_path, "v1") as store:
        assert store.has(key)


def test_a_failed_batch_commits_nothing(tmp_path):
    k1, k2 = DocKey("one", "h1"), DocKey("two", "h2")
    with OutputStore(tmp_path, "v1") as store:
        with pytest.raises(TypeError):  # the second record cannot be serialized
            store.commit([RunEntry(0, k1), RunEntry(1, k2)], [(k1, record("one")), (k2, {"bad": object()})])
        assert not store.has(k1) and store.count() == 0
        store.commit([RunEntry(0, k1)], [(k1, record("one"))])
        assert store.count() == 1


def test_export_refuses_a_run_entry_without_record(tmp_path):
    with OutputStore(tmp_path, "v1") as store:
        store.commit([RunEntry(0, DocKey("ghost", "h"))], [])
        with pytest.raises(RuntimeError, match="missing from the store"):
            store.export(tmp_path / "o.jsonl")
    assert not (tmp_path / "o.jsonl").exists()


def test_prune_drops_replaced_content_of_seen_documents_only(tmp_path):
    old, new, other = DocKey("one", "old"), DocKey("one", "new"), DocKey("two", "h")
    with OutputStore(tmp_path, "v1") as store:
        store.commit([], [(old, record("one", 1)), (other, record("two"))])
    with OutputStore(tmp_path, "v1") as store:  # a run that saw only "one", with new content
        store.commit([RunEntry(0, new)], [(new, record("one", 2))])
        assert store.prune_replaced() == 1
        assert store.has(new) and not store.has(old) and store.has(other)


def test_run_version_names_the_pipeline_version_and_reads_no_weights(nlp):
    from pipeline.nlp import pipeline_version

    from pipeline.config import Settings

    version = run_version(Settings().model)
    assert version.startswith(pipeline_version(nlp) + "+src.")


def test_run_version_of_a_missing_model_is_the_install_hint():
    from pipeline.nlp import ModelNotInstalled

    with pytest.raises(ModelNotInstalled, match="pip install"):
        run_version("no_such_model_xyz")


def copy_package(tmp_path: Path) -> Path:
    root = tmp_path / "pipeline"
    shutil.copytree(Path(pipeline.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.parametrize(
    ("changed", "new_version"),
    [
        ("patterns/boilerplate.jsonl", True),  # rule data
        ("components/merge.py", True),
        ("annotate.py", True),
        ("cli.py", False),  # cannot change a record
        ("store.py", False),
    ],
)
def test_source_fingerprint_follows_extraction_code_and_data(tmp_path, changed, new_version):
    root = copy_package(tmp_path)
    before = source_fingerprint(root)
    with (root / changed).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert (source_fingerprint(root) != before) is new_version


def test_doc_key_is_id_and_input_hash():
    assert doc_key(BASE) == DocKey("a", input_hash(BASE))
