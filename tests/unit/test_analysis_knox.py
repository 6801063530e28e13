"""Near repeats: the Knox test's counts, bands and p-values."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.analysis.knox import knox_test


def test_counts_equal_a_brute_force_count_over_half_open_bands():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1000, 300), rng.uniform(0, 1000, 300)
    t = rng.integers(0, 60, 300).astype(float)  # whole days: many pairs sit on band edges
    table = knox_test(x, y, t, distance_edges=(0, 100, 200), time_edges=(0, 7, 14),
                      permutations=9, seed=1)
    i, j = np.triu_indices(300, 1)
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    dt = np.abs(t[i] - t[j])
    d_band = np.digitize(d, [100, 200])
    t_band = np.digitize(dt, [7, 14])  # 7 days apart is in [7, 14), not [0, 7)
    expected = np.zeros((3, 3), dtype=int)
    np.add.at(expected, (d_band, t_band), 1)
    np.testing.assert_array_equal(table.observed, expected)
    assert table.observed.sum() == 300 * 299 // 2


def test_a_planted_near_repeat_pattern_is_found_and_nothing_else_is():
    rng = np.random.default_rng(4)
    n, k = 1500, 150
    x, y, t = rng.uniform(0, 20_000, n), rng.uniform(0, 20_000, n), rng.uniform(0, 365, n)
    # each of the first k events is followed within 3 days by one within about 50 m
    x = np.concatenate([x, x[:k] + rng.normal(0, 20, k)])
    y = np.concatenate([y, y[:k] + rng.normal(0, 20, k)])
    t = np.concatenate([t, t[:k] + rng.uniform(0, 3, k)])
    table = knox_test(x, y, t, distance_edges=(0, 100, 200), time_edges=(0, 7, 14),
                      permutations=199, seed=2)
    assert table.ratio[0, 0] > 5
    assert table.p[0, 0] == pytest.approx(1 / 200)
    assert table.p[1, 1] > 0.01  # [100, 200) m × [7, 14) days: no planted pattern
    assert table.distance_labels() == ["[0, 100)m", "[100, 200)m", "[200, ∞)m"]
    assert table.time_labels() == ["[0, 7) days", "[7, 14) days", "[14, ∞) days"]


def test_random_events_show_ratios_near_one():
    rng = np.random.default_rng(9)
    x, y, t = rng.uniform(0, 2000, 800), rng.uniform(0, 2000, 800), rng.uniform(0, 100, 800)
    table = knox_test(x, y, t, distance_edges=(0, 200, 400), time_edges=(0, 10, 20),
                      permutations=99, seed=3)
    assert np.all(np.abs(table.ratio[:2, :2] - 1) < 0.25)


def test_bad_edges_are_refused():
    with pytest.raises(ValueError, match="distance edges"):
        knox_test(np.zeros(3), np.zeros(3), np.zeros(3), distance_edges=(10, 5))
