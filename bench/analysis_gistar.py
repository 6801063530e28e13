"""Gi* with 999 permutations on a 250 m grid of 40,000 cells (200 × 200 around Leicester),
Vigil against PySAL's esda.G_Local on the same weights, one core.

    NUMBA_NUM_THREADS=1 OMP_NUM_THREADS=1 .venv/bin/python bench/analysis_gistar.py [N]
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from datetime import date
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from analysis_data import load, machine, require_open_data, synthetic  # noqa: E402

from vigil.analysis.grid import Grid, neighbour_weights  # noqa: E402
from vigil.analysis.hotspots import gi_star  # noqa: E402


def main() -> None:
    require_open_data()
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    import esda
    from libpysal.weights import WSP

    x, y, _ = synthetic(n)
    cx, cy = float(np.median(x)), float(np.median(y))
    grid = Grid(x0=cx - 25_000, y0=cy - 25_000, cell=250, nx=200, ny=200)
    counts = grid.counts(x, y).astype(np.float64)
    cells = np.arange(grid.size)
    weights = neighbour_weights(grid, cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = WSP(weights).to_W(silence_warnings=True)
    numba = "numba" in sys.modules or _has_numba()
    with threadpool_limits(1):
        # warm up both (esda compiles its Numba kernels on first use)
        esda.G_Local(counts[:400], _small_w(), transform="B", star=True, permutations=99,
                     n_jobs=1, seed=0)
        gi_star(counts, weights, permutations=9, seed=0)
        ours, theirs = [], []
        for repeat in range(3):
            start = time.perf_counter()
            result = gi_star(counts, weights, permutations=999, seed=repeat)
            ours.append(time.perf_counter() - start)
        for repeat in range(1):
            start = time.perf_counter()
            reference = esda.G_Local(counts, w, transform="B", star=True, permutations=999,
                                     n_jobs=1, seed=repeat)
            theirs.append(time.perf_counter() - start)
    assert result.p_sim is not None
    z_diff = float(np.max(np.abs(result.z - reference.Zs)))
    p_diff = np.abs(result.p_sim - reference.p_sim)
    print(f"date {date.today()}; {machine()}; {load()}; esda with numba: {numba}")
    print(f"{n:,} incidents, {grid.size:,} cells of 250 m, {int(counts.sum()):,} in the grid")
    print(f"vigil gi_star  median {statistics.median(ours):.3f} s  runs {ours}")
    print(f"esda G_Local   median {statistics.median(theirs):.3f} s  runs {theirs}")
    print(f"ratio esda / vigil: {statistics.median(theirs) / statistics.median(ours):.1f}")
    print(f"max |z - esda z| = {z_diff:.2e}; |p_sim - esda p_sim|: mean {p_diff.mean():.4f}, "
          f"99th pct {np.quantile(p_diff, 0.99):.4f}, max {p_diff.max():.4f}")


def _has_numba() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _small_w() -> Any:
    from libpysal.weights import WSP

    grid = Grid(x0=0, y0=0, cell=250, nx=20, ny=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return WSP(neighbour_weights(grid, np.arange(grid.size))).to_W(silence_warnings=True)


if __name__ == "__main__":
    main()
