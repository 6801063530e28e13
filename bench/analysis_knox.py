"""Knox test, events spread like the real Leicestershire ASB points over a year, bands
[0, 100) and [100, 200) m × [0, 7) and [7, 14) days (plus "beyond"): Vigil on one core and
on both (its permutations shared between two threads), the anchor on one.

Vigil's knox_test against a straightforward NumPy version over the same pair list (per
permutation: all time gaps, band by searchsorted, count by bincount), in the same run; and the
counts checked against a brute-force all-pairs count on a small set.

    OMP_NUM_THREADS=1 .venv/bin/python bench/analysis_knox.py
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_data import machine, synthetic  # noqa: E402

from vigil.analysis.knox import knox_test  # noqa: E402

D_EDGES, T_EDGES = (0, 100, 200), (0, 7, 14)


def straightforward(x, y, t, permutations: int, seed: int):  # type: ignore[no-untyped-def]
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(200, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    keep = d < 200
    i, j, d_band = i[keep], j[keep], np.searchsorted(D_EDGES, d[keep], side="right") - 1
    rng = np.random.default_rng(seed)
    for _ in range(permutations):
        tp = rng.permutation(t)
        t_band = np.searchsorted(T_EDGES, np.abs(tp[i] - tp[j]), side="right") - 1
        np.bincount(d_band * 3 + t_band, minlength=6)
    return len(i)


def main() -> None:
    print(f"date {date.today()}; {machine()}")
    with threadpool_limits(1):
        x, y, t = synthetic(4_000, seed=3)
        table = knox_test(x, y, t, distance_edges=D_EDGES, time_edges=T_EDGES,
                          permutations=0)
        a, b = np.triu_indices(len(x), 1)
        d_band = np.digitize(np.hypot(x[a] - x[b], y[a] - y[b]), [100, 200])
        t_band = np.digitize(np.abs(t[a] - t[b]), [7, 14])
        brute = np.zeros((3, 3), dtype=int)
        np.add.at(brute, (d_band, t_band), 1)
        print("4,000 events: counts equal brute force:", bool((table.observed == brute).all()))
        for n, ours_perms, anchor_perms in ((10_000, 999, 99), (100_000, 999, 9)):
            x, y, t = synthetic(n)
            start = time.perf_counter()
            knox_test(x, y, t, distance_edges=D_EDGES, time_edges=T_EDGES,
                      permutations=ours_perms, seed=1, workers=1)
            one_core = time.perf_counter() - start
            start = time.perf_counter()
            result = knox_test(x, y, t, distance_edges=D_EDGES, time_edges=T_EDGES,
                               permutations=ours_perms, seed=1, workers=2)
            ours = time.perf_counter() - start
            start = time.perf_counter()
            pairs = straightforward(x, y, t, anchor_perms, seed=1)
            anchor = time.perf_counter() - start
            per_ours, per_anchor = ours / ours_perms, anchor / anchor_perms
            print(f"{n:,} events, {pairs:,} pairs under 200 m:")
            print(f"  vigil knox_test, one core   {ours_perms} permutations {one_core:.2f} s")
            print(f"  vigil knox_test, two cores  {ours_perms} permutations {ours:.2f} s "
                  f"({per_ours * 1000:.1f} ms each; 999 would take {per_ours * 999:.0f} s)")
            print(f"  straightforward  {anchor_perms} permutations {anchor:.2f} s "
                  f"({per_anchor * 1000:.1f} ms each; 999 would take {per_anchor * 999:.0f} s)")
            print(f"  ratio per permutation: {per_anchor / per_ours:.1f}; "
                  f"ratio [0,100)m×[0,7)d {result.ratio[0, 0]:.2f}, p {result.p[0, 0]:.3f}")


if __name__ == "__main__":
    main()
