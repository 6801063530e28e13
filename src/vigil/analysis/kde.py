"""Gaussian kernel density on a grid: linear binning onto a finer lattice, then a separable
convolution with the Gaussian kernel. The result is incidents per square kilometre at each cell
centre; it matches the exact sum over points to well within 1% wherever the surface is above 1%
of its peak (linear-binning error shrinks with the square of lattice spacing / bandwidth)."""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from vigil.analysis.geo import FloatArray
from vigil.analysis.grid import Grid

DEFAULT_BANDWIDTH_METRES = 500.0
KERNEL_REACH = 5.0  # kernel cut at five bandwidths: the tail beyond is below 4e-6 of the peak


def kde_surface(x: FloatArray, y: FloatArray, *, grid: Grid,
                bandwidth: float = DEFAULT_BANDWIDTH_METRES,
                spacing: float | None = None) -> FloatArray:
    """Density at each cell centre of ``grid`` (shape ``(ny, nx)``), in incidents per km².

    ``spacing`` is the binning lattice's spacing in metres: by default the largest divisor of
    half the cell size that is at most bandwidth / 6.
    """
    if bandwidth <= 0:
        raise ValueError("bandwidth must be positive")
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if grid.size == 0:
        return np.zeros((grid.ny, grid.nx))
    # Lattice nodes at x0 + m·step; cell centres fall on nodes when cell / step is even.
    if spacing is None:
        halves = max(1, math.ceil((grid.cell / 2) / (bandwidth / 6)))
        step = grid.cell / (2 * halves)
    else:
        step = spacing
    per_cell = grid.cell / step
    if abs(per_cell - round(per_cell)) > 1e-9 or round(per_cell) % 2:
        raise ValueError("spacing must divide half the cell size")
    ratio = round(per_cell)
    reach = math.ceil(KERNEL_REACH * bandwidth / step)
    width = grid.nx * ratio + 1 + 2 * reach
    height = grid.ny * ratio + 1 + 2 * reach
    fx = (x - grid.x0) / step + reach
    fy = (y - grid.y0) / step + reach
    keep = (fx >= 0) & (fx < width - 1) & (fy >= 0) & (fy < height - 1)
    fx, fy = fx[keep], fy[keep]
    ix, iy = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    ax, ay = fx - ix, fy - iy
    lattice = np.zeros(height * width)
    for dy, wy in ((0, 1 - ay), (1, ay)):
        for dx, wx in ((0, 1 - ax), (1, ax)):
            lattice += np.bincount((iy + dy) * width + ix + dx, weights=wy * wx,
                                   minlength=height * width)
    offsets = np.arange(-reach, reach + 1) * step
    kernel = np.exp(-0.5 * (offsets / bandwidth) ** 2) / (math.sqrt(2 * math.pi) * bandwidth)
    image = lattice.reshape(height, width)
    image = ndimage.convolve1d(image, kernel, axis=1, mode="constant")
    image = ndimage.convolve1d(image, kernel, axis=0, mode="constant")
    rows = reach + ratio // 2 + ratio * np.arange(grid.ny)
    cols = reach + ratio // 2 + ratio * np.arange(grid.nx)
    return np.asarray(image[np.ix_(rows, cols)] * 1e6, dtype=np.float64)
