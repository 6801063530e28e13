"""Writing reports as CSV, GeoJSON and PNG files into a folder (with the open-data
attribution beside them in ATTRIBUTION.txt, in every GeoJSON and at the foot of every chart)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from vigil.analysis import charts
from vigil.analysis.geo import to_wgs84
from vigil.analysis.geojson import ATTRIBUTION, cell_features, collection, lsoa_features
from vigil.analysis.priorities import Priority
from vigil.analysis.reports import (
    HotspotReport,
    KdeReport,
    NearRepeatReport,
    RepeatsReport,
    Study,
    TrendReport,
    VolumeReport,
)


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path


def _start(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    note = out / "ATTRIBUTION.txt"
    note.write_text(ATTRIBUTION + "\n", encoding="utf-8")
    return [note]


def _round(value: float | None, digits: int = 3) -> object:
    return "" if value is None or not np.isfinite(value) else round(float(value), digits)


def write_volumes(report: VolumeReport, out: Path) -> list[Path]:
    paths = _start(out)
    paths.append(_csv(out / f"volumes_{report.level}.csv",
                      ["level", "code", "name", "population", "incidents", "months",
                       "rate_per_1000_per_year", "comparison_rate", "ratio_to_comparison"],
                      ([r.level, r.code, r.name, r.population, r.incidents, r.months,
                        _round(r.rate_per_1000, 2), _round(r.comparison_rate, 2),
                        _round(r.ratio_to_comparison, 3)] for r in report.rows)))
    return paths


def hotspot_geojson(report: HotspotReport) -> dict[str, object]:
    """Cells with incidents or found hot, with count, z, p values and the verdict."""
    gi = report.gi
    keep = (report.counts > 0) | report.hot
    properties = {"count": report.counts[keep], "z": np.round(gi.z[keep], 4),
                  "p": np.round(gi.p_analytic[keep], 6), "q": np.round(gi.q[keep], 6),
                  "hot": report.hot[keep]}
    if gi.p_sim is not None:
        properties["p_sim"] = np.round(gi.p_sim[keep], 6)
    return collection(cell_features(report.grid, report.cells[keep], properties),
                      cell_metres=report.grid.cell, alpha=report.alpha)


def write_hotspots(report: HotspotReport, study: Study, out: Path) -> list[Path]:
    paths = _start(out)
    cx, cy = report.grid.centres()
    x, y = cx[report.cells], cy[report.cells]
    lon, lat = to_wgs84(x, y)
    gi = report.gi
    p_sim = gi.p_sim if gi.p_sim is not None else np.full(len(x), np.nan)
    paths.append(_csv(out / "hotspots.csv",
                      ["cell", "easting", "northing", "longitude", "latitude", "count", "z",
                       "p_analytic", "q_fdr", "p_sim", "hot"],
                      ([int(c), x[k], y[k], round(float(lon[k]), 6), round(float(lat[k]), 6),
                        int(report.counts[k]), _round(gi.z[k], 4), _round(gi.p_analytic[k], 6),
                        _round(gi.q[k], 6), _round(p_sim[k], 6), bool(report.hot[k])]
                       for k, c in enumerate(report.cells))))
    paths.append(_json(out / "hotspots.geojson", hotspot_geojson(report)))
    paths.append(_json(out / "lsoas.geojson",
                       collection(lsoa_features(study.frame, study.lsoas))))
    title = f"{study.area_label}, {study.period_label}"
    (out / "hotspots.png").write_bytes(charts.hotspot_map(report, title=title))
    return [*paths, out / "hotspots.png"]


def write_kde(report: KdeReport, study: Study, out: Path) -> list[Path]:
    paths = _start(out)
    density = report.density.ravel()
    keep = report.mask & (density > 0.01 * float(density.max() or 1))
    cells = np.flatnonzero(keep)
    cx, cy = report.grid.centres()
    paths.append(_csv(out / "kde.csv", ["cell", "easting", "northing", "per_km2"],
                      ([int(c), cx[c], cy[c], round(float(density[c]), 4)] for c in cells)))
    paths.append(_json(out / "kde.geojson", collection(cell_features(
        report.grid, cells, {"per_km2": np.round(density[cells], 3)}),
        bandwidth_metres=report.bandwidth)))
    (out / "kde.png").write_bytes(charts.kde_map(
        report, title=f"{study.area_label}, {study.period_label}"))
    return [*paths, out / "kde.png"]


def write_repeats(report: RepeatsReport, out: Path) -> list[Path]:
    paths = _start(out)
    summaries = (report.places, report.victims, report.perpetrators)
    paths.append(_csv(out / "repeats_summary.csv",
                      ["kind", "incidents", "distinct", "repeats", "repeat_incidents",
                       "top_5pct_share", "note"],
                      ([s.kind, s.incidents, s.distinct, len(s.repeats), s.repeat_incidents,
                        _round(s.top_share), report.keyed_by_note if s.kind != "places" else ""]
                       for s in summaries)))
    for summary in summaries:
        paths.append(_csv(out / f"repeat_{summary.kind}.csv",
                          ["key", "label", "neighbourhood", "incidents"],
                          ([i.key, i.label, i.neighbourhood, i.count]
                           for i in summary.repeats)))
    return paths


def write_near_repeat(report: NearRepeatReport, study: Study, out: Path) -> list[Path]:
    paths = _start(out)
    table = report.table
    rows = []
    for r, d_label in enumerate(table.distance_labels()):
        for c, t_label in enumerate(table.time_labels()):
            rows.append([d_label, t_label, int(table.observed[r, c]),
                         _round(table.expected[r, c], 2), _round(table.ratio[r, c], 3),
                         _round(table.p[r, c], 4)])
    paths.append(_csv(out / "near_repeat.csv",
                      ["distance", "time", "observed", "expected", "ratio", "p"], rows))
    (out / "near_repeat.png").write_bytes(charts.knox_chart(
        report, title=f"{study.area_label}, {study.period_label}"))
    return [*paths, out / "near_repeat.png"]


def write_trends(report: TrendReport, study: Study, out: Path) -> list[Path]:
    paths = _start(out)
    seasonal: list[float | None] = [None] * 12
    if report.seasonal is not None:
        seasonal = list(report.seasonal)
    paths.append(_csv(out / "trends.csv", ["month", "incidents", "seasonal_index"],
                      ([f"{m:%Y-%m}", int(n), _round(seasonal[m.month - 1])]
                       for m, n in zip(report.series.months, report.series.counts,
                                       strict=True))))
    c = report.comparison
    paths.append(_csv(out / "trends_comparison.csv",
                      ["months", "this_period", "same_months_last_year", "change",
                       "change_pct", "p_value", "verdict"],
                      [[c.label, c.this_period, c.last_year, c.change, _round(c.change_pct, 1),
                        _round(c.p_value, 5), c.verdict]]))
    (out / "trends.png").write_bytes(charts.trend_chart(
        report, title=f"{study.area_label}, {study.period_label}"))
    return [*paths, out / "trends.png"]


def write_priorities(ranked: dict[str, list[Priority]], study: Study, out: Path) -> list[Path]:
    paths = _start(out)
    names = {a.neighbourhood: a.neighbourhood_name for a in study.frame.areas.values()}
    rows = [[code, names.get(code, ""), rank, p.label, p.place, p.score, p.incidents,
             p.repeat_victims, p.vulnerable_victims, p.high_risk_assessments,
             "" if p.last_year is None else p.last_year,
             p.main_category or "", "; ".join(p.reasons)]
            for code, items in sorted(ranked.items()) for rank, p in enumerate(items, 1)]
    paths.append(_csv(out / "priorities.csv",
                      ["neighbourhood", "neighbourhood_name", "rank", "place", "place_key",
                       "score", "incidents", "repeat_victims", "vulnerable_victims",
                       "high_risk_assessments", "same_months_last_year", "main_category",
                       "reasons"], rows))
    return paths
