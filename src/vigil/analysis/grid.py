"""A regular grid in British National Grid metres: counts per cell, the study-area mask and the
binary neighbour weights that Getis-Ord Gi* uses."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from vigil.analysis.geo import FloatArray

DEFAULT_CELL_METRES = 250.0


@dataclass(frozen=True)
class Grid:
    """``nx`` × ``ny`` square cells of ``cell`` metres; cell (row, col) spans
    ``[x0 + col·cell, x0 + (col+1)·cell) × [y0 + row·cell, y0 + (row+1)·cell)``.
    Cells are numbered row by row: ``index = row · nx + col``."""

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int

    @property
    def size(self) -> int:
        return self.nx * self.ny

    @classmethod
    def covering(cls, x: FloatArray, y: FloatArray, *, cell: float = DEFAULT_CELL_METRES,
                 margin: float = 0.0) -> Grid:
        """The smallest grid aligned to multiples of ``cell`` holding every point plus
        ``margin`` metres on each side."""
        if cell <= 0:
            raise ValueError("cell size must be positive")
        if len(x) == 0:
            return cls(x0=0.0, y0=0.0, cell=cell, nx=0, ny=0)
        x0 = math.floor((float(np.min(x)) - margin) / cell) * cell
        y0 = math.floor((float(np.min(y)) - margin) / cell) * cell
        nx = int(math.floor((float(np.max(x)) + margin - x0) / cell)) + 1
        ny = int(math.floor((float(np.max(y)) + margin - y0) / cell)) + 1
        return cls(x0=x0, y0=y0, cell=cell, nx=nx, ny=ny)

    def cell_of(self, x: FloatArray, y: FloatArray) -> NDArray[np.int64]:
        """The cell index of each point, or -1 for points outside the grid."""
        col = np.floor((np.asarray(x) - self.x0) / self.cell).astype(np.int64)
        row = np.floor((np.asarray(y) - self.y0) / self.cell).astype(np.int64)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        return np.where(inside, row * self.nx + col, -1)

    def centres(self) -> tuple[FloatArray, FloatArray]:
        """The centre of every cell, in index order."""
        cols = np.arange(self.nx, dtype=np.float64)
        rows = np.arange(self.ny, dtype=np.float64)
        cx = np.tile(self.x0 + (cols + 0.5) * self.cell, self.ny)
        cy = np.repeat(self.y0 + (rows + 0.5) * self.cell, self.nx)
        return cx, cy

    def counts(self, x: FloatArray, y: FloatArray) -> NDArray[np.int64]:
        """Points per cell (points outside the grid are not counted)."""
        index = self.cell_of(x, y)
        return np.bincount(index[index >= 0], minlength=self.size).astype(np.int64)


def study_mask(grid: Grid, *, anchor_x: FloatArray, anchor_y: FloatArray,
               radius: float) -> NDArray[np.bool_]:
    """Cells whose centre lies within ``radius`` metres of an anchor point (LSOA centroids of
    the area, say). Cells outside are left out of the analysis, so that empty land beyond the
    area cannot pass for a cold spot or dilute the mean."""
    if grid.size == 0 or len(anchor_x) == 0:
        return np.zeros(grid.size, dtype=bool)
    cx, cy = grid.centres()
    tree = cKDTree(np.column_stack([anchor_x, anchor_y]))
    distance, _ = tree.query(np.column_stack([cx, cy]), distance_upper_bound=radius)
    return np.asarray(np.isfinite(distance), dtype=bool)


def neighbour_weights(grid: Grid, cells: NDArray[np.int64], *,
                      distance: float | None = None) -> sparse.csr_matrix:
    """Binary weights between ``cells`` (grid indices) with the self-weight 1, as Gi* uses:
    ``w[i, j] = 1`` when the centres of i and j are at most ``distance`` metres apart. The
    default, 1.5 cells, is the queen neighbourhood (the eight cells around and the cell)."""
    distance = 1.5 * grid.cell if distance is None else distance
    cx, cy = grid.centres()
    points = np.column_stack([cx[cells], cy[cells]])
    tree = cKDTree(points)
    pairs = tree.query_pairs(r=distance + 1e-9 * grid.cell, output_type="ndarray")
    n = len(cells)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(n)])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(n)])
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(n, n))
