"""Each analysis on an :class:`IncidentFrame` of a study area, as a report the command line,
the web page and the exports share. Pure computation: no database, no files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from vigil.analysis import knox, trends
from vigil.analysis.frame import IncidentFrame
from vigil.analysis.geo import FloatArray, to_bng
from vigil.analysis.grid import DEFAULT_CELL_METRES, Grid, neighbour_weights, study_mask
from vigil.analysis.hotspots import GiStar, gi_star
from vigil.analysis.kde import DEFAULT_BANDWIDTH_METRES, kde_surface
from vigil.analysis.priorities import Priority, ScoreWeights, priorities
from vigil.analysis.repeats import DEFAULT_REPEAT_THRESHOLD, RepeatSummary, count_repeats
from vigil.analysis.volumes import VolumeRow, volumes

DEFAULT_MASK_RADIUS_METRES = 1000.0
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class Study:
    """What was asked for and the incidents it covers."""

    area_label: str
    lsoas: tuple[str, ...]
    category_label: str
    frame: IncidentFrame
    force_incidents: int | None = None
    """Incidents in the period over the whole force (same category): the comparison for
    rates computed from the data held, with ``force_population``."""
    force_population: int = 0

    @property
    def period_label(self) -> str:
        first = trends.month_date(self.frame.period_first)
        last = trends.month_date(self.frame.period_last)
        return f"{first:%b %Y} to {last:%b %Y}"


@dataclass(frozen=True)
class VolumeReport:
    level: str
    comparison_rate: float | None
    comparison_source: str
    rows: list[VolumeRow]


def volume_report(study: Study, *, level: str = "neighbourhood",
                  comparison_rate: float | None = None) -> VolumeReport:
    """Rates by ``level`` against ``comparison_rate`` if given, else the rate over the
    whole force computed from the data held."""
    source = "entered"
    if comparison_rate is None:
        months = study.frame.period_last - study.frame.period_first + 1
        if study.force_incidents is not None and study.force_population:
            comparison_rate = study.force_incidents * 1000 / study.force_population * 12 / months
        source = "the whole force in the data held" if comparison_rate is not None else "none"
    return VolumeReport(level=level, comparison_rate=comparison_rate, comparison_source=source,
                        rows=volumes(study.frame, lsoas=study.lsoas, level=level,
                                     comparison_rate=comparison_rate))


@dataclass(frozen=True)
class HotspotReport:
    grid: Grid
    cells: NDArray[np.int64]
    """Grid index of each cell in the study area (the masked cells), in Gi* order."""
    counts: NDArray[np.int64]
    gi: GiStar
    alpha: float
    neighbour_distance: float
    mask_radius: float
    incidents: int
    outside_grid: int = 0

    @property
    def hot(self) -> NDArray[np.bool_]:
        return self.gi.hot(self.alpha)


def _period_points(study: Study) -> tuple[FloatArray, FloatArray]:
    frame = study.frame
    keep = frame.in_period & frame.located
    return frame.x[keep], frame.y[keep]


def _anchors(study: Study) -> tuple[FloatArray, FloatArray]:
    areas = [study.frame.areas[c] for c in study.lsoas if c in study.frame.areas]
    lon = np.array([a.longitude for a in areas if a.longitude is not None], dtype=np.float64)
    lat = np.array([a.latitude for a in areas if a.latitude is not None], dtype=np.float64)
    return to_bng(lon, lat)


def study_grid(study: Study, *, cell: float, mask_radius: float) -> tuple[Grid, NDArray[np.bool_]]:
    """The grid over the study area and its mask: cells within ``mask_radius`` of an LSOA
    centroid of the area, or holding an incident of the area."""
    x, y = _period_points(study)
    ax, ay = _anchors(study)
    grid = Grid.covering(np.concatenate([x, ax]), np.concatenate([y, ay]), cell=cell,
                         margin=mask_radius if len(ax) else cell)
    mask = study_mask(grid, anchor_x=ax, anchor_y=ay, radius=mask_radius)
    mask[grid.counts(x, y) > 0] = True
    return grid, mask


def hotspot_report(study: Study, *, cell: float = DEFAULT_CELL_METRES,
                   neighbour_distance: float | None = None,
                   mask_radius: float = DEFAULT_MASK_RADIUS_METRES, permutations: int = 999,
                   alpha: float = 0.05, seed: int | None = None) -> HotspotReport:
    """Gi* on counts per ``cell`` over the study area's cells (queen neighbours by default)."""
    x, y = _period_points(study)
    grid, mask = study_grid(study, cell=cell, mask_radius=mask_radius)
    cells = np.flatnonzero(mask).astype(np.int64)
    counts = grid.counts(x, y)[cells]
    distance = 1.5 * cell if neighbour_distance is None else neighbour_distance
    weights = neighbour_weights(grid, cells, distance=distance)
    gi = gi_star(counts.astype(np.float64), weights, permutations=permutations, seed=seed)
    return HotspotReport(grid=grid, cells=cells, counts=counts, gi=gi, alpha=alpha,
                         neighbour_distance=distance, mask_radius=mask_radius,
                         incidents=len(x))


@dataclass(frozen=True)
class KdeReport:
    grid: Grid
    density: FloatArray
    """Incidents per km² at each cell centre, shape (ny, nx)."""
    mask: NDArray[np.bool_]
    bandwidth: float
    incidents: int


def kde_report(study: Study, *, cell: float = DEFAULT_CELL_METRES,
               bandwidth: float = DEFAULT_BANDWIDTH_METRES,
               mask_radius: float = DEFAULT_MASK_RADIUS_METRES) -> KdeReport:
    x, y = _period_points(study)
    grid, mask = study_grid(study, cell=cell, mask_radius=mask_radius)
    return KdeReport(grid=grid, density=kde_surface(x, y, grid=grid, bandwidth=bandwidth),
                     mask=mask, bandwidth=bandwidth, incidents=len(x))


@dataclass(frozen=True)
class RepeatsReport:
    places: RepeatSummary
    victims: RepeatSummary
    perpetrators: RepeatSummary
    resolved_records: int
    person_records: int

    @property
    def keyed_by_note(self) -> str:
        if self.person_records == 0:
            return "No victims or suspects are recorded on these incidents."
        if self.resolved_records == self.person_records:
            return "People are counted as resolved people (identification engine)."
        return (f"{self.resolved_records:,} of {self.person_records:,} victim and suspect "
                "records are resolved to people; the others count by person record, so a "
                "person recorded twice unresolved counts as two and repeats are undercounted.")


def repeats_report(study: Study, *,
                   threshold: int = DEFAULT_REPEAT_THRESHOLD) -> RepeatsReport:
    frame = study.frame
    in_period = frame.in_period
    place_labels: dict[str, str] = {}
    place_areas: dict[str, str] = {}
    for place, label, area in zip(frame.place[in_period], frame.place_label[in_period],
                                  frame.neighbourhood[in_period], strict=True):
        place_labels.setdefault(place, label or place)
        place_areas.setdefault(place, area)
    places = count_repeats(list(frame.place[in_period]), kind="places", labels=place_labels,
                           neighbourhoods=place_areas, threshold=threshold)
    people = frame.people
    summaries = []
    for role, kind in (("victim", "victims"), ("suspect", "perpetrators")):
        rows = (people.role == role) & in_period[people.incident]
        pairs = sorted(set(zip(people.person[rows], people.incident[rows], strict=True)))
        areas = {key: str(frame.neighbourhood[incident]) for key, incident in pairs}
        summaries.append(count_repeats([key for key, _ in pairs], kind=kind,
                                       labels={key: key for key, _ in pairs},
                                       neighbourhoods=areas, threshold=threshold))
    in_rows = in_period[people.incident]
    return RepeatsReport(places=places, victims=summaries[0], perpetrators=summaries[1],
                         resolved_records=int(people.resolved[in_rows].sum()),
                         person_records=int(in_rows.sum()))


@dataclass(frozen=True)
class NearRepeatReport:
    table: knox.KnoxTable
    note: str


def near_repeat_report(study: Study, *, distance_edges: Sequence[float] = (0, 100, 200),
                       time_edges: Sequence[float] | None = None, permutations: int = 999,
                       seed: int | None = None,
                       progress: Callable[[int, int], None] | None = None) -> NearRepeatReport:
    """Knox test in days when every incident has an exact time, else in whole months (open
    data gives only the month), with a note saying which."""
    frame = study.frame
    keep = frame.in_period & frame.located
    if keep.any() and frame.exact[keep].all():
        times, unit = frame.day[keep], "days"
        edges = time_edges or (0, 7, 14)
        note = "Times are exact; bands in days."
    else:
        times, unit = frame.month[keep].astype(np.float64), "months"
        edges = time_edges or (0, 1, 2)
        note = ("Some incidents have only a month (open data), so times are whole months: "
                "[0, 1) months means the same month.")
    table = knox.knox_test(frame.x[keep], frame.y[keep], times, distance_edges=distance_edges,
                           time_edges=edges, time_unit=unit, permutations=permutations,
                           seed=seed, progress=progress)
    return NearRepeatReport(table=table, note=note)


@dataclass(frozen=True)
class TrendReport:
    series: trends.MonthlySeries
    comparison: trends.PeriodComparison
    seasonal: list[float] | None = field(default=None)


def trend_report(study: Study) -> TrendReport:
    frame = study.frame
    series = trends.monthly_series(frame.month, first=frame.period_first,
                                   last=frame.period_last)
    comparison = trends.compare_with_last_year(frame.month, first=frame.period_first,
                                               last=frame.period_last,
                                               earliest_data=frame.earliest_month)
    return TrendReport(series=series, comparison=comparison,
                       seasonal=trends.seasonal_index(series))


def priority_report(study: Study, *, weights: ScoreWeights | None = None,
                    top: int = 10) -> dict[str, list[Priority]]:
    return priorities(study.frame, weights=weights, top=top)
