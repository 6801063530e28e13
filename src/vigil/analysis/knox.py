"""The Knox test for near repeats, as the Near Repeat Calculator does it: count pairs of events
by distance band and time band, compare with the counts when the events' times are shuffled
among them (Monte Carlo permutations), and give observed, expected, ratio and p per band pair.

Bands are half-open intervals ``[a, b)``; the last row and column count the pairs beyond the
last edge. Pairs closer than the last distance edge are found once with a k-d tree; the counts
of all pairs by time band do not change when times are shuffled, so the "beyond" row is the
all-pairs count less the near pairs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from vigil.analysis.geo import FloatArray

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class KnoxTable:
    """Counts of pairs: rows are distance bands, columns time bands (each with a last band
    "beyond" the edges)."""

    distance_edges: tuple[float, ...]
    time_edges: tuple[float, ...]
    time_unit: str
    observed: IntArray
    expected: FloatArray
    p: FloatArray
    permutations: int
    events: int

    @property
    def ratio(self) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    def distance_labels(self, unit: str = "m") -> list[str]:
        return _labels(self.distance_edges, unit)

    def time_labels(self) -> list[str]:
        return _labels(self.time_edges, f" {self.time_unit}")


def _labels(edges: Sequence[float], unit: str) -> list[str]:
    def fmt(value: float) -> str:
        return f"{value:g}"

    bands = [f"[{fmt(a)}, {fmt(b)}){unit}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
    return [*bands, f"[{fmt(edges[-1])}, ∞){unit}"]


def _band(values: FloatArray, edges: FloatArray) -> IntArray:
    """Band index of each value for edges e0 < e1 < … : [e_k, e_k+1) → k, ≥ last → len-1."""
    return np.searchsorted(edges, values, side="right").astype(np.int64) - 1


def _all_pairs_by_time(t: FloatArray, edges: FloatArray) -> IntArray:
    """Pairs of events (i < j) per time band, over all pairs: O(n log n) from sorted times."""
    ordered = np.sort(t)
    n = len(ordered)
    below = np.empty(len(edges), dtype=np.int64)
    for k, edge in enumerate(edges):
        # pairs with t_j - t_i < edge, i < j in sorted order
        below[k] = int((np.searchsorted(ordered, ordered + edge, side="left")
                        - np.arange(1, n + 1)).clip(min=0).sum())
    total = n * (n - 1) // 2
    within = np.diff(below)
    return np.asarray([*within, total - below[-1]], dtype=np.int64)


CHUNK = 1 << 16
SUBDIVISIONS = 86_400
"""Non-whole times are counted to 1/86,400 of the unit (a second, when the unit is days)."""


def _ticks(t: FloatArray, edges: FloatArray) -> tuple[NDArray[np.signedinteger], IntArray]:
    """Times and edges as whole ticks from the earliest time: whole units when every time and
    edge is whole (months, days), else 1/86,400 of a unit. Integer gaps make the band tests
    exact and cheap."""
    whole = bool(np.all(t == np.round(t)) and np.all(edges == np.round(edges)))
    scale = 1 if whole else SUBDIVISIONS
    start = float(t.min()) if len(t) else 0.0
    ticks = np.round((t - start) * scale)
    tick_edges = np.round(edges * scale).astype(np.int64)
    largest = float(ticks.max()) if len(ticks) else 0.0
    dtype = np.int32 if largest + 2 * float(tick_edges.max()) < 2**31 - 1 else np.int64
    return ticks.astype(dtype), tick_edges


def _count_below(times: NDArray[np.signedinteger], i: NDArray[np.int32],
                 j: NDArray[np.int32], edges: IntArray) -> IntArray:
    """For each edge e, how many pairs (i, j) are less than e ticks apart.

    ``|d| < e`` is tested as ``unsigned(d + e - 1) < 2e - 1`` (one add and one compare), in
    chunks small enough for the temporaries to stay in the processor's cache.
    """
    below = np.zeros(len(edges), dtype=np.int64)
    size = min(CHUNK, len(i))
    first = np.empty(size, dtype=times.dtype)
    second = np.empty(size, dtype=times.dtype)
    inside = np.empty(size, dtype=bool)
    unsigned = np.uint32 if times.dtype == np.int32 else np.uint64
    for start in range(0, len(i), CHUNK):
        k = min(CHUNK, len(i) - start)
        gap, shifted, hit = first[:k], second[:k], inside[:k]
        np.take(times, i[start:start + k], out=gap)
        np.take(times, j[start:start + k], out=shifted)
        np.subtract(gap, shifted, out=gap)
        for n, edge in enumerate(edges.tolist()):
            np.add(gap, edge - 1, out=shifted)
            np.less(shifted.view(unsigned), 2 * edge - 1, out=hit)
            below[n] += np.count_nonzero(hit)
    return below


def knox_test(x: FloatArray, y: FloatArray, t: FloatArray, *,
              distance_edges: Sequence[float] = (0, 100, 200),
              time_edges: Sequence[float] = (0, 7, 14), time_unit: str = "days",
              permutations: int = 999, seed: int | None = None, workers: int = 2,
              progress: Callable[[int, int], None] | None = None) -> KnoxTable:
    """Knox table for events at (x, y) metres and times ``t`` (in ``time_unit``).

    The permutations are shared among ``workers`` threads (NumPy releases the interpreter lock
    in the counting), each with its own random stream spawned from ``seed``, so a seed gives the
    same table whatever the timing.
    """
    x, y, t = (np.asarray(a, dtype=np.float64) for a in (x, y, t))
    d_edges = np.asarray(distance_edges, dtype=np.float64)
    t_edges = np.asarray(time_edges, dtype=np.float64)
    if len(d_edges) < 2 or np.any(np.diff(d_edges) <= 0) or d_edges[0] != 0:
        raise ValueError("distance edges must start at 0 and increase")
    if len(t_edges) < 2 or np.any(np.diff(t_edges) <= 0) or t_edges[0] != 0:
        raise ValueError("time edges must start at 0 and increase")
    n_d, n_t = len(d_edges), len(t_edges)
    # Events in spatial order (by 1 km square), so that close pairs have close indices and
    # the time look-ups stay in cache. Relabelling events changes no count.
    square = np.floor(x / 1000) * 1e6 + np.floor(y / 1000) if len(x) else x
    spatial = np.argsort(square, kind="stable")
    x, y, t = x[spatial], y[spatial], t[spatial]
    tree = cKDTree(np.column_stack([x, y]))
    pairs = tree.query_pairs(r=float(d_edges[-1]), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    distance = np.hypot(x[i] - x[j], y[i] - y[j])
    near = distance < d_edges[-1]
    d_band = _band(distance[near], d_edges)
    # Pairs grouped by distance band (each band one slice), then by first event, so that the
    # time look-ups in every permutation walk memory in order.
    order = np.lexsort((i[near], d_band))
    i = i[near][order].astype(np.int32)
    j = j[near][order].astype(np.int32)
    bounds = np.searchsorted(d_band[order], np.arange(n_d))
    ticks, tick_edges = _ticks(t, t_edges)
    all_by_time = _all_pairs_by_time(ticks.astype(np.float64), tick_edges.astype(np.float64))
    inner_edges = tick_edges[1:]

    def table(times: NDArray[np.signedinteger]) -> IntArray:
        counts = np.zeros((n_d - 1, n_t), dtype=np.int64)
        for band in range(n_d - 1):
            below = _count_below(times, i[bounds[band]:bounds[band + 1]],
                                 j[bounds[band]:bounds[band + 1]], inner_edges)
            total = bounds[band + 1] - bounds[band]
            counts[band] = np.diff(np.concatenate([[0], below, [total]]))
        return np.vstack([counts, all_by_time - counts.sum(axis=0)])

    observed = table(ticks)
    shares = [len(part) for part in np.array_split(np.arange(permutations), max(1, workers))]
    streams = np.random.SeedSequence(seed).spawn(len(shares))
    done = [0]
    lock = threading.Lock()

    def simulate(stream: np.random.SeedSequence, count: int) -> tuple[FloatArray, IntArray]:
        rng = np.random.default_rng(stream)
        total = np.zeros((n_d, n_t))
        at_least = np.zeros((n_d, n_t), dtype=np.int64)
        for _ in range(count):
            simulated = table(rng.permutation(ticks))
            total += simulated
            at_least += simulated >= observed
            with lock:
                done[0] += 1
                if progress is not None and done[0] % 50 == 0:
                    progress(done[0], permutations)
        return total, at_least

    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        results = list(pool.map(simulate, streams, shares))
    total = np.sum([r[0] for r in results], axis=0)
    at_least = np.sum([r[1] for r in results], axis=0)
    expected = total / permutations if permutations else np.full((n_d, n_t), np.nan)
    p = (at_least + 1) / (permutations + 1)
    return KnoxTable(distance_edges=tuple(float(e) for e in d_edges),
                     time_edges=tuple(float(e) for e in t_edges), time_unit=time_unit,
                     observed=observed, expected=expected, p=p, permutations=permutations,
                     events=len(x))
