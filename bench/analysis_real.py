"""Gi* and kernel density on the real Leicestershire ASB points (every located ASB row of the
data.police.uk files in ``../shared/data/police-uk``, projected to British National Grid as the
analysis code does), side by side with the anchors in the same run, one core:

- Gi*, 999 permutations, on 250 m cells: the grid covering every point with the study area the
  way ``vigil analyse hotspots`` makes it (cells within 1 km of an incident; here the incidents
  stand in for the LSOA centroids), queen weights with self-weight 1, against PySAL's
  ``esda.G_Local(star=True, transform="B")`` on the same weights.
- Kernel density, Gaussian, 500 m bandwidth, on a 200 × 200 grid of 300 m cells covering the
  county (a 60 km square around the median point): Vigil's ``kde_surface`` against
  scikit-learn's ``KernelDensity``, exact (``rtol=0``, its default) and with ``rtol=1e-4``,
  with Vigil's error measured against the exact surface.

    taskset -c 0 env OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 .venv/bin/python bench/analysis_real.py \
        [--gistar-only | --kde-only] [--no-exact]

``--no-exact`` leaves out scikit-learn's exact run (about a minute). Skips (exit status 0,
saying why) when the data files are absent.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_data import load, machine, real_points, require_open_data  # noqa: E402

from vigil.analysis.grid import Grid, neighbour_weights, study_mask  # noqa: E402
from vigil.analysis.hotspots import gi_star  # noqa: E402
from vigil.analysis.kde import kde_surface  # noqa: E402

CELL = 250.0
MASK_RADIUS = 1000.0  # vigil.analysis.reports.DEFAULT_MASK_RADIUS_METRES
PERMUTATIONS = 999
KDE_CELL, KDE_SIDE, BANDWIDTH = 300.0, 200, 500.0


cpu: list[float] = []
"""Processor time of each timed call: on a loaded machine, wall time includes waiting."""


def _time(function: Callable[[], Any], repeats: int) -> tuple[float, list[float], Any]:
    runs, result = [], None
    for _ in range(repeats):
        start, processor = time.perf_counter(), time.process_time()
        result = function()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - processor)
    return statistics.median(runs), runs, result


def _runs(runs: list[float]) -> str:
    return ", ".join(f"{r:.3f}" for r in runs)


def gistar(x: np.ndarray, y: np.ndarray, repeats: int) -> None:
    import esda
    from libpysal.weights import WSP

    grid = Grid.covering(x, y, cell=CELL, margin=MASK_RADIUS)
    mask = study_mask(grid, anchor_x=x, anchor_y=y, radius=MASK_RADIUS)
    cells = np.flatnonzero(mask).astype(np.int64)
    counts = grid.counts(x, y)[cells].astype(np.float64)
    weights = neighbour_weights(grid, cells, distance=1.5 * CELL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = WSP(weights).to_W(silence_warnings=True)
    print(f"Gi*: {len(x):,} points; grid {grid.nx} × {grid.ny} of {CELL:g} m, "
          f"{len(cells):,} cells in the study area, {int(counts.sum()):,} points in them, "
          f"{int((counts > 0).sum()):,} non-empty; {weights.nnz:,} weights")
    print(f"  esda with numba: {_has_numba()}")
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # warm up both (esda compiles its Numba kernels on first use, when Numba is there)
        esda.G_Local(counts, w, transform="B", star=True, permutations=9, n_jobs=1, seed=0)
        gi_star(counts, weights, permutations=9, seed=0)
        ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
        for repeat in range(repeats):
            start, processor = time.perf_counter(), time.process_time()
            result = gi_star(counts, weights, permutations=PERMUTATIONS, seed=repeat)
            ours.append(time.perf_counter() - start)
            ours_cpu.append(time.process_time() - processor)
            start, processor = time.perf_counter(), time.process_time()
            reference = esda.G_Local(counts, w, transform="B", star=True,
                                     permutations=PERMUTATIONS, n_jobs=1, seed=1000 + repeat)
            theirs.append(time.perf_counter() - start)
            theirs_cpu.append(time.process_time() - processor)
    assert result.p_sim is not None
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print(f"  vigil gi_star      median {ours_median:.3f} s  runs {_runs(ours)}")
    print(f"  esda G_Local       median {theirs_median:.3f} s  runs {_runs(theirs)}")
    print(f"  ratio esda / vigil: {theirs_median / ours_median:.1f}; processor time medians: "
          f"vigil {statistics.median(ours_cpu):.3f} s, esda {statistics.median(theirs_cpu):.3f} s")
    z_diff = float(np.max(np.abs(result.z - reference.Zs)))
    print(f"  max |z - esda z| = {z_diff:.2e} (target 1e-9): "
          f"{'agree' if z_diff <= 1e-9 else 'DISAGREE'}")
    # Two independent estimates from 999 draws each: the difference has standard error
    # sqrt(2 p (1 - p) / (P + 1)) for the cell's true p (taken as the mean of the two).
    p_diff = np.abs(result.p_sim - reference.p_sim)
    p_mean = (result.p_sim + reference.p_sim) / 2
    error = np.sqrt(2 * p_mean * (1 - p_mean) / (PERMUTATIONS + 1))
    beyond = int(np.count_nonzero(p_diff > 3 * np.maximum(error, 1 / (PERMUTATIONS + 1))))
    print(f"  |p_sim - esda p_sim|: mean {p_diff.mean():.4f}, 99th pct "
          f"{np.quantile(p_diff, 0.99):.4f}, max {p_diff.max():.4f}; cells beyond three "
          f"standard errors: {beyond} of {len(cells):,} ({beyond / len(cells):.2%}; "
          "about 0.3% expected by chance)")
    # Cells whose neighbourhood holds no incident get p_sim = 1/(P+1) from both trivially
    # (every draw ties or beats 0): the same figures over the other cells.
    live = np.asarray(weights @ counts) > 0
    far = p_diff > 3 * np.maximum(error, 1 / (PERMUTATIONS + 1))
    print(f"  over the {int(live.sum()):,} cells with an incident in their neighbourhood: mean "
          f"{p_diff[live].mean():.4f}, 99th pct {np.quantile(p_diff[live], 0.99):.4f}, max "
          f"{p_diff[live].max():.4f}; beyond three standard errors "
          f"{int(np.count_nonzero(far & live))}")
    hot_ours = result.hot()
    print(f"  hot cells after the FDR cut (analytic p): {int(hot_ours.sum()):,}")


def kde(x: np.ndarray, y: np.ndarray, repeats: int, exact: bool) -> None:
    from sklearn.neighbors import KernelDensity

    half = KDE_CELL * KDE_SIDE / 2
    x0 = round((float(np.median(x)) - half) / 1000) * 1000
    y0 = round((float(np.median(y)) - half) / 1000) * 1000
    grid = Grid(x0=x0, y0=y0, cell=KDE_CELL, nx=KDE_SIDE, ny=KDE_SIDE)
    inside = int((grid.cell_of(x, y) >= 0).sum())
    gx, gy = grid.centres()
    centres = np.column_stack([gx, gy])
    points = np.column_stack([x, y])
    print(f"KDE: {len(x):,} points (all of them given to both), grid {KDE_SIDE} × {KDE_SIDE} "
          f"of {KDE_CELL:g} m from ({x0:.0f}, {y0:.0f}) holding {inside:,}; Gaussian, "
          f"{BANDWIDTH:g} m")
    with threadpool_limits(1):
        kde_surface(x, y, grid=grid, bandwidth=BANDWIDTH)  # warm up
        median, runs, ours = _time(lambda: kde_surface(x, y, grid=grid, bandwidth=BANDWIDTH),
                                   max(repeats, 5))
        print(f"  vigil kde_surface                    median {median:.3f} s  runs {_runs(runs)}; "
              f"processor time median {statistics.median(cpu[-len(runs):]):.3f} s")
        surfaces: dict[str, np.ndarray] = {}
        settings = [("rtol=1e-4", 1e-4, 3)] + ([("exact", 0.0, 1)] if exact else [])
        for label, rtol, count in settings:
            model = KernelDensity(bandwidth=BANDWIDTH, rtol=rtol).fit(points)
            median_sk, runs_sk, log_density = _time(partial(model.score_samples, centres),
                                                    count)
            surfaces[label] = (np.exp(np.asarray(log_density)) * len(x) * 1e6).reshape(
                grid.ny, grid.nx)
            print(f"  sklearn KernelDensity({label:9}) median {median_sk:.3f} s  runs "
                  f"{_runs(runs_sk)}; ratio to vigil {median_sk / median:.0f}; processor "
                  f"time {cpu[-1]:.3f} s (last run)")
    reference = surfaces.get("exact", surfaces["rtol=1e-4"])
    name = "exact" if "exact" in surfaces else "rtol=1e-4"
    if "exact" in surfaces:
        above = reference > 0.01 * reference.max()
        gap = np.abs(surfaces["rtol=1e-4"] - reference)[above] / reference[above]
        print(f"  sklearn rtol=1e-4 against exact, cells above 1% of the peak: max relative "
              f"difference {gap.max():.2e}")
    _accuracy(np.asarray(ours), reference, name)


def _accuracy(ours: np.ndarray, reference: np.ndarray, name: str) -> None:
    above = reference > 0.01 * reference.max()
    error = np.abs(ours[above] - reference[above]) / reference[above]
    print(f"  vigil against the {name} surface: {int(above.sum()):,} cells above 1% of the "
          f"peak ({reference.max():.1f} per km²); relative error max {error.max():.5f}, mean "
          f"{error.mean():.6f}; within 1%: {bool(error.max() <= 0.01)}")


def _has_numba() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    require_open_data()
    arguments = sys.argv[1:]
    repeats = 5
    exact = "--no-exact" not in arguments
    print(f"date {date.today()}; {machine()}; {load()}")
    x, y = real_points()
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if "--kde-only" not in arguments:
        gistar(x, y, repeats)
    if "--gistar-only" not in arguments:
        kde(x, y, repeats, exact)
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
