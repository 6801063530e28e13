"""Kernel density agrees with scikit-learn's exact KernelDensity."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.analysis.grid import Grid
from vigil.analysis.kde import kde_surface


def test_the_density_surface_is_within_one_percent_of_the_exact_one_above_one_percent_of_peak():
    neighbors = pytest.importorskip("sklearn.neighbors")
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(451_000, 2_000, 800), rng.uniform(440_000, 460_000, 400)])
    y = np.concatenate([rng.normal(301_000, 1_500, 800), rng.uniform(290_000, 310_000, 400)])
    grid = Grid(x0=440_000, y0=290_000, cell=250, nx=80, ny=80)
    ours = kde_surface(x, y, grid=grid, bandwidth=500)
    cx, cy = grid.centres()
    model = neighbors.KernelDensity(bandwidth=500).fit(np.column_stack([x, y]))
    exact = (np.exp(model.score_samples(np.column_stack([cx, cy]))) * len(x) * 1e6)
    exact = exact.reshape(grid.ny, grid.nx)
    above = exact > 0.01 * exact.max()
    assert np.max(np.abs(ours[above] - exact[above]) / exact[above]) < 0.01


def test_one_point_gives_the_gaussian_peak_at_its_cell():
    grid = Grid(x0=0, y0=0, cell=100, nx=11, ny=11)
    density = kde_surface(np.array([550.0]), np.array([550.0]), grid=grid, bandwidth=200)
    assert density.argmax() == 5 * 11 + 5
    assert density.max() == pytest.approx(1e6 / (2 * np.pi * 200**2), rel=1e-6)
