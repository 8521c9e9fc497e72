"""The HTML report and the baselines: mapping tables of each tool's output onto our labels, and a
self-contained page that shows scores, errors and both sides of every document."""

import datetime as dt
import re
import subprocess
import sys

import pytest

from pipeline.baselines import (BASELINES, NO_DCT_BASE, dateparser_baseline, locate, quantulum_baseline,
                                quantulum_span, relative_base, spacy_baseline, spacy_entity_span,
                                timex_of_datetime)
from pipeline.report import (comparison_header, comparison_rows, displacy_ents, render_report,
                             score_system)
from pipeline.schema import Document, Span

TEXT = "Acme Corp paid $5 million on July 8, 2025.\n[Photo/Xinhua] Beta <Ltd> rose 12 percent."


def span(start, end, label, value=None):
    return Span(start=start, end=end, label=label, text=TEXT[start:end], value=value)


MONEY = {"amount": 5_000_000, "amount_max": None, "currency": "USD", "modifier": None}
GOLD = [Document(id="a", text=TEXT, meta={"dct": "2025-07-10", "title": "Acme & Beta"},
                 spans=[span(0, 9, "ORG", {"canonical": "Acme Corp"}), span(15, 25, "MONEY", MONEY),
                        span(58, 68, "ORG", {"canonical": "Beta <Ltd>"}),
                        span(74, 84, "PERCENT", {"amount": 12, "amount_max": None, "unit": "percent",
                                                 "modifier": None})]),
        Document(id="b/2", text="Nothing here.", meta={"dct": None}, spans=[])]
PRED = [Document(id="a", spans=[span(0, 4, "ORG", {"canonical": "Acme"}), span(15, 25, "MONEY", MONEY),
                                span(29, 41, "DATE", None)])]


# --- baselines: mapping tables ----------------------------------------------------------------

@pytest.mark.parametrize("spacy_label, label", [
    ("ORG", "ORG"), ("DATE", "DATE"), ("TIME", "DATE"), ("MONEY", "MONEY"), ("PERCENT", "PERCENT"),
    ("QUANTITY", "QUANTITY"), ("CARDINAL", "CARDINAL"), ("GPE", None), ("ORDINAL", None), ("PERSON", None),
])
def test_spacy_entity_labels_are_mapped(spacy_label, label):
    result = spacy_entity_span(TEXT, 0, 9, spacy_label)
    assert (result.label if result else None) == label
    if result:
        assert result.value is None and result.text == "Acme Corp"


def _si_table(amount, unit):
    return {"square kilometre": (amount * 1e6, "m^2")}.get(unit)


@pytest.mark.parametrize("args, label, value", [
    ((5e6, "dollar", "currency", "USD"), "MONEY", MONEY),
    ((5e6, "chinese yuan", "currency", "CNY"), "MONEY", {**MONEY, "currency": "CNY"}),
    ((5e6, "south african rand", "currency", None), "MONEY", None),          # no ISO code: no value
    ((12.0, "percentage", "dimensionless", None), "PERCENT",
     {"amount": 12.0, "amount_max": None, "unit": "percent", "modifier": None}),
    ((1400.0, "dimensionless", "dimensionless", None), "CARDINAL",
     {"amount": 1400.0, "amount_max": None, "modifier": None, "kind": "count", "counted": None}),
    ((95.0, "square kilometre", "area", None), "QUANTITY",
     {"amount": 95.0, "amount_max": None, "unit": "square kilometre", "modifier": None,
      "si_amount": 95e6, "si_unit": "m^2"}),
    ((3.0, "hour", "time", None), "QUANTITY", None),                         # no SI conversion known
])
def test_quantulum_quantities_are_mapped(args, label, value):
    result = quantulum_span(TEXT, 15, 25, *args, si=_si_table)
    assert (result.label, result.value) == (label, value)


@pytest.mark.parametrize("moment, timex", [
    (dt.datetime(2025, 7, 8), {"timex_type": "DATE", "timex_value": "2025-07-08", "start": "2025-07-08",
                               "end": "2025-07-08"}),
    (dt.datetime(2020, 11, 12, 10, 28), {"timex_type": "TIME", "timex_value": "2020-11-12T10:28",
                                         "start": "2020-11-12", "end": "2020-11-12"}),
])
def test_dateparser_results_become_timex(moment, timex):
    assert timex_of_datetime(moment) == timex


def test_dateparser_substrings_are_located_in_order():
    text = "May 1 and May 1 again, then June"
    assert locate(text, [("May 1", 1), ("May 1", 2), ("gone", 3), ("June", 4)]) == [
        (0, 5, 1), (10, 15, 2), (28, 32, 4)]
    assert relative_base("2025-07-10") == dt.datetime(2025, 7, 10)
    assert relative_base(None) == NO_DCT_BASE


def test_tool_baselines_run_on_raw_text():
    docs = [Document(id="x", text="Acme Corp paid $5 million on July 8, 2025, up 12 percent.",
                     meta={"dct": "2025-07-10"})]
    quantities = {s.label: s for s in quantulum_baseline(docs)[0].spans}
    assert quantities["MONEY"].value["amount"] == 5_000_000 and quantities["MONEY"].value["currency"] == "USD"
    assert quantities["PERCENT"].text == "12 percent"
    dates = dateparser_baseline(docs)[0].spans
    assert any(s.text.endswith("July 8, 2025") and s.value["timex_value"] == "2025-07-08" for s in dates)
    ents = spacy_baseline(docs)[0].spans
    assert {"ORG", "MONEY", "PERCENT"} <= {s.label for s in ents}
    assert all(s.value is None for s in ents)
    assert [b.name for b in BASELINES] == ["spacy", "quantulum3", "dateparser"]


# --- report -----------------------------------------------------------------------------------

def _systems():
    ours = score_system(GOLD, PRED, "ours", "Our pipeline")
    dates_only = score_system(GOLD, [Document(id="a", spans=[span(29, 41, "DATE")])], "dates", "dates alone",
                              labels=("DATE",), has_values=False)
    return ours, dates_only


def test_comparison_table_marks_labels_a_baseline_cannot_produce():
    ours, dates_only = _systems()
    assert comparison_header([ours, dates_only]) == ["label", "ours F1 s/l", "ours value", "dates F1 s/l"]
    rows = {row[0]: row[1:] for row in comparison_rows([ours, dates_only])}
    # ours on ORG: gold Acme Corp + Beta <Ltd>, predicted Acme (boundary): strict 0, lenient 2*1/(2+0+1)
    assert rows["ORG"] == ["0.0 / 66.7", "0.0", "n/a"]
    assert rows["MONEY"] == ["100.0 / 100.0", "100.0", "n/a"]
    assert rows["DATE"] == ["0.0 / 0.0", "–", "0.0 / 0.0"]  # no gold DATE, one false alarm: F1 0, no value
    assert rows["micro"][0] == "28.6 / 57.1"               # strict 2*1/(2+2+3), lenient 2*2/(4+1+2)


def test_displacy_entities_carry_status_and_boilerplate():
    ours, _ = _systems()
    from pipeline.report import _span_status

    status = _span_status(ours.report, "a")
    credit = (TEXT.index("[Photo"), TEXT.index("]") + 1)
    gold_ents = displacy_ents(GOLD[0], TEXT, "gold", status, [credit])
    assert [(e["start"], e["label"], e["params"]["status"]) for e in gold_ents] == [
        (0, "ORG ≈", "near"), (15, "MONEY", "ok"), (credit[0], "boilerplate", "boilerplate"),
        (58, "ORG ✗", "miss"), (74, "PERCENT ✗", "miss")]
    pred_ents = displacy_ents(PRED[0], TEXT, "pred", status, [])
    assert [(e["label"], e["params"]["status"]) for e in pred_ents] == [("ORG ≈", "near"), ("MONEY", "ok"),
                                                                        ("DATE ✗", "miss")]
    assert "&lt;Ltd&gt;" in gold_ents[3]["params"]["tip"]  # values are escaped for the title attribute


def test_report_page_is_self_contained_and_shows_both_sides():
    ours, dates_only = _systems()
    page = render_report(GOLD, ours, [dates_only], boilerplate=lambda text: [],
                         sources={"gold": "g/", "predictions": "p.jsonl"})
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)   # nothing fetched from elsewhere
    assert "<link" not in page and "<script src" not in page
    assert page.count('class="doc"') == 2 and 'id="doc-b_2"' in page
    assert page.count("<h4>Gold</h4>") == 2 and page.count("<h4>Predicted</h4>") == 2
    assert "No prediction for this document" in page
    assert "1 gold document(s) have no prediction" in page
    assert 'class="entity miss"' in page and 'class="entity near"' in page
    assert "Beta &lt;Ltd&gt;" in page and "Beta <Ltd>" not in page  # document text is escaped
    assert "Acme &amp; Beta" in page
    rows = re.findall(r'<tr data-kind="(\w+)" data-label="(\w+)">', page)
    assert rows == [("boundary", "ORG"), ("wrong_value", "ORG"), ("false_positive", "DATE"),
                    ("false_negative", "ORG"), ("false_negative", "PERCENT")]


def test_report_cli_writes_html_and_markdown(tmp_path):
    gold_file, pred_file = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold_file.write_text("".join(d.model_dump_json() + "\n" for d in GOLD), encoding="utf-8")
    pred_file.write_text("".join(d.model_dump_json() + "\n" for d in PRED), encoding="utf-8")
    out, markdown = tmp_path / "r" / "report.html", tmp_path / "scores.md"
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--gold", str(gold_file),
                             "--pred", str(pred_file), "--out", str(out), "--no-baselines",
                             "--markdown", str(markdown)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"report: {out}" in result.stdout
    assert "micro" in result.stdout
    assert out.read_text(encoding="utf-8").count('class="doc"') == 2
    table = markdown.read_text(encoding="utf-8").splitlines()
    assert table[0] == "| label | ours F1 s/l | ours value |"
    assert table[-1] == "| micro | 28.6 / 57.1 | 50.0 |"


def test_quantulum_units_get_si_from_the_project_unit_table():
    from pipeline.baselines import project_si_conversion

    si = project_si_conversion()
    assert si(95, "square kilometre") == (95_000_000, "m^2")
    assert si(20, "degree Celsius") == pytest.approx((293.15, "K"))
    assert si(3, "no such unit") is None
