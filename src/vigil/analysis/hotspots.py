"""Getis-Ord Gi* with analytic z-scores, conditional-randomisation p-values and a
Benjamini-Hochberg false-discovery-rate cut.

The z-scores are those of PySAL's ``esda.G_Local(star=True, transform="B")`` on the same binary
weights (self-weight 1). Two traps are avoided:

- with P permutations the smallest pseudo p-value is 1/(P+1), so a false-discovery-rate cut over
  thousands of cells on pseudo p-values can flag nothing; the cut is made on the analytic p of
  the z-score, and the pseudo p-value is reported beside it;
- empty cells outside the area would become false cold spots; callers pass only the cells of the
  study area (see :func:`vigil.analysis.grid.study_mask`) and we report hot spots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse, stats

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GiStar:
    """Gi* per cell (same order as the input values)."""

    g: FloatArray
    expected: FloatArray
    variance: FloatArray
    z: FloatArray
    p_analytic: FloatArray
    """Two-sided p of the z-score under the normal approximation."""
    p_sim: FloatArray | None
    """Folded pseudo p-value from conditional randomisation, as esda's ``p_sim``."""
    q: FloatArray
    """Benjamini-Hochberg adjusted ``p_analytic``."""
    permutations: int

    def hot(self, alpha: float = 0.05) -> NDArray[np.bool_]:
        """Cells significantly hotter than the area after the false-discovery-rate cut."""
        return np.asarray((self.q <= alpha) & (self.z > 0), dtype=bool)

    def cold(self, alpha: float = 0.05) -> NDArray[np.bool_]:
        return np.asarray((self.q <= alpha) & (self.z < 0), dtype=bool)


def benjamini_hochberg(p: FloatArray) -> FloatArray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order."""
    p = np.asarray(p, dtype=np.float64)
    n = len(p)
    if n == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(n)
    q[order] = np.minimum(adjusted, 1.0)
    return q


def gi_star(values: FloatArray, weights: sparse.csr_matrix, *, permutations: int = 999,
            seed: int | None = None) -> GiStar:
    """Gi* for ``values`` on binary ``weights`` that include the self-weight 1.

    The z-score is ``(G - E[G]) / sqrt(V[G])`` with the moments under the randomisation null
    (Getis and Ord 1995), exactly as esda computes them. With ``permutations`` > 0, each cell's
    pseudo p-value holds its own value fixed and draws its neighbours' values, without
    replacement, from the other cells (conditional randomisation).
    """
    y = np.asarray(values, dtype=np.float64)
    n = len(y)
    w = sparse.csr_matrix(weights, dtype=np.float64)
    total = float(y.sum())
    if n < 2 or total == 0:
        zeros = np.zeros(n)
        ones = np.ones(n)
        return GiStar(g=zeros, expected=zeros, variance=zeros, z=zeros, p_analytic=ones,
                      p_sim=ones if permutations else None, q=ones, permutations=permutations)
    lag = np.asarray(w @ y, dtype=np.float64)
    g = lag / total
    cardinality = np.asarray(w.sum(axis=1), dtype=np.float64).ravel()
    mean = total / n
    variance_y = float((y**2).sum()) / n - mean**2
    expected = cardinality / n
    variance = cardinality * (n - cardinality) / (n - 1) / n**2 * (variance_y / mean**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(variance > 0, (g - expected) / np.sqrt(variance), 0.0)
    p_analytic = 2 * stats.norm.sf(np.abs(z))
    p_sim = None
    if permutations > 0:
        p_sim = _conditional_p(y, w, lag - w.diagonal() * y, permutations=permutations,
                               rng=np.random.default_rng(seed))
    return GiStar(g=g, expected=expected, variance=variance, z=z, p_analytic=p_analytic,
                  p_sim=p_sim, q=benjamini_hochberg(p_analytic), permutations=permutations)


def _conditional_p(y: FloatArray, w: sparse.csr_matrix, neighbour_sums: FloatArray, *,
                   permutations: int, rng: np.random.Generator) -> FloatArray:
    """Folded pseudo p-values: ``(min(larger, P - larger) + 1) / (P + 1)``, where ``larger``
    counts the draws whose neighbour sum is at least the observed one.

    The null distribution of a cell depends only on its own value and its number of
    neighbours, so cells sharing both share one set of draws (the draws are exactly those of
    the conditional randomisation for each of them). That is what makes this fast on grids of
    counts, which have few distinct values.
    """
    n = len(y)
    k = np.diff(w.indptr) - (w.diagonal() != 0)
    larger = np.zeros(n)
    keys = np.column_stack([k.astype(np.float64), y])
    _, first, group = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    group = group.ravel()
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(first) + 1))
    for g_index, representative in enumerate(first):
        members = order[bounds[g_index]:bounds[g_index + 1]]
        count = int(k[representative])
        if count == 0:
            continue
        others = np.delete(y, representative)
        draws = _sample_without_replacement(rng, len(others), count, permutations)
        sums = np.sort(others[draws].sum(axis=1))
        # draws with sum >= observed (with a small tolerance for float sums of counts)
        observed = neighbour_sums[members] - 1e-9 * max(1.0, abs(float(y.max())))
        larger[members] = permutations - np.searchsorted(sums, observed, side="left")
    folded = np.minimum(larger, permutations - larger)
    return (folded + 1) / (permutations + 1)


def _sample_without_replacement(rng: np.random.Generator, population: int, k: int,
                                rows: int) -> NDArray[np.int64]:
    """``rows`` independent draws of ``k`` distinct indices from ``range(population)``."""
    if k > population:
        raise ValueError("more neighbours than other cells")
    if population <= 4 * k * k or population <= 256:
        keys = rng.random((rows, population))
        return np.argpartition(keys, k - 1, axis=1)[:, :k].astype(np.int64)
    draws = rng.integers(0, population, size=(rows, k))
    while True:
        ordered = np.sort(draws, axis=1)
        bad = np.flatnonzero((np.diff(ordered, axis=1) == 0).any(axis=1))
        if len(bad) == 0:
            return draws
        draws[bad] = rng.integers(0, population, size=(len(bad), k))
