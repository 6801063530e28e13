"""Downloads from the analyst's page: the same CSV, GeoJSON and PNG files that ``vigil analyse``
writes, made by the same writers (:mod:`vigil.analysis.export`) from a finished run's results,
one file or all of them in a zip with the open-data attribution. Each download is audited."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vigil.analysis import export
from vigil.domain.access import NotFound, Permission
from vigil.services.analysis_runs import Run
from vigil.services.incidents import require
from vigil.store.uow import UnitOfWork

Writer = Callable[[Run, Path], list[Path]]

MEDIA_TYPES = {".csv": "text/csv; charset=utf-8", ".geojson": "application/geo+json",
               ".png": "image/png", ".zip": "application/zip", ".txt": "text/plain"}


@dataclass(frozen=True)
class Download:
    """One file of a run, as the browser is to save it."""

    file_name: str
    media_type: str
    content: bytes


def _writers(run: Run) -> list[tuple[tuple[str, ...], Writer]]:
    """Which writer makes which files, for the results this run has."""
    r, study = run.results, run.study
    found: list[tuple[tuple[str, ...], Writer]] = []
    if r.volumes:
        volumes = r.volumes
        found.append(((f"volumes_{volumes.level}.csv",),
                      lambda _, out: export.write_volumes(volumes, out)))
    if r.trends:
        trends = r.trends
        found.append((("trends.csv", "trends_comparison.csv", "trends.png"),
                      lambda _, out: export.write_trends(trends, study, out)))
    if r.hotspots:
        hotspots = r.hotspots
        found.append((("hotspots.csv", "hotspots.geojson", "lsoas.geojson", "hotspots.png"),
                      lambda _, out: export.write_hotspots(hotspots, study, out)))
    if r.kde:
        kde = r.kde
        found.append((("kde.csv", "kde.geojson", "kde.png"),
                      lambda _, out: export.write_kde(kde, study, out)))
    if r.repeats:
        repeats = r.repeats
        found.append((("repeats_summary.csv", "repeat_places.csv", "repeat_victims.csv",
                       "repeat_perpetrators.csv"),
                      lambda _, out: export.write_repeats(repeats, out)))
    if r.priorities:
        ranked = r.priorities
        found.append((("priorities.csv",),
                      lambda _, out: export.write_priorities(ranked, study, out)))
    if r.near_repeat:
        knox = r.near_repeat
        found.append((("near_repeat.csv", "near_repeat.png"),
                      lambda _, out: export.write_near_repeat(knox, study, out)))
    return found


def file_names(run: Run) -> list[str]:
    """The files a finished run offers, in the order the page lists them."""
    if not run.done or run.error:
        return []
    return [name for names, _ in _writers(run) for name in names]


def _make(run: Run, name: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="vigil-analysis-") as folder:
        out = Path(folder)
        if name == "all.zip":
            buffer = io.BytesIO()
            written = {path.name: path for _, writer in _writers(run)
                       for path in writer(run, out)}  # each writer adds ATTRIBUTION.txt
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name_in_zip, path in written.items():
                    archive.write(path, arcname=name_in_zip)
            return buffer.getvalue()
        for names, writer in _writers(run):
            if name in names:
                writer(run, out)
                return (out / name).read_bytes()
    raise NotFound(f"no file {name} in this analysis")


def download(uow: UnitOfWork, run: Run, *, name: str) -> Download:
    """One output file of ``run`` (or ``all.zip``), audited as a download of the analysis.
    ``run`` is already the actor's own (the runner answers "not found" to anyone else)."""
    require(uow, Permission.VIEW_INCIDENTS)
    if name != "all.zip" and name not in file_names(run):
        raise NotFound(f"no file {name} in this analysis")
    if not run.done or run.error:
        raise NotFound("the analysis has not finished")
    content = _make(run, name)
    slug = "".join(c if c.isalnum() else "-" for c in run.study.area_label.lower()).strip("-")
    with uow:
        uow.audit.record(action="download", object_type="analysis", object_id=run.id,
                         reason="analysis", detail={
                             "file": name, "area": run.study.area_label,
                             "period": run.study.period_label, "bytes": len(content)})
        uow.commit()
    return Download(file_name=f"vigil-{slug or 'area'}-{name}",
                    media_type=MEDIA_TYPES[Path(name).suffix], content=content)
