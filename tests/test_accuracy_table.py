"""The one accuracy table (`make accuracy`): targets marked, previous figures beside, peers in columns."""

from benchmarks.accuracy import markdown, to_json


def test_table_marks_targets_and_shows_previous_figures():
    figures = {
        ("gold/test", "micro strict F1"): {"ours": 0.93, "spacy": 0.5},
        ("MEANTIME dev", "ORG lenient F1"): {"ours": 0.8, "spacy": 0.77},
        ("gold/dev", "documents / spans"): {"note": "56 / 1551"},
    }
    previous = {"gold/test | micro strict F1": {"ours": 0.9}}
    page = markdown(figures, previous, "2026-12-06")
    rows = {line.split(" | ")[0] + " | " + line.split(" | ")[1]: line for line in page.splitlines()
            if line.startswith("| gold") or line.startswith("| MEANTIME")}
    assert "**0.930** ✓ | 0.900 | 0.920 | 0.500" in rows["| gold/test (unseen) | micro strict F1"]
    assert "**0.800** ✗ | – | 0.850 | 0.770" in rows["| MEANTIME dev (unseen) | ORG lenient F1"]
    assert "56 / 1551" in rows["| gold/dev | documents / spans"]
    assert to_json(figures)["gold/test | micro strict F1"] == {"ours": 0.93, "spacy": 0.5}
