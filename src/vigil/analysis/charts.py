"""PNG charts with Matplotlib's Agg canvas (no display, safe in threads)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from vigil.analysis.geojson import ATTRIBUTION
from vigil.analysis.reports import HotspotReport, KdeReport, NearRepeatReport, TrendReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def _figure(width: float = 8, height: float = 4.5) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    figure.text(0.01, 0.01, ATTRIBUTION, fontsize=5, color="#555", wrap=True)
    return figure


def trend_chart(report: TrendReport, *, title: str) -> bytes:
    """Incidents per month, with the same months a year before when the data has them."""
    figure = _figure()
    axes = figure.add_axes((0.08, 0.16, 0.9, 0.74))
    months = np.array(report.series.months, dtype="datetime64[D]")
    axes.plot(months, report.series.counts, marker="o", color="#1d4ed8", label="incidents")
    axes.set_ylim(bottom=0)
    axes.set_ylabel("incidents per month")
    comparison = report.comparison
    axes.set_title(f"{title}\n{comparison.label}: {comparison.this_period:,}, same months "
                   f"a year before {comparison.last_year:,}: {comparison.verdict}", fontsize=9)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    return _png(figure)


def hotspot_map(report: HotspotReport, *, title: str) -> bytes:
    """Gi* z-scores over the study area's cells, hot spots outlined."""
    grid = report.grid
    image = np.full(grid.size, np.nan)
    image[report.cells] = report.gi.z
    figure = _figure(7, 7)
    axes = figure.add_axes((0.05, 0.08, 0.9, 0.85))
    extent = (grid.x0, grid.x0 + grid.nx * grid.cell, grid.y0, grid.y0 + grid.ny * grid.cell)
    shown = axes.imshow(image.reshape(grid.ny, grid.nx), origin="lower", extent=extent,
                        cmap="RdBu_r", vmin=-4, vmax=4)
    hot = np.zeros(grid.size)
    hot[report.cells[report.hot]] = 1
    axes.contour(hot.reshape(grid.ny, grid.nx), levels=[0.5], colors="black", linewidths=0.6,
                 extent=extent, origin="lower")
    figure.colorbar(shown, ax=axes, shrink=0.6, label="Gi* z")
    axes.set_title(f"{title}\n{int(report.hot.sum()):,} hot cells (FDR {report.alpha:g})",
                   fontsize=9)
    axes.set_axis_off()
    return _png(figure)


def kde_map(report: KdeReport, *, title: str) -> bytes:
    grid = report.grid
    density = np.where(report.mask.reshape(grid.ny, grid.nx), report.density, np.nan)
    figure = _figure(7, 7)
    axes = figure.add_axes((0.05, 0.08, 0.9, 0.85))
    extent = (grid.x0, grid.x0 + grid.nx * grid.cell, grid.y0, grid.y0 + grid.ny * grid.cell)
    shown = axes.imshow(density, origin="lower", extent=extent, cmap="magma_r")
    figure.colorbar(shown, ax=axes, shrink=0.6, label="incidents per km²")
    axes.set_title(f"{title}\nKernel density, bandwidth {report.bandwidth:g} m", fontsize=9)
    axes.set_axis_off()
    return _png(figure)


def knox_chart(report: NearRepeatReport, *, title: str) -> bytes:
    """Observed / expected per band pair; starred where p < 0.05."""
    table = report.table
    figure = _figure(7, 4.5)
    axes = figure.add_axes((0.2, 0.18, 0.75, 0.7))
    ratio = table.ratio
    shown = axes.imshow(ratio, cmap="RdBu_r", vmin=0, vmax=2)
    for (r, c), value in np.ndenumerate(ratio):
        star = "*" if table.p[r, c] < 0.05 else ""
        axes.text(c, r, f"{value:.2f}{star}", ha="center", va="center", fontsize=8)
    axes.set_xticks(range(ratio.shape[1]), table.time_labels(), fontsize=7)
    axes.set_yticks(range(ratio.shape[0]), table.distance_labels(), fontsize=7)
    figure.colorbar(shown, ax=axes, shrink=0.7, label="observed / expected")
    axes.set_title(f"{title}\nKnox ratios, {table.permutations} permutations", fontsize=9)
    return _png(figure)
