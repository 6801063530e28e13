"""Kernel density on a 200 × 200 grid of 250 m cells (Gaussian, 500 m bandwidth): Vigil's binned
separable convolution against scikit-learn's KernelDensity (tree, rtol=1e-4: within 0.01% of
the exact sum, used as the reference), one core.

With ``--exact``, scikit-learn's exact evaluation (``rtol=0``, its default; about two minutes)
also runs for the 100,000 points, and Vigil's surface is checked against that exact one.

    OMP_NUM_THREADS=1 .venv/bin/python bench/analysis_kde.py [--exact]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_data import load, machine, require_open_data, synthetic  # noqa: E402

from vigil.analysis.grid import Grid  # noqa: E402
from vigil.analysis.kde import kde_surface  # noqa: E402


def _time(function: Callable[[], Any], repeats: int) -> tuple[float, list[float], Any]:
    runs, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs, result


def main() -> None:
    from sklearn.neighbors import KernelDensity

    require_open_data()
    run_exact = "--exact" in sys.argv[1:]
    print(f"date {date.today()}; {machine()}; {load()}")
    x_all, y_all, _ = synthetic(1_000_000)
    cx, cy = float(np.median(x_all)), float(np.median(y_all))
    grid = Grid(x0=cx - 25_000, y0=cy - 25_000, cell=250, nx=200, ny=200)
    gx, gy = grid.centres()
    with threadpool_limits(1):
        for n in (100_000, 1_000_000):
            x, y = x_all[:n], y_all[:n]
            median, runs, ours = _time(partial(kde_surface, x, y, grid=grid, bandwidth=500), 5)
            print(f"vigil kde_surface {n:,} points: median {median:.3f} s  runs "
                  f"{[round(r, 3) for r in runs]}")
            if n > 100_000:
                continue
            model = KernelDensity(bandwidth=500, rtol=1e-4).fit(np.column_stack([x, y]))
            median_sk, runs_sk, log_density = _time(
                lambda: model.score_samples(np.column_stack([gx, gy])), 1)  # noqa: B023
            print(f"sklearn KernelDensity(rtol=1e-4) {n:,} points: {median_sk:.2f} s")
            print(f"ratio sklearn / vigil: {median_sk / median:.0f}")
            exact = (np.exp(np.asarray(log_density)) * n * 1e6).reshape(grid.ny, grid.nx)
            above = exact > 0.01 * exact.max()
            error = np.abs(np.asarray(ours)[above] - exact[above]) / exact[above]
            print(f"cells above 1% of peak: {int(above.sum()):,}; relative error max "
                  f"{error.max():.5f}, mean {error.mean():.6f}")
            if not run_exact:
                continue
            model = KernelDensity(bandwidth=500).fit(np.column_stack([x, y]))
            median_ex, _, log_exact = _time(
                lambda: model.score_samples(np.column_stack([gx, gy])), 1)  # noqa: B023
            surface = (np.exp(np.asarray(log_exact)) * n * 1e6).reshape(grid.ny, grid.nx)
            print(f"sklearn KernelDensity() exact (rtol=0) {n:,} points: {median_ex:.2f} s; "
                  f"ratio exact / vigil: {median_ex / median:.0f}")
            above = surface > 0.01 * surface.max()
            gap = np.abs(exact - surface)[above] / surface[above]
            print(f"sklearn rtol=1e-4 against exact, cells above 1% of peak: max relative "
                  f"difference {gap.max():.2e}")
            error = np.abs(np.asarray(ours)[above] - surface[above]) / surface[above]
            print(f"against the exact surface: cells above 1% of peak {int(above.sum()):,} "
                  f"(peak {surface.max():.1f} per km²); relative error max {error.max():.5f}, "
                  f"mean {error.mean():.6f}; every cell within 1%: {bool(error.max() <= 0.01)}")
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
