"""The analyst's page: choose a period, area and category; the analyses run in the background
with progress; the results show as a map (Leaflet, no outside tiles), tables and charts."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from vigil.analysis import charts
from vigil.analysis.export import hotspot_geojson
from vigil.analysis.geo import to_wgs84
from vigil.analysis.geojson import collection, lsoa_features
from vigil.analysis.priorities import ScoreWeights
from vigil.analysis.reports import HotspotReport
from vigil.domain.access import Permission
from vigil.domain.incidents import Category
from vigil.services.analysis import AnalysisRequest, load_study
from vigil.services.analysis_files import download, file_names
from vigil.services.analysis_runs import AnalysisRunner, Run
from vigil.services.incidents import InvalidQuery
from vigil.store import repositories as repo
from vigil.web.deps import ContainerDep, CsrfChecked, CurrentUser
from vigil.web.templating import render

router = APIRouter(include_in_schema=False)

LABELS = {"from": "From", "to": "To", "area": "Area", "category": "Category"}


def _runner(request: Request) -> AnalysisRunner:
    runner: AnalysisRunner | None = getattr(request.app.state, "analysis_runner", None)
    if runner is None:
        runner = request.app.state.analysis_runner = AnalysisRunner()
    return runner


def _form_page(request: Request, container: ContainerDep, user: CurrentUser, *,
               values: dict[str, str], problems: dict[str, str] | None = None,
               status_code: int = 200) -> Response:
    with container.session_factory() as session:
        areas = repo.neighbourhoods(session)
    return render(request, "analysis/form.html", {
        "values": values, "problems": problems or {}, "labels": LABELS,
        "categories": [(c.value, c.label) for c in Category], "neighbourhoods": areas,
        "shows_open_data": True,
    }, status_code=status_code)


@router.get("/analysis")
def analysis_form(request: Request, user: CurrentUser, container: ContainerDep) -> Response:
    """The form: period, area and category."""
    return _form_page(request, container, user,
                      values={"from": "", "to": "", "area": "force", "category": ""})


@router.post("/analysis/runs")
def start_run(request: Request, user: CurrentUser, container: ContainerDep, _: CsrfChecked,
              month_from: Annotated[str, Form(alias="from")] = "",
              month_to: Annotated[str, Form(alias="to")] = "",
              area: Annotated[str, Form()] = "force",
              category: Annotated[str, Form()] = "") -> Response:
    """Check the request, load the incidents, and start the analyses in the background."""
    values = {"from": month_from, "to": month_to, "area": area, "category": category}
    try:
        study = load_study(container.uow(user.actor), AnalysisRequest(
            month_from=month_from, month_to=month_to, area=area, category=category),
            force_name=container.settings.force_name)
    except InvalidQuery as error:
        return _form_page(request, container, user, values=values, problems=error.problems,
                          status_code=422)
    run = _runner(request).start(study, owner=user.actor.user_id)
    return RedirectResponse(f"/analysis/runs/{run.id}", status_code=303)


def _run(request: Request, user: CurrentUser, run_id: str) -> Run:
    return _runner(request).get(run_id, owner=user.actor.user_id)


def _hot_cells(report: HotspotReport | None, top: int = 10) -> list[dict[str, object]]:
    """The hottest cells found hot, with their centre."""
    if report is None:
        return []
    hot = np.flatnonzero(report.hot)
    hot = hot[np.lexsort((-report.counts[hot], -report.gi.z[hot]))][:top]
    cx, cy = report.grid.centres()
    lon, lat = to_wgs84(cx[report.cells[hot]], cy[report.cells[hot]])
    p_sim = report.gi.p_sim
    return [{"count": int(report.counts[k]), "z": float(report.gi.z[k]),
             "q": float(report.gi.q[k]),
             "p_sim": float(p_sim[k]) if p_sim is not None else None,
             "where": f"{lat[i]:.5f}, {lon[i]:.5f}"} for i, k in enumerate(hot)]


@router.get("/analysis/runs/{run_id}")
def show_run(request: Request, user: CurrentUser, run_id: str) -> Response:
    """Progress while the run works; the map, tables and charts when it is done."""
    run = _run(request, user, run_id)
    frame = run.study.frame
    names = {a.neighbourhood: a.neighbourhood_name for a in frame.areas.values()}
    in_period = frame.in_period
    ranked = sorted(run.results.priorities.items(),
                    key=lambda item: -(item[1][0].score if item[1] else 0))
    return render(request, "analysis/run.html", {
        "run": run, "results": run.results, "names": names, "shows_open_data": True,
        "incidents": int(in_period.sum()), "exact": int((in_period & frame.exact).sum()),
        "hot_cells": _hot_cells(run.results.hotspots), "ranked": ranked[:12],
        "can_open_cases": user.actor.can(Permission.MANAGE_CASES),
        "weights": ScoreWeights(), "files": file_names(run),
    })


@router.get("/analysis/runs/{run_id}/status.json")
def run_status(request: Request, user: CurrentUser, run_id: str) -> Response:
    run = _run(request, user, run_id)
    return JSONResponse({"step": run.step, "fraction": run.fraction, "done": run.done,
                         "error": run.error})


@router.get("/analysis/runs/{run_id}/hotspots.geojson")
def run_hotspots(request: Request, user: CurrentUser, run_id: str) -> Response:
    run = _run(request, user, run_id)
    data: dict[str, Any] = (hotspot_geojson(run.results.hotspots) if run.results.hotspots
                            else collection([]))
    return JSONResponse(data, media_type="application/geo+json")


@router.get("/analysis/runs/{run_id}/lsoas.geojson")
def run_lsoas(request: Request, user: CurrentUser, run_id: str) -> Response:
    run = _run(request, user, run_id)
    return JSONResponse(collection(lsoa_features(run.study.frame, run.study.lsoas)),
                        media_type="application/geo+json")


@router.get("/analysis/runs/{run_id}/files/{name}")
def run_file(request: Request, user: CurrentUser, container: ContainerDep, run_id: str,
             name: str) -> Response:
    """One of the CSV, GeoJSON or PNG files ``vigil analyse`` writes (or ``all.zip``), as an
    attachment; only for the run's owner, and audited."""
    found = download(container.uow(user.actor), _run(request, user, run_id), name=name)
    return Response(found.content, media_type=found.media_type, headers={
        "Content-Disposition": f'attachment; filename="{found.file_name}"',
        "X-Content-Type-Options": "nosniff",
    })


@router.get("/analysis/runs/{run_id}/{chart}.png")
def run_chart(request: Request, user: CurrentUser, run_id: str, chart: str) -> Response:
    run = _run(request, user, run_id)
    title = f"{run.study.area_label}, {run.study.period_label}"
    results = run.results
    if chart == "trends" and results.trends:
        png = charts.trend_chart(results.trends, title=title)
    elif chart == "near-repeat" and results.near_repeat:
        png = charts.knox_chart(results.near_repeat, title=title)
    elif chart == "hotspots" and results.hotspots:
        png = charts.hotspot_map(results.hotspots, title=title)
    elif chart == "kde" and results.kde:
        png = charts.kde_map(results.kde, title=title)
    else:
        return Response(status_code=404)
    return Response(png, media_type="image/png")
