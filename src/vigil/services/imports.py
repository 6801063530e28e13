"""Import data.police.uk street-level files into the incident log and crime records."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from vigil.domain.access import Permission, PermissionDenied
from vigil.domain.incidents import DetailedType, IncidentStatus, TimePrecision
from vigil.services.reference import POLICE_UK, POLICE_UK_CRIMES, ensure_reference_data
from vigil.sources.geography import (
    LsoaFacts,
    geography_available,
    load_geography,
    read_lsoa_facts,
)
from vigil.sources.police_uk import StreetRow, read_street_file
from vigil.sources.problems import InvalidFile
from vigil.store.models import CrimeRecord, ImportedFile, Incident, Lsoa
from vigil.store.uow import UnitOfWork

Progress = Callable[[str, int, int], None]
BATCH_ROWS = 5_000


@dataclass
class FileReport:
    """What one file held and what importing it added."""

    file_name: str
    asb_rows: int = 0
    crime_rows: int = 0
    incidents_added: int = 0
    crimes_added: int = 0
    asb_by_month: Counter[date] = field(default_factory=Counter)
    added_by_month: Counter[date] = field(default_factory=Counter)
    error: InvalidFile | None = None

    @property
    def already_present(self) -> int:
        return self.asb_rows - self.incidents_added


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def rejected(self) -> list[FileReport]:
        return [f for f in self.files if f.error is not None]

    def asb_by_month(self) -> Counter[date]:
        total: Counter[date] = Counter()
        for f in self.files:
            total.update(f.asb_by_month)
        return total

    def added_by_month(self) -> Counter[date]:
        total: Counter[date] = Counter()
        for f in self.files:
            total.update(f.added_by_month)
        return total


def import_police_uk(uow: UnitOfWork, *, files: Sequence[Path], keep_crimes: bool = True,
                     open_data_dir: Path, force_name: str,
                     progress: Progress | None = None) -> ImportReport:
    """Import each file in a transaction of its own.

    A file with any bad line is rejected whole (its report carries every problem) and the others
    still import. Rows already imported (same file name and line) are skipped, so re-running
    adds nothing.
    """
    if not uow.actor.can(Permission.IMPORT_DATA):
        raise PermissionDenied("importing data needs the import permission")
    report = ImportReport()
    # The ONS files are read once for the whole run, not once a file.
    facts = read_lsoa_facts(open_data_dir) if geography_available(open_data_dir) else {}
    with uow:
        for path in files:
            file_report = FileReport(file_name=path.name)
            report.files.append(file_report)
            try:
                rows = read_street_file(path)
            except InvalidFile as error:
                file_report.error = error
                continue
            _import_rows(uow, path=path, rows=rows, keep_crimes=keep_crimes,
                         open_data_dir=open_data_dir, force_name=force_name, facts=facts,
                         report=file_report, progress=progress)
            uow.commit()
    return report


def _import_rows(uow: UnitOfWork, *, path: Path, rows: list[StreetRow], keep_crimes: bool,
                 open_data_dir: Path, force_name: str, facts: Mapping[str, LsoaFacts],
                 report: FileReport, progress: Progress | None) -> None:
    session = uow.session
    sources = ensure_reference_data(session)
    asb_source, crime_source = sources[POLICE_UK], sources[POLICE_UK_CRIMES]
    _ensure_lsoas(session, rows=rows, open_data_dir=open_data_dir, force_name=force_name,
                  facts=facts)

    key_prefix = f"{path.name}:"
    seen_asb = _existing_keys(session, Incident, asb_source.id, key_prefix)
    seen_crime = _existing_keys(session, CrimeRecord, crime_source.id, key_prefix)
    reference_stem = path.name.removesuffix(".csv").removesuffix("-street")
    incidents: list[dict[str, object]] = []
    crimes: list[dict[str, object]] = []
    for done, row in enumerate(rows, start=1):
        key = f"{key_prefix}{row.line}"
        if row.is_asb:
            report.asb_rows += 1
            report.asb_by_month[row.month] += 1
            if key not in seen_asb:
                incidents.append(_incident_values(row, key, asb_source.id, reference_stem))
                report.added_by_month[row.month] += 1
        else:
            report.crime_rows += 1
            if keep_crimes and key not in seen_crime:
                crimes.append(_crime_values(row, key, crime_source.id))
        if len(incidents) >= BATCH_ROWS:
            report.incidents_added += _flush(session, Incident, incidents)
        if len(crimes) >= BATCH_ROWS:
            report.crimes_added += _flush(session, CrimeRecord, crimes)
        if progress and (done % 2_000 == 0 or done == len(rows)):
            progress(path.name, done, len(rows))
    report.incidents_added += _flush(session, Incident, incidents)
    report.crimes_added += _flush(session, CrimeRecord, crimes)

    session.add(ImportedFile(
        source_id=asb_source.id, file_name=path.name, sha256=_sha256(path),
        data_rows=len(rows), incidents_added=report.incidents_added,
        crimes_added=report.crimes_added, imported_by=uow.actor.username,
    ))
    uow.audit.record(action="import", object_type="file", object_id=path.name, detail={
        "asb_rows": report.asb_rows, "incidents_added": report.incidents_added,
        "crime_rows": report.crime_rows, "crimes_added": report.crimes_added,
    })


def _ensure_lsoas(session: Session, *, rows: list[StreetRow], open_data_dir: Path,
                  force_name: str, facts: Mapping[str, LsoaFacts]) -> None:
    """Give every LSOA the file names a row (with point and population where ONS knows it)."""
    names = {r.lsoa_code: r.lsoa_name or r.lsoa_code for r in rows if r.lsoa_code}
    summary = load_geography(session, open_data_dir=open_data_dir, force_name=force_name,
                             extra_lsoa_codes=names, facts=facts)
    bare = set(summary.lsoas_without_geography)
    bare -= set(session.scalars(select(Lsoa.code).where(Lsoa.code.in_(bare))))
    if bare:
        session.execute(insert(Lsoa), [{"code": c, "name": names[c]} for c in sorted(bare)])


def _existing_keys(session: Session, model: type[Incident] | type[CrimeRecord], source_id: int,
                   prefix: str) -> set[str]:
    return set(session.scalars(
        select(model.source_key).where(model.source_id == source_id,
                                       model.source_key.startswith(prefix, autoescape=True))
    ))


def _flush(session: Session, model: type[Incident] | type[CrimeRecord],
           values: list[dict[str, object]]) -> int:
    if not values:
        return 0
    session.execute(insert(model), values)
    count = len(values)
    values.clear()
    return count


def _incident_values(row: StreetRow, key: str, source_id: int, stem: str) -> dict[str, object]:
    return {
        "reference": f"PUK-{stem}-{row.line}", "source_id": source_id, "source_key": key,
        "occurred_at": None, "occurred_month": row.month,
        "time_precision": TimePrecision.MONTH.value, "latitude": row.latitude,
        "longitude": row.longitude, "location_text": row.location, "lsoa_code": row.lsoa_code,
        "category": None, "detailed_type": DetailedType.NOT_RECORDED.value, "description": "",
        "status": IncidentStatus.CLOSED.value, "police_only": False,
    }


def _crime_values(row: StreetRow, key: str, source_id: int) -> dict[str, object]:
    return {
        "source_id": source_id, "source_key": key, "crime_id": row.crime_id, "month": row.month,
        "crime_type": row.crime_type, "last_outcome": row.last_outcome,
        "latitude": row.latitude, "longitude": row.longitude, "location_text": row.location,
        "lsoa_code": row.lsoa_code, "context": row.context,
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
