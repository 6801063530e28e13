"""``vigil analyse``: the analyst's reports, written as CSV, GeoJSON and PNG into a folder."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from vigil.analysis import export, reports
from vigil.analysis.geojson import ATTRIBUTION
from vigil.analysis.priorities import ScoreWeights
from vigil.analysis.volumes import LEVELS
from vigil.cli.common import cli_actor, console, container, fail
from vigil.services.analysis import AnalysisRequest, load_study
from vigil.services.incidents import InvalidQuery

app = typer.Typer(help="Hot spots, repeats, near repeats, trends and priorities.",
                  no_args_is_help=True)

FROM = typer.Option(None, "--from", help="First month, YYYY-MM (default: 11 months before --to).")
TO = typer.Option(None, "--to", help="Last month, YYYY-MM (default: the latest month of data).")
AREA = typer.Option("force", "--area",
                    help="force, la:CODE, neighbourhood:CODE[,CODE…] or lsoa:CODE[,CODE…].")
CATEGORY = typer.Option(None, "--category",
                        help="personal, nuisance, environmental or not_recorded.")
OUT = typer.Option(Path("analysis"), "--out", file_okay=False, help="Folder to write into.")
CELL = typer.Option(250.0, "--cell", min=10, help="Grid cell size in metres.")
SEED = typer.Option(None, "--seed", help="Random seed, for repeatable permutations.")


def _study(month_from: str | None, month_to: str | None, area: str,
           category: str | None) -> reports.Study:
    c = container()
    try:
        return load_study(c.uow(cli_actor()), AnalysisRequest(
            month_from=month_from, month_to=month_to, area=area, category=category),
            force_name=c.settings.force_name)
    except InvalidQuery as error:
        raise fail("The analysis cannot run:",
                   [f"--{name}: {text}" for name, text in error.problems.items()]) from None


def _done(study: reports.Study, paths: list[Path]) -> None:
    console.print(f"{study.area_label}, {study.period_label}, {study.category_label}: "
                  f"{int(study.frame.in_period.sum()):,} incidents.")
    for path in paths:
        console.print(f"  wrote {path}", highlight=False)
    console.print(ATTRIBUTION, style="dim")


@app.command()
def volumes(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
            category: str | None = CATEGORY, out: Path = OUT,
            level: str = typer.Option("neighbourhood", help=f"One of: {', '.join(LEVELS)}."),
            comparison: float | None = typer.Option(
                None, help="Comparison rate per 1,000 residents per year (default: the "
                "whole force, from the data held).")) -> None:
    """Incidents and rates per 1,000 residents per year, against a comparison rate."""
    if level not in LEVELS:
        raise fail("The analysis cannot run:", [f"--level: one of {', '.join(LEVELS)}"])
    study = _study(month_from, month_to, area, category)
    report = reports.volume_report(study, level=level, comparison_rate=comparison)
    table = Table(title=f"Rates per 1,000 residents per year (comparison "
                        f"{report.comparison_rate or 0:.1f}: {report.comparison_source})")
    for column in ("Area", "Population", "Incidents", "Rate", "× comparison"):
        table.add_column(column, justify="left" if column == "Area" else "right")
    for row in report.rows[:20]:
        table.add_row(row.name, f"{row.population:,}", f"{row.incidents:,}",
                      f"{row.rate_per_1000 or 0:.1f}", f"{row.ratio_to_comparison or 0:.2f}")
    console.print(table)
    _done(study, export.write_volumes(report, out))


@app.command()
def hotspots(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
             category: str | None = CATEGORY, out: Path = OUT, cell: float = CELL,
             permutations: int = typer.Option(999, min=0), alpha: float = typer.Option(0.05),
             mask_radius: float = typer.Option(
                 reports.DEFAULT_MASK_RADIUS_METRES,
                 help="Cells further than this from every LSOA centroid of the area (and "
                 "holding no incident) are outside the study area."),
             seed: int | None = SEED) -> None:
    """Getis-Ord Gi* hot spots on a grid, with a false-discovery-rate cut."""
    study = _study(month_from, month_to, area, category)
    report = reports.hotspot_report(study, cell=cell, permutations=permutations, alpha=alpha,
                                    mask_radius=mask_radius, seed=seed)
    console.print(f"{len(report.cells):,} cells of {cell:g} m in the study area; "
                  f"{int(report.hot.sum()):,} hot spots at a false discovery rate of {alpha:g}.")
    _done(study, export.write_hotspots(report, study, out))


@app.command()
def kde(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
        category: str | None = CATEGORY, out: Path = OUT, cell: float = CELL,
        bandwidth: float = typer.Option(500.0, min=1, help="Gaussian bandwidth in metres.")
        ) -> None:
    """Kernel density surface (incidents per km²)."""
    study = _study(month_from, month_to, area, category)
    report = reports.kde_report(study, cell=cell, bandwidth=bandwidth)
    console.print(f"Peak density {float(report.density.max()):,.1f} incidents per km².")
    _done(study, export.write_kde(report, study, out))


@app.command()
def repeats(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
            category: str | None = CATEGORY, out: Path = OUT,
            threshold: int = typer.Option(2, min=2, help="Incidents that make a repeat.")
            ) -> None:
    """Repeat places, victims and perpetrators, and how much the top 5% account for."""
    study = _study(month_from, month_to, area, category)
    report = reports.repeats_report(study, threshold=threshold)
    for s in (report.places, report.victims, report.perpetrators):
        share = f"{100 * s.top_share:.0f}%" if s.top_share is not None else "–"
        console.print(f"{s.kind}: {s.distinct:,} distinct, {len(s.repeats):,} repeats "
                      f"({s.repeat_incidents:,} incidents); top 5% hold {share} of incidents.")
    console.print(report.keyed_by_note)
    _done(study, export.write_repeats(report, out))


@app.command("near-repeat")
def near_repeat(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
                category: str | None = CATEGORY, out: Path = OUT,
                distances: str = typer.Option("0,100,200", help="Distance band edges, m."),
                times: str | None = typer.Option(
                    None, help="Time band edges (default 0,7,14 days; 0,1,2 months for "
                    "month-only data)."),
                permutations: int = typer.Option(999, min=1), seed: int | None = SEED) -> None:
    """Knox test for near repeats over distance and time bands."""
    try:
        d_edges = [float(v) for v in distances.split(",")]
        t_edges = [float(v) for v in times.split(",")] if times else None
    except ValueError:
        raise fail("The analysis cannot run:", ["--distances/--times: numbers separated "
                                                 "by commas"]) from None
    study = _study(month_from, month_to, area, category)
    try:
        report = reports.near_repeat_report(study, distance_edges=d_edges, time_edges=t_edges,
                                            permutations=permutations, seed=seed)
    except ValueError as error:
        raise fail("The analysis cannot run:", [str(error)]) from None
    table = Table(title=f"Knox ratios (observed / expected), {permutations} permutations")
    table.add_column("Distance")
    for label in report.table.time_labels():
        table.add_column(label, justify="right")
    for r, label in enumerate(report.table.distance_labels()):
        table.add_row(label, *(f"{report.table.ratio[r, c]:.2f} (p {report.table.p[r, c]:.3f})"
                               for c in range(report.table.ratio.shape[1])))
    console.print(table)
    console.print(report.note)
    _done(study, export.write_near_repeat(report, study, out))


@app.command()
def trends(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
           category: str | None = CATEGORY, out: Path = OUT) -> None:
    """Monthly series, seasonality, and this period against the same months last year."""
    study = _study(month_from, month_to, area, category)
    report = reports.trend_report(study)
    c = report.comparison
    console.print(f"{c.label}: {c.this_period:,}; the same months a year before "
                  f"{c.last_year:,}: {c.verdict}.")
    _done(study, export.write_trends(report, study, out))


@app.command()
def priorities(month_from: str | None = FROM, month_to: str | None = TO, area: str = AREA,
               category: str | None = CATEGORY, out: Path = OUT,
               top: int = typer.Option(10, min=1, help="Places per neighbourhood.")) -> None:
    """Per neighbourhood, places ranked by a transparent score, each with its reasons."""
    study = _study(month_from, month_to, area, category)
    ranked = reports.priority_report(study, top=top)
    weights = ScoreWeights()
    console.print(f"Score = {weights.incident:g} per incident + {weights.repeat_victim:g} per "
                  f"repeat victim + {weights.vulnerable_victim:g} per vulnerable victim + "
                  f"{weights.high_risk_assessment:g} per high-risk assessment + "
                  f"{weights.rise_on_last_year:g} per incident above the same months last year "
                  "(data.police.uk incidents carry no risk assessments).")
    best = sorted((p for items in ranked.values() for p in items[:1]), key=lambda p: -p.score)
    for p in best[:10]:
        console.print(f"  {p.score:>6g}  {p.label}: {'; '.join(p.reasons)}", highlight=False)
    _done(study, export.write_priorities(ranked, study, out))
