"""Knox test, events spread like the real Leicestershire ASB points over a year, bands
[0, 100) and [100, 200) m × [0, 7) and [7, 14) days (plus "beyond"): Vigil on one core and
on both (its permutations shared between two threads), the anchor on one.

Vigil's knox_test against a straightforward NumPy version over the same pair list (per
permutation: all time gaps, band by searchsorted, count by bincount), in the same run; and the
counts checked against a brute-force all-pairs count on a small set.

    OMP_NUM_THREADS=1 .venv/bin/python bench/analysis_knox.py

With ``--pointpats [N] [PERMUTATIONS]`` it runs instead the comparison with PySAL's ``pointpats``
(``pointpats.spacetime.Knox``, installed for the benchmark only: ``.venv/bin/pip install
pointpats``) on N events (default 10,000) with PERMUTATIONS permutations (default 99), beside
Vigil's knox_test with the single band [0, 200) m × [0, 14) days on the same events. Times are
rounded to whole seconds, and pointpats (which counts d ≤ δ and |Δt| ≤ τ) is given
τ = 14 days less half a second, so that both count exactly the same pairs.

    taskset -c 0 env OMP_NUM_THREADS=1 .venv/bin/python bench/analysis_knox.py --pointpats 10000 99
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_data import load, machine, require_open_data, synthetic  # noqa: E402

from vigil.analysis.knox import knox_test  # noqa: E402

D_EDGES, T_EDGES = (0, 100, 200), (0, 7, 14)


def straightforward(x: np.ndarray, y: np.ndarray, t: np.ndarray, permutations: int,
                    seed: int) -> int:
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


def _peak_memory() -> str:
    return f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"


def against_pointpats(n: int, permutations: int) -> None:
    """Vigil's knox_test and pointpats' Knox on the same ``n`` events, single band."""
    try:
        from pointpats.spacetime import Knox
    except ImportError:
        sys.exit("pointpats is not installed; for this benchmark only: "
                 ".venv/bin/pip install pointpats")
    if n < 2 or permutations < 1:
        sys.exit("--pointpats needs at least 2 events and 1 permutation")

    x, y, t = synthetic(n)
    t = np.round(t * 86_400) / 86_400  # whole seconds, as Vigil counts non-whole days
    print(f"{n:,} events over a year, [0, 200) m × [0, 14) days, {permutations} permutations; "
          f"{load()}")
    with threadpool_limits(1):
        pairs = cKDTree(np.column_stack([x, y])).query_pairs(200.0, output_type="ndarray")
        d = np.hypot(x[pairs[:, 0]] - x[pairs[:, 1]], y[pairs[:, 0]] - y[pairs[:, 1]])
        gap = np.abs(t[pairs[:, 0]] - t[pairs[:, 1]]) * 86_400
        direct = int(np.count_nonzero((d < 200) & (gap < 14 * 86_400 - 0.5)))
        print(f"  pairs within 200 m: {len(pairs):,} (at exactly 200 m: "
              f"{int(np.count_nonzero(d == 200))}); close in both, counted directly: {direct:,}")
        runs: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(5):
            for workers in (1, 2):
                start = time.perf_counter()
                ours = knox_test(x, y, t, distance_edges=(0, 200), time_edges=(0, 14),
                                 permutations=permutations, seed=1, workers=workers)
                runs[workers].append(time.perf_counter() - start)
        one, two = statistics.median(runs[1]), statistics.median(runs[2])
        print(f"  vigil knox_test, medians of 5: one thread {one:.3f} s "
              f"({', '.join(f'{r:.3f}' for r in runs[1])}), two threads {two:.3f} s "
              f"({', '.join(f'{r:.3f}' for r in runs[2])})")
        print(f"  vigil: observed {int(ours.observed[0, 0]):,}, expected "
              f"{ours.expected[0, 0]:.1f}, p {ours.p[0, 0]:.3f}; table {ours.observed.tolist()}")
        np.random.seed(1)
        start, processor = time.perf_counter(), time.process_time()
        Knox(np.column_stack([x, y]), t.reshape(-1, 1), delta=200.0,
             tau=14 - 0.5 / 86_400, permutations=0)
        setup, setup_cpu = time.perf_counter() - start, time.process_time() - processor
        print(f"  pointpats Knox without permutations (neighbour sets, counts): {setup:.2f} s "
              f"(processor time {setup_cpu:.2f} s); peak memory so far {_peak_memory()}")
        start, processor = time.perf_counter(), time.process_time()
        theirs = Knox(np.column_stack([x, y]), t.reshape(-1, 1), delta=200.0,
                      tau=14 - 0.5 / 86_400, permutations=permutations, keep=True)
        total = time.perf_counter() - start
        processor = time.process_time() - processor
    # per permutation from processor time: on a loaded machine wall-time differences are noise
    each = (processor - setup_cpu) / max(permutations, 1)
    print(f"  pointpats Knox {permutations} permutations: {total:.2f} s ({each:.3f} s of "
          f"processor time per permutation); observed {theirs.nst:,}, analytic expected "
          f"{theirs.expected[0, 0]:.1f}, permutation mean {np.mean(theirs.sim):.1f}, "
          f"p_sim {theirs.p_sim:.3f}; table {theirs.observed.astype(int).tolist()}; "
          f"peak memory {_peak_memory()}; processor time {processor:.2f} s")
    same = int(theirs.nst) == int(ours.observed[0, 0]) == direct and \
        (theirs.observed.astype(int) == ours.observed).all()
    print(f"  counts the same (close-close and the whole 2 × 2 table): {bool(same)}")
    print(f"  ratio pointpats / vigil: one thread {total / one:.0f}, two threads "
          f"{total / two:.0f}; {load()}")


def main() -> None:
    require_open_data()
    arguments = sys.argv[1:]
    if arguments and arguments[0] == "--pointpats":
        numbers = [int(a) for a in arguments[1:]]
        print(f"date {date.today()}; {machine()}")
        against_pointpats(numbers[0] if numbers else 10_000,
                          numbers[1] if len(numbers) > 1 else 99)
        return
    print(f"date {date.today()}; {machine()}; {load()}")
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
