"""The per-text benchmark's helpers (benchmarks/texts.py) on made-up figures: no ../shared/news needed."""

import json

import pytest

from benchmarks.texts import command, markdown, rules_share, summarize, write_head


def test_write_head_copies_the_first_lines_and_counts_their_words(tmp_path):
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps({"id": str(i), "text": "one two " * i}) + "\n" for i in range(1, 5)) + "\n",
                      encoding="utf-8")
    assert write_head(source, 2, tmp_path / "two.jsonl") == {"docs": 2, "words": 6}
    assert len((tmp_path / "two.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert write_head(source, None, tmp_path / "all.jsonl") == {"docs": 4, "words": 20}


def test_ours_runs_the_cli_in_one_worker(tmp_path):
    ours = command("ours", tmp_path / "t.jsonl", tmp_path / "o.jsonl")
    assert ours[1:4] == ["-m", "pipeline", "extract"] and ours[-2:] == ["--n-process", "1"]


RUNS = {"bare": [{"cpu_s": c, "wall_s": c, "load": 1.0} for c in (30.0, 33.0, 36.0)],
        "ours": [{"cpu_s": c, "wall_s": c, "load": 2.5} for c in (20.0, 22.0, 30.0)]}


def test_summarize_gives_the_ratio_of_medians_and_the_per_round_spread():
    row = summarize(RUNS, words=66_000)
    assert row["median_cpu_s"] == {"bare": 33.0, "ours": 22.0}
    assert row["ratio"] == pytest.approx(1.5)
    assert (row["ratio_min"], row["ratio_max"]) == (pytest.approx(1.2), pytest.approx(1.5))
    assert row["words_per_cpu_s"] == {"bare": 2000.0, "ours": 3000.0} and row["load"] == 2.5


def test_markdown_has_a_row_per_text_and_the_rules_share_of_ner():
    profile = {"docs": 3, "words": 900, "component_cpu_s": {"ner": 2.0, "news_amounts": 0.3,
                                                            "syntax on request, for news_amounts": 0.2,
                                                            "tokenizer": 0.1}}
    row = {"docs": 3, "words": 900, "file": "a.jsonl", "lines": 3, **summarize(RUNS, 900), "profile": profile}
    text = markdown({"texts": {"a": row, "b": {**row, "lines": None}}, "load_cpu_s": {"bare": [0.8], "ours": [1.2]}})
    assert rules_share(profile) == pytest.approx(0.25)
    assert "| a (first 3 of `a.jsonl`) | 3 | 900 | 33.0 (30.0, 33.0, 36.0) |" in text
    assert "| b (all of `a.jsonl`)" in text and "**1.50x** (1.20-1.50) | met |" in text
    assert "| **rules + syntax / ner** | **25%** | **25%** |" in text
    assert "ours 1.20 (1.20), bare model 0.80 (0.80); goal for ours <= 1.5 s: met." in text
