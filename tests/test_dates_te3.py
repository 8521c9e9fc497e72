"""The TempEval-3 benchmark's scoring (benchmarks/te3.py) on small hand-made cases."""

import pytest

from benchmarks.te3 import in_tempeval_units, tempeval_scores


@pytest.mark.parametrize(("value", "expected"), [
    ("P1DE", "P10Y"), ("P3DE", "P30Y"), ("P1CE", "P100Y"), ("P2Q", "P6M"), ("P18M", "P18M"),
    ("PT3H", "PT3H"), ("P1DT2H", "P1DT2H"), ("PXY", "PXY"), ("2025-Q1", "2025-Q1"), (None, None),
])
def test_in_tempeval_units(value, expected):
    assert in_tempeval_units(value) == expected


def test_tempeval_scores_counts_strict_relaxed_value_and_type():
    gold = [[(0, 9, "DATE", "2013-03-22"), (20, 30, "DURATION", "P10Y"), (40, 45, "SET", "P1D")]]
    pred = [[(0, 9, "DATE", "2013-03-22"), (18, 30, "DURATION", "P1DE"), (50, 55, "DATE", "2013")]]
    s = tempeval_scores(gold, pred)
    assert (s.n_gold, s.n_pred, s.strict, s.relaxed, s.value, s.value_units, s.type_ok) == (3, 3, 1, 2, 1, 2, 2)
    assert s.strict_f1 == pytest.approx(1 / 3) and s.relaxed_f1 == pytest.approx(2 / 3)
    assert s.value_f1 == pytest.approx(1 / 3) and s.value_units_f1 == pytest.approx(2 / 3)
    assert s.type_accuracy == 1.0


def test_tempeval_scores_without_values_and_empty():
    s = tempeval_scores([[(0, 4, "DATE", "2004")]], [[(0, 4, None, None)]], with_values=False)
    assert (s.strict, s.relaxed, s.value, s.type_ok) == (1, 1, 0, 0)
    empty = tempeval_scores([[]], [[]])
    assert empty.strict_f1 is None and empty.type_accuracy is None
