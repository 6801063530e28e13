"""Repeats, concentration and trends on small hand-checked cases."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from vigil.analysis.repeats import count_repeats, top_share
from vigil.analysis.trends import compare_with_last_year, month_number, monthly_series


def test_no_repeats_when_every_place_has_one_incident():
    summary = count_repeats(["a", "b", "c"], kind="places", labels={}, neighbourhoods={})
    assert summary.repeats == []
    assert summary.repeat_incidents == 0
    assert summary.top_share == pytest.approx(1 / 3)


def test_repeats_are_ranked_and_grouped_by_neighbourhood():
    keys = ["a"] * 4 + ["b"] * 2 + ["c"] + ["d"] * 3
    summary = count_repeats(keys, kind="places", labels={"a": "Park Lane"},
                            neighbourhoods={"a": "N1", "b": "N1", "c": "N1", "d": "N2"})
    assert [(i.label, i.count) for i in summary.repeats] == [("Park Lane", 4), ("d", 3),
                                                             ("b", 2)]
    assert {n: [i.key for i in items]
            for n, items in summary.top_per_neighbourhood(1).items()} == {"N1": ["a"],
                                                                          "N2": ["d"]}


def test_top_five_percent_share_counts_at_least_one_place():
    assert top_share([10] + [1] * 39) == pytest.approx((10 + 1) / 49)  # 5% of 40 = 2 places
    assert top_share([]) is None


def test_monthly_series_fills_empty_months_with_zero():
    months = np.array([month_number(date(2022, 1, 1))] * 3 + [month_number(date(2022, 3, 1))])
    series = monthly_series(months, first=month_number(date(2022, 1, 1)),
                            last=month_number(date(2022, 4, 1)))
    assert list(series.counts) == [3, 0, 1, 0]
    assert series.months[1] == date(2022, 2, 1)


def test_a_doubling_on_last_year_is_significant_and_a_small_change_is_not():
    first, last = month_number(date(2022, 1, 1)), month_number(date(2022, 12, 1))
    months = np.array([first] * 200 + [first - 12] * 100)
    doubled = compare_with_last_year(months, first=first, last=last, earliest_data=first - 12)
    assert (doubled.this_period, doubled.last_year) == (200, 100)
    assert doubled.significant() and doubled.verdict.startswith("up, significant")
    months = np.array([first] * 103 + [first - 12] * 100)
    steady = compare_with_last_year(months, first=first, last=last, earliest_data=first - 12)
    assert not steady.significant()
    uncovered = compare_with_last_year(months, first=first, last=last, earliest_data=first)
    assert uncovered.p_value is None
    assert uncovered.verdict == "no data for the same months last year"
