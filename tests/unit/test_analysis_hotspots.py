"""Hot spots: Getis-Ord Gi* agrees with PySAL's esda, a single hot cell is found, and the
study-area mask keeps empty land out."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from vigil.analysis.grid import Grid, neighbour_weights, study_mask
from vigil.analysis.hotspots import benjamini_hochberg, gi_star


def _esda_gi_star(values: np.ndarray, weights, permutations: int, seed: int):
    esda = pytest.importorskip("esda")
    from libpysal.weights import WSP

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = WSP(weights).to_W(silence_warnings=True)
        return esda.G_Local(values, w, transform="B", star=True, permutations=permutations,
                            seed=seed)


def test_gi_star_z_scores_equal_esda_and_pseudo_p_values_agree_within_monte_carlo_error():
    rng = np.random.default_rng(7)
    grid = Grid(x0=0, y0=0, cell=250, nx=30, ny=20)
    counts = rng.poisson(1.5, grid.size).astype(float)
    counts[[100, 101, 130, 131]] += 12
    weights = neighbour_weights(grid, np.arange(grid.size))
    ours = gi_star(counts, weights, permutations=999, seed=1)
    theirs = _esda_gi_star(counts, weights, permutations=999, seed=2)
    np.testing.assert_allclose(ours.z, theirs.Zs, rtol=0, atol=1e-9)
    assert ours.p_sim is not None
    difference = np.abs(ours.p_sim - theirs.p_sim)
    # two independent estimates of p from 999 draws each: sd of the difference is at most
    # sqrt(2 * 0.25 / 999) ≈ 0.022; allow five of them for the largest of 600 cells
    assert difference.max() < 0.11
    assert difference.mean() < 0.02


def test_a_single_hot_cell_makes_exactly_its_queen_neighbourhood_hot():
    grid = Grid(x0=0, y0=0, cell=250, nx=15, ny=15)
    counts = np.ones(grid.size)
    hot_cell = 7 * 15 + 7
    counts[hot_cell] = 40
    result = gi_star(counts, neighbour_weights(grid, np.arange(grid.size)), permutations=99,
                     seed=3)
    block = {hot_cell + dr * 15 + dc for dr in (-1, 0, 1) for dc in (-1, 0, 1)}
    # the cell and its eight neighbours each see the 40 once, so they tie for the top z
    assert result.z[hot_cell] == pytest.approx(result.z.max())
    assert set(np.flatnonzero(result.hot())) == block
    assert result.p_sim is not None and result.p_sim[hot_cell] == pytest.approx(1 / 100)
    assert not result.cold().any()


def test_no_incidents_means_no_hot_spots():
    grid = Grid(x0=0, y0=0, cell=250, nx=4, ny=4)
    result = gi_star(np.zeros(grid.size), neighbour_weights(grid, np.arange(grid.size)))
    assert not result.hot().any()
    assert np.all(result.q == 1)


def test_the_fdr_cut_uses_the_analytic_p_so_many_cells_can_still_be_hot():
    # With 99 permutations no pseudo p can fall below 0.01, so a cut on them over 2,500 cells
    # would need p < 0.05/2500; the analytic p still finds the planted block.
    rng = np.random.default_rng(11)
    grid = Grid(x0=0, y0=0, cell=250, nx=50, ny=50)
    counts = rng.poisson(1.0, grid.size).astype(float)
    block = [r * 50 + c for r in range(20, 24) for c in range(20, 24)]
    counts[block] += 8
    result = gi_star(counts, neighbour_weights(grid, np.arange(grid.size)), permutations=99,
                     seed=5)
    assert result.p_sim is not None and result.p_sim.min() >= 0.01
    assert set(block) <= set(np.flatnonzero(result.hot()))


def test_benjamini_hochberg_matches_the_textbook_example():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(benjamini_hochberg(p), [0.02, 0.04, 0.04, 0.02])


def test_the_mask_keeps_only_cells_near_the_areas_centroids():
    grid = Grid(x0=0, y0=0, cell=100, nx=20, ny=1)
    mask = study_mask(grid, anchor_x=np.array([50.0]), anchor_y=np.array([50.0]), radius=250)
    assert list(np.flatnonzero(mask)) == [0, 1, 2]


def test_counts_fall_in_half_open_cells():
    grid = Grid(x0=0, y0=0, cell=100, nx=2, ny=1)
    counts = grid.counts(np.array([0.0, 99.9, 100.0, 250.0]), np.array([0.0, 50, 50, 50]))
    assert list(counts) == [2, 1]
