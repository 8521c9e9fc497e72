"""Gold out to annotation tools and back (pipeline.exchange): the whole of gold/ round-trips
through every format, each converter's output on a small document, misaligned spans reported,
and what an import chooses (the latest annotation, accepted tasks) and reports (spans without
a value)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, GOLD

from pipeline.exchange import FORMATS, export_file, export_lines, import_file
from pipeline.exchange.base import Misaligned
from pipeline.gold import validate_gold

GOLD_FILES = sorted(GOLD.rglob("*.jsonl"))  # gold/dev and gold/test: converting files reads no pipeline output

TEXT = "Acme Corp sold 5% of its shares for $3 million in 2020."
SPANS = [
    {"start": 0, "end": 9, "label": "ORG", "text": "Acme Corp", "value": {"canonical": "Acme Corp"}},
    {"start": 15, "end": 17, "label": "PERCENT", "text": "5%",
     "value": {"amount": 5, "amount_max": None, "unit": "percent", "modifier": None}},
    {"start": 36, "end": 46, "label": "MONEY", "text": "$3 million",
     "value": {"amount": 3000000, "amount_max": None, "currency": "USD", "modifier": None}},
    {"start": 50, "end": 54, "label": "DATE", "text": "2020",
     "value": {"timex_type": "DATE", "timex_value": "2020", "start": "2020-01-01", "end": "2020-12-31"}},
]
LINE = {"id": "acme", "text": TEXT, "meta": {"dct": "2021-03-01", "title": "Acme"}, "spans": SPANS}
# "$500m." is one token "m." too many: the MONEY span ends inside it.
MISALIGNED = {"id": "sales", "text": "Sales hit $500m. Profit fell.", "meta": {"dct": None},
              "spans": [{"start": 10, "end": 15, "label": "MONEY", "text": "$500m",
                         "value": {"amount": 500000000, "amount_max": None, "currency": "USD", "modifier": None}}]}


def gold_lines() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in GOLD_FILES]


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def annotated_in_label_studio(tasks: list[dict]) -> list[dict]:
    """What Label Studio exports after an annotator submits each task's pre-annotations unchanged:
    the regions, their meta included, become the annotation's result (origin "prediction")."""
    return [{**task, "id": i + 1,
             "annotations": [{"id": 100 + i, "was_cancelled": False, "created_at": "2026-12-07T10:00:00Z",
                              "result": [{**item, "origin": "prediction"} for item in task["predictions"][0]["result"]]}]}
            for i, task in enumerate(tasks)]


# --- the whole gold set, every format -------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_all_gold_is_lossless(fmt, tmp_path):
    lines = gold_lines()
    assert len(lines) == len(GOLD_FILES) > 100
    export_file(lines, fmt, tmp_path / "gold.out")
    back = {line["id"]: line for line in import_file(tmp_path / "gold.out", fmt, use_predictions=True).lines}
    assert sorted(back) == sorted(line["id"] for line in lines)
    for line in lines:
        got = back[line["id"]]
        assert got["text"] == line["text"] and got["meta"] == line["meta"]
        assert [(s["start"], s["end"], s["label"], s["text"], s["value"]) for s in got["spans"]] == \
            [(s["start"], s["end"], s["label"], s["text"], s["value"]) for s in line["spans"]]
        assert got == line  # nothing else either: key order and number types included


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_round_trip_gives_back_the_gold_files_byte_for_byte(fmt, tmp_path):
    exported = run("export-gold", GOLD, "--format", fmt, "--out", tmp_path / "tool")
    assert exported.returncode == 0, exported.stderr
    size = f"{len(GOLD_FILES)} documents, {sum(len(line['spans']) for line in gold_lines())} spans"
    assert f"{size} -> " in exported.stderr
    if fmt == "labelstudio":
        tasks = json.loads((tmp_path / "tool").read_text(encoding="utf-8"))
        (tmp_path / "tool").write_text(json.dumps(annotated_in_label_studio(tasks)), encoding="utf-8")
    imported = run("import-gold", tmp_path / "tool", "--format", fmt, "--out", tmp_path / "gold")
    assert imported.returncode == 0, imported.stderr
    assert size in imported.stderr and "0 problems" in imported.stderr
    for path in GOLD_FILES:
        assert (tmp_path / "gold" / path.name).read_bytes() == path.read_bytes(), path.name
    assert validate_gold(tmp_path / "gold", CORPUS) == []


# --- each converter on one small document ---------------------------------------------------------

def test_label_studio_task():
    from pipeline.exchange.labelstudio import to_task

    task = to_task(LINE)
    assert task["data"] == {"text": TEXT, "doc_id": "acme", "meta": {"dct": "2021-03-01", "title": "Acme"}}
    (prediction,) = task["predictions"]
    assert prediction["result"][2] == {
        "id": "s2", "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": 36, "end": 46, "text": "$3 million", "labels": ["MONEY"]},
        "meta": {"value": {"amount": 3000000, "amount_max": None, "currency": "USD", "modifier": None}}}
    assert [(r["value"]["start"], r["value"]["end"], r["value"]["labels"]) for r in prediction["result"]] == \
        [(0, 9, ["ORG"]), (15, 17, ["PERCENT"]), (36, 46, ["MONEY"]), (50, 54, ["DATE"])]


def test_label_studio_config_names_the_six_labels_and_the_tasks_fields():
    from lxml import etree

    from pipeline.exchange.labelstudio import labeling_config, to_task
    from pipeline.schema import LABELS

    view = etree.fromstring(labeling_config())
    labels, text = view.find("Labels"), view.find("Text")
    assert [label.get("value") for label in labels.findall("Label")] == list(LABELS)
    item = to_task(LINE)["predictions"][0]["result"][0]
    assert (labels.get("name"), labels.get("toName"), text.get("name")) == (item["from_name"], item["to_name"], "text")
    assert text.get("value") == "$text"


def test_prodigy_task():
    from pipeline.exchange.prodigy import to_task

    task, misaligned = to_task(LINE)
    assert misaligned == [] and task["doc_id"] == "acme" and task["meta"] == LINE["meta"]
    assert task["tokens"][9:12] == [{"text": "$", "start": 36, "end": 37, "id": 9, "ws": False},
                                    {"text": "3", "start": 37, "end": 38, "id": 10, "ws": True},
                                    {"text": "million", "start": 39, "end": 46, "id": 11, "ws": True}]
    assert [(s["start"], s["end"], s["token_start"], s["token_end"], s["label"]) for s in task["spans"]] == \
        [(0, 9, 0, 1, "ORG"), (15, 17, 3, 4, "PERCENT"), (36, 46, 9, 11, "MONEY"), (50, 54, 13, 13, "DATE")]
    assert task["spans"][2]["value"] == SPANS[2]["value"]


def test_doccano_line():
    from pipeline.exchange.doccano import to_line

    line = to_line(LINE)
    assert line["text"] == TEXT and line["doc_id"] == "acme" and line["meta"] == LINE["meta"]
    assert line["label"] == [[0, 9, "ORG"], [15, 17, "PERCENT"], [36, 46, "MONEY"], [50, 54, "DATE"]]
    assert line["span_values"]["36-46:MONEY"] == SPANS[2]["value"]
    assert len(line["span_values"]) == 4


def test_docbin_doc():
    from pipeline.exchange.docbin import USER_DATA_KEY, from_doc, to_doc

    doc, misaligned = to_doc(LINE)
    assert misaligned == [] and doc.text == TEXT
    assert [(s.text, s.label_, s._.value) for s in doc.spans["news"]] == [(s["text"], s["label"], s["value"])
                                                                          for s in SPANS]
    assert [(e.text, e.label_) for e in doc.ents] == [(s["text"], s["label"]) for s in SPANS]
    assert doc.user_data[USER_DATA_KEY]["id"] == "acme"
    assert from_doc(doc, "unused") == LINE


@pytest.mark.parametrize(("fmt", "read_back"), [
    ("labelstudio", lambda content: json.loads(content)),
    ("prodigy", lambda content: [json.loads(line) for line in content.splitlines()]),
    ("doccano", lambda content: [json.loads(line) for line in content.splitlines()]),
])
def test_text_formats_are_plain_json(fmt, read_back):
    content, exported = export_lines([LINE, MISALIGNED], fmt)
    assert len(read_back(content)) == len(exported.items) == 2


# --- spans that are no token boundaries ---------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "reported"), [("docbin", True), ("prodigy", True),
                                                ("labelstudio", False), ("doccano", False)])
def test_misaligned_span_is_reported_and_kept_exactly(fmt, reported, tmp_path):
    exported = export_file([MISALIGNED], fmt, tmp_path / "out")
    expected = [Misaligned("sales", 10, 15, "MONEY", "$500m", 10, 16, "$500m.")]
    assert exported.misaligned == (expected if reported else [])  # character-based tools need no tokens
    assert import_file(tmp_path / "out", fmt, use_predictions=True).lines == [MISALIGNED]


def test_docbin_holds_the_covering_tokens_and_the_exact_offsets():
    from pipeline.exchange.docbin import USER_DATA_KEY, to_doc

    doc, _ = to_doc(MISALIGNED)
    (span,) = doc.spans["news"]
    assert (span.start_char, span.end_char, span.text) == (10, 16, "$500m.")
    assert doc.user_data[USER_DATA_KEY]["exact"] == [[10, 16, "MONEY", 10, 15, MISALIGNED["spans"][0]["value"]]]


def test_cli_reports_a_misaligned_span(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(MISALIGNED) + "\n", encoding="utf-8")
    result = run("export-gold", gold, "--format", "prodigy", "--out", tmp_path / "tasks.jsonl")
    assert result.returncode == 0, result.stderr
    assert ("warning: sales: span 10-15 MONEY '$500m' does not fall on spaCy token boundaries: the tool's tokens "
            "cover 10-16 '$500m.'") in result.stderr
    assert "1 not on spaCy token boundaries" in result.stderr


# --- what imports choose and report ------------------------------------------------------------------

def test_label_studio_takes_the_latest_annotation_that_was_not_cancelled(tmp_path):
    from pipeline.exchange.labelstudio import import_labelstudio, to_task

    task = to_task(LINE)
    result = task["predictions"][0]["result"]
    task["annotations"] = [
        {"id": 1, "updated_at": "2026-12-01T09:00:00Z", "was_cancelled": False, "result": result[:1]},
        {"id": 2, "updated_at": "2026-12-03T09:00:00Z", "was_cancelled": False, "result": result[:3]},
        {"id": 3, "updated_at": "2026-12-05T09:00:00Z", "was_cancelled": True, "result": []},
    ]
    imported = import_labelstudio([task, to_task({**MISALIGNED, "id": "unannotated"})], "ls.json")
    (line,) = imported.lines
    assert [s["label"] for s in line["spans"]] == ["ORG", "PERCENT", "MONEY"] and imported.problems == []
    assert "ls.json: task 0 (acme): 2 annotations, the latest taken (id 2, 2026-12-03T09:00:00Z)" in imported.notes
    assert "ls.json: task 1 (unannotated): no annotation: left out" in imported.notes


def test_a_span_drawn_in_the_tool_has_no_value_and_is_reported(tmp_path):
    from pipeline.exchange.labelstudio import to_task

    task = to_task(LINE)
    drawn = {"id": "new", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
             "value": {"start": 25, "end": 31, "text": "shares", "labels": ["CARDINAL"]}}
    task["annotations"] = [{"id": 1, "result": [*task["predictions"][0]["result"], drawn]}]
    (tmp_path / "ls.json").write_text(json.dumps([task]), encoding="utf-8")
    result = run("import-gold", tmp_path / "ls.json", "--format", "labelstudio", "--out", tmp_path / "gold.jsonl")
    assert result.returncode == 1
    assert "span 25-31 CARDINAL 'shares': value is missing (gold values are never null)" in result.stderr
    (written,) = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(written["spans"]) == 5  # written all the same, for the annotator to fill in


def test_label_studio_text_that_differs_from_the_offsets_is_reported():
    from pipeline.exchange.labelstudio import import_labelstudio, to_task

    task = to_task(LINE)
    task["predictions"][0]["result"][0]["value"]["text"] = "Acme Cor"
    imported = import_labelstudio([task], "ls.json", use_predictions=True)
    assert imported.problems == ["ls.json: task 0 (acme): span 0-9 ORG 'Acme Corp': the tool saved the text "
                                 "'Acme Cor' for these offsets"]


def test_prodigy_keeps_accepted_tasks_and_the_latest_of_a_document():
    from pipeline.exchange.prodigy import import_prodigy, to_task

    task, _ = to_task(LINE)
    older = {**task, "spans": task["spans"][:1], "answer": "accept", "_timestamp": 100}
    newer = {**task, "spans": task["spans"][:2], "answer": "accept", "_timestamp": 200}
    rejected = {**to_task(MISALIGNED)[0], "answer": "reject", "_timestamp": 300}
    imported = import_prodigy([("p.jsonl:1", newer), ("p.jsonl:2", older), ("p.jsonl:3", rejected)])
    (line,) = imported.lines
    assert [s["label"] for s in line["spans"]] == ["ORG", "PERCENT"]
    assert "p.jsonl:3 (sales): answered 'reject': left out" in imported.notes


@pytest.mark.parametrize(("item", "problem"), [
    ({"text": TEXT, "doc_id": "acme", "meta": {"dct": None},
      "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 9}],
      "span_values": {"0-9:ORG": {"canonical": "Acme Corp"}}}, None),
    ({"text": TEXT, "doc_id": "acme", "meta": {"dct": None}, "label": [[0, 4, "ORG"]],  # moved in doccano
      "span_values": {"0-9:ORG": {"canonical": "Acme Corp"}}}, "span 0-4 ORG 'Acme': value is missing"),
])
def test_doccano_reads_both_export_shapes_and_reports_a_moved_span(item, problem):
    from pipeline.exchange.doccano import import_doccano

    imported = import_doccano([("d.jsonl:1", item)])
    (line,) = imported.lines
    assert line["spans"][0]["label"] == "ORG"
    if problem is None:
        assert imported.problems == [] and line["spans"][0]["value"] == {"canonical": "Acme Corp"}
    else:
        assert any(problem in p for p in imported.problems)


def test_predictions_go_out_with_their_corpus_texts_and_without_sources(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "acme.txt").write_text(TEXT, encoding="utf-8")
    record = {"id": "acme", "meta": {"dct": "2021-03-01"},
              "spans": [{**SPANS[0], "source": "model:ner"}]}
    (tmp_path / "pred.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run("export-gold", tmp_path / "pred.jsonl", "--format", "labelstudio", "--out", tmp_path / "ls.json",
                 "--corpus", corpus, "--config", tmp_path / "labels.xml")
    assert result.returncode == 0, result.stderr
    (task,) = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))
    assert task["data"]["text"] == TEXT and "source" not in json.dumps(task)
    assert (tmp_path / "labels.xml").read_text(encoding="utf-8").startswith("<View>")
    without_text = run("export-gold", tmp_path / "pred.jsonl", "--format", "doccano", "--out", tmp_path / "d.jsonl")
    assert without_text.returncode == 2 and "without their text (acme)" in without_text.stderr


def test_options_of_one_tool_are_refused_for_another(tmp_path):
    result = run("export-gold", GOLD / "dev", "--format", "prodigy", "--out", tmp_path / "p.jsonl",
                 "--config", tmp_path / "labels.xml")
    assert result.returncode == 2 and "--config" in result.stderr and not Path(tmp_path / "p.jsonl").exists()
